/*
 * The hypervisor heap (see heap.h).
 *
 * Layout.  A slab is a page block holding one size class: a slab header,
 * then equal chunks of (object header + object).  A large allocation is a
 * page block whose first 16 bytes are its object header.  The object
 * header records where its slab starts, so freeing needs no lookup
 * structure, and a magic number that mixes in the heap's address, so a
 * pointer from another heap, or into the middle of an object, is refused.
 */
#include "mm/heap.h"

#define OBJ_LIVE_MAGIC  0x4c495645u
#define OBJ_FREE_MAGIC  0x46524545u
#define SLAB_MAGIC      0x534c4142u
#define OBJ_DEAD_MAGIC  0xdeadb10cu

enum obj_kind { OBJ_SMALL = 1, OBJ_LARGE = 2 };

struct obj_header {
    uint32_t magic;
    uint8_t kind;
    uint8_t class_or_order;   /* size class, or page order of a large block */
    uint16_t unused;
    uint32_t slab_offset;     /* bytes from the slab start to this header */
    uint32_t size;            /* what the caller asked for */
};
_Static_assert(sizeof(struct obj_header) == HEAP_ALIGN,
               "the object header keeps objects 16-byte aligned");

struct heap_slab {
    uint32_t magic;
    uint16_t class;
    uint16_t nr_free;
    uint16_t nr_objs;
    struct heap *heap;
    struct heap_slab *next, *prev;
    struct obj_header *free_list; /* free objects link through their body */
};

#define SLAB_HEADER_SIZE \
    ((sizeof(struct heap_slab) + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1))

/* Bigger classes take bigger slabs so that a slab holds at least 7
 * objects and the slab header's share of the memory stays small. */
static const uint8_t slab_order[HEAP_NR_CLASSES] = { 0, 0, 0, 0, 0, 1, 2, 3 };

static size_t class_size(unsigned int class)
{
    return (size_t)16 << class;
}

static size_t chunk_size(unsigned int class)
{
    return sizeof(struct obj_header) + class_size(class);
}

static size_t slab_bytes(unsigned int class)
{
    return (size_t)HEAP_PAGE_SIZE << slab_order[class];
}

/* Heap-specific magic: a header copied from another heap does not pass. */
static uint32_t magic_for(const struct heap *h, uint32_t base)
{
    uintptr_t a = (uintptr_t)h;
    return base ^ (uint32_t)(a >> 4) ^ (uint32_t)(a >> 36);
}

static void **obj_link(struct obj_header *o)
{
    return (void **)(o + 1);
}

void heap_init(struct heap *h, const struct heap_ops *ops)
{
    h->ops = *ops;
    for (unsigned int c = 0; c < HEAP_NR_CLASSES; c++)
        h->partial[c] = NULL;
    h->allocs_in_use = 0;
    h->bytes_in_use = 0;
    h->pages_in_use = 0;
    h->failed_allocs = 0;
    h->bad_frees = 0;
}

static void partial_push(struct heap *h, struct heap_slab *s)
{
    s->prev = NULL;
    s->next = h->partial[s->class];
    if (s->next)
        s->next->prev = s;
    h->partial[s->class] = s;
}

