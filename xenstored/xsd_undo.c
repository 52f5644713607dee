#include "xsd_undo.h"

#include <stdlib.h>
#include <string.h>

void xsd_undo_init(struct xsd_undo *u)
{
    u->v = NULL;
    u->n = u->cap = 0;
}

struct xsd_undo_entry *xsd_undo_prepare(struct xsd_undo *u)
{
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 16;
        struct xsd_undo_entry *v = realloc(u->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        u->v = v;
        u->cap = cap;
    }
    struct xsd_undo_entry *e = &u->v[u->n];
    memset(e, 0, sizeof(*e));
    return e;
}

void xsd_undo_push(struct xsd_undo *u)
{
    u->n++;
}

/* Entries kept between requests: a request of thousands of changes (dom0
 * removing a large subtree) is rare, and its log is not kept. */
#define KEEP_ENTRIES 1024

static void reset(struct xsd_undo *u)
{
    u->n = 0;
    if (u->cap > KEEP_ENTRIES) {
        free(u->v);
        xsd_undo_init(u);
    }
}

void xsd_undo_rollback(struct xsd_undo *u)
{
    for (size_t i = u->n; i-- > 0;)
        u->v[i].undo(&u->v[i]);
    reset(u);
}

void xsd_undo_keep(struct xsd_undo *u)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->v[i].keep)
            u->v[i].keep(&u->v[i]);
    reset(u);
}

void xsd_undo_free(struct xsd_undo *u)
{
    reset(u);
    free(u->v);
    xsd_undo_init(u);
}
