/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen's cpu-list syntax for cpus= (xl.cfg(5)): comma-separated items,
 * each a cpu "3", a range "0-3" or "all", and an item with '^' in front
 * takes its cpus out again; items apply left to right, so "0-3,^2" is
 * 0, 1 and 3.  Xen's "nodes:" items need the host's NUMA layout, which a
 * configuration read alone does not have; they are refused by name.
 */
#include <stdlib.h>
#include <string.h>

#include "xl_cfg.h"

static void set_range(struct xl_cpumap *m, unsigned a, unsigned b, bool on)
{
    for (unsigned c = a; c <= b; c++) {
        if (on)
            m->bits[c / 64] |= 1ull << (c % 64);
        else
            m->bits[c / 64] &= ~(1ull << (c % 64));
    }
}

/* Decimal digits only: Xen's strtoul would also take a sign or blanks,
 * which nobody means in a cpu number. */
static bool parse_cpu(const char **p, unsigned *cpu)
{
    const char *s = *p;
    unsigned long v = 0;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned long)(*s++ - '0');
        if (v > 1000000)
            v = 1000000;     /* large enough to be refused below */
    }
    *p = s;
    *cpu = (unsigned)v;
    return true;
}

static int parse_item(const char *item, struct xl_cpumap *map, char **err)
{
    const char *s = item;
    bool off = *s == '^';
    if (off)
        s++;
    if (!strncmp(s, "node:", 5) || !strncmp(s, "nodes:", 6)) {
        *err = xl_cfg_printf("'%s': NUMA node items are not supported "
                             "(list the cpus instead)", item);
        return -1;
    }
    if (!strcmp(s, "all")) {
        if (off) {
            *err = xl_cfg_printf("'%s': \"^\" and \"all\" cannot be combined",
                                 item);
            return -1;
        }
        set_range(map, 0, XL_CFG_MAX_CPUS - 1, true);
        return 0;
    }
    unsigned a, b;
    if (!parse_cpu(&s, &a))
        goto bad;
    b = a;
    if (*s == '-') {
        s++;
        if (!parse_cpu(&s, &b) || b < a)
            goto bad;
    }
    if (*s)
        goto bad;
    if (b >= XL_CFG_MAX_CPUS) {
        *err = xl_cfg_printf("'%s': cpu %u is beyond the %u cpus a map holds",
                             item, b, XL_CFG_MAX_CPUS);
        return -1;
    }
    set_range(map, a, b, !off);
    return 0;
bad:
    *err = xl_cfg_printf("invalid cpu range '%s' (expected N, N-M with "
                         "M >= N, or all, each optionally after ^)", item);
    return -1;
}

int xl_cpumap_parse(const char *text, struct xl_cpumap *map, char **err)
{
    memset(map, 0, sizeof(*map));
    char *copy = strdup(text);
    if (!copy)
        abort();
    int rc = 0;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && !rc;
         item = strtok_r(NULL, ",", &save))
        rc = parse_item(item, map, err);
    free(copy);
    if (rc)
        memset(map, 0, sizeof(*map));
    return rc;
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
