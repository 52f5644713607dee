/* SPDX-License-Identifier: GPL-2.0-only */
/* Xen's cpu-list syntax; see xl_cpulist.h. */
#include <stdlib.h>
#include <string.h>

#include "xl_cpulist.h"

/* Decimal digits only: strtoul would also take a sign or blanks, which
 * nobody means in a CPU number.  One past XL_CPULIST_CPU_CAP is refused
 * like Xen's overflow of strtoul. */
static bool parse_cpu(const char **p, unsigned long *cpu)
{
    const char *s = *p;
    unsigned long v = 0;

    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned long)(*s++ - '0');
        if (v > XL_CPULIST_CPU_CAP)
            return false;
    }
    *p = s;
    *cpu = v;
    return true;
}

static enum xl_cpulist_error parse_item(const char *item, xl_cpulist_apply_fn *apply,
                                        void *ctx)
{
    const char *s = item;
    bool off = *s == '^';

    if (off)
        s++;
    if (!strncmp(s, "node:", 5) || !strncmp(s, "nodes:", 6))
        return XL_CPULIST_NUMA;
    if (!strcmp(s, "all")) {
        if (off)
            return XL_CPULIST_NOT_ALL;
        return apply(ctx, 0, XL_CPULIST_ALL, true) ? XL_CPULIST_OK : XL_CPULIST_REFUSED;
    }
    unsigned long a, b;
    if (!parse_cpu(&s, &a))
        return XL_CPULIST_BAD_RANGE;
    b = a;
    if (*s == '-') {
        s++;
        if (!parse_cpu(&s, &b) || b < a)
            return XL_CPULIST_BAD_RANGE;
    }
    if (*s)
        return XL_CPULIST_BAD_RANGE;
    return apply(ctx, a, b, !off) ? XL_CPULIST_OK : XL_CPULIST_REFUSED;
}

enum xl_cpulist_error xl_cpulist_parse(const char *text, xl_cpulist_apply_fn *apply,
                                       void *ctx, char **bad_item)
{
    char *copy = strdup(text);
    if (!copy)
        abort();
    enum xl_cpulist_error rc = XL_CPULIST_OK;
    char *save = NULL;
    *bad_item = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && rc == XL_CPULIST_OK;
         item = strtok_r(NULL, ",", &save)) {
        rc = parse_item(item, apply, ctx);
        if (rc != XL_CPULIST_OK) {
            *bad_item = strdup(item);
            if (!*bad_item)
                abort();
        }
    }
    free(copy);
    return rc;
}
