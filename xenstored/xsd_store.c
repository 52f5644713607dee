#include "xsd_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_mem.h"
#include "xsd_path.h"
#include "xsd_util.h"

/*
 * Builds a node in one allocation from its parts; extra_child (or NULL)
 * is appended to the children.  Every node comes from here.
 */
static struct xsd_node *node_build(const char *path, const void *value,
                                   size_t value_len,
                                   const struct xsd_perms *perms,
                                   const char *children, size_t children_len,
                                   const char *extra_child)
{
    size_t path_len = strlen(path);
    size_t perms_size = perms->count * sizeof(struct xsd_perm);
    size_t extra_size = extra_child ? strlen(extra_child) + 1 : 0;
    size_t all_children = children_len + extra_size;
    if (value_len > UINT32_MAX || all_children > UINT32_MAX ||
        path_len > UINT16_MAX || perms->count > UINT16_MAX)
        return NULL;
    struct xsd_node *n = malloc(sizeof(*n) + perms_size + path_len + 1 +
                                value_len + 1 + all_children);
    if (!n)
        return NULL;
    n->generation = 0;
    n->value_len = (uint32_t)value_len;
    n->children_len = (uint32_t)all_children;
    n->path_len = (uint16_t)path_len;
    n->nperms = (uint16_t)perms->count;
    /* The tail starts 4-aligned, as the permission entries need. */
    if (perms_size)
        memcpy(n->tail, perms->p, perms_size);
    char *path_copy = (char *)xsd_node_path(n);
    memcpy(path_copy, path, path_len + 1);
    char *value_copy = (char *)xsd_node_value(n);
    if (value_len)
        memcpy(value_copy, value, value_len);
    value_copy[value_len] = '\0';
    char *children_copy = (char *)xsd_node_children(n);
    if (children_len)
        memcpy(children_copy, children, children_len);
    if (extra_size)
        memcpy(children_copy + children_len, extra_child, extra_size);
    return n;
}

static struct xsd_node *node_copy(const struct xsd_node *node,
                                  const void *value, size_t value_len,
                                  const struct xsd_perms *perms,
                                  const char *extra_child)
{
    struct xsd_node *n = node_build(xsd_node_path(node), value, value_len,
                                    perms, xsd_node_children(node),
                                    node->children_len, extra_child);
    if (n)
        n->generation = node->generation;
    return n;
}

struct xsd_node *xsd_node_new(const char *path, const void *value, size_t len,
                              const struct xsd_perms *perms)
{
    return node_build(path, value, len, perms, NULL, 0, NULL);
}

struct xsd_node *xsd_node_clone(const struct xsd_node *node)
{
    return node_copy(node, xsd_node_value(node), node->value_len,
                     XSD_NODE_PERMS(node), NULL);
}

struct xsd_node *xsd_node_with_value(const struct xsd_node *node,
                                     const void *value, size_t len)
{
    return node_copy(node, value, len, XSD_NODE_PERMS(node), NULL);
}

struct xsd_node *xsd_node_with_perms(const struct xsd_node *node,
                                     const struct xsd_perms *perms)
{
    return node_copy(node, xsd_node_value(node), node->value_len, perms, NULL);
}

struct xsd_node *xsd_node_with_new_child(const struct xsd_node *node,
                                         const char *name)
{
    return node_copy(node, xsd_node_value(node), node->value_len,
                     XSD_NODE_PERMS(node), name);
}

/* Offset of name in the packed children, or -1. */
static long find_child(const struct xsd_node *node, const char *name)
{
    size_t want = strlen(name) + 1;
    size_t pos = 0;
    while (pos < node->children_len) {
        const char *at = xsd_node_children(node) + pos;
        const char *end = memchr(at, '\0', node->children_len - pos);
        size_t len = (size_t)(end - at) + 1;
        if (len == want && memcmp(at, name, len) == 0)
            return (long)pos;
        pos += len;
    }
    return -1;
}

