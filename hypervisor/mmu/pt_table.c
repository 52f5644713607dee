/*
 * Whole page tables: validating a frame as a table of some level (taking
 * the references of every present entry, all or nothing) and releasing
 * those references when its last type reference goes.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "public/errno.h"

static bool slot_is_guest(unsigned int level, unsigned int slot)
{
    return level != 4 || l4_slot_is_guest(slot);
}

/* Slots 256-271 of an L4 are the hypervisor's: whatever the guest left
 * there (Linux copies the kernel half of its pgd, hole included) is
 * replaced, never validated. */
static void install_hole_entries(const struct pv_mm_domain *d, uint64_t mfn,
                                 uint64_t *table)
{
    uint64_t slots[L4_HOLE_SLOTS] = { 0 };

    if (d->ops && d->ops->l4_hole_entries)
        d->ops->l4_hole_entries(d, mfn, slots);
    for (unsigned int i = 0; i < L4_HOLE_SLOTS; i++)
        table[L4_HOLE_FIRST + i] = slots[i];
}

int pt_table_validate(const struct pv_mm_domain *d, uint64_t mfn, unsigned int level)
{
    if (level < 1 || level > 4)
        return -XEN_EINVAL;

    uint64_t *table = frame_map(mfn);
    unsigned int i;
    int rc = 0;

    /* References first, adjustments after: a refused table is left
     * exactly as the guest wrote it.  Releasing needs only the present
     * bit, the frame and RW, which the adjustment never changes, so the
     * raw entries serve for the undo.  The one change acquiring makes
     * beyond the adjustment, RW taken from a read-only I/O frame (which
     * holds no references either way), is remembered for the store. */
    uint64_t read_only[PT_ENTRIES / 64] = { 0 };
    for (i = 0; i < PT_ENTRIES; i++) {
        uint64_t entry = table[i];
        if (!slot_is_guest(level, i))
            continue;
        rc = pt_entry_acquire(level, &entry, d, d);
        if (rc)
            break;
        if ((table[i] & PTE_RW) && !(entry & PTE_RW))
            read_only[i / 64] |= 1ull << (i % 64);
    }

    if (rc) {
        while (i-- > 0)
            if (slot_is_guest(level, i))
                pt_entry_release(level, table[i]);
        frame_unmap(table);
        return rc;
    }

    for (i = 0; i < PT_ENTRIES; i++) {
        if (!slot_is_guest(level, i))
            continue;
        table[i] = pt_entry_adjust(level, table[i]);
        if (read_only[i / 64] & (1ull << (i % 64)))
            table[i] &= ~PTE_RW;
    }
    if (level == 4)
        install_hole_entries(d, mfn, table);
    frame_unmap(table);
    return 0;
}

void pt_table_release(uint64_t mfn, unsigned int level)
{
    if (level < 1 || level > 4)
        return;

    uint64_t *table = frame_map(mfn);
    for (unsigned int i = 0; i < PT_ENTRIES; i++)
        if (slot_is_guest(level, i))
            pt_entry_release(level, table[i]);
    frame_unmap(table);
}
