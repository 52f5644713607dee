/* Where a request reads and writes: the committed store, or a
 * transaction over it, on behalf of one client.
 *
 * A request that changes nodes runs with an undo log (xsd_undo.h): each
 * change is recorded as it is made, and xsd_ctx_finish keeps them all
 * when the request succeeds or undoes them all when it fails.  Watch
 * events outside a transaction wait for the same decision, so a request
 * that fails fires nothing. */
#ifndef XSD_CTX_H
#define XSD_CTX_H

#include <stdbool.h>

#include "xsd_daemon.h"
#include "xsd_txn.h"
#include "xsd_undo.h"

struct xsd_ctx {
    struct xsd_daemon *d;
    struct xsd_client *client;
    struct xsd_txn *txn;         /* NULL outside a transaction */
    struct xsd_undo *undo;       /* NULL for a request that changes nothing */
    /* When the changing request began: its transaction's counts, and
     * what its domain owned and held (xsd_ctx_finish checks growth). */
    int start_owned_delta;
    size_t start_bytes;
    unsigned start_owned;
    size_t start_memory;
};

/* A changing request begins, with its undo log; ctx->txn is set. */
void xsd_ctx_begin(struct xsd_ctx *ctx, struct xsd_undo *undo);
/* The request ends with rc.  If it succeeded but left an unprivileged
 * domain owning more nodes or holding more memory than its quotas allow
 * (and more than when it began), it fails with -ENOSPC instead.  Then
 * keeps its changes (and fires their watch events outside a
 * transaction) or undoes them all.  Returns the final rc. */
int xsd_ctx_finish(struct xsd_ctx *ctx, int rc);

/* Looks a node up; -ENOENT if absent, -ENOSPC when the transaction has
 * touched too many nodes. */
int xsd_ctx_get(struct xsd_ctx *ctx, const char *path,
                const struct xsd_node **out);
/* Stores node (taking it, even on failure). */
int xsd_ctx_put(struct xsd_ctx *ctx, struct xsd_node *node);
int xsd_ctx_delete(struct xsd_ctx *ctx, const char *path);
/* Nodes the domain owns, as this view sees them. */
unsigned xsd_ctx_owned(struct xsd_ctx *ctx, unsigned domid);
/* Watch event for a change: when the request succeeds, or at commit. */
int xsd_ctx_changed(struct xsd_ctx *ctx, const char *path, bool recursive,
                    const struct xsd_perms *perms);

#endif
