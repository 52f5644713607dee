/*
 * dom0_mem=: how much memory dom0 gets, in Xen's syntax
 *   dom0_mem=[min:<size>,][max:<size>,][<size>]
 * where <size> is a number with an optional B/K/M/G/T suffix (KiB when
 * there is none, as Xen reads it) and a plain size may be negative,
 * meaning "all but this much".  Without a plain size dom0 gets all free
 * memory but a reserve for the hypervisor: 1/16 of it, at most 128 MiB.
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_DOM0_MEM_H
#define SUBFLOOR_DOM0_MEM_H

#include <stdbool.h>
#include <stdint.h>

struct dom0_mem_spec {
    bool have_amount;
    bool amount_negative;       /* "-<size>": all but size */
    uint64_t amount;            /* bytes */
    bool have_min, have_max;
    uint64_t min, max;          /* bytes */
};

/* Parse the option's value.  0, or -1 with *why naming the bad part.
 * An empty or NULL value gives the default (no field set). */
int dom0_mem_parse(const char *value, struct dom0_mem_spec *out, const char **why);

/* Pages for dom0 out of avail_pages free pages. */
uint64_t dom0_mem_pages(const struct dom0_mem_spec *spec, uint64_t avail_pages);

#endif
