/* What each domain uses, for its quotas, by domain id.
 *
 * A domain id can be anything up to 0x7fef, and a daemon sees a handful
 * of them: the table keeps pages of XSD_USAGE_PAGE ids, made when an id
 * in the page is first counted, rather than one array for every id
 * (which made starting a daemon cost a megabyte of zeroed memory). */
#ifndef XSD_USAGE_H
#define XSD_USAGE_H

#include <stddef.h>

#include "xsd_util.h"

struct xsd_usage {
    unsigned nodes;          /* nodes it owns */
    size_t node_bytes;       /* their memory (xsd_mem.h) */
    size_t held;             /* memory of its transactions and watches */
};

#define XSD_USAGE_PAGE 256

struct xsd_usage_table {
    struct xsd_usage *pages[(XSD_DOMID_MAX + XSD_USAGE_PAGE) / XSD_USAGE_PAGE];
};

void xsd_usage_init(struct xsd_usage_table *t);
void xsd_usage_free(struct xsd_usage_table *t);
/* A domain's usage; all zero for one never counted or past
 * XSD_DOMID_MAX. */
const struct xsd_usage *xsd_usage_get(const struct xsd_usage_table *t,
                                      unsigned domid);
/* The record to count in, made if need be: NULL when out of memory or
 * past XSD_DOMID_MAX.  Callers make it before a change that must then
 * be counted without failing. */
struct xsd_usage *xsd_usage_at(struct xsd_usage_table *t, unsigned domid);

#endif
