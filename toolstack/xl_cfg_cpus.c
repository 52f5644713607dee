/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpus= (xl.cfg(5)) in Xen's cpu-list syntax (xl_cpulist.c): a CPU past
 * the map is an error here, with the file and line the caller adds.
 */
#include <stdlib.h>
#include <string.h>

#include "xl_cfg.h"
#include "xl_cpulist.h"

struct cfg_map {
    struct xl_cpumap *map;
    unsigned long beyond;           /* the CPU a refused item named */
};

static bool apply(void *ctx, unsigned long first, unsigned long last, bool on)
{
    struct cfg_map *m = ctx;

    if (last == XL_CPULIST_ALL)
        last = XL_CFG_MAX_CPUS - 1;
    else if (last >= XL_CFG_MAX_CPUS) {
        m->beyond = last;
        return false;
    }
    for (unsigned long c = first; c <= last; c++) {
        if (on)
            m->map->bits[c / 64] |= 1ull << (c % 64);
        else
            m->map->bits[c / 64] &= ~(1ull << (c % 64));
    }
    return true;
}

int xl_cpumap_parse(const char *text, struct xl_cpumap *map, char **err)
{
    struct cfg_map m = { .map = map };
    char *item;

    memset(map, 0, sizeof(*map));
    enum xl_cpulist_error rc = xl_cpulist_parse(text, apply, &m, &item);
    switch (rc) {
    case XL_CPULIST_OK:
        return 0;
    case XL_CPULIST_NUMA:
        *err = xl_cfg_printf("'%s': NUMA node items are not supported "
                             "(list the cpus instead)", item);
        break;
    case XL_CPULIST_NOT_ALL:
        *err = xl_cfg_printf("'%s': \"^\" and \"all\" cannot be combined", item);
        break;
    case XL_CPULIST_REFUSED:
        *err = xl_cfg_printf("'%s': cpu %lu is beyond the %u cpus a map holds", item,
                             m.beyond, XL_CFG_MAX_CPUS);
        break;
    default:
        *err = xl_cfg_printf("invalid cpu range '%s' (expected N, N-M with "
                             "M >= N, or all, each optionally after ^)", item);
        break;
    }
    free(item);
    memset(map, 0, sizeof(*map));
    return -1;
}

void xl_cpumap_format(const struct xl_cpumap *map, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    unsigned c = 0;
    bool all = true;
    for (unsigned i = 0; i < XL_CFG_MAX_CPUS / 64; i++)
        all = all && map->bits[i] == ~0ull;
    if (all) {
        snprintf(out, len, "all");
        return;
    }
    while (c < XL_CFG_MAX_CPUS) {
        if (!xl_cpumap_test(map, c)) {
            c++;
            continue;
        }
        unsigned e = c;
        while (e + 1 < XL_CFG_MAX_CPUS && xl_cpumap_test(map, e + 1))
            e++;
        int w = e == c ? snprintf(out + n, len - n, "%s%u", n ? "," : "", c)
                       : snprintf(out + n, len - n, "%s%u-%u", n ? "," : "",
                                  c, e);
        if (w < 0 || (size_t)w >= len - n)
            return;     /* cut: the caller's buffer is too small */
        n += (size_t)w;
        c = e + 1;
    }
}
