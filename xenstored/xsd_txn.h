/* Transactions and the store view handlers work through.
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

struct xsd_txn_event {
    char *path;
    bool recursive;              /* a removal: watches below fire too */
    struct xsd_perms perms;      /* who may see it */
    struct xsd_txn_event *next;
};

/* Commits refused for one favoured transaction before it loses favour. */
#define XSD_TXN_FAVOUR_REFUSALS 8
/* Refused commits in a row that earn a client's next transaction favour. */
#define XSD_TXN_FAVOUR_AFTER 6

struct xsd_txn {
    uint32_t id;
    unsigned domid;              /* its client's domain */
    struct xsd_map overlay;      /* path -> node, or the tombstone */
    struct xsd_map accessed;     /* path -> generation seen (0 = absent) */
    int owned_delta;             /* change of nodes owned by the client */
    bool holds_gate;             /* counted in the gate's holders */
    struct xsd_txn_event *events, **events_tail;
    struct xsd_txn *next;
};

/* Where a request reads and writes: the committed store, or a
 * transaction over it, on behalf of one client. */
struct xsd_ctx {
    struct xsd_daemon *d;
    struct xsd_client *client;
    struct xsd_txn *txn;         /* NULL outside a transaction */
};

int xsd_txn_start(struct xsd_client *c, uint32_t *id);
struct xsd_txn *xsd_txn_find(struct xsd_client *c, uint32_t id);
/* Ends the transaction (freeing it): commit or abort.  Commit may fail
 * with -EAGAIN (conflict), which also aborts. */
int xsd_txn_end(struct xsd_client *c, struct xsd_txn *t, bool commit);
void xsd_txn_abort_all(struct xsd_client *c);

/* Looks a node up; -ENOENT if absent, -ENOSPC when the transaction has
 * touched too many nodes. */
int xsd_ctx_get(struct xsd_ctx *ctx, const char *path,
                const struct xsd_node **out);
/* Stores node (taking it, even on failure). */
int xsd_ctx_put(struct xsd_ctx *ctx, struct xsd_node *node);
int xsd_ctx_delete(struct xsd_ctx *ctx, const char *path);
/* Nodes the domain owns, as this view sees them. */
unsigned xsd_ctx_owned(struct xsd_ctx *ctx, unsigned domid);
/* Watch event for a change: immediate, or at commit. */
int xsd_ctx_changed(struct xsd_ctx *ctx, const char *path, bool recursive,
                    const struct xsd_perms *perms);

#endif
