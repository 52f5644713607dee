/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU lists of `xl vcpu-pin` (Xen's syntax, xl_cpulist.c), with Xen
 * xl's messages; and the vCPU availability keys `xl vcpu-set` writes.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_cpulist.h"

struct pin_map {
    uint8_t *map;
    size_t bytes;
};

/* CPUs past the map are dropped without a word, as libxl's bitmaps do. */
static bool apply(void *ctx, unsigned long first, unsigned long last, bool on)
{
    struct pin_map *m = ctx;
    unsigned long top = m->bytes * 8 - 1;

    for (unsigned long cpu = first; cpu <= last && cpu <= top; cpu++) {
        if (on)
            m->map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
        else
            m->map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
    }
    return true;
}

int xl_parse_cpurange(const char *text, uint8_t *map, size_t bytes)
{
    struct pin_map m = { .map = map, .bytes = bytes };
    char *item;

    switch (xl_cpulist_parse(text, apply, &m, &item)) {
    case XL_CPULIST_OK:
        return 0;
    case XL_CPULIST_NUMA:
        fprintf(stderr, "NUMA node lists (\"%s\") are not supported: "
                "Subfloor has no NUMA placement; list the CPUs.\n", item);
        break;
    case XL_CPULIST_NOT_ALL:
        fprintf(stderr, "Can't combine \"^\" and \"all\".\n");
        break;
    default:
        fprintf(stderr, "Invalid pcpu range: %s.\n", item + (item[0] == '^'));
        break;
    }
    free(item);
    return -1;
}

int xl_write_vcpu_availability(uint32_t domid, unsigned online,
                               uint32_t max_vcpu_id)
{
    for (uint32_t v = 0; v <= max_vcpu_id; v++) {
        char path[80];
        snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability",
                 domid, v);
        if (!xl.ops->xs_write(xl.priv, path, v < online ? "online" : "offline"))
            return -1;
    }
    return 0;
}
