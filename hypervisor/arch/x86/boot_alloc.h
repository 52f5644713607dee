/*
 * Boot-time memory bookkeeping, before the buddy allocator exists: the
 * ranges that must never be handed out (below 1 MiB, the image, multiboot
 * data, modules) and a simple allocator for the frames boot needs (page
 * tables, the frame table).  Everything else is given to the buddy
 * allocator by boot_alloc_for_each_free(), after which boot allocation
 * is closed.
 */
#ifndef SUBFLOOR_BOOT_ALLOC_H
#define SUBFLOOR_BOOT_ALLOC_H

#include <stdint.h>
#include "arch/x86/memmap.h"

#define BOOT_RESERVED_MAX 64

void boot_alloc_init(const struct memmap *map);

/* Keep [base, end) out of the allocators; what says why (for the log). */
void boot_reserve(uint64_t base, uint64_t end, const char *what);

/* nr contiguous frames of RAM ending at or below `limit`, aligned to
 * `align` bytes (a power of two >= 4096).  Returns the physical address,
 * or 0 if no free range fits. */
uint64_t boot_alloc_frames(uint64_t nr, uint64_t align, uint64_t limit);

/* Print the reservations. */
void boot_reserved_print(void);

/* Call fn for every maximal free RAM frame range; closes boot allocation.
 * Returns the number of frames reported. */
uint64_t boot_alloc_for_each_free(void (*fn)(uint64_t pfn, uint64_t nr));

#endif