static void partial_remove(struct heap *h, struct heap_slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        h->partial[s->class] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static struct heap_slab *slab_create(struct heap *h, unsigned int class)
{
    struct heap_slab *s = h->ops.page_alloc(h->ops.ctx, slab_order[class]);
    if (!s)
        return NULL;
    h->pages_in_use += 1u << slab_order[class];

    size_t chunk = chunk_size(class);
    size_t nr = (slab_bytes(class) - SLAB_HEADER_SIZE) / chunk;
    s->magic = SLAB_MAGIC;
    s->class = (uint16_t)class;
    s->nr_objs = (uint16_t)nr;
    s->nr_free = (uint16_t)nr;
    s->heap = h;
    s->free_list = NULL;
    /* Thread the free list from the top so objects go out in address order. */
    for (size_t i = nr; i-- > 0;) {
        size_t off = SLAB_HEADER_SIZE + i * chunk;
        struct obj_header *o = (struct obj_header *)((char *)s + off);
        o->magic = magic_for(h, OBJ_FREE_MAGIC);
        o->kind = OBJ_SMALL;
        o->class_or_order = (uint8_t)class;
        o->unused = 0;
        o->slab_offset = (uint32_t)off;
        o->size = 0;
        *obj_link(o) = s->free_list;
        s->free_list = o;
    }
    partial_push(h, s);
    return s;
}

static struct obj_header *alloc_small(struct heap *h, size_t size)
{
    unsigned int class = 0;
    while (class_size(class) < size)
        class++;

    struct heap_slab *s = h->partial[class];
    if (!s && !(s = slab_create(h, class)))
        return NULL;
    struct obj_header *o = s->free_list;
    s->free_list = *obj_link(o);
    if (--s->nr_free == 0)
        partial_remove(h, s);
    return o;
}

static struct obj_header *alloc_large(struct heap *h, size_t size)
{
    unsigned int order = 0;
    while (((size_t)HEAP_PAGE_SIZE << order) - sizeof(struct obj_header) < size)
        order++;
    struct obj_header *o = h->ops.page_alloc(h->ops.ctx, order);
    if (!o)
        return NULL;
    h->pages_in_use += 1ull << order;
    o->kind = OBJ_LARGE;
    o->class_or_order = (uint8_t)order;
    o->unused = 0;
    o->slab_offset = 0;
    return o;
}

void *heap_alloc(struct heap *h, size_t size)
{
    const size_t largest = ((size_t)HEAP_PAGE_SIZE << HEAP_MAX_ORDER) -
                           sizeof(struct obj_header);
    struct obj_header *o = NULL;

    if (size == 0)
        return NULL;
    if (size <= HEAP_MAX_SMALL)
        o = alloc_small(h, size);
    else if (size <= largest)
        o = alloc_large(h, size);
    if (!o) {
        h->failed_allocs++;
        return NULL;
    }
    o->magic = magic_for(h, OBJ_LIVE_MAGIC);
    o->size = (uint32_t)size;
    h->allocs_in_use++;
    h->bytes_in_use += size;
    return o + 1;
}

void *heap_zalloc(struct heap *h, size_t size)
{
    void *p = heap_alloc(h, size);
    if (p)
        __builtin_memset(p, 0, size);
    return p;
}

/*
 * Decide whether p is an object this heap handed out.  Returns its header
 * (live or already freed), or NULL.  The header is read before anything
 * it points to, so a wild pointer is only followed once its magic matched.
 */
static struct obj_header *find_header(const struct heap *h, const void *p,
                                      struct heap_slab **slab_out)
{
    if (!p || ((uintptr_t)p & (HEAP_ALIGN - 1)))
        return NULL;
    struct obj_header *o = (struct obj_header *)p - 1;
    if (o->magic != magic_for(h, OBJ_LIVE_MAGIC) &&
        o->magic != magic_for(h, OBJ_FREE_MAGIC))
        return NULL;

    if (o->kind == OBJ_LARGE) {
        if (o->slab_offset != 0 || o->class_or_order > HEAP_MAX_ORDER ||
            ((uintptr_t)o & (HEAP_PAGE_SIZE - 1)))
            return NULL;
        *slab_out = NULL;
        return o;
    }
    if (o->kind != OBJ_SMALL || o->class_or_order >= HEAP_NR_CLASSES)
        return NULL;
    unsigned int class = o->class_or_order;
    uint32_t off = o->slab_offset;
    if (off < SLAB_HEADER_SIZE || off >= slab_bytes(class) ||
        (off - SLAB_HEADER_SIZE) % chunk_size(class) != 0)
        return NULL;
    struct heap_slab *s = (struct heap_slab *)((char *)o - off);
    if (((uintptr_t)s & (HEAP_PAGE_SIZE - 1)) || s->magic != SLAB_MAGIC ||
        s->heap != h || s->class != class)
        return NULL;
    *slab_out = s;
    return o;
}

static void free_small(struct heap *h, struct heap_slab *s, struct obj_header *o)
{
    o->magic = magic_for(h, OBJ_FREE_MAGIC);
    *obj_link(o) = s->free_list;
    s->free_list = o;
    if (s->nr_free++ == 0)
        partial_push(h, s);
    if (s->nr_free == s->nr_objs) {
        unsigned int order = slab_order[s->class];
        partial_remove(h, s);
        s->magic = OBJ_DEAD_MAGIC;
        h->ops.page_free(h->ops.ctx, s, order);
        h->pages_in_use -= 1u << order;
    }
}

enum heap_free_result heap_free(struct heap *h, void *p)
{
    struct heap_slab *s = NULL;

    if (!p)
        return HEAP_FREE_OK;
    struct obj_header *o = find_header(h, p, &s);
    if (!o) {
        h->bad_frees++;
        return HEAP_FREE_NOT_OURS;
    }
    if (o->magic != magic_for(h, OBJ_LIVE_MAGIC)) {
        h->bad_frees++;
        return HEAP_FREE_DOUBLE;
    }
    h->allocs_in_use--;
    h->bytes_in_use -= o->size;
    if (o->kind == OBJ_LARGE) {
        unsigned int order = o->class_or_order;
        /* A second free of this block is then seen as one, as long as
         * the pages were not handed out again meanwhile. */
        o->magic = magic_for(h, OBJ_FREE_MAGIC);
        h->ops.page_free(h->ops.ctx, o, order);
        h->pages_in_use -= 1ull << order;
    } else {
        free_small(h, s, o);
    }
    return HEAP_FREE_OK;
}

size_t heap_usable_size(const struct heap *h, const void *p)
{
    struct heap_slab *s = NULL;
    const struct obj_header *o = find_header(h, p, &s);

    if (!o || o->magic != magic_for(h, OBJ_LIVE_MAGIC))
        return 0;
    if (o->kind == OBJ_LARGE)
        return ((size_t)HEAP_PAGE_SIZE << o->class_or_order) -
               sizeof(struct obj_header);
    return class_size(o->class_or_order);
}

void heap_stats(const struct heap *h, struct heap_stats *out)
{
    out->allocs_in_use = h->allocs_in_use;
    out->bytes_in_use = h->bytes_in_use;
    out->pages_in_use = h->pages_in_use;
    out->failed_allocs = h->failed_allocs;
    out->bad_frees = h->bad_frees;
}