bool xsd_node_remove_child(struct xsd_node *node, const char *name)
{
    long pos = find_child(node, name);
    if (pos < 0)
        return false;
    size_t len = strlen(name) + 1;
    /* The copy owns its tail, which node_build wrote as non-const. */
    char *at = (char *)xsd_node_children(node) + pos;
    memmove(at, at + len, node->children_len - (size_t)pos - len);
    node->children_len -= (uint32_t)len;
    return true;
}

bool xsd_node_has_child(const struct xsd_node *node, const char *name)
{
    return find_child(node, name) >= 0;
}

const char *xsd_node_next_child(const struct xsd_node *node, const char *prev)
{
    if (!prev)
        return node->children_len ? xsd_node_children(node) : NULL;
    const char *next = prev + strlen(prev) + 1;
    return next < xsd_node_children(node) + node->children_len ? next : NULL;
}

void xsd_node_free(struct xsd_node *node)
{
    free(node);
}

size_t xsd_node_size(const struct xsd_node *node)
{
    return node->value_len + node->nperms * sizeof(struct xsd_perm) +
           node->children_len;
}

static void free_node_value(void *v)
{
    xsd_node_free(v);
}

/* Adds an initial node under its (existing) parent. */
static int add_initial(struct xsd_store *s, const char *path)
{
    struct xsd_perm owner = { 0, XSD_PERM_NONE };
    struct xsd_perms perms = { 1, &owner };
    struct xsd_node *n = xsd_node_new(path, "", 0, &perms);
    if (!n)
        return -ENOMEM;
    if (strcmp(path, "/") != 0) {
        char *parent_path = xsd_path_parent(path);
        const struct xsd_node *parent_ro =
            parent_path ? xsd_store_get(s, parent_path) : NULL;
        free(parent_path);
        struct xsd_node *parent =
            parent_ro ? xsd_node_with_new_child(parent_ro,
                                                xsd_path_basename(path))
                      : NULL;
        if (!parent || xsd_store_put(s, parent) < 0) {
            xsd_node_free(n);
            return -ENOMEM;
        }
    }
    return xsd_store_put(s, n);
}

int xsd_store_init(struct xsd_store *s)
{
    xsd_map_init_borrowed(&s->nodes);
    s->next_generation = 1;
    xsd_usage_init(&s->usage);
    static const char *const initial[] = { "/", "/local", "/local/domain",
                                           "/tool" };
    for (size_t i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
        if (add_initial(s, initial[i]) < 0) {
            xsd_store_destroy(s);
            return -ENOMEM;
        }
    }
    return 0;
}

void xsd_store_destroy(struct xsd_store *s)
{
    xsd_map_clear(&s->nodes, free_node_value);
    xsd_usage_free(&s->usage);
}

const struct xsd_node *xsd_store_get(const struct xsd_store *s,
                                     const char *path)
{
    void *v;
    return xsd_map_get(&s->nodes, path, &v) ? v : NULL;
}

/* Counts n for its owner, whose record exists (xsd_store_ready). */
static void count_owner(struct xsd_store *s, const struct xsd_node *n,
                        int delta)
{
    struct xsd_usage *u =
        xsd_usage_at(&s->usage, xsd_perms_owner(XSD_NODE_PERMS(n)));
    if (!u)
        return;     /* an owner past XSD_DOMID_MAX is no domain */
    size_t bytes = xsd_mem_node(n) + XSD_MEM_SLOT;
    u->nodes += (unsigned)delta;
    if (delta > 0)
        u->node_bytes += bytes;
    else
        u->node_bytes -= bytes;
}

/* Makes the record n will be counted in, so that counting cannot fail
 * once n is stored. */
int xsd_store_ready(struct xsd_store *s, const struct xsd_node *n)
{
    unsigned owner = xsd_perms_owner(XSD_NODE_PERMS(n));
    return owner > XSD_DOMID_MAX || xsd_usage_at(&s->usage, owner) ? 0
                                                                   : -ENOMEM;
}

