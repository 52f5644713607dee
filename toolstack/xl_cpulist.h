/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen's cpu-list syntax, shared by xl.cfg's cpus= and `xl vcpu-pin`:
 * comma-separated items, each "all", a CPU "N" or a range "N-M", and
 * "^" before a CPU or range takes it out again; items apply left to
 * right, so "0-3,^2" is 0, 1 and 3; empty items vanish, as with Xen's
 * strtok.  Xen's "node:"/"nodes:" items need a NUMA view of the CPUs
 * that Subfloor does not keep, so they are refused by name.  The
 * callers word the refusals (xl.cfg's file:line messages, vcpu-pin's
 * Xen texts) and decide what a CPU past their map means.
 */
#ifndef XL_CPULIST_H
#define XL_CPULIST_H

#include <stdbool.h>

enum xl_cpulist_error {
    XL_CPULIST_OK,
    XL_CPULIST_NUMA,        /* a node:/nodes: item */
    XL_CPULIST_NOT_ALL,     /* "^all" */
    XL_CPULIST_BAD_RANGE,   /* not N, N-M with M >= N, or all */
    XL_CPULIST_REFUSED,     /* the caller's apply refused it */
};

/* What an item asks: CPUs first..last on or off.  "all" is 0 ..
 * XL_CPULIST_ALL; a number above XL_CPULIST_CPU_CAP is a bad range, a
 * smaller one may still reach past the caller's map.  false refuses the
 * item. */
typedef bool xl_cpulist_apply_fn(void *ctx, unsigned long first, unsigned long last, bool on);
#define XL_CPULIST_CPU_CAP 1000000ul
#define XL_CPULIST_ALL ((unsigned long)-1)

/* XL_CPULIST_OK, or the error with *bad_item set to a malloc'd copy of
 * the item (the caller frees it); items before it were applied. */
enum xl_cpulist_error xl_cpulist_parse(const char *text, xl_cpulist_apply_fn *apply,
                                       void *ctx, char **bad_item);

#endif
