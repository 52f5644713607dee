#include "xsd_ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_watch.h"

/* ---- changes to the committed store ---- */

static void undo_store(struct xsd_undo_entry *e)
{
    xsd_store_reinstate(e->target, e->cur, e->old);
}

static void keep_store(struct xsd_undo_entry *e)
{
    xsd_node_free(e->old);
}

static int store_put(struct xsd_ctx *ctx, struct xsd_node *node)
{
    struct xsd_store *store = &ctx->d->store;
    if (!ctx->undo)
        return xsd_store_put(store, node);
    struct xsd_undo_entry *e = xsd_undo_prepare(ctx->undo, NULL);
    if (!e) {
        xsd_node_free(node);
        return -ENOMEM;
    }
    struct xsd_node *old;
    int rc = xsd_store_swap(store, node, &old);
    if (rc < 0)
        return rc;
    *e = (struct xsd_undo_entry){ .undo = undo_store, .keep = keep_store,
                                  .target = store, .old = old, .cur = node };
    xsd_undo_push(ctx->undo);
    return 0;
}

static int store_delete(struct xsd_ctx *ctx, const char *path)
{
    struct xsd_store *store = &ctx->d->store;
    if (!ctx->undo) {
        xsd_store_delete(store, path);
        return 0;
    }
    struct xsd_undo_entry *e = xsd_undo_prepare(ctx->undo, NULL);
    if (!e)
        return -ENOMEM;
    struct xsd_node *old = xsd_store_take(store, path);
    if (!old)
        return 0;
    *e = (struct xsd_undo_entry){ .undo = undo_store, .keep = keep_store,
                                  .target = store, .old = old, .cur = NULL };
    xsd_undo_push(ctx->undo);
    return 0;
}

/* ---- what a transaction looked at ---- */

static void undo_access(struct xsd_undo_entry *e)
{
    struct xsd_txn *t = e->target;
    free(xsd_map_remove(&t->accessed, e->path));
}

/* First sight of a committed node: remember its generation. */
static int note_access(struct xsd_ctx *ctx, const char *path)
{
    struct xsd_txn *t = ctx->txn;
    if (xsd_map_get(&t->accessed, path, NULL))
        return 0;
    if (!ctx->client->who.privileged &&
        t->accessed.count >= ctx->d->quota.transaction_nodes)
        return -ENOSPC;
    struct xsd_undo_entry *e =
        ctx->undo ? xsd_undo_prepare(ctx->undo, path) : NULL;
    uint64_t *gen = malloc(sizeof(*gen));
    if (!gen || (ctx->undo && !e)) {
        free(gen);
        return -ENOMEM;
    }
    const struct xsd_node *n = xsd_store_get(&ctx->d->store, path);
    *gen = n ? n->generation : 0;
    if (xsd_map_put(&t->accessed, path, gen, NULL) < 0) {
        free(gen);
        return -ENOMEM;
    }
    if (e) {
        e->undo = undo_access;
        e->target = t;
        xsd_undo_push(ctx->undo);
    }
    return 0;
}

int xsd_ctx_get(struct xsd_ctx *ctx, const char *path,
                const struct xsd_node **out)
{
    *out = NULL;
    if (!ctx->txn) {
        *out = xsd_store_get(&ctx->d->store, path);
        return *out ? 0 : -ENOENT;
    }
    void *v;
    if (xsd_map_get(&ctx->txn->overlay, path, &v)) {
        if (v == XSD_TXN_TOMBSTONE)
            return -ENOENT;
        *out = v;
        return 0;
    }
    int rc = note_access(ctx, path);
    if (rc < 0)
        return rc;
    *out = xsd_store_get(&ctx->d->store, path);
    return *out ? 0 : -ENOENT;
}

/* ---- changes in a transaction ---- */

static void undo_overlay(struct xsd_undo_entry *e)
{
    struct xsd_txn *t = e->target;
    void *cur;
    if (e->had_old) {
        /* Replacing never allocates, so never fails. */
        xsd_map_put(&t->overlay, e->path, e->old, &cur);
    } else {
        cur = xsd_map_remove(&t->overlay, e->path);
    }
    xsd_txn_free_value(cur);
}

static void keep_overlay(struct xsd_undo_entry *e)
{
    if (e->had_old)
        xsd_txn_free_value(e->old);
}

static void track_owned(struct xsd_ctx *ctx, const struct xsd_node *old,
                        const struct xsd_node *new)
{
    unsigned me = ctx->client->who.domid;
    if (old && xsd_perms_owner(XSD_NODE_PERMS(old)) == me)
        ctx->txn->owned_delta--;
    if (new && xsd_perms_owner(XSD_NODE_PERMS(new)) == me)
        ctx->txn->owned_delta++;
}

/* Sets path's overlay entry to value (a node, taken even on failure, or
 * the tombstone). */
