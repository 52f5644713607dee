/*
 * The machine memory map (see memmap.h).
 */
#include "arch/x86/memmap.h"

/* Bytes of one multiboot entry after its size field: base, len, type. */
#define MB_ENTRY_BODY 20u

static uint32_t read_u32(const unsigned char *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t read_u64(const unsigned char *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

int memmap_parse_multiboot(struct memmap *m, const void *buf, size_t len,
                           const char **why)
{
    const unsigned char *p = buf;
    size_t off = 0;

    m->n = 0;
    while (off < len) {
        if (len - off < 4) {
            *why = "memory map: truncated entry (no room for its size field)";
            return -1;
        }
        uint32_t size = read_u32(p + off);
        if (size < MB_ENTRY_BODY) {
            *why = "memory map: entry size too small to hold base, length and type";
            return -1;
        }
        if (size > len - off - 4) {
            *why = "memory map: entry runs past the end of the buffer";
            return -1;
        }
        uint64_t base = read_u64(p + off + 4);
        uint64_t length = read_u64(p + off + 12);
        uint32_t type = read_u32(p + off + 20);
        off += (size_t)size + 4;

        if (length == 0)
            continue;
        if (length > UINT64_MAX - base) {
            *why = "memory map: entry wraps past the top of the address space";
            return -1;
        }
        if (m->n == MEMMAP_MAX) {
            *why = "memory map: too many entries";
            return -1;
        }
        m->e[m->n].base = base;
        m->e[m->n].len = length;
        m->e[m->n].type = type;
        m->n++;
    }
    return 0;
}

/* On overlap RAM loses to everything; otherwise the higher type wins, so
 * unusable beats reserved and both beat the ACPI types. */
static uint32_t winning_type(uint32_t a, uint32_t b)
{
    if (a == MEMMAP_RAM)
        return b;
    if (b == MEMMAP_RAM)
        return a;
    return a > b ? a : b;
}

/*
 * The result is built beside the input; boot runs this once on one CPU,
 * and a 3 KiB frame would take a large bite of the boot stack.
 */
static struct memmap_entry sanitized[MEMMAP_MAX];

/* The lowest range edge (start or end) above `after`; false when none. */
static int next_edge(const struct memmap *m, uint64_t after, uint64_t *edge)
{
    int found = 0;

    for (unsigned int i = 0; i < m->n; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->len == 0)
            continue;
        uint64_t edges[2] = { e->base, e->base + e->len };
        for (int k = 0; k < 2; k++)
            if (edges[k] > after && (!found || edges[k] < *edge)) {
                *edge = edges[k];
                found = 1;
            }
    }
    return found;
}

/* The type of the memory at addr, or 0 when no entry covers it. */
static uint32_t type_at(const struct memmap *m, uint64_t addr)
{
    uint32_t type = 0;

    for (unsigned int i = 0; i < m->n; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->len != 0 && e->base <= addr && addr < e->base + e->len)
            type = type ? winning_type(type, e->type) : e->type;
    }
    return type;
}

/*
 * Walk the address space from edge to edge: between two consecutive edges
 * every entry either covers the whole piece or none of it, so one lookup
 * per piece decides its type.  Quadratic, but n is at most MEMMAP_MAX.
 */
int memmap_sanitize(struct memmap *m, const char **why)
{
    unsigned int out = 0;
    uint64_t cur = UINT64_MAX, next = 0;
    int any = 0;

    if (m->n > MEMMAP_MAX) {
        *why = "memory map: more entries than the map can hold";
        return -1;
    }
    for (unsigned int i = 0; i < m->n; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->len > UINT64_MAX - e->base) {
            *why = "memory map: entry wraps past the top of the address space";
            return -1;
        }
        if (e->len != 0 && e->base <= cur) {
            cur = e->base;
            any = 1;
        }
    }

    while (any && next_edge(m, cur, &next)) {
        uint32_t type = type_at(m, cur);
        if (type != 0) {
            struct memmap_entry *last = out ? &sanitized[out - 1] : NULL;
            if (last && last->type == type && last->base + last->len == cur) {
                last->len += next - cur;
            } else if (out == MEMMAP_MAX) {
                *why = "memory map: too many entries after resolving overlaps";
                return -1;
            } else {
                sanitized[out].base = cur;
                sanitized[out].len = next - cur;
                sanitized[out].type = type;
                out++;
            }
        }
        cur = next;
    }

    for (unsigned int i = 0; i < out; i++)
        m->e[i] = sanitized[i];
    m->n = out;
    return 0;
}

void memmap_clip(struct memmap *m, uint64_t limit)
{
    unsigned int out = 0;

    if (limit == 0)
        return;
    for (unsigned int i = 0; i < m->n; i++) {
        struct memmap_entry e = m->e[i];
        if (e.type == MEMMAP_RAM) {
            if (e.base >= limit)
                continue;
            if (e.len > limit - e.base)
                e.len = limit - e.base;
        }
        m->e[out++] = e;
    }
    m->n = out;
}

uint64_t memmap_ram_bytes(const struct memmap *m)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < m->n; i++)
        if (m->e[i].type == MEMMAP_RAM)
            total += m->e[i].len;
    return total;
}

uint64_t memmap_ram_end(const struct memmap *m)
{
    uint64_t end = 0;

    for (unsigned int i = 0; i < m->n; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->type == MEMMAP_RAM && e->len != 0 && e->base + e->len > end)
            end = e->base + e->len;
    }
    return end;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEMMAP_RAM:      return "RAM";
    case MEMMAP_RESERVED: return "reserved";
    case MEMMAP_ACPI:     return "ACPI data";
    case MEMMAP_NVS:      return "ACPI NVS";
    case MEMMAP_UNUSABLE: return "unusable";
    default:              return "unknown";
    }
}
