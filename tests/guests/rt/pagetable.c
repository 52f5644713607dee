/*
 * Reading and changing the guest's own page tables.  Tables are mapped
 * read-only in the initial area, so they can be read directly; every
 * write goes through mmu_update, where the hypervisor validates it.
 */
#include "guest.h"
#include "pagetable.h"

unsigned long mfn_to_pfn(unsigned long mfn)
{
    return machine_to_phys_mapping[mfn];
}

/* 0 until measured; while measuring, only initial-area tables are read. */
static unsigned long initial_pfns;

uint64_t *table_of_mfn(unsigned long mfn)
{
    unsigned long pfn = mfn_to_pfn(mfn);
    unsigned long limit = initial_pfns ? initial_pfns : start_info->nr_pages;

    if (pfn >= limit || pfn_to_mfn(pfn) != mfn)
        return NULL;
    return (uint64_t *)(GUEST_VIRT_BASE + pfn * PAGE_SIZE);
}

bool pt_walk(unsigned long va, struct pt_walk *w)
{
    uint64_t *table = (uint64_t *)start_info->pt_base;
    unsigned long table_mfn = virt_to_mfn(table);

    rt_memset(w, 0, sizeof(*w));
    for (int level = 4; level >= 1; level--) {
        unsigned int index = (va >> (12 + 9 * (level - 1))) & 511;
        uint64_t e = table[index];
        w->entry[level] = e;
        w->entry_maddr[level] = (table_mfn << 12) + index * 8;
        if (!(e & PTE_PRESENT)) {
            w->level_missing = level;
            return false;
        }
        if (level == 1)
            break;
        table_mfn = (e & PTE_MFN_MASK) >> 12;
        table = table_of_mfn(table_mfn);
        if (!table) {
            w->level_missing = level - 1;
            return false;
        }
    }
    return true;
}

long pt_write_entry(uint64_t entry_maddr, uint64_t val)
{
    mmu_update_t req = { .ptr = entry_maddr | MMU_NORMAL_PT_UPDATE, .val = val };
    unsigned int done = 0;

    return hyp_mmu_update(&req, 1, &done, DOMID_SELF);
}

unsigned long initial_mapping_pfns(void)
{
    if (initial_pfns)
        return initial_pfns;

    unsigned long pfn = virt_to_pfn(start_info);
    struct pt_walk w;

    /* The initial mapping is contiguous from VIRT_BASE: probe upward.
     * It ends on an L2 boundary, so the first missing page has no L1 to
     * read beyond the area. */
    while (pfn < start_info->nr_pages &&
           pt_walk(GUEST_VIRT_BASE + pfn * PAGE_SIZE, &w))
        pfn++;
    initial_pfns = pfn;
    return pfn;
}

long pt_mmuext(unsigned int cmd, unsigned long arg1, unsigned int arg2)
{
    mmuext_op_t op = { .cmd = cmd };
    unsigned int done = 0;

    if (cmd == MMUEXT_SET_LDT) {
        op.arg1.linear_addr = arg1;
        op.arg2.nr_ents = arg2;
    } else {
        op.arg1.mfn = arg1;
    }
    return hyp_mmuext_op(&op, 1, &done, DOMID_SELF);
}