int xsd_store_swap(struct xsd_store *s, struct xsd_node *node,
                   struct xsd_node **old)
{
    void *prev;
    *old = NULL;
    if (xsd_store_ready(s, node) < 0) {
        xsd_node_free(node);
        return -ENOMEM;
    }
    node->generation = s->next_generation++;
    /* The map's key becomes the new node's path before the old node (and
     * the path the key pointed to) can be freed. */
    if (xsd_map_put(&s->nodes, xsd_node_path(node), node, &prev) < 0) {
        xsd_node_free(node);
        return -ENOMEM;
    }
    if (prev)
        count_owner(s, prev, -1);
    count_owner(s, node, +1);
    *old = prev;
    return 0;
}

int xsd_store_put(struct xsd_store *s, struct xsd_node *node)
{
    struct xsd_node *old;
    int rc = xsd_store_swap(s, node, &old);
    xsd_node_free(old);
    return rc;
}

struct xsd_node *xsd_store_take(struct xsd_store *s, const char *path)
{
    struct xsd_node *old = xsd_map_remove(&s->nodes, path);
    if (old)
        count_owner(s, old, -1);
    return old;
}

void xsd_store_delete(struct xsd_store *s, const char *path)
{
    xsd_node_free(xsd_store_take(s, path));
}

void xsd_store_reinstate(struct xsd_store *s, struct xsd_node *current,
                         struct xsd_node *old)
{
    if (current) {
        count_owner(s, current, -1);
        if (!old)
            xsd_map_remove(&s->nodes, xsd_node_path(current));
    }
    if (old) {
        /* Replaces current (same path) or fills the slot it left: no
         * allocation either way, so no failure. */
        if (xsd_map_put(&s->nodes, xsd_node_path(old), old, NULL) < 0)
            return;
        count_owner(s, old, +1);
    }
    xsd_node_free(current);
}

int xsd_store_reserve(struct xsd_store *s, size_t n)
{
    return xsd_map_reserve(&s->nodes, n);
}

unsigned xsd_store_owned(const struct xsd_store *s, unsigned domid)
{
    return xsd_usage_get(&s->usage, domid)->nodes;
}

size_t xsd_store_owned_bytes(const struct xsd_store *s, unsigned domid)
{
    return xsd_usage_get(&s->usage, domid)->node_bytes;
}

struct tree_audit {
    const struct xsd_store *s;
    char *why;
    size_t whylen;
    int rc;
};

static void audit_node(const char *path, void *value, void *arg)
{
    struct tree_audit *a = arg;
    const struct xsd_node *n = value;

    if (a->rc)
        return;
    for (const char *name = xsd_node_next_child(n, NULL); name;
         name = xsd_node_next_child(n, name)) {
        char child[4200];
        snprintf(child, sizeof(child), "%s%s%s", path,
                 strcmp(path, "/") ? "/" : "", name);
        if (!xsd_store_get(a->s, child)) {
            snprintf(a->why, a->whylen, "%s lists %s, which does not exist",
                     path, child);
            a->rc = -1;
            return;
        }
    }
    if (strcmp(path, "/") == 0)
        return;
    char *parent_path = xsd_path_parent(path);
    const struct xsd_node *parent = parent_path ? xsd_store_get(a->s, parent_path) : NULL;
    if (!parent || !xsd_node_has_child(parent, xsd_path_basename(path))) {
        snprintf(a->why, a->whylen, "%s is not listed by its parent %s", path,
                 parent_path ? parent_path : "(none)");
        a->rc = -1;
    }
    free(parent_path);
}

int xsd_store_audit(const struct xsd_store *s, char *why, size_t whylen)
{
    struct tree_audit a = { s, why, whylen, 0 };

    xsd_map_foreach(&s->nodes, audit_node, &a);
    return a.rc;
}
