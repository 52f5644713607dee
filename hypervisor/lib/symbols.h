/*
 * Names of the hypervisor's functions, from a table that the build embeds
 * with a second link pass (see gen-symbols.sh), for readable backtraces.
 */
#ifndef SUBFLOOR_SYMBOLS_H
#define SUBFLOOR_SYMBOLS_H

#include <stdint.h>

/* The function containing addr and the offset into it, or NULL. */
const char *symbols_lookup(uintptr_t addr, uintptr_t *offset);

#endif
