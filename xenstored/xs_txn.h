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
 * EAGAIN instead (at most XS_TXN_FAVOUR_REFUSALS times), so the favoured
 * one commits at its next try rather than lose to the others again and
 * again.  EAGAIN is the answer every client must already retry on; other
 * domains are never refused for it, so no guest can slow anyone else. */
#ifndef XS_TXN_H
#define XS_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "xs_daemon.h"
#include "xs_map.h"

struct xs_txn_event {
    char *path;
    bool recursive;              /* a removal: watches below fire too */
    struct xs_perms perms;       /* who may see it */
    struct xs_txn_event *next;
};

/* Commits refused for one favoured transaction before it loses favour. */
#define XS_TXN_FAVOUR_REFUSALS 8
/* Refused commits in a row that earn a client's next transaction favour. */
#define XS_TXN_FAVOUR_AFTER 6

struct xs_txn {
    uint32_t id;
    unsigned domid;              /* its client's domain */
    struct xs_map overlay;       /* path -> node, or the tombstone */
    struct xs_map accessed;      /* path -> generation seen (0 = absent) */
    int owned_delta;             /* change of nodes owned by the client */
    bool holds_gate;             /* counted in the gate's holders */
    struct xs_txn_event *events, **events_tail;
    struct xs_txn *next;
};

/* Where a request reads and writes: the committed store, or a
 * transaction over it, on behalf of one client. */
struct xs_ctx {
    struct xs_daemon *d;
    struct xs_client *client;
    struct xs_txn *txn;          /* NULL outside a transaction */
};

int xs_txn_start(struct xs_client *c, uint32_t *id);
struct xs_txn *xs_txn_find(struct xs_client *c, uint32_t id);
/* Ends the transaction (freeing it): commit or abort.  Commit may fail
 * with -EAGAIN (conflict), which also aborts. */
int xs_txn_end(struct xs_client *c, struct xs_txn *t, bool commit);
void xs_txn_abort_all(struct xs_client *c);

/* Looks a node up; -ENOENT if absent, -ENOSPC when the transaction has
 * touched too many nodes. */
int xs_ctx_get(struct xs_ctx *ctx, const char *path,
               const struct xs_node **out);
/* Stores node (taking it, even on failure). */
int xs_ctx_put(struct xs_ctx *ctx, struct xs_node *node);
int xs_ctx_delete(struct xs_ctx *ctx, const char *path);
/* Nodes the domain owns, as this view sees them. */
unsigned xs_ctx_owned(struct xs_ctx *ctx, unsigned domid);
/* Watch event for a change: immediate, or at commit. */
int xs_ctx_changed(struct xs_ctx *ctx, const char *path, bool recursive,
                   const struct xs_perms *perms);

#endif
