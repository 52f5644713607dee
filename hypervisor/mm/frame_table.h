/*
 * The frame table (one struct page_info per machine frame, at
 * FRAMETABLE_VIRT_START) and the machine page allocator built on it.
 */
#ifndef SUBFLOOR_FRAME_TABLE_H
#define SUBFLOOR_FRAME_TABLE_H

#include <stdint.h>
#include "arch/x86/memmap.h"
#include "mm/page_info.h"

extern struct page_info *const frame_table;

/* Size the table for the highest RAM frame in map and take memory for it
 * from the boot allocator; *bytes is what paging_init must map. */
uint64_t frame_table_alloc(const struct memmap *map, uint64_t *bytes);

/* Once the table is mapped: start the buddy allocator on every free frame
 * and log the totals. */
void frame_table_init_allocator(const struct memmap *map);

uint64_t frame_table_nr_frames(void);

/* Machine frames for the hypervisor: 2^order contiguous frames, as a
 * physical address (0 when none are left) or a direct-map pointer. */
uint64_t alloc_frames(unsigned int order);
void free_frames(uint64_t phys, unsigned int order);
void *alloc_xen_pages(unsigned int order);
void free_xen_pages(void *p, unsigned int order);
uint64_t free_frame_count(void);

/* The machine allocator, read-only (the 'm' debug key). */
struct buddy;
const struct buddy *frame_table_buddy(void);

#endif
