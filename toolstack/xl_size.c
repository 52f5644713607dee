/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory sizes on xl's command line: a decimal number with an optional
 * unit letter (b, k, m, g, t in either case; none means MiB), in KiB.
 * Xen's xl takes what strtoll takes, so a sign and leading blanks pass
 * here and "-5" or "" reach the checks of the command (below the minimum,
 * above the maximum), which print their own messages.  Anything after
 * the one unit letter makes the size invalid.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

int64_t xl_parse_mem_size_kb(const char *text)
{
    char *end;
    int64_t value = strtoll(text, &end, 10);
    if (strlen(end) > 1)
        return -1;
    /* Shifts on the unsigned value: a negative size keeps Xen's bits. */
    uint64_t v = (uint64_t)value;
    switch (tolower((unsigned char)*end)) {
    case 't':
        v <<= 30;
        break;
    case 'g':
        v <<= 20;
        break;
    case 'm':
    case '\0':
        v <<= 10;
        break;
    case 'k':
        break;
    case 'b':
        /* Bytes round down to KiB; an arithmetic shift, as for a
         * negative count of bytes in Xen. */
        return value >> 10;
    default:
        return -1;
    }
    return (int64_t)v;
}
