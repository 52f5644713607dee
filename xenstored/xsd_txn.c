#include "xsd_txn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_txn_gate.h"
#include "xsd_watch.h"

/* Marks a node the transaction deleted; never dereferenced. */
static char tombstone_marker;
#define TOMBSTONE ((void *)&tombstone_marker)

static void free_overlay_value(void *v)
{
    if (v != TOMBSTONE)
        xsd_node_free(v);
}

static void free_events(struct xsd_txn *t)
{
    while (t->events) {
        struct xsd_txn_event *e = t->events;
        t->events = e->next;
        free(e->path);
        xsd_perms_free(&e->perms);
        free(e);
    }
    t->events_tail = &t->events;
}

static void txn_free(struct xsd_txn *t)
{
    xsd_map_clear(&t->overlay, free_overlay_value);
    xsd_map_clear(&t->accessed, free);
    free_events(t);
    free(t);
}

int xsd_txn_start(struct xsd_client *c, uint32_t *id)
{
    if (!c->who.privileged && c->ntxns >= c->d->quota.transactions)
        return -ENOSPC;
    struct xsd_txn *t = calloc(1, sizeof(*t));
    if (!t)
        return -ENOMEM;
    xsd_map_init(&t->overlay);
    xsd_map_init(&t->accessed);
    t->events_tail = &t->events;
    /* Ids are per client and never 0, which means "no transaction". */
    do {
        t->id = ++c->next_txid;
    } while (t->id == 0 || xsd_txn_find(c, t->id));
    t->domid = c->who.domid;
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    *id = t->id;
    xsd_txn_gate_opened(c, t);
    if (c->txn_conflicts >= XSD_TXN_FAVOUR_AFTER && !c->d->favoured) {
        c->d->favoured = t;
        c->d->favour_refusals = 0;
    }
    return 0;
}

