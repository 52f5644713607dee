/* The committed tree: every node by absolute path, with its value,
 * permissions, child names and the generation of its last change. */
#ifndef XSD_STORE_H
#define XSD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xsd_map.h"
#include "xsd_perms.h"
#include "xsd_usage.h"

/*
 * A node is one allocation: this header, then its permission entries, its
 * path, its value and its children's names, found from the lengths (no
 * pointers: a node of the benchmark's kind is ~100 bytes, and four
 * pointers would be a third of it).  A node is never changed once
 * stored: a change makes a changed copy (xsd_node_with_*) that replaces
 * it, so that the strings handed out stay valid for the node's life and
 * a transaction can compare generations.
 */
struct xsd_node {
    uint64_t generation; /* never 0 for a stored node: 0 means "absent" */
    uint32_t value_len;
    /* Bytes of the direct children's names, each ended by a NUL, in
     * creation order: exactly the payload of a DIRECTORY reply. */
    uint32_t children_len;
    uint16_t path_len;   /* without its NUL (paths are at most 3072) */
    uint16_t nperms;
    char tail[];         /* perms, path NUL, value NUL, children */
};

static inline const char *xsd_node_path(const struct xsd_node *n)
{
    return n->tail + n->nperms * sizeof(struct xsd_perm);
}

/* value_len bytes and a NUL. */
static inline const char *xsd_node_value(const struct xsd_node *n)
{
    return xsd_node_path(n) + n->path_len + 1;
}

static inline const char *xsd_node_children(const struct xsd_node *n)
{
    return xsd_node_value(n) + n->value_len + 1;
}

/* The node's permissions as a struct xsd_perms, valid while the node is:
 * read them, never xsd_perms_free them. */
#define XSD_NODE_PERMS(n)                                                  \
    (&(struct xsd_perms){ .count = (n)->nperms,                            \
                          .p = (struct xsd_perm *)(void *)(n)->tail })

struct xsd_node *xsd_node_new(const char *path, const void *value, size_t len,
                              const struct xsd_perms *perms);
struct xsd_node *xsd_node_clone(const struct xsd_node *node);
/* Copies of node with one thing changed (NULL when out of memory). */
struct xsd_node *xsd_node_with_value(const struct xsd_node *node,
                                     const void *value, size_t len);
struct xsd_node *xsd_node_with_perms(const struct xsd_node *node,
                                     const struct xsd_perms *perms);
/* The copy lists name last.  name must not be a child already: callers
 * add the child they are creating, which was absent, so no search. */
struct xsd_node *xsd_node_with_new_child(const struct xsd_node *node,
                                         const char *name);
/* Drops name from the children of a copy not yet stored; false when it
 * was not there. */
bool xsd_node_remove_child(struct xsd_node *node, const char *name);
bool xsd_node_has_child(const struct xsd_node *node, const char *name);
/* The first child name (prev NULL) or the one after prev; NULL at the end.
 * for (c = xsd_node_next_child(n, NULL); c; c = xsd_node_next_child(n, c)) */
const char *xsd_node_next_child(const struct xsd_node *node, const char *prev);
void xsd_node_free(struct xsd_node *node);
/* Bytes a node costs against the node-size quota: value, child names and
 * permissions, as Xen 4.17 counts them. */
size_t xsd_node_size(const struct xsd_node *node);

struct xsd_store {
    struct xsd_map nodes; /* path -> node, keyed by the node's own path */
    uint64_t next_generation;
    /* By owner: nodes and their bytes, counted here on every change; and
     * (held) what transactions and watches hold, which xsd_mem.c counts
     * in the same table. */
    struct xsd_usage_table usage;
};

/* Creates /, /local, /local/domain and /tool, all "n0". */
int xsd_store_init(struct xsd_store *s);
void xsd_store_destroy(struct xsd_store *s);
const struct xsd_node *xsd_store_get(const struct xsd_store *s,
                                     const char *path);
/* Stores node (taking it, even on failure), replacing any node at its
 * path and giving it a fresh generation; -ENOMEM (nothing changed) when
 * there is no room for it. */
int xsd_store_put(struct xsd_store *s, struct xsd_node *node);
/* The same, handing back the node it replaced (or NULL) instead of
 * freeing it, so that the change can be undone. */
int xsd_store_swap(struct xsd_store *s, struct xsd_node *node,
                   struct xsd_node **old);
/* Removes one node (not its children). */
void xsd_store_delete(struct xsd_store *s, const char *path);
/* Removes one node and hands it back (NULL if there was none). */
struct xsd_node *xsd_store_take(struct xsd_store *s, const char *path);
/*
 * Undoes the latest change at a path: `current` (the node stored there
 * now, or NULL if there is none) goes, and `old` (or nothing) is back,
 * generation and all, as if the change had not happened.  Never fails
 * when changes are undone newest first: putting back a node that was
 * removed needs no room that was not there before (xsd_map_remove).
 */
void xsd_store_reinstate(struct xsd_store *s, struct xsd_node *current,
                         struct xsd_node *old);
/* Room for n more nodes: up to n puts then cannot fail, provided each
 * node was made ready (xsd_store_ready: its owner is counted). */
int xsd_store_reserve(struct xsd_store *s, size_t n);
int xsd_store_ready(struct xsd_store *s, const struct xsd_node *node);
unsigned xsd_store_owned(const struct xsd_store *s, unsigned domid);
/* Bytes of the nodes the domain owns (xsd_mem.h). */
size_t xsd_store_owned_bytes(const struct xsd_store *s, unsigned domid);

/* The tree's shape: every child a node lists exists, and every node but
 * the root is listed by its parent.  0, or -1 with the first node that
 * breaks it in why.  For the tests and the fuzzer. */
int xsd_store_audit(const struct xsd_store *s, char *why, size_t whylen);

#endif
