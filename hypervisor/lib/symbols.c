/* Lookup in the embedded symbol table (sorted by address). */
#include <stddef.h>
#include "lib/symbols.h"

extern const uint64_t symbols_count;
extern const uint64_t symbols_addresses[];
extern const uint32_t symbols_name_offsets[];
extern const char symbols_names[];
extern const unsigned char __image_start[], __text_end[];

const char *symbols_lookup(uintptr_t addr, uintptr_t *offset)
{
    uint64_t lo = 0, hi = symbols_count;

    if (addr < (uintptr_t)__image_start || addr >= (uintptr_t)__text_end ||
        symbols_count == 0 || addr < symbols_addresses[0])
        return NULL;
    /* Find the last entry whose address is <= addr. */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;

        if (symbols_addresses[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - symbols_addresses[lo];
    return &symbols_names[symbols_name_offsets[lo]];
}