struct xsd_txn *xsd_txn_find(struct xsd_client *c, uint32_t id)
{
    for (struct xsd_txn *t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void unlink_txn(struct xsd_client *c, struct xsd_txn *t)
{
    for (struct xsd_txn **p = &c->txns; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            c->ntxns--;
            return;
        }
    }
}

struct check_state {
    const struct xsd_store *store;
    bool conflict;
};

static void check_generation(const char *path, void *value, void *arg)
{
    struct check_state *st = arg;
    const struct xsd_node *n = xsd_store_get(st->store, path);
    uint64_t now = n ? n->generation : 0;
    if (now != *(uint64_t *)value)
        st->conflict = true;
}

struct overlap_state {
    const struct xsd_txn *favoured;
    bool overlap;
};

static void check_overlap(const char *path, void *value, void *arg)
{
    struct overlap_state *st = arg;
    (void)value;
    if (xsd_map_get(&st->favoured->accessed, path, NULL) ||
        xsd_map_get(&st->favoured->overlay, path, NULL))
        st->overlap = true;
}

/* Whether committing t must wait for the favoured transaction: same
 * domain, and t changes what the favoured one depends on. */
static bool yields_to_favoured(struct xsd_daemon *d, const struct xsd_txn *t)
{
    const struct xsd_txn *f = d->favoured;
    if (!f || f == t || f->domid != t->domid)
        return false;
    if (d->favour_refusals >= XSD_TXN_FAVOUR_REFUSALS) {
        d->favoured = NULL;   /* it had its chance */
        return false;
    }
    struct overlap_state st = { f, false };
    xsd_map_foreach(&t->overlay, check_overlap, &st);
    if (st.overlap)
        d->favour_refusals++;
    return st.overlap;
}

struct apply_state {
    struct xsd_store *store;
    int rc;
};

static void apply_overlay(const char *path, void *value, void *arg)
{
    struct apply_state *st = arg;
    if (value == TOMBSTONE) {
        xsd_store_delete(st->store, path);
        return;
    }
    /* The store takes a copy so the overlay can be freed uniformly. */
    struct xsd_node *copy = xsd_node_clone(value);
    if (!copy || xsd_store_put(st->store, copy) < 0)
        st->rc = -ENOMEM;
}

int xsd_txn_end(struct xsd_client *c, struct xsd_txn *t, bool commit)
{
    unlink_txn(c, t);
    int rc = 0;
    bool conflict = false;
    if (commit) {
        struct check_state check = { &c->d->store, false };
        xsd_map_foreach(&t->accessed, check_generation, &check);
        conflict = check.conflict;
        if (conflict || yields_to_favoured(c->d, t)) {
            rc = -EAGAIN;
            c->txn_conflicts++;
        } else {
            c->txn_conflicts = 0;
            struct apply_state apply = { &c->d->store, 0 };
            xsd_map_foreach(&t->overlay, apply_overlay, &apply);
            rc = apply.rc;
            for (struct xsd_txn_event *e = t->events; e; e = e->next)
                xsd_watch_fire(c->d, e->path, e->recursive, &e->perms);
        }
    }
    if (c->d->favoured == t)
        c->d->favoured = NULL;
    xsd_txn_gate_closed(c, t, conflict);
    txn_free(t);
    return rc;
}

void xsd_txn_abort_all(struct xsd_client *c)
{
    while (c->txns)
        xsd_txn_end(c, c->txns, false);
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
    uint64_t *gen = malloc(sizeof(*gen));
    if (!gen)
        return -ENOMEM;
    const struct xsd_node *n = xsd_store_get(&ctx->d->store, path);
    *gen = n ? n->generation : 0;
    if (xsd_map_put(&t->accessed, path, gen, NULL) < 0) {
        free(gen);
        return -ENOMEM;
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
        if (v == TOMBSTONE)
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

static void track_owned(struct xsd_ctx *ctx, const struct xsd_node *old,
                        const struct xsd_node *new)
{
    unsigned me = ctx->client->who.domid;
    if (old && xsd_perms_owner(XSD_NODE_PERMS(old)) == me)
        ctx->txn->owned_delta--;
    if (new && xsd_perms_owner(XSD_NODE_PERMS(new)) == me)
        ctx->txn->owned_delta++;
}

static int overlay_store(struct xsd_ctx *ctx, const char *path, void *value)
{
    const struct xsd_node *old;
    int rc = xsd_ctx_get(ctx, path, &old);
    if (rc < 0 && rc != -ENOENT)
        return rc;
    track_owned(ctx, old, value == TOMBSTONE ? NULL : value);
    void *prev;
    if (xsd_map_put(&ctx->txn->overlay, path, value, &prev) < 0)
        return -ENOMEM;
    free_overlay_value(prev);
    return 0;
}

int xsd_ctx_put(struct xsd_ctx *ctx, struct xsd_node *node)
{
    if (!ctx->txn)
        return xsd_store_put(&ctx->d->store, node);
    int rc = overlay_store(ctx, xsd_node_path(node), node);
    if (rc < 0)
        xsd_node_free(node);
    return rc;
}

int xsd_ctx_delete(struct xsd_ctx *ctx, const char *path)
{
    if (!ctx->txn) {
        xsd_store_delete(&ctx->d->store, path);
        return 0;
    }
    return overlay_store(ctx, path, TOMBSTONE);
}

unsigned xsd_ctx_owned(struct xsd_ctx *ctx, unsigned domid)
{
    long n = xsd_store_owned(&ctx->d->store, domid);
    if (ctx->txn && domid == ctx->client->who.domid)
        n += ctx->txn->owned_delta;
    return n < 0 ? 0 : (unsigned)n;
}

int xsd_ctx_changed(struct xsd_ctx *ctx, const char *path, bool recursive,
                    const struct xsd_perms *perms)
{
    if (!ctx->txn) {
        xsd_watch_fire(ctx->d, path, recursive, perms);
        return 0;
    }
    struct xsd_txn_event *e = calloc(1, sizeof(*e));
    if (!e)
        return -ENOMEM;
    e->path = strdup(path);
    if (!e->path || xsd_perms_copy(&e->perms, perms) < 0) {
        free(e->path);
        free(e);
        return -ENOMEM;
    }
    e->recursive = recursive;
    *ctx->txn->events_tail = e;
    ctx->txn->events_tail = &e->next;
    return 0;
}
