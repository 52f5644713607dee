/* xmalloc: the heap from heap.c fed with machine pages. */
#include <stdint.h>
#include <string.h>
#include "arch/x86/cpu.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/heap.h"
#include "mm/xmalloc.h"

static struct heap xen_heap;

static void *heap_page_alloc(void *ctx, unsigned int order)
{
    (void)ctx;
    return alloc_xen_pages(order);
}

static void heap_page_free(void *ctx, void *p, unsigned int order)
{
    (void)ctx;
    free_xen_pages(p, order);
}

void xmalloc_init(void)
{
    static const struct heap_ops ops = {
        .page_alloc = heap_page_alloc,
        .page_free = heap_page_free,
        .ctx = NULL,
    };

    heap_init(&xen_heap, &ops);
}

void *xmalloc(size_t size)
{
    uint64_t flags = local_irq_save();
    void *p = heap_alloc(&xen_heap, size);
    local_irq_restore(flags);
    return p;
}

void *xzalloc(size_t size)
{
    uint64_t flags = local_irq_save();
    void *p = heap_zalloc(&xen_heap, size);
    local_irq_restore(flags);
    return p;
}

void xfree(void *p)
{
    uint64_t flags = local_irq_save();
    enum heap_free_result r = heap_free(&xen_heap, p);
    local_irq_restore(flags);
    if (r != HEAP_FREE_OK)
        printk(LOG_ERR, "xfree(%p) from %p refused: %s", p,
               __builtin_return_address(0),
               r == HEAP_FREE_DOUBLE ? "already freed" : "not from the heap");
}

int xmalloc_selfcheck(void)
{
    static const size_t sizes[] = { 1, 24, 200, 2048, 3000, 70000 };
    void *p[sizeof(sizes) / sizeof(sizes[0])];
    struct heap_stats st;
    int bad = 0;

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = xzalloc(sizes[i]);
        if (!p[i] || ((uintptr_t)p[i] & 15)) {
            bad = 1;
            continue;
        }
        memset(p[i], 0xa5, sizes[i]);
    }
    heap_stats(&xen_heap, &st);
    uint64_t pages_used = st.pages_in_use;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        xfree(p[i]);
    heap_stats(&xen_heap, &st);
    if (st.allocs_in_use != 0)
        bad = 1;
    printk(bad ? LOG_ERR : LOG_INFO,
           "heap: self-check %s (%zu objects, %lu pages while held, %lu allocations left)",
           bad ? "FAILED" : "passed", sizeof(sizes) / sizeof(sizes[0]),
           pages_used, st.allocs_in_use);
    return bad ? -1 : 0;
}

void xmalloc_stats(struct heap_stats *out)
{
    uint64_t flags = local_irq_save();
    heap_stats(&xen_heap, out);
    local_irq_restore(flags);
}