static int overlay_store(struct xsd_ctx *ctx, const char *path, void *value)
{
    const struct xsd_node *old;
    int rc = xsd_ctx_get(ctx, path, &old);
    struct xsd_undo_entry *e = NULL;
    if ((rc == 0 || rc == -ENOENT) && ctx->undo &&
        !(e = xsd_undo_prepare(ctx->undo, path)))
        rc = -ENOMEM;
    if (rc < 0 && rc != -ENOENT) {
        xsd_txn_free_value(value);
        return rc;
    }
    struct xsd_txn *t = ctx->txn;
    void *prev = NULL;
    bool had = xsd_map_get(&t->overlay, path, &prev);
    if (xsd_map_put(&t->overlay, path, value, &prev) < 0) {
        xsd_txn_free_value(value);
        return -ENOMEM;
    }
    track_owned(ctx, old, value == XSD_TXN_TOMBSTONE ? NULL : value);
    if (!e) {
        if (had)
            xsd_txn_free_value(prev);
        return 0;
    }
    e->undo = undo_overlay;
    e->keep = keep_overlay;
    e->target = t;
    e->old = prev;
    e->had_old = had;
    xsd_undo_push(ctx->undo);
    return 0;
}

int xsd_ctx_put(struct xsd_ctx *ctx, struct xsd_node *node)
{
    if (!ctx->txn)
        return store_put(ctx, node);
    return overlay_store(ctx, xsd_node_path(node), node);
}

int xsd_ctx_delete(struct xsd_ctx *ctx, const char *path)
{
    if (!ctx->txn)
        return store_delete(ctx, path);
    return overlay_store(ctx, path, XSD_TXN_TOMBSTONE);
}

unsigned xsd_ctx_owned(struct xsd_ctx *ctx, unsigned domid)
{
    long n = xsd_store_owned(&ctx->d->store, domid);
    if (ctx->txn && domid == ctx->client->who.domid)
        n += ctx->txn->owned_delta;
    return n < 0 ? 0 : (unsigned)n;
}

/* ---- watch events ---- */

static struct xsd_txn_event *event_new(const char *path, bool recursive,
                                       const struct xsd_perms *perms)
{
    struct xsd_txn_event *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->path = strdup(path);
    if (!e->path || xsd_perms_copy(&e->perms, perms) < 0) {
        free(e->path);
        free(e);
        return NULL;
    }
    e->recursive = recursive;
    return e;
}

static void event_free(struct xsd_txn_event *e)
{
    free(e->path);
    xsd_perms_free(&e->perms);
    free(e);
}

/* Outside a transaction an event waits for the request to succeed. */
static void fire_deferred(struct xsd_undo_entry *e)
{
    struct xsd_txn_event *ev = e->cur;
    xsd_watch_fire(e->target, ev->path, ev->recursive, &ev->perms);
    event_free(ev);
}

static void drop_deferred(struct xsd_undo_entry *e)
{
    event_free(e->cur);
}

static void undo_txn_event(struct xsd_undo_entry *e)
{
    struct xsd_txn *t = e->target;
    /* Undone newest first: it is the last event queued. */
    struct xsd_txn_event **link = e->old;
    event_free(*link);
    *link = NULL;
    t->events_tail = link;
}

int xsd_ctx_changed(struct xsd_ctx *ctx, const char *path, bool recursive,
                    const struct xsd_perms *perms)
{
    if (!ctx->txn && !ctx->undo) {
        xsd_watch_fire(ctx->d, path, recursive, perms);
        return 0;
    }
    struct xsd_undo_entry *u =
        ctx->undo ? xsd_undo_prepare(ctx->undo, NULL) : NULL;
    struct xsd_txn_event *e = event_new(path, recursive, perms);
    if (!e || (ctx->undo && !u)) {
        if (e)
            event_free(e);
        return -ENOMEM;
    }
    if (!ctx->txn) {
        *u = (struct xsd_undo_entry){ .undo = drop_deferred,
                                      .keep = fire_deferred,
                                      .target = ctx->d, .cur = e };
        xsd_undo_push(ctx->undo);
        return 0;
    }
    struct xsd_txn *t = ctx->txn;
    if (u) {
        *u = (struct xsd_undo_entry){ .undo = undo_txn_event, .target = t,
                                      .old = t->events_tail };
        xsd_undo_push(ctx->undo);
    }
    *t->events_tail = e;
    t->events_tail = &e->next;
    return 0;
}

/* ---- a request's beginning and end ---- */

void xsd_ctx_begin(struct xsd_ctx *ctx, struct xsd_undo *undo)
{
    ctx->undo = undo;
    ctx->start_owned_delta = ctx->txn ? ctx->txn->owned_delta : 0;
}

int xsd_ctx_finish(struct xsd_ctx *ctx, int rc)
{
    if (!ctx->undo)
        return rc;
    if (rc < 0) {
        xsd_undo_rollback(ctx->undo);
        if (ctx->txn)
            ctx->txn->owned_delta = ctx->start_owned_delta;
    } else {
        xsd_undo_keep(ctx->undo);
    }
    return rc;
}
