/*
 * The machine memory map: parsed from the multiboot (v1) map, made sorted
 * and non-overlapping, optionally clipped to a memory limit.
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_MEMMAP_H
#define SUBFLOOR_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

/* E820 / multiboot types. */
#define MEMMAP_RAM       1
#define MEMMAP_RESERVED  2
#define MEMMAP_ACPI      3
#define MEMMAP_NVS       4
#define MEMMAP_UNUSABLE  5

#define MEMMAP_MAX 128

struct memmap_entry {
    uint64_t base;
    uint64_t len;
    uint32_t type;
};

struct memmap {
    struct memmap_entry e[MEMMAP_MAX];
    unsigned int n;
};

/*
 * Parse a multiboot v1 memory map (entries of {u32 size; u64 base;
 * u64 len; u32 type}, `size` not counting itself).  Entries of length 0
 * are dropped.  Returns 0, or -1 with *why set to a static message when
 * the buffer is malformed (an entry running past the end, a size too
 * small to hold base/len/type, too many entries, ranges that wrap).
 */
int memmap_parse_multiboot(struct memmap *m, const void *buf, size_t len,
                           const char **why);

/*
 * Sort by base, merge touching ranges of the same type, and resolve
 * overlaps: where RAM overlaps anything else, the other type wins (RAM is
 * only what every source agrees is RAM).  Returns 0 or -1 (*why) if the
 * result would need more than MEMMAP_MAX entries.
 */
int memmap_sanitize(struct memmap *m, const char **why);

/* Drop RAM above `limit` bytes of address (the mem= option); entries of
 * other types are kept.  0 means no limit. */
void memmap_clip(struct memmap *m, uint64_t limit);

/* Bytes of RAM in the map, and the end address of the highest RAM range. */
uint64_t memmap_ram_bytes(const struct memmap *m);
uint64_t memmap_ram_end(const struct memmap *m);

const char *memmap_type_name(uint32_t type);

#endif
