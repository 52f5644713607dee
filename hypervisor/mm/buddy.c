/*
 * Buddy allocator over machine frames (see buddy.h).
 *
 * Every frame of a free block carries PGC_free, so a double free is caught
 * whichever frame of a free block it names; the first frame also carries
 * PGC_buddy_head and the block's order and sits on free_head[order].
 * Frames the allocator owns have PGC_reserved clear; allocated frames are
 * handed over with count_info and type_info zero for the caller to fill.
 */
#include "mm/buddy.h"

/* Links are 32-bit frame numbers, and PAGE_LIST_NULL is one of them. */
#define BUDDY_MAX_FRAMES ((uint64_t)PAGE_LIST_NULL)

static uint64_t order_frames(unsigned int order)
{
    return 1ull << order;
}

static void list_insert(struct buddy *b, uint64_t pfn, unsigned int order)
{
    struct page_info *pg = &b->frames[pfn];
    uint32_t old_head = b->free_head[order];

    pg->count_info = PGC_free | PGC_buddy_head;
    pg->order = order;
    pg->prev = PAGE_LIST_NULL;
    pg->next = old_head;
    if (old_head != PAGE_LIST_NULL)
        b->frames[old_head].prev = (uint32_t)pfn;
    b->free_head[order] = (uint32_t)pfn;
    b->free_blocks[order]++;
    b->free_frames += order_frames(order);
}

static void list_remove(struct buddy *b, uint64_t pfn, unsigned int order)
{
    struct page_info *pg = &b->frames[pfn];

    if (pg->prev != PAGE_LIST_NULL)
        b->frames[pg->prev].next = pg->next;
    else
        b->free_head[order] = pg->next;
    if (pg->next != PAGE_LIST_NULL)
        b->frames[pg->next].prev = pg->prev;
    pg->next = pg->prev = PAGE_LIST_NULL;
    pg->count_info &= ~PGC_buddy_head;
    b->free_blocks[order]--;
    b->free_frames -= order_frames(order);
}

/* Mark the frames of [pfn, pfn + 2^order) free but not heads, then merge
 * with free buddies for as long as they are whole free blocks. */
static void free_block(struct buddy *b, uint64_t pfn, unsigned int order)
{
    for (uint64_t i = 0; i < order_frames(order); i++) {
        struct page_info *pg = &b->frames[pfn + i];
        pg->count_info = PGC_free;
        pg->type_info = 0;
        pg->owner = FRAME_OWNER_NONE;
        pg->order = 0;
        pg->next = pg->prev = PAGE_LIST_NULL;
    }

    while (order < BUDDY_MAX_ORDER) {
        uint64_t buddy = pfn ^ order_frames(order);
        if (buddy + order_frames(order) > b->nr_frames)
            break;
        const struct page_info *bp = &b->frames[buddy];
        if (!(bp->count_info & PGC_buddy_head) || bp->order != order)
            break;
        list_remove(b, buddy, order);
        if (buddy < pfn)
            pfn = buddy;
        order++;
    }
    list_insert(b, pfn, order);
}

void buddy_init(struct buddy *b, struct page_info *frames, uint64_t nr_frames)
{
    if (nr_frames > BUDDY_MAX_FRAMES)
        nr_frames = BUDDY_MAX_FRAMES;   /* the rest stays unusable */
    b->frames = frames;
    b->nr_frames = nr_frames;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        b->free_head[o] = PAGE_LIST_NULL;
        b->free_blocks[o] = 0;
    }
    b->free_frames = 0;
    b->total_frames = 0;
    for (uint64_t pfn = 0; pfn < nr_frames; pfn++) {
        struct page_info *pg = &frames[pfn];
        pg->count_info = PGC_reserved;
        pg->type_info = 0;
        pg->owner = FRAME_OWNER_NONE;
        pg->order = 0;
        pg->next = pg->prev = PAGE_LIST_NULL;
        pg->tlbflush_stamp = 0;
    }
}

/* The largest naturally aligned block starting at pfn that fits in nr. */
static unsigned int largest_block(uint64_t pfn, uint64_t nr)
{
    unsigned int order = 0;

    while (order < BUDDY_MAX_ORDER &&
           (pfn & order_frames(order)) == 0 &&
           order_frames(order + 1) <= nr)
        order++;
    return order;
}

