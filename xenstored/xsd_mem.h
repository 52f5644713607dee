/* The memory quota: what each domain makes the daemon hold.
 *
 * As in Xen 4.17, a domain is charged for the nodes it owns (whoever
 * wrote them), for its open transactions (their copies of changed
 * nodes, the nodes they looked at and their pending watch events,
 * whatever the owner of those nodes) and for its watches.  Unlike Xen,
 * which lets the usage go over the quota and then stops reading the
 * domain's ring, a request that would take an unprivileged domain past
 * its quota fails and changes nothing: a change of nodes with ENOSPC (as
 * for the other node quotas), a WATCH with E2BIG (as for the watch
 * quota), a read in a transaction with ENOSPC (as for the transaction's
 * access limit).  A request that does not add to the usage is never
 * refused, so a domain over its quota (lowered, or dom0 gave it nodes)
 * can always remove nodes, end transactions and drop watches.  Dom0 is
 * never refused.
 *
 * The counts are the sizes the daemon allocates, with a fixed overhead
 * per allocation and per hash-map entry: close to the real use, and the
 * same whatever the allocator does, so that a quota means the same on
 * every machine.  Replies and events waiting to be sent are bounded per
 * connection by the transports instead (512 KiB on a socket, the
 * outstanding quota on a ring). */
#ifndef XSD_MEM_H
#define XSD_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "xsd_map.h"

struct xsd_daemon;
struct xsd_identity;
struct xsd_node;
struct xsd_perms;
struct xsd_txn;

/* Bookkeeping malloc keeps with each allocation. */
#define XSD_MEM_ALLOC 16
/* A hash-map entry: its slot, and its share of the free slots (a map is
 * at most seven eighths full). */
#define XSD_MEM_SLOT (sizeof(struct xsd_map_slot) * 8 / 7)

/* A string of len characters in an allocation of its own. */
static inline size_t xsd_mem_string(size_t len)
{
    return len + 1 + XSD_MEM_ALLOC;
}

/* A node's allocation (not its map entry). */
size_t xsd_mem_node(const struct xsd_node *n);
/* A copy of a permission list. */
size_t xsd_mem_perms(const struct xsd_perms *perms);
/* A watch of path with token. */
size_t xsd_mem_watch(size_t path_len, size_t token_len);

/* What an open transaction holds, entry by entry: a node it changed
 * (value: its copy, or the tombstone of a removal); a node it looked at;
 * a pending watch event.  (The transaction itself is small, and the
 * transactions quota bounds how many there are.) */
size_t xsd_mem_overlay(size_t path_len, const void *value);
size_t xsd_mem_access(size_t path_len);
size_t xsd_mem_event(size_t path_len, const struct xsd_perms *first,
                     const struct xsd_perms *latest);

/* All a domain holds: its nodes and what it holds besides. */
size_t xsd_mem_domain(const struct xsd_daemon *d, unsigned domid);
/* What it holds besides nodes: its transactions and watches. */
size_t xsd_mem_held(const struct xsd_daemon *d, unsigned domid);
/* Makes the domain's count, so that xsd_mem_hold cannot fail: before a
 * transaction starts or a watch is added.  -ENOMEM, or 0. */
int xsd_mem_ready(struct xsd_daemon *d, unsigned domid);
/* Transactions and watches change what a domain holds besides nodes. */
void xsd_mem_hold(struct xsd_daemon *d, unsigned domid, long delta);
/* Whether `who` may hold `more` bytes on top of what it holds: always for
 * a privileged client or with no memory quota. */
bool xsd_mem_fits(const struct xsd_daemon *d, const struct xsd_identity *who,
                  size_t more);

/*
 * Recounts everything from scratch (nodes by owner, every transaction's
 * overlay, access log and events, every watch) and compares with the
 * running counts: 0, or -1 with the first difference in why.  For the
 * fuzzer and the tests: a count that drifts would let a domain past its
 * quota, or refuse it for nothing.
 */
int xsd_mem_audit(const struct xsd_daemon *d, char *why, size_t whylen);

#endif
