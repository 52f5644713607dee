/*
 * HYPERVISOR_update_va_mapping, minimal: enough for a guest to map its
 * own frames and its shared_info page, with the safety rules that matter
 * (only frames the domain owns; never a page-table frame writable).  The
 * PV MMU (pv/mmu_*.c, page_type.h) replaces this with full validation;
 * the frame reference bookkeeping here already follows its rules so the
 * two agree on every count.
 */
#include "cpu.h"
#include "domain.h"
#include "frame_table.h"
#include "hypercall.h"
#include "paging.h"
#include "public/errno.h"
#include "public/xen.h"

#define PTE_GUEST_KERNEL_BIT (1ull << 52)

static bool va_guest_ok(uint64_t va)
{
    return va < (1ull << 47) || va >= 0xffff880000000000ull;
}

/* The L1 entry for va in the current tables, or NULL. */
static uint64_t *l1_entry_for(uint64_t va)
{
    uint64_t table = read_cr3() & PTE_ADDR_MASK;

    for (int level = 4; level > 1; level--) {
        uint64_t *t = phys_to_virt(table);
        uint64_t e = t[(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511];
        if (!(e & PTE_PRESENT) || (e & PTE_PSE))
            return NULL;
        table = e & PTE_ADDR_MASK;
    }
    return (uint64_t *)phys_to_virt(table) + ((va >> PAGE_SHIFT) & 511);
}

static bool is_table_frame(const struct page_info *pg)
{
    uint64_t t = pg->type_info & PGT_TYPE_MASK;
    return (pg->type_info & PGT_COUNT_MASK) && t != PGT_writable_page && t != PGT_none;
}

static void drop_refs(uint64_t pte)
{
    struct page_info *pg = &frame_table[(pte & PTE_ADDR_MASK) >> PAGE_SHIFT];

    if ((pte & PTE_WRITE) && (pg->type_info & PGT_COUNT_MASK))
        pg->type_info--;
    if (pg->count_info & PGC_COUNT_MASK)
        pg->count_info--;
}

long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
    struct domain *d = current_vcpu()->domain;

    if (!va_guest_ok(va))
        return -XEN_EINVAL;
    uint64_t *l1e = l1_entry_for(va);
    if (!l1e)
        return -XEN_EINVAL;
    if (pte & PTE_PRESENT) {
        uint64_t mfn = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
        if (mfn >= frame_table_nr_frames())
            return -XEN_EINVAL;
        struct page_info *pg = &frame_table[mfn];
        if (pg->owner != d->domid || !(pg->count_info & PGC_allocated))
            return -XEN_EINVAL;
        if ((pte & PTE_WRITE) && is_table_frame(pg))
            return -XEN_EINVAL;
        /* A ring-3 kernel needs U/S; remember it was a kernel mapping. */
        if (!(pte & PTE_USER))
            pte |= PTE_USER | PTE_GUEST_KERNEL_BIT;
        pg->count_info++;
        if (pte & PTE_WRITE)
            pg->type_info = PGT_writable_page | PGT_validated |
                            ((pg->type_info & PGT_COUNT_MASK) + 1);
    }
    uint64_t old = *l1e;
    *l1e = pte;
    if (old & PTE_PRESENT)
        drop_refs(old);

    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_INVLPG:
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
        break;
    case UVMF_TLB_FLUSH:
        flush_tlb_all();
        break;
    default:
        break;
    }
    return 0;
}
