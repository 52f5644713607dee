/*
 * Page-table helpers over the initial tables the builder made: walk a
 * virtual address to its L1 entry (reading tables through the M2P and
 * the initial mapping, since they are mapped read-only there), and
 * change one entry with mmu_update.
 */
#ifndef GUEST_RT_PAGETABLE_H
#define GUEST_RT_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_PRESENT  0x001UL
#define PTE_RW       0x002UL
#define PTE_USER     0x004UL
#define PTE_ACCESSED 0x020UL
#define PTE_DIRTY    0x040UL
#define PTE_PSE      0x080UL
#define PTE_GLOBAL   0x100UL
#define PTE_NX       (1UL << 63)
#define PTE_MFN_MASK 0x000ffffffffff000UL
#define PTE_FLAGS_RW_PAGE (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)

/* Machine frame -> pseudo-physical frame, from the read-only M2P. */
unsigned long mfn_to_pfn(unsigned long mfn);

/*
 * Where a table frame can be read: its address in the initial mapping,
 * or NULL when the frame is not a pfn of ours inside that mapping (tables
 * the guest builds later must be read through a mapping of its own).
 */
uint64_t *table_of_mfn(unsigned long mfn);

struct pt_walk {
    int level_missing;         /* 0 = found; else the level with no entry */
    uint64_t entry[5];         /* entry[4]..entry[1]: L4..L1 entries */
    uint64_t entry_maddr[5];   /* machine address of each entry */
};
bool pt_walk(unsigned long va, struct pt_walk *w);

/* One mmuext_op on our own domain: cmd with arg1 a machine frame, or for
 * MMUEXT_SET_LDT arg1 the LDT's address and arg2 its entries. */
long pt_mmuext(unsigned int cmd, unsigned long arg1, unsigned int arg2);

/* mmu_update of one entry given its machine address. */
long pt_write_entry(uint64_t entry_maddr, uint64_t val);

/* Highest pfn the initial mapping covers, + 1 (measured once). */
unsigned long initial_mapping_pfns(void);

#endif
