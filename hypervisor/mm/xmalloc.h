/* The hypervisor heap (H2's heap over machine pages). */
#ifndef SUBFLOOR_XMALLOC_H
#define SUBFLOOR_XMALLOC_H

#include <stddef.h>

void xmalloc_init(void);
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);

/* Allocate, check and free a few objects; logs the result.  0 or -1. */
int xmalloc_selfcheck(void);

/* The heap's counters (the 'm' debug key). */
struct heap_stats;
void xmalloc_stats(struct heap_stats *out);

#endif
