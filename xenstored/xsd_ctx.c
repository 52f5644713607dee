#include "xsd_ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_mem.h"
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
    struct xsd_undo_entry *e = xsd_undo_prepare(ctx->undo);
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
    struct xsd_undo_entry *e = xsd_undo_prepare(ctx->undo);
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

/* ---- what a transaction holds ---- */

/* Counts delta more bytes held by the transaction, for its domain.  A
 * request that fails gives back all it counted (xsd_ctx_finish). */
static void charge(struct xsd_ctx *ctx, long delta)
{
    ctx->txn->bytes += (size_t)delta;
    xsd_mem_hold(ctx->d, ctx->txn->domid, delta);
}

/* ---- what a transaction looked at ---- */

static void undo_access(struct xsd_undo_entry *e)
{
    struct xsd_txn *t = e->target;
    free(xsd_map_remove(&t->accessed, e->key));
}

/* First sight of a committed node: remember its generation.  Each node
 * looked at is held until the transaction ends, so it counts against
 * the access limit and the memory quota, even for a read. */
static int note_access(struct xsd_ctx *ctx, const char *path)
{
    struct xsd_txn *t = ctx->txn;
    if (xsd_map_get(&t->accessed, path, NULL))
        return 0;
    size_t bytes = xsd_mem_access(strlen(path));
    if (!ctx->client->who.privileged &&
        (t->accessed.count >= ctx->d->quota.transaction_nodes ||
         !xsd_mem_fits(ctx->d, &ctx->client->who, bytes)))
        return -ENOSPC;
    struct xsd_undo_entry *e = ctx->undo ? xsd_undo_prepare(ctx->undo) : NULL;
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
    charge(ctx, (long)bytes);
    if (e) {
        e->undo = undo_access;
        e->target = t;
        e->key = xsd_map_key(&t->accessed, path);
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
        xsd_map_put(&t->overlay, e->key, e->old, &cur);
    } else {
        cur = xsd_map_remove(&t->overlay, e->key);
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
        !(e = xsd_undo_prepare(ctx->undo)))
        rc = -ENOMEM;
    if (rc < 0 && rc != -ENOENT) {
        xsd_txn_free_value(value);
        return rc;
    }
    struct xsd_txn *t = ctx->txn;
    void *prev = NULL;
    bool had = xsd_map_get(&t->overlay, path, &prev);
    size_t len = strlen(path);
    long delta = (long)xsd_mem_overlay(len, value) -
                 (had ? (long)xsd_mem_overlay(len, prev) : 0);
    if (xsd_map_put(&t->overlay, path, value, &prev) < 0) {
        xsd_txn_free_value(value);
        return -ENOMEM;
    }
    /* A node changed again replaces its earlier copy: what the
     * transaction holds does not grow with the number of changes. */
    charge(ctx, delta);
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
    e->key = xsd_map_key(&t->overlay, path);
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

/* Where permission entries go after a string of path_size bytes. */
static size_t perms_offset(size_t path_size)
{
    return (path_size + _Alignof(struct xsd_perm) - 1) &
           ~(_Alignof(struct xsd_perm) - 1);
}

static struct xsd_txn_event *event_new(const char *path, bool recursive,
                                       const struct xsd_perms *perms)
{
    size_t path_size = strlen(path) + 1, at = perms_offset(path_size);
    struct xsd_txn_event *e =
        malloc(sizeof(*e) + at + perms->count * sizeof(struct xsd_perm));
    if (!e)
        return NULL;
    e->next = NULL;
    e->recursive = recursive;
    memcpy(e->path, path, path_size);
    e->perms.count = perms->count;
    e->perms.p = (struct xsd_perm *)(void *)(e->path + at);
    memcpy(e->perms.p, perms->p, perms->count * sizeof(struct xsd_perm));
    e->latest = (struct xsd_perms){ 0, NULL };
    return e;
}

/* Outside a transaction an event waits for the request to succeed. */
static void fire_deferred(struct xsd_undo_entry *e)
{
    struct xsd_txn_event *ev = e->cur;
    xsd_watch_fire(e->target, ev->path, ev->recursive, &ev->perms, NULL);
    xsd_txn_event_free(ev);
}

static void drop_deferred(struct xsd_undo_entry *e)
{
    xsd_txn_event_free(e->cur);
}

static int defer_event(struct xsd_ctx *ctx, const char *path, bool recursive,
                       const struct xsd_perms *perms)
{
    struct xsd_undo_entry *u = xsd_undo_prepare(ctx->undo);
    struct xsd_txn_event *ev = u ? event_new(path, recursive, perms) : NULL;
    if (!ev)
        return -ENOMEM;
    *u = (struct xsd_undo_entry){ .undo = drop_deferred,
                                  .keep = fire_deferred,
                                  .target = ctx->d, .cur = ev };
    xsd_undo_push(ctx->undo);
    return 0;
}

static void undo_new_event(struct xsd_undo_entry *e)
{
    struct xsd_txn *t = e->target;
    /* Undone newest first: it is the last event queued. */
    struct xsd_txn_event **link = e->old;
    struct xsd_txn_event *ev = *link;
    xsd_map_remove(&t->event_index, ev->path);
    xsd_txn_event_free(ev);
    *link = NULL;
    t->events_tail = link;
}

/* A node changed for the first time in the transaction. */
static int queue_event(struct xsd_ctx *ctx, const char *path, bool recursive,
                       const struct xsd_perms *perms)
{
    struct xsd_txn *t = ctx->txn;
    struct xsd_undo_entry *u = ctx->undo ? xsd_undo_prepare(ctx->undo) : NULL;
    struct xsd_txn_event *e = (u || !ctx->undo)
                                  ? event_new(path, recursive, perms)
                                  : NULL;
    if (!e)
        return -ENOMEM;
    if (xsd_map_put(&t->event_index, e->path, e, NULL) < 0) {
        xsd_txn_event_free(e);
        return -ENOMEM;
    }
    if (u) {
        *u = (struct xsd_undo_entry){ .undo = undo_new_event, .target = t,
                                      .old = t->events_tail };
        xsd_undo_push(ctx->undo);
    }
    *t->events_tail = e;
    t->events_tail = &e->next;
    charge(ctx, (long)xsd_mem_event(strlen(path), &e->perms, &e->latest));
    return 0;
}

/* A merge is undone with the event's latest permissions and removal
 * flag as they were: the entries in old, their count in n, the flag in
 * had_old. */
static void undo_merge(struct xsd_undo_entry *e)
{
    struct xsd_txn_event *ev = e->cur;
    xsd_perms_free(&ev->latest);
    ev->latest = (struct xsd_perms){ (unsigned)e->n, e->old };
    ev->recursive = e->had_old;
}

static void keep_merge(struct xsd_undo_entry *e)
{
    free(e->old);
}

static bool same_perms(const struct xsd_perms *a, const struct xsd_perms *b)
{
    return a->count == b->count &&
           !memcmp(a->p, b->p, a->count * sizeof(*a->p));
}

/* The node changed again: its one event now covers this change too. */
static int merge_event(struct xsd_ctx *ctx, struct xsd_txn_event *e,
                       bool recursive, const struct xsd_perms *perms)
{
    const struct xsd_perms *now = e->latest.count ? &e->latest : &e->perms;
    /* The usual case, the same node written again: nothing to change. */
    if (same_perms(now, perms) && (e->recursive || !recursive))
        return 0;
    struct xsd_undo_entry *u = ctx->undo ? xsd_undo_prepare(ctx->undo) : NULL;
    struct xsd_perms latest = { 0, NULL };
    if ((ctx->undo && !u) ||
        (!same_perms(&e->perms, perms) && xsd_perms_copy(&latest, perms) < 0))
        return -ENOMEM;
    long was = e->latest.count ? (long)xsd_mem_perms(&e->latest) : 0;
    charge(ctx, (latest.count ? (long)xsd_mem_perms(&latest) : 0) - was);
    if (u) {
        *u = (struct xsd_undo_entry){ .undo = undo_merge, .keep = keep_merge,
                                      .cur = e, .old = e->latest.p,
                                      .n = e->latest.count,
                                      .had_old = e->recursive };
        xsd_undo_push(ctx->undo);
    } else {
        xsd_perms_free(&e->latest);
    }
    e->latest = latest;
    e->recursive |= recursive;
    return 0;
}

int xsd_ctx_changed(struct xsd_ctx *ctx, const char *path, bool recursive,
                    const struct xsd_perms *perms)
{
    if (!ctx->txn) {
        if (ctx->undo)
            return defer_event(ctx, path, recursive, perms);
        xsd_watch_fire(ctx->d, path, recursive, perms, NULL);
        return 0;
    }
    void *e;
    if (xsd_map_get(&ctx->txn->event_index, path, &e))
        return merge_event(ctx, e, recursive, perms);
    return queue_event(ctx, path, recursive, perms);
}

/* ---- a request's beginning and end ---- */

void xsd_ctx_begin(struct xsd_ctx *ctx, struct xsd_undo *undo)
{
    unsigned me = ctx->client->who.domid;
    ctx->undo = undo;
    ctx->start_owned_delta = ctx->txn ? ctx->txn->owned_delta : 0;
    ctx->start_bytes = ctx->txn ? ctx->txn->bytes : 0;
    ctx->start_owned = xsd_ctx_owned(ctx, me);
    ctx->start_memory = xsd_mem_domain(ctx->d, me);
}

/* A request that made its domain own or hold more than its quotas allow
 * fails.  Only growth is refused: a domain already over a quota (it was
 * lowered, or dom0 gave it nodes) may still shrink. */
static int check_quotas(struct xsd_ctx *ctx)
{
    const struct xsd_identity *who = &ctx->client->who;
    const struct xsd_quota *q = &ctx->d->quota;
    if (who->privileged)
        return 0;
    unsigned owned = xsd_ctx_owned(ctx, who->domid);
    if (owned > q->nodes && owned > ctx->start_owned)
        return -ENOSPC;
    size_t memory = xsd_mem_domain(ctx->d, who->domid);
    if (q->memory && memory > q->memory && memory > ctx->start_memory)
        return -ENOSPC;
    return 0;
}

int xsd_ctx_finish(struct xsd_ctx *ctx, int rc)
{
    if (!ctx->undo)
        return rc;
    if (rc == 0)
        rc = check_quotas(ctx);
    if (rc == 0) {
        xsd_undo_keep(ctx->undo);
        return 0;
    }
    xsd_undo_rollback(ctx->undo);
    if (ctx->txn) {
        ctx->txn->owned_delta = ctx->start_owned_delta;
        charge(ctx, (long)ctx->start_bytes - (long)ctx->txn->bytes);
    }
    return rc;
}
