#include "xsd_mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_daemon.h"
#include "xsd_txn.h"
#include "xsd_util.h"
#include "xsd_watch.h"

size_t xsd_mem_node(const struct xsd_node *n)
{
    return sizeof(*n) + n->nperms * sizeof(struct xsd_perm) + n->path_len +
           1 + n->value_len + 1 + n->children_len + XSD_MEM_ALLOC;
}

size_t xsd_mem_perms(const struct xsd_perms *perms)
{
    return perms->count * sizeof(struct xsd_perm) + XSD_MEM_ALLOC;
}

size_t xsd_mem_watch(size_t path_len, size_t token_len)
{
    /* The watch and its strings in one allocation, and its entry in the
     * client's index by path. */
    return sizeof(struct xsd_watch) + path_len + 1 + token_len + 1 +
           XSD_MEM_ALLOC + XSD_MEM_SLOT;
}

size_t xsd_mem_overlay(size_t path_len, const void *value)
{
    size_t entry = XSD_MEM_SLOT + xsd_mem_string(path_len);
    return value == XSD_TXN_TOMBSTONE ? entry : entry + xsd_mem_node(value);
}

size_t xsd_mem_access(size_t path_len)
{
    return XSD_MEM_SLOT + xsd_mem_string(path_len) + sizeof(uint64_t) +
           XSD_MEM_ALLOC;
}

size_t xsd_mem_event(size_t path_len, const struct xsd_perms *first,
                     const struct xsd_perms *latest)
{
    /* The event, its path and first permissions in one allocation; the
     * latest permissions in one of their own when they differ. */
    return sizeof(struct xsd_txn_event) + XSD_MEM_ALLOC + XSD_MEM_SLOT +
           path_len + 1 + first->count * sizeof(struct xsd_perm) +
           (latest->count ? xsd_mem_perms(latest) : 0);
}

size_t xsd_mem_domain(const struct xsd_daemon *d, unsigned domid)
{
    const struct xsd_usage *u = xsd_usage_get(&d->store.usage, domid);
    return u->node_bytes + u->held;
}

size_t xsd_mem_held(const struct xsd_daemon *d, unsigned domid)
{
    return xsd_usage_get(&d->store.usage, domid)->held;
}

int xsd_mem_ready(struct xsd_daemon *d, unsigned domid)
{
    return domid > XSD_DOMID_MAX || xsd_usage_at(&d->store.usage, domid)
               ? 0 : -ENOMEM;
}

void xsd_mem_hold(struct xsd_daemon *d, unsigned domid, long delta)
{
    struct xsd_usage *u = xsd_usage_at(&d->store.usage, domid);
    if (u)
        u->held += (size_t)delta;
}

bool xsd_mem_fits(const struct xsd_daemon *d, const struct xsd_identity *who,
                  size_t more)
{
    if (who->privileged || !d->quota.memory)
        return true;
    size_t now = xsd_mem_domain(d, who->domid);
    return now <= d->quota.memory && more <= d->quota.memory - now;
}

/* ---- the audit ---- */

struct recount {
    struct xsd_usage_table usage;
    bool out_of_memory;
    size_t bytes;               /* of the transaction being recounted */
};

static struct xsd_usage *recount_at(struct recount *r, unsigned domid)
{
    struct xsd_usage *u = xsd_usage_at(&r->usage, domid);
    if (!u && domid <= XSD_DOMID_MAX)
        r->out_of_memory = true;
    return u;
}

static void recount_node(const char *path, void *value, void *arg)
{
    struct recount *r = arg;
    const struct xsd_node *n = value;
    (void)path;
    struct xsd_usage *u = recount_at(r, xsd_perms_owner(XSD_NODE_PERMS(n)));
    if (!u)
        return;
    u->nodes++;
    u->node_bytes += xsd_mem_node(n) + XSD_MEM_SLOT;
}

static void recount_overlay(const char *path, void *value, void *arg)
{
    struct recount *r = arg;
    r->bytes += xsd_mem_overlay(strlen(path), value);
}

static void recount_access(const char *path, void *value, void *arg)
{
    struct recount *r = arg;
    (void)value;
    r->bytes += xsd_mem_access(strlen(path));
}

static size_t recount_txn(const struct xsd_txn *t, struct recount *r)
{
    r->bytes = 0;
    xsd_map_foreach(&t->overlay, recount_overlay, r);
    xsd_map_foreach(&t->accessed, recount_access, r);
    for (const struct xsd_txn_event *e = t->events; e; e = e->next)
        r->bytes += xsd_mem_event(strlen(e->path), &e->perms, &e->latest);
    return r->bytes;
}

static void hold(struct recount *r, unsigned domid, size_t bytes)
{
    struct xsd_usage *u = recount_at(r, domid);
    if (u)
        u->held += bytes;
}

/* Compares the pages either table has (a missing one counts zero). */
static int compare(const struct xsd_daemon *d, const struct recount *r,
                   char *why, size_t whylen)
{
    const struct xsd_usage_table *have = &d->store.usage;
    for (size_t page = 0; page < sizeof(have->pages) / sizeof(*have->pages);
         page++) {
        if (!have->pages[page] && !r->usage.pages[page])
            continue;
        for (unsigned id = (unsigned)page * XSD_USAGE_PAGE;
             id < (unsigned)(page + 1) * XSD_USAGE_PAGE; id++) {
            const struct xsd_usage *u = xsd_usage_get(have, id);
            const struct xsd_usage *want = xsd_usage_get(&r->usage, id);
            if (u->nodes != want->nodes ||
                u->node_bytes != want->node_bytes) {
                snprintf(why, whylen, "domain %u owns %u nodes, %zu bytes; "
                         "counted %u, %zu", id, want->nodes,
                         want->node_bytes, u->nodes, u->node_bytes);
                return -1;
            }
            if (u->held != want->held) {
                snprintf(why, whylen, "domain %u holds %zu bytes in "
                         "transactions and watches; counted %zu", id,
                         want->held, u->held);
                return -1;
            }
        }
    }
    return 0;
}

int xsd_mem_audit(const struct xsd_daemon *d, char *why, size_t whylen)
{
    struct recount r = { .out_of_memory = false };
    xsd_usage_init(&r.usage);
    int rc = -1;
    xsd_map_foreach(&d->store.nodes, recount_node, &r);
    for (const struct xsd_client *c = d->clients; c; c = c->next) {
        for (const struct xsd_txn *t = c->txns; t; t = t->next) {
            size_t bytes = recount_txn(t, &r);
            if (bytes != t->bytes) {
                snprintf(why, whylen, "transaction %" PRIu32 " of domain %u "
                         "holds %zu bytes; counted %zu", t->id, t->domid,
                         bytes, t->bytes);
                goto out;
            }
            hold(&r, t->domid, bytes);
        }
        if (c->watches)
            for (const struct xsd_watch *w = c->watches->all; w; w = w->next)
                hold(&r, c->who.domid,
                     xsd_mem_watch(strlen(w->path), strlen(w->token)));
    }
    if (r.out_of_memory) {
        snprintf(why, whylen, "out of memory");
        goto out;
    }
    rc = compare(d, &r, why, whylen);
out:
    xsd_usage_free(&r.usage);
    return rc;
}
