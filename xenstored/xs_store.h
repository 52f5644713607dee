/* The committed tree: every node by absolute path, with its value,
 * permissions, child names and the generation of its last change. */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "xs_map.h"
#include "xs_perms.h"

struct xs_node {
    char *path;
    char *value;
    size_t value_len;
    struct xs_perms perms;
    char **children;     /* names of the direct children, in creation order */
    unsigned nchildren, children_cap;
    uint64_t generation; /* never 0 for a stored node: 0 means "absent" */
};

struct xs_node *xs_node_new(const char *path, const void *value, size_t len,
                            const struct xs_perms *perms);
struct xs_node *xs_node_clone(const struct xs_node *node);
void xs_node_free(struct xs_node *node);
int xs_node_set_value(struct xs_node *node, const void *value, size_t len);
int xs_node_add_child(struct xs_node *node, const char *name);
void xs_node_remove_child(struct xs_node *node, const char *name);
/* Bytes a node costs against the node-size quota: value, child names and
 * permissions, as Xen 4.17 counts them. */
size_t xs_node_size(const struct xs_node *node);

struct xs_store {
    struct xs_map nodes;
    uint64_t next_generation;
    unsigned *owned;     /* nodes owned, indexed by domid */
};

/* Creates /, /local, /local/domain and /tool, all "n0". */
int xs_store_init(struct xs_store *s);
void xs_store_destroy(struct xs_store *s);
const struct xs_node *xs_store_get(const struct xs_store *s, const char *path);
/* Stores node (taking it, even on failure), replacing any node at its path and giving it a
 * fresh generation. */
int xs_store_put(struct xs_store *s, struct xs_node *node);
/* Removes one node (not its children). */
void xs_store_delete(struct xs_store *s, const char *path);
unsigned xs_store_owned(const struct xs_store *s, unsigned domid);

#endif
