/*
 * The hypervisor heap: small objects for the hypervisor's own structures.
 *
 * Requests up to HEAP_MAX_SMALL bytes come from size classes carved out of
 * page blocks ("slabs"); larger ones get a block of whole pages.  Every
 * allocation is preceded by a 16-byte header, so heap_free() needs only
 * the pointer and can refuse pointers the heap never gave out, or gave out
 * and already took back.  Pages come from the caller through heap_ops,
 * which keeps the heap testable on the host.  Not locked: callers
 * serialise.
 */
#ifndef SUBFLOOR_HEAP_H
#define SUBFLOOR_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE_SIZE  4096u
#define HEAP_ALIGN      16u          /* every pointer returned is 16-aligned */
#define HEAP_MAX_SMALL  2048u
#define HEAP_NR_CLASSES 8            /* 16, 32, ..., 2048 bytes */
#define HEAP_MAX_ORDER  20           /* largest whole-page request: 4 GiB */

/*
 * page_alloc returns 2^order contiguous, HEAP_PAGE_SIZE-aligned bytes, or
 * NULL; page_free takes back exactly what page_alloc gave.
 */
struct heap_ops {
    void *(*page_alloc)(void *ctx, unsigned int order);
    void (*page_free)(void *ctx, void *p, unsigned int order);
    void *ctx;
};

struct heap_slab;

struct heap {
    struct heap_ops ops;
    struct heap_slab *partial[HEAP_NR_CLASSES]; /* slabs with a free object */
    uint64_t allocs_in_use;
    uint64_t bytes_in_use;       /* as requested by callers */
    uint64_t pages_in_use;       /* slabs and whole-page blocks */
    uint64_t failed_allocs;
    uint64_t bad_frees;
};

struct heap_stats {
    uint64_t allocs_in_use;
    uint64_t bytes_in_use;
    uint64_t pages_in_use;
    uint64_t failed_allocs;
    uint64_t bad_frees;
};

enum heap_free_result {
    HEAP_FREE_OK = 0,
    HEAP_FREE_NOT_OURS = -1,     /* no valid header: never from this heap */
    HEAP_FREE_DOUBLE = -2,       /* already freed */
};

void heap_init(struct heap *h, const struct heap_ops *ops);

/* NULL when size is 0 or no memory is left. */
void *heap_alloc(struct heap *h, size_t size);
void *heap_zalloc(struct heap *h, size_t size);

/* heap_free(h, NULL) does nothing and returns HEAP_FREE_OK.  A refused
 * pointer leaves the heap unchanged and is counted in bad_frees. */
enum heap_free_result heap_free(struct heap *h, void *p);

/* The usable size of an allocation (at least what was asked), or 0 for a
 * pointer heap_free would refuse. */
size_t heap_usable_size(const struct heap *h, const void *p);

void heap_stats(const struct heap *h, struct heap_stats *out);

#endif
