/* Boot-time reservations and frame allocation; see boot_alloc.h. */
#include <stdbool.h>
#include "arch/x86/boot_alloc.h"
#include "arch/x86/layout.h"
#include "lib/panic.h"
#include "lib/printk.h"

struct reservation {
    uint64_t base, end;     /* page-aligned outwards */
    const char *what;
};

static const struct memmap *ram_map;
static struct reservation reserved[BOOT_RESERVED_MAX];
static unsigned int nr_reserved;
static bool closed;

void boot_alloc_init(const struct memmap *map)
{
    ram_map = map;
}

void boot_reserve(uint64_t base, uint64_t end, const char *what)
{
    if (end <= base)
        return;
    base &= ~(PAGE_SIZE - 1);
    end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    /* Grow a touching range of the same kind (page tables come one page
     * at a time) so the table stays small. */
    for (unsigned int i = 0; i < nr_reserved; i++) {
        struct reservation *r = &reserved[i];
        if (r->what == what && base <= r->end && end >= r->base) {
            r->base = base < r->base ? base : r->base;
            r->end = end > r->end ? end : r->end;
            return;
        }
    }
    if (nr_reserved == BOOT_RESERVED_MAX)
        panic("too many boot reservations (adding %s)", what);
    reserved[nr_reserved].base = base;
    reserved[nr_reserved].end = end;
    reserved[nr_reserved].what = what;
    nr_reserved++;
}

/* The lowest reservation overlapping [base, end), or NULL. */
static const struct reservation *first_overlap(uint64_t base, uint64_t end)
{
    const struct reservation *best = NULL;

    for (unsigned int i = 0; i < nr_reserved; i++)
        if (reserved[i].base < end && reserved[i].end > base &&
            (!best || reserved[i].base < best->base))
            best = &reserved[i];
    return best;
}

/* The highest reservation overlapping [base, end), or NULL. */
static const struct reservation *last_overlap(uint64_t base, uint64_t end)
{
    const struct reservation *best = NULL;

    for (unsigned int i = 0; i < nr_reserved; i++)
        if (reserved[i].base < end && reserved[i].end > base &&
            (!best || reserved[i].end > best->end))
            best = &reserved[i];
    return best;
}

uint64_t boot_alloc_frames(uint64_t nr, uint64_t align, uint64_t limit)
{
    uint64_t size = nr * PAGE_SIZE;

    if (closed)
        panic("boot_alloc_frames() called after the buddy allocator took over");
    if (nr == 0 || align < PAGE_SIZE || (align & (align - 1)))
        return 0;
    /* Highest first: low memory is the scarcer kind. */
    for (int i = (int)ram_map->n - 1; i >= 0; i--) {
        const struct memmap_entry *e = &ram_map->e[i];
        if (e->type != MEMMAP_RAM)
            continue;
        uint64_t lo = (e->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        uint64_t hi = e->base + e->len < limit ? e->base + e->len : limit;

        while (hi > lo && hi - lo >= size) {
            uint64_t base = (hi - size) & ~(align - 1);
            if (base < lo)
                break;
            const struct reservation *r = last_overlap(base, base + size);
            if (!r) {
                boot_reserve(base, base + size, "boot allocations");
                return base;
            }
            hi = r->base;
        }
    }
    return 0;
}

void boot_reserved_print(void)
{
    /* By address, for the reader; nothing else depends on the order. */
    for (unsigned int i = 1; i < nr_reserved; i++)
        for (unsigned int j = i; j > 0 && reserved[j].base < reserved[j - 1].base; j--) {
            struct reservation t = reserved[j];
            reserved[j] = reserved[j - 1];
            reserved[j - 1] = t;
        }
    for (unsigned int i = 0; i < nr_reserved; i++)
        printk(LOG_INFO, "  reserved %016lx-%016lx %s", reserved[i].base,
               reserved[i].end, reserved[i].what);
}

uint64_t boot_alloc_for_each_free(void (*fn)(uint64_t pfn, uint64_t nr))
{
    uint64_t total = 0;

    closed = true;
    for (unsigned int i = 0; i < ram_map->n; i++) {
        const struct memmap_entry *e = &ram_map->e[i];
        if (e->type != MEMMAP_RAM)
            continue;
        uint64_t cur = (e->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        uint64_t end = (e->base + e->len) & ~(PAGE_SIZE - 1);

        while (cur < end) {
            const struct reservation *r = first_overlap(cur, end);
            uint64_t stop = r ? (r->base > cur ? r->base : cur) : end;

            if (stop > cur) {
                fn(cur >> PAGE_SHIFT, (stop - cur) >> PAGE_SHIFT);
                total += (stop - cur) >> PAGE_SHIFT;
            }
            if (!r)
                break;
            /* Skip every reservation that covers the current point. */
            cur = r->end > stop ? r->end : stop;
        }
    }
    return total;
}
