/* MSR accesses of a PV guest kernel, emulated after they trap (#GP). */
#ifndef SUBFLOOR_PV_MSR_H
#define SUBFLOOR_PV_MSR_H

#include <stdbool.h>
#include <stdint.h>
#include "common/domain.h"

/* true with *val for an MSR the guest may read, false to refuse (#GP). */
bool pv_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
/* true when the write was accepted (and applied), false to refuse. */
bool pv_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);

#endif
