/* Frame table setup and the machine page allocator over it. */
#include <string.h>
#include "arch/x86/boot_alloc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/tlbflush.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/frame_table.h"

struct page_info *const frame_table = (struct page_info *)FRAMETABLE_VIRT_START;

static uint64_t nr_frames;
static uint64_t table_bytes;
static struct buddy machine_buddy;
static bool buddy_ready;

uint64_t frame_table_nr_frames(void)
{
    return nr_frames;
}

uint64_t frame_table_alloc(const struct memmap *map, uint64_t *bytes)
{
    nr_frames = memmap_ram_end(map) >> PAGE_SHIFT;
    if (nr_frames > FRAMETABLE_VIRT_SIZE / sizeof(struct page_info))
        panic("RAM ends at %#lx, beyond what the frame table can describe",
              memmap_ram_end(map));
    table_bytes = (nr_frames * sizeof(struct page_info) + PAGE_SIZE - 1) &
                  ~(PAGE_SIZE - 1);
    /* 2 MiB alignment lets the mapping use large pages. */
    uint64_t align = table_bytes >= SUPERPAGE_SIZE ? SUPERPAGE_SIZE : PAGE_SIZE;
    uint64_t phys = boot_alloc_frames(table_bytes >> PAGE_SHIFT, align, ~0ull);
    if (!phys)
        phys = boot_alloc_frames(table_bytes >> PAGE_SHIFT, PAGE_SIZE, ~0ull);
    if (!phys)
        panic("no contiguous %lu KiB of RAM for the frame table", table_bytes >> 10);
    *bytes = table_bytes;
    return phys;
}

static void add_free_range(uint64_t pfn, uint64_t nr)
{
    if (buddy_add_range(&machine_buddy, pfn, nr))
        panic("buddy allocator refused frames %#lx-%#lx", pfn, pfn + nr);
}

static uint64_t buddy_frame_for_page_tables(void)
{
    return alloc_frames(0);
}

void frame_table_init_allocator(const struct memmap *map)
{
    buddy_init(&machine_buddy, frame_table, nr_frames);
    uint64_t handed = boot_alloc_for_each_free(add_free_range);
    buddy_ready = true;
    paging_set_frame_alloc(buddy_frame_for_page_tables);

    uint64_t ram = memmap_ram_bytes(map);
    printk(LOG_INFO, "frame table: %lu frames (%lu KiB of struct page_info) at %#lx",
           nr_frames, table_bytes >> 10, FRAMETABLE_VIRT_START);
    printk(LOG_INFO, "memory: %lu MiB RAM, %lu free frames (%lu MiB) given to the buddy allocator, %lu MiB reserved",
           ram >> 20, handed, (handed << PAGE_SHIFT) >> 20,
           (ram - (handed << PAGE_SHIFT)) >> 20);
    if (!buddy_check(&machine_buddy))
        panic("buddy allocator lists are inconsistent after setup");
}

/*
 * A frame given back may still be cached in some CPU's TLB (Linux clears
 * a PTE without a flush before it balloons the page out; a grant unmap
 * flushes what it knows).  free_frames stamps it; alloc_frames flushes
 * the CPUs that have not flushed since, before anyone else can use it.
 */
uint64_t alloc_frames(unsigned int order)
{
    if (!buddy_ready)
        return 0;
    uint64_t flags = local_irq_save();
    int64_t pfn = buddy_alloc(&machine_buddy, order);
    local_irq_restore(flags);
    if (pfn < 0)
        return 0;
    for (uint64_t i = 0; i < (1ull << order); i++)
        frame_table[pfn + i].owner = FRAME_OWNER_XEN;
    tlbflush_since(frames_tlbflush_stamp(&frame_table[pfn], 1ull << order));
    return (uint64_t)pfn << PAGE_SHIFT;
}

void free_frames(uint64_t phys, unsigned int order)
{
    uint64_t pfn = phys >> PAGE_SHIFT;

    if (pfn + (1ull << order) <= nr_frames) {
        uint64_t stamp = tlbflush_stamp();
        for (uint64_t i = 0; i < (1ull << order); i++)
            frame_table[pfn + i].tlbflush_stamp = stamp;
    }
    uint64_t flags = local_irq_save();
    int rc = buddy_free(&machine_buddy, pfn, order);
    local_irq_restore(flags);
    if (rc)
        printk(LOG_ERR, "free_frames: %#lx order %u refused (bad or double free)",
               phys, order);
}

void *alloc_xen_pages(unsigned int order)
{
    uint64_t phys = alloc_frames(order);

    return phys ? phys_to_virt(phys) : NULL;
}

void free_xen_pages(void *p, unsigned int order)
{
    if (p)
        free_frames(virt_to_phys_directmap(p), order);
}

uint64_t free_frame_count(void)
{
    return buddy_free_frames(&machine_buddy);
}

const struct buddy *frame_table_buddy(void)
{
    return &machine_buddy;
}