int buddy_add_range(struct buddy *b, uint64_t start_pfn, uint64_t nr)
{
    if (start_pfn > b->nr_frames || nr > b->nr_frames - start_pfn)
        return -1;
    for (uint64_t i = 0; i < nr; i++)
        if (!(b->frames[start_pfn + i].count_info & PGC_reserved))
            return -1;

    b->total_frames += nr;
    while (nr > 0) {
        unsigned int order = largest_block(start_pfn, nr);
        free_block(b, start_pfn, order);
        start_pfn += order_frames(order);
        nr -= order_frames(order);
    }
    return 0;
}

/* Take the free block at pfn of order `have`, give back its upper halves
 * until 2^want frames remain, and hand those to the caller. */
static int64_t take_block(struct buddy *b, uint64_t pfn, unsigned int have,
                          unsigned int want)
{
    list_remove(b, pfn, have);
    while (have > want) {
        have--;
        list_insert(b, pfn + order_frames(have), have);
    }
    for (uint64_t i = 0; i < order_frames(want); i++) {
        struct page_info *pg = &b->frames[pfn + i];
        pg->count_info = 0;
        pg->type_info = 0;
        pg->order = 0;
    }
    return (int64_t)pfn;
}

int64_t buddy_alloc(struct buddy *b, unsigned int order)
{
    if (order > BUDDY_MAX_ORDER)
        return -1;
    for (unsigned int o = order; o <= BUDDY_MAX_ORDER; o++)
        if (b->free_head[o] != PAGE_LIST_NULL)
            return take_block(b, b->free_head[o], o, order);
    return -1;
}

int64_t buddy_alloc_below(struct buddy *b, unsigned int order, uint64_t max_pfn)
{
    if (order > BUDDY_MAX_ORDER || max_pfn < order_frames(order))
        return -1;
    /* The caller gets the low end of the block it is split from, so a
     * block qualifies when its first 2^order frames end below max_pfn. */
    uint64_t last_start = max_pfn - order_frames(order);
    for (unsigned int o = order; o <= BUDDY_MAX_ORDER; o++)
        for (uint32_t pfn = b->free_head[o]; pfn != PAGE_LIST_NULL;
             pfn = b->frames[pfn].next)
            if (pfn <= last_start)
                return take_block(b, pfn, o, order);
    return -1;
}

int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order)
{
    if (order > BUDDY_MAX_ORDER || pfn >= b->nr_frames ||
        order_frames(order) > b->nr_frames - pfn)
        return -1;
    if (pfn & (order_frames(order) - 1))
        return -1;
    for (uint64_t i = 0; i < order_frames(order); i++)
        if (b->frames[pfn + i].count_info & (PGC_free | PGC_reserved))
            return -1;
    free_block(b, pfn, order);
    return 0;
}

/* Walk one free list, checking each block; adds the frames it holds. */
static bool check_list(const struct buddy *b, unsigned int order,
                       uint64_t *frames_seen)
{
    uint64_t blocks = 0;
    uint32_t prev = PAGE_LIST_NULL;

    for (uint32_t pfn = b->free_head[order]; pfn != PAGE_LIST_NULL;
         pfn = b->frames[pfn].next) {
        if (pfn >= b->nr_frames || ++blocks > b->free_blocks[order])
            return false;   /* out of range, or a cycle */
        if (pfn & (order_frames(order) - 1) ||
            order_frames(order) > b->nr_frames - pfn)
            return false;
        const struct page_info *pg = &b->frames[pfn];
        if (pg->prev != prev || pg->order != order ||
            pg->count_info != (PGC_free | PGC_buddy_head))
            return false;
        for (uint64_t i = 1; i < order_frames(order); i++)
            if (b->frames[pfn + i].count_info != PGC_free)
                return false;
        /* Two free buddies of the same order should have merged. */
        uint64_t buddy = pfn ^ order_frames(order);
        if (order < BUDDY_MAX_ORDER && buddy < b->nr_frames &&
            (b->frames[buddy].count_info & PGC_buddy_head) &&
            b->frames[buddy].order == order)
            return false;
        prev = pfn;
    }
    *frames_seen += blocks << order;
    return blocks == b->free_blocks[order];
}

bool buddy_check(const struct buddy *b)
{
    uint64_t listed = 0;

    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        if (!check_list(b, o, &listed))
            return false;
    if (listed != b->free_frames || b->free_frames > b->total_frames)
        return false;

    /* Every frame marked free must belong to a listed block. */
    uint64_t marked = 0;
    for (uint64_t pfn = 0; pfn < b->nr_frames; pfn++)
        if (b->frames[pfn].count_info & PGC_free)
            marked++;
    return marked == listed;
}
