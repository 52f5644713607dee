#include "xsd_txn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_mem.h"
#include "xsd_txn_gate.h"
#include "xsd_watch.h"

char xsd_txn_tombstone;

void xsd_txn_free_value(void *v)
{
    if (v != XSD_TXN_TOMBSTONE)
        xsd_node_free(v);
}

void xsd_txn_event_free(struct xsd_txn_event *e)
{
    xsd_perms_free(&e->latest);
    free(e);
}

static void free_events(struct xsd_txn *t)
{
    /* The index borrows the events' paths: clear it first. */
    xsd_map_clear(&t->event_index, NULL);
    while (t->events) {
        struct xsd_txn_event *e = t->events;
        t->events = e->next;
        xsd_txn_event_free(e);
    }
    t->events_tail = &t->events;
}

/* Frees t and gives back what it held to its domain's memory quota. */
static void txn_free(struct xsd_daemon *d, struct xsd_txn *t)
{
    xsd_mem_hold(d, t->domid, -(long)t->bytes);
    xsd_map_clear(&t->overlay, xsd_txn_free_value);
    xsd_map_clear(&t->accessed, free);
    free_events(t);
    free(t);
}

int xsd_txn_start(struct xsd_client *c, uint32_t *id)
{
    if (!c->who.privileged && c->ntxns >= c->d->quota.transactions)
        return -ENOSPC;
    struct xsd_txn *t = calloc(1, sizeof(*t));
    if (!t || xsd_mem_ready(c->d, c->who.domid) < 0) {
        free(t);
        return -ENOMEM;
    }
    xsd_map_init(&t->overlay);
    xsd_map_init(&t->accessed);
    xsd_map_init_borrowed(&t->event_index);
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

/* Moves each of the overlay's nodes into the store (room for them was
 * made first, so nothing here fails) and removes what it removed. */
static void apply_overlay(const char *path, void *value, void *arg)
{
    struct xsd_store *store = arg;
    if (value == XSD_TXN_TOMBSTONE)
        xsd_store_delete(store, path);
    else
        xsd_store_put(store, value);
}

/*
 * The node quota again at commit, as Xen 4.17 does: each change in a
 * transaction was checked against the committed nodes plus the
 * transaction's own, so several transactions open at once could each
 * stay within the quota and together go past it.  Only a transaction
 * that adds nodes of its domain is checked, so one that removes nodes
 * always gets through.  (Unlike Xen, a commit that reaches the quota
 * exactly is let through, as a single request is.)  The memory quota
 * needs no such check: a transaction's copies were counted for its
 * domain in full, and committing them counts no more than that.
 */
static bool over_node_quota(struct xsd_client *c, const struct xsd_txn *t)
{
    if (c->who.privileged || t->owned_delta <= 0)
        return false;
    unsigned long owned = xsd_store_owned(&c->d->store, t->domid);
    return owned + (unsigned long)t->owned_delta > c->d->quota.nodes;
}

struct ready_state {
    struct xsd_store *store;
    int rc;
};

static void make_ready(const char *path, void *value, void *arg)
{
    struct ready_state *st = arg;
    (void)path;
    if (value != XSD_TXN_TOMBSTONE && st->rc == 0)
        st->rc = xsd_store_ready(st->store, value);
}

/* Whether t may commit now: 0, or why not.  A conflict comes first: the
 * counts the quota check would use are not to be trusted then, and
 * EAGAIN is what the client retries on. */
static int may_commit(struct xsd_client *c, struct xsd_txn *t,
                      bool *conflict)
{
    struct check_state check = { &c->d->store, false };
    xsd_map_foreach(&t->accessed, check_generation, &check);
    *conflict = check.conflict;
    if (check.conflict || yields_to_favoured(c->d, t))
        return -EAGAIN;
    if (over_node_quota(c, t))
        return -ENOSPC;
    /* Every put below then finds room: a commit is applied whole. */
    struct ready_state ready = { &c->d->store, 0 };
    xsd_map_foreach(&t->overlay, make_ready, &ready);
    if (ready.rc < 0)
        return ready.rc;
    return xsd_store_reserve(&c->d->store, t->overlay.count);
}

static int commit(struct xsd_client *c, struct xsd_txn *t, bool *conflict)
{
    int rc = may_commit(c, t, conflict);
    if (rc == -EAGAIN)
        c->txn_conflicts++;
    if (rc < 0)
        return rc;
    c->txn_conflicts = 0;
    xsd_map_foreach(&t->overlay, apply_overlay, &c->d->store);
    /* The store owns the nodes now; only the keys are left to free. */
    xsd_map_clear(&t->overlay, NULL);
    for (struct xsd_txn_event *e = t->events; e; e = e->next)
        xsd_watch_fire(c->d, e->path, e->recursive, &e->perms,
                       e->latest.count ? &e->latest : NULL);
    return 0;
}

int xsd_txn_end(struct xsd_client *c, struct xsd_txn *t, bool commit_it)
{
    unlink_txn(c, t);
    bool conflict = false;
    int rc = commit_it ? commit(c, t, &conflict) : 0;
    if (c->d->favoured == t)
        c->d->favoured = NULL;
    xsd_txn_gate_closed(c, t, conflict);
    txn_free(c->d, t);
    return rc;
}

void xsd_txn_abort_all(struct xsd_client *c)
{
    while (c->txns)
        xsd_txn_end(c, c->txns, false);
}
