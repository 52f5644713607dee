/*
 * The one checked way into guest memory (docs/design.md section 4).
 *
 * A range a guest passes must lie in the guest's part of the address
 * space (canonical, outside the hypervisor hole); the copy then goes
 * through the guest's current page tables, as the guest would see them,
 * with CR0.WP making its read-only pages read-only here too.  A page that
 * is missing or read-only faults into an exception fix-up (extable.h),
 * so a bad pointer is an error (-XEN_EFAULT), never a fault of the
 * hypervisor.  guest_va_to_mfn walks the tables in software for the
 * callers that need the frame itself.
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
