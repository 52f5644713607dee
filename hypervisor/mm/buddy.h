/*
 * Buddy allocator over machine frames.
 *
 * Blocks are 2^order frames, naturally aligned.  Free blocks are threaded
 * through the frame table entries (struct page_info) of their first frame,
 * so the allocator needs no memory of its own.  Pure logic: it never
 * touches the frames themselves, which keeps it testable on the host.
 */
#ifndef SUBFLOOR_BUDDY_H
#define SUBFLOOR_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/page_info.h"

#define BUDDY_MAX_ORDER 20          /* 4 GiB blocks at most */

struct buddy {
    struct page_info *frames;       /* frames[pfn] for pfn < nr_frames */
    uint64_t nr_frames;
    uint32_t free_head[BUDDY_MAX_ORDER + 1];
    uint64_t free_blocks[BUDDY_MAX_ORDER + 1];
    uint64_t free_frames;           /* total frames currently free */
    uint64_t total_frames;          /* frames ever handed to the allocator */
};

/*
 * Start with every frame reserved (PGC_reserved, owner none); RAM is then
 * given to the allocator with buddy_add_range().
 */
void buddy_init(struct buddy *b, struct page_info *frames, uint64_t nr_frames);

/* Hand [start_pfn, start_pfn + nr) to the allocator as free memory.
 * Returns 0, or -1 if the range is outside the table or overlaps memory
 * the allocator already has. */
int buddy_add_range(struct buddy *b, uint64_t start_pfn, uint64_t nr);

/* Allocate 2^order contiguous frames.  Returns the first pfn, or -1 when no
 * block of that order is available (or order > BUDDY_MAX_ORDER). */
int64_t buddy_alloc(struct buddy *b, unsigned int order);

/* Allocate 2^order frames whose last frame is below max_pfn (for tables
 * that must sit under an address limit).  -1 when none. */
int64_t buddy_alloc_below(struct buddy *b, unsigned int order, uint64_t max_pfn);

/* Return a block.  Returns 0, or -1 on a bad pfn/order, a misaligned
 * block, or a frame that is already free (double free): nothing changes. */
int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order);

static inline uint64_t buddy_free_frames(const struct buddy *b)
{
    return b->free_frames;
}

/* Consistency check of every free list (for tests and debug keys).
 * Returns true when the lists, orders and counters all agree. */
bool buddy_check(const struct buddy *b);

#endif
