/* Transactions (the view requests read and write through is xsd_ctx.h).
 *
 * A transaction keeps its own copies of the nodes it changes (an overlay)
 * and the generation of every committed node it looked at.  Commit fails
 * with EAGAIN when any of those generations moved meanwhile; otherwise
 * the overlay replaces the committed nodes at once and the watch events
 * queued during the transaction fire.
 *
 * Starvation guard: a client whose commits were refused six times in a row
 * gets its next transaction favoured (one at a time).  While it is open,
 * a commit from another connection of the same domain that would change
 * a node the favoured one has looked at or changed is refused with
 * EAGAIN instead (at most XSD_TXN_FAVOUR_REFUSALS times), so the favoured
 * one commits at its next try rather than lose to the others again and
 * again.  EAGAIN is the answer every client must already retry on; other
 * domains are never refused for it, so no guest can slow anyone else. */
#ifndef XSD_TXN_H
#define XSD_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "xsd_daemon.h"
#include "xsd_map.h"

/* The watch event a transaction fires for one node if it commits: one
 * per node however often the node changed (as in Xen), so that writing
 * one node 20,000 times holds no more than writing it once. */
struct xsd_txn_event {
    struct xsd_txn_event *next;  /* in the order the nodes first changed */
    bool recursive;              /* removed at some point: watches set
                                    below it fire too */
    struct xsd_perms perms;      /* the node's when it first changed (the
                                    entries follow the path) */
    struct xsd_perms latest;     /* and at its latest change, when they
                                    differ (else count 0): a watcher who
                                    may read under either hears */
    char path[];
};

/* Commits refused for one favoured transaction before it loses favour. */
#define XSD_TXN_FAVOUR_REFUSALS 8
/* Refused commits in a row that earn a client's next transaction favour. */
#define XSD_TXN_FAVOUR_AFTER 6

struct xsd_txn {
    uint32_t id;
    unsigned domid;              /* its client's domain */
    struct xsd_map overlay;      /* path -> node, or XSD_TXN_TOMBSTONE */
    struct xsd_map accessed;     /* path -> generation seen (0 = absent) */
    int owned_delta;             /* change of nodes owned by the client */
    bool holds_gate;             /* counted in the gate's holders */
    struct xsd_txn_event *events, **events_tail;
    struct xsd_map event_index;  /* path -> its event */
    size_t bytes;                /* what it holds (xsd_mem.h), counted
                                    for its domain */
    struct xsd_txn *next;
};

/* The overlay's value for a node the transaction removed; never
 * dereferenced. */
extern char xsd_txn_tombstone;
#define XSD_TXN_TOMBSTONE ((void *)&xsd_txn_tombstone)
/* Frees an overlay value: a node, or nothing for the tombstone. */
void xsd_txn_free_value(void *v);
void xsd_txn_event_free(struct xsd_txn_event *e);

int xsd_txn_start(struct xsd_client *c, uint32_t *id);
struct xsd_txn *xsd_txn_find(struct xsd_client *c, uint32_t id);
/* Ends the transaction (freeing it): commit or abort.  A commit either
 * applies every change of the transaction or none: it fails with
 * -EAGAIN (conflict), -ENOSPC (the domain would own more nodes than its
 * quota) or -ENOMEM before changing anything, and the transaction is
 * gone either way. */
int xsd_txn_end(struct xsd_client *c, struct xsd_txn *t, bool commit);
void xsd_txn_abort_all(struct xsd_client *c);

#endif
