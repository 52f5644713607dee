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
 *
 * The address a guest hands over for the hypervisor to read or write is
 * a guest_ptr_t, not an integer: a struct, so that a length, a frame
 * number or a hypervisor pointer can never be passed where a guest
 * address belongs (or the other way round) without saying so.
 */
#ifndef SUBFLOOR_GUEST_ACCESS_H
#define SUBFLOOR_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t va;
} guest_ptr_t;

static inline guest_ptr_t guest_ptr(uint64_t va)
{
    return (guest_ptr_t){ va };
}

/* `bytes` further on: element i of an array is guest_ptr_add(p, i * size). */
static inline guest_ptr_t guest_ptr_add(guest_ptr_t p, uint64_t bytes)
{
    return (guest_ptr_t){ p.va + bytes };
}

/* A XEN_GUEST_HANDLE field of an argument struct, as a guest address. */
#define guest_handle_ptr(h) guest_ptr((uint64_t)(uintptr_t)(h).p)

/* 0 or -XEN_EFAULT (nothing or part may have been copied on error). */
int copy_from_guest(void *dst, guest_ptr_t src, size_t len);
int copy_to_guest(guest_ptr_t dst, const void *src, size_t len);

/* The machine frame behind p for an access of that kind, through the
 * current page tables: true and *mfn, or false. */
bool guest_va_to_mfn(guest_ptr_t p, bool write, uint64_t *mfn);

#endif
