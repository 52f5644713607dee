/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU lists of `xl vcpu-pin`, in Xen xl's syntax: items separated by
 * commas, each "all", a CPU "N" or a range "N-M", and "^" before a CPU
 * or range takes it out again; items apply left to right, so "0-3,^2"
 * is 0, 1 and 3.  CPUs past the map are dropped without a word, as
 * libxl's bitmaps do.  Xen also takes "node:"/"nodes:" items (every CPU
 * of those NUMA nodes); Subfloor keeps no NUMA view of its CPUs, so they
 * are refused by name rather than guessed.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

/* "N" or "N-M" with N <= M and nothing after; false otherwise. */
static bool parse_range(const char *s, unsigned long *a, unsigned long *b)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;               /* strtoul would take "-1" and " 1" */
    *a = *b = strtoul(s, &end, 10);
    if (*a == ULONG_MAX)
        return false;
    if (*end == '-') {
        const char *second = end + 1;
        if (*second < '0' || *second > '9')
            return false;
        *b = strtoul(second, &end, 10);
        if (*b == ULONG_MAX || *b < *a)
            return false;
    }
    return *end == '\0';
}

static int apply_item(const char *item, uint8_t *map, size_t bytes)
{
    bool remove = item[0] == '^';
    const char *s = item + (remove ? 1 : 0);
    if (!strncmp(s, "node:", 5) || !strncmp(s, "nodes:", 6)) {
        fprintf(stderr, "NUMA node lists (\"%s\") are not supported: "
                "Subfloor has no NUMA placement; list the CPUs.\n", item);
        return -1;
    }
    if (!strcmp(s, "all")) {
        if (remove) {
            fprintf(stderr, "Can't combine \"^\" and \"all\".\n");
            return -1;
        }
        memset(map, 0xff, bytes);
        return 0;
    }
    unsigned long a, b;
    if (!parse_range(s, &a, &b)) {
        fprintf(stderr, "Invalid pcpu range: %s.\n", s);
        return -1;
    }
    unsigned long last = bytes * 8 - 1;
    for (unsigned long cpu = a; cpu <= b && cpu <= last; cpu++) {
        if (remove)
            map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
        else
            map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
    }
    return 0;
}

int xl_parse_cpurange(const char *text, uint8_t *map, size_t bytes)
{
    char *copy = strdup(text);
    if (!copy) {
        fprintf(stderr, "out of memory\n");
        return -1;
    }
    int rc = 0;
    char *save = NULL;
    /* Empty items vanish, as with Xen's strtok. */
    for (char *item = strtok_r(copy, ",", &save); item && !rc;
         item = strtok_r(NULL, ",", &save))
        rc = apply_item(item, map, bytes);
    free(copy);
    return rc;
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
