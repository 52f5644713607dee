#include "xs_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_util.h"

/*
 * Builds a node in one allocation from its parts; extra_child (or NULL)
 * is appended to the children.  Every node comes from here.
 */
static struct xs_node *node_build(const char *path, const void *value,
                                  size_t value_len,
                                  const struct xs_perms *perms,
                                  const char *children, size_t children_len,
                                  const char *extra_child)
{
    size_t path_len = strlen(path);
    size_t perms_size = perms->count * sizeof(struct xs_perm);
    size_t extra_size = extra_child ? strlen(extra_child) + 1 : 0;
    size_t all_children = children_len + extra_size;
    if (value_len > UINT32_MAX || all_children > UINT32_MAX ||
        path_len > UINT16_MAX || perms->count > UINT16_MAX)
        return NULL;
    struct xs_node *n = malloc(sizeof(*n) + perms_size + path_len + 1 +
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
    char *path_copy = (char *)xs_node_path(n);
    memcpy(path_copy, path, path_len + 1);
    char *value_copy = (char *)xs_node_value(n);
    if (value_len)
        memcpy(value_copy, value, value_len);
    value_copy[value_len] = '\0';
    char *children_copy = (char *)xs_node_children(n);
    if (children_len)
        memcpy(children_copy, children, children_len);
    if (extra_size)
        memcpy(children_copy + children_len, extra_child, extra_size);
    return n;
}

static struct xs_node *node_copy(const struct xs_node *node,
                                 const void *value, size_t value_len,
                                 const struct xs_perms *perms,
                                 const char *extra_child)
{
    struct xs_node *n = node_build(xs_node_path(node), value, value_len,
                                   perms, xs_node_children(node),
                                   node->children_len, extra_child);
    if (n)
        n->generation = node->generation;
    return n;
}

struct xs_node *xs_node_new(const char *path, const void *value, size_t len,
                            const struct xs_perms *perms)
{
    return node_build(path, value, len, perms, NULL, 0, NULL);
}

struct xs_node *xs_node_clone(const struct xs_node *node)
{
    return node_copy(node, xs_node_value(node), node->value_len,
                     XS_NODE_PERMS(node), NULL);
}

struct xs_node *xs_node_with_value(const struct xs_node *node,
                                   const void *value, size_t len)
{
    return node_copy(node, value, len, XS_NODE_PERMS(node), NULL);
}

struct xs_node *xs_node_with_perms(const struct xs_node *node,
                                   const struct xs_perms *perms)
{
    return node_copy(node, xs_node_value(node), node->value_len, perms, NULL);
}

struct xs_node *xs_node_with_new_child(const struct xs_node *node,
                                       const char *name)
{
    return node_copy(node, xs_node_value(node), node->value_len,
                     XS_NODE_PERMS(node), name);
}

/* Offset of name in the packed children, or -1. */
static long find_child(const struct xs_node *node, const char *name)
{
    size_t want = strlen(name) + 1;
    size_t pos = 0;
    while (pos < node->children_len) {
        const char *at = xs_node_children(node) + pos;
        const char *end = memchr(at, '\0', node->children_len - pos);
        size_t len = (size_t)(end - at) + 1;
        if (len == want && memcmp(at, name, len) == 0)
            return (long)pos;
        pos += len;
    }
    return -1;
}

bool xs_node_remove_child(struct xs_node *node, const char *name)
{
    long pos = find_child(node, name);
    if (pos < 0)
        return false;
    size_t len = strlen(name) + 1;
    /* The copy owns its tail, which node_build wrote as non-const. */
    char *at = (char *)xs_node_children(node) + pos;
    memmove(at, at + len, node->children_len - (size_t)pos - len);
    node->children_len -= (uint32_t)len;
    return true;
}

bool xs_node_has_child(const struct xs_node *node, const char *name)
{
    return find_child(node, name) >= 0;
}

const char *xs_node_next_child(const struct xs_node *node, const char *prev)
{
    if (!prev)
        return node->children_len ? xs_node_children(node) : NULL;
    const char *next = prev + strlen(prev) + 1;
    return next < xs_node_children(node) + node->children_len ? next : NULL;
}

void xs_node_free(struct xs_node *node)
{
    free(node);
}

size_t xs_node_size(const struct xs_node *node)
{
    return node->value_len + node->nperms * sizeof(struct xs_perm) +
           node->children_len;
}

static void free_node_value(void *v)
{
    xs_node_free(v);
}

/* Adds an initial node under its (existing) parent. */
static int add_initial(struct xs_store *s, const char *path)
{
    struct xs_perm owner = { 0, XS_PERM_NONE };
    struct xs_perms perms = { 1, &owner };
    struct xs_node *n = xs_node_new(path, "", 0, &perms);
    if (!n)
        return -ENOMEM;
    if (strcmp(path, "/") != 0) {
        char *parent_path = xs_path_parent(path);
        const struct xs_node *parent_ro =
            parent_path ? xs_store_get(s, parent_path) : NULL;
        free(parent_path);
        struct xs_node *parent =
            parent_ro ? xs_node_with_new_child(parent_ro,
                                               xs_path_basename(path))
                      : NULL;
        if (!parent || xs_store_put(s, parent) < 0) {
            xs_node_free(n);
            return -ENOMEM;
        }
    }
    return xs_store_put(s, n);
}

int xs_store_init(struct xs_store *s)
{
    xs_map_init_borrowed(&s->nodes);
    s->next_generation = 1;
    s->owned = calloc(XS_DOMID_MAX + 1, sizeof(*s->owned));
    if (!s->owned)
        return -ENOMEM;
    static const char *const initial[] = { "/", "/local", "/local/domain",
                                           "/tool" };
    for (size_t i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
        if (add_initial(s, initial[i]) < 0) {
            xs_store_destroy(s);
            return -ENOMEM;
        }
    }
    return 0;
}

void xs_store_destroy(struct xs_store *s)
{
    xs_map_clear(&s->nodes, free_node_value);
    free(s->owned);
    s->owned = NULL;
}

const struct xs_node *xs_store_get(const struct xs_store *s, const char *path)
{
    void *v;
    return xs_map_get(&s->nodes, path, &v) ? v : NULL;
}

static void count_owner(struct xs_store *s, const struct xs_node *n, int delta)
{
    unsigned owner = xs_perms_owner(XS_NODE_PERMS(n));
    if (owner <= XS_DOMID_MAX)
        s->owned[owner] += (unsigned)delta;
}

int xs_store_put(struct xs_store *s, struct xs_node *node)
{
    void *old;
    node->generation = s->next_generation++;
    /* The map's key becomes the new node's path before the old node (and
     * the path the key pointed to) is freed. */
    if (xs_map_put(&s->nodes, xs_node_path(node), node, &old) < 0) {
        xs_node_free(node);
        return -ENOMEM;
    }
    if (old) {
        count_owner(s, old, -1);
        xs_node_free(old);
    }
    count_owner(s, node, +1);
    return 0;
}

void xs_store_delete(struct xs_store *s, const char *path)
{
    struct xs_node *old = xs_map_remove(&s->nodes, path);
    if (old) {
        count_owner(s, old, -1);
        xs_node_free(old);
    }
}

unsigned xs_store_owned(const struct xs_store *s, unsigned domid)
{
    return domid <= XS_DOMID_MAX ? s->owned[domid] : 0;
}
