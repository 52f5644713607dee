/* The machine-to-physical table and its read-only guest mapping. */
#include <string.h>
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"

#define ENTRIES_PER_TABLE 512

static uint64_t *table;
static uint64_t nr_entries;
static uint64_t guest_l3_phys;

uint64_t *m2p_table(void)
{
    return table;
}

uint64_t m2p_entries(void)
{
    return nr_entries;
}

void m2p_set(uint64_t mfn, uint64_t pfn)
{
    if (mfn < nr_entries)
        table[mfn] = pfn;
}

uint64_t m2p_get(uint64_t mfn)
{
    return mfn < nr_entries ? table[mfn] : M2P_INVALID;
}

uint64_t m2p_guest_l4_entry(void)
{
    /* Intermediate levels allow writes; the leaves make it read-only. */
    return guest_l3_phys | PTE_PRESENT | PTE_USER | PTE_WRITE | PTE_ACCESSED;
}

static uint64_t *zeroed_table(uint64_t *phys)
{
    *phys = alloc_frames(0);
    if (!*phys)
        return NULL;
    memset(phys_to_virt(*phys), 0, PAGE_SIZE);
    return phys_to_virt(*phys);
}

static unsigned int order_for_pages(uint64_t pages)
{
    unsigned int order = 0;

    while ((1ull << order) < pages)
        order++;
    return order;
}

/* Map the table's pages read-only for guests, 4 KiB each. */
static int map_for_guests(uint64_t table_phys, uint64_t pages)
{
    uint64_t *l3 = zeroed_table(&guest_l3_phys);
    uint64_t inter = PTE_PRESENT | PTE_USER | PTE_WRITE | PTE_ACCESSED;
    uint64_t leaf = PTE_PRESENT | PTE_USER | PTE_ACCESSED | paging_nx_mask();

    if (!l3)
        return -1;
    for (uint64_t i = 0; i < pages; i++) {
        unsigned int l3i = (unsigned int)(i / (ENTRIES_PER_TABLE * ENTRIES_PER_TABLE));
        unsigned int l2i = (unsigned int)(i / ENTRIES_PER_TABLE % ENTRIES_PER_TABLE);
        uint64_t phys;

        if (!(l3[l3i] & PTE_PRESENT)) {
            if (!zeroed_table(&phys))
                return -1;
            l3[l3i] = phys | inter;
        }
        uint64_t *l2 = phys_to_virt(l3[l3i] & PTE_ADDR_MASK);
        if (!(l2[l2i] & PTE_PRESENT)) {
            if (!zeroed_table(&phys))
                return -1;
            l2[l2i] = phys | inter;
        }
        uint64_t *l1 = phys_to_virt(l2[l2i] & PTE_ADDR_MASK);
        l1[i % ENTRIES_PER_TABLE] = (table_phys + i * PAGE_SIZE) | leaf;
    }
    return 0;
}

int m2p_init(void)
{
    nr_entries = frame_table_nr_frames();
    uint64_t pages = (nr_entries * sizeof(uint64_t) + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t phys = alloc_frames(order_for_pages(pages));

    if (!phys || map_for_guests(phys, pages)) {
        printk(LOG_ERR, "m2p: out of memory for the machine-to-physical table (%lu frames)",
               nr_entries);
        return -1;
    }
    table = phys_to_virt(phys);
    for (uint64_t i = 0; i < nr_entries; i++)
        table[i] = M2P_INVALID;
    /* The rest of the last page reads as invalid too. */
    memset((char *)table + nr_entries * sizeof(uint64_t), 0xff,
           pages * PAGE_SIZE - nr_entries * sizeof(uint64_t));
    printk(LOG_INFO, "m2p: %lu entries (%lu KiB) at %#lx, guests see it read-only at %#lx",
           nr_entries, pages * PAGE_SIZE >> 10, phys, RO_MPT_VIRT_START);
    return 0;
}
