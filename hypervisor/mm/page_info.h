/*
 * The frame table: one struct page_info per machine frame.
 *
 * PV safety rests on this table (docs/design.md section 4): every frame has an
 * owner, a type with a count of the uses that need that type, and a general
 * reference count.  The buddy allocator borrows the same entry to link
 * free blocks, so no other per-frame memory is needed.
 *
 * This header is used by the hypervisor and by the host unit tests.
 */
#ifndef SUBFLOOR_PAGE_INFO_H
#define SUBFLOOR_PAGE_INFO_H

#include <stdint.h>

/* Owner values besides a domain id. */
#define FRAME_OWNER_NONE  0x7ff4u   /* DOMID_INVALID: free or never owned */
#define FRAME_OWNER_XEN   0x7ff2u   /* DOMID_XEN: the hypervisor's own */

/* type_info: the type lives in the top bits, its use count below. */
#define PGT_TYPE_SHIFT      60
#define PGT_TYPE_MASK       (0xfull << PGT_TYPE_SHIFT)
#define PGT_none            (0ull << PGT_TYPE_SHIFT)
#define PGT_l1_page_table   (1ull << PGT_TYPE_SHIFT)
#define PGT_l2_page_table   (2ull << PGT_TYPE_SHIFT)
#define PGT_l3_page_table   (3ull << PGT_TYPE_SHIFT)
#define PGT_l4_page_table   (4ull << PGT_TYPE_SHIFT)
#define PGT_seg_desc_page   (5ull << PGT_TYPE_SHIFT)
#define PGT_writable_page   (7ull << PGT_TYPE_SHIFT)
#define PGT_pinned          (1ull << 59)  /* guest pinned this table */
#define PGT_validated       (1ull << 58)  /* contents checked for the type */
#define PGT_COUNT_MASK      ((1ull << 58) - 1)

/* count_info: flags in the top bits, the reference count below. */
#define PGC_allocated       (1ull << 63)  /* a domain holds it in its allocation */
#define PGC_free            (1ull << 62)  /* in the buddy allocator */
#define PGC_reserved        (1ull << 61)  /* not RAM, or RAM the allocator never owns */
#define PGC_buddy_head      (1ull << 60)  /* first frame of a free buddy block */
#define PGC_COUNT_MASK      ((1ull << 56) - 1)

#define PAGE_LIST_NULL      0xffffffffu

struct page_info {
    uint64_t count_info;   /* PGC_* flags | reference count */
    uint64_t type_info;    /* PGT_* type and flags | type use count */
    uint32_t owner;        /* domid, FRAME_OWNER_XEN or FRAME_OWNER_NONE */
    uint32_t order;        /* free blocks: the block's order (head only) */
    uint32_t next;         /* free-list links as frame numbers */
    uint32_t prev;
    /* The TLB-flush clock (arch/x86/tlbflush.h) when the frame was last
     * unmapped for certain: its last type count dropping to 0, its return
     * to the allocator.  Kept while the frame is free.  A CPU that has not
     * flushed since may still cache a translation of it. */
    uint64_t tlbflush_stamp;
};

_Static_assert(sizeof(struct page_info) == 40, "frame table entry is 40 bytes");

/* The latest stamp of n frames: what a flush before reusing them all
 * must cover. */
static inline uint64_t frames_tlbflush_stamp(const struct page_info *pg, uint64_t n)
{
    uint64_t latest = 0;

    for (uint64_t i = 0; i < n; i++)
        if (pg[i].tlbflush_stamp > latest)
            latest = pg[i].tlbflush_stamp;
    return latest;
}

#endif
