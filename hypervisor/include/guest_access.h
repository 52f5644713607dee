/*
 * The one checked way into guest memory (DESIGN.md section 4).
 *
 * Every address a guest passes is walked through the guest's current
 * page tables in software before anything is read or written: each level
 * must be present and user-accessible (and writable, for writes), the
 * address canonical and outside the hypervisor hole.  The data then moves
 * through the hypervisor's direct map, so a bad pointer is an error
 * (-XEN_EFAULT), never a fault in the hypervisor.
 */
#ifndef SUBFLOOR_GUEST_ACCESS_H
#define SUBFLOOR_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0 or -XEN_EFAULT (nothing or part may have been copied on error). */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);

/* The machine frame behind guest_va for an access of that kind, through
 * the current page tables: true and *mfn, or false. */
bool guest_va_to_mfn(uint64_t guest_va, bool write, uint64_t *mfn);

#endif
