/*
 * x86-64 page-table entry bits, as the PV MMU logic sees them.
 *
 * The same layout is used at all four levels; bit 7 means PSE in L2/L3
 * entries and PAT in L1 entries.  Bit 52 is a software bit the hypervisor
 * owns in guest L1 entries: it marks an entry the guest kernel made
 * supervisor-only, since every entry has to carry U/S for a ring-3 kernel.
 */
#ifndef SUBFLOOR_X86_PTE_H
#define SUBFLOOR_X86_PTE_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_PRESENT       (1ull << 0)
#define PTE_RW            (1ull << 1)
#define PTE_USER          (1ull << 2)
#define PTE_PWT           (1ull << 3)
#define PTE_PCD           (1ull << 4)
#define PTE_ACCESSED      (1ull << 5)
#define PTE_DIRTY         (1ull << 6)
#define PTE_PSE           (1ull << 7)   /* L2/L3: large page */
#define PTE_PAT           (1ull << 7)   /* L1: PAT index bit */
#define PTE_GLOBAL        (1ull << 8)
#define PTE_AVAIL         (7ull << 9)   /* bits 9-11, the guest's own */
#define PTE_GUEST_KERNEL  (1ull << 52)  /* Xen's _PAGE_GUEST_KERNEL */
#define PTE_AVAIL_HIGH    (0x7ffull << 52) /* bits 52-62, software bits */
#define PTE_NX            (1ull << 63)

#define PTE_CACHE_ATTRS   (PTE_PAT | PTE_PCD | PTE_PWT)
#define PTE_ADDR_MASK     0x000ffffffffff000ull
#define PTE_FLAGS_MASK    (~PTE_ADDR_MASK)

/* The all-ones frame number that means "no frame" (Xen's INVALID_MFN
 * after masking to the PTE's address field). */
#define PTE_INVALID_MFN   (PTE_ADDR_MASK >> 12)

#define PT_ENTRIES        512
#define PT_PAGE_SIZE      4096ull
#define PT_PAGE_SHIFT     12

/* 64-bit PV guests leave L4 slots 256-271 (0xffff800000000000 to
 * 0xffff87ffffffffff) to the hypervisor. */
#define L4_HOLE_FIRST     256
#define L4_HOLE_LAST      271
#define L4_HOLE_SLOTS     (L4_HOLE_LAST - L4_HOLE_FIRST + 1)
#define PV_HOLE_VIRT_START 0xffff800000000000ull
#define PV_HOLE_VIRT_END   0xffff880000000000ull

static inline uint64_t pte_mfn(uint64_t pte)
{
    return (pte & PTE_ADDR_MASK) >> PT_PAGE_SHIFT;
}

static inline int pte_present(uint64_t pte)
{
    return (pte & PTE_PRESENT) != 0;
}

/* Slot of va in the table of the given level (1 = L1 ... 4 = L4). */
static inline unsigned int pt_slot(uint64_t va, unsigned int level)
{
    return (unsigned int)(va >> (PT_PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static inline int l4_slot_is_guest(unsigned int slot)
{
    return slot < L4_HOLE_FIRST || slot > L4_HOLE_LAST;
}

/* Bits 63-47 all equal: an address the CPU will translate. */
static inline bool va_canonical(uint64_t va)
{
    return va < (1ull << 47) || va >= PV_HOLE_VIRT_START;
}

/* A guest may name this linear address: canonical and outside the
 * hypervisor hole. */
static inline bool guest_va_ok(uint64_t va)
{
    return va < (1ull << 47) || va >= PV_HOLE_VIRT_END;
}

/*
 * Xen's guest_handle_okay for a 64-bit PV guest: the range is canonical
 * and misses the hypervisor hole.  Only a pre-check: the copy itself still
 * goes through copy_{from,to}_guest.
 */
static inline bool guest_range_ok(uint64_t va, uint64_t len)
{
    uint64_t last = va + (len ? len - 1 : 0);

    if (len > (1ull << 30) || last < va)
        return false;
    return (last < (1ull << 47)) || (va >= PV_HOLE_VIRT_END);
}

#endif
