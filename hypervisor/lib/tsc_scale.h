/*
 * A TSC frequency as the pvclock's mul/shift pair: ns = ((delta << shift)
 * * mul) >> 32 (a right shift for a negative shift), mul in [2^31, 2^32).
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_TSC_SCALE_H
#define SUBFLOOR_TSC_SCALE_H

#include <stdint.h>

/* tsc_hz must be non-zero. */
void tsc_scale_for_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);

#endif
