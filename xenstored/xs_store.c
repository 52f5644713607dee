#include "xs_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_util.h"

struct xs_node *xs_node_new(const char *path, const void *value, size_t len,
                            const struct xs_perms *perms)
{
    struct xs_node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->path = strdup(path);
    if (!n->path || xs_node_set_value(n, value, len) < 0 ||
        xs_perms_copy(&n->perms, perms) < 0) {
        xs_node_free(n);
        return NULL;
    }
    return n;
}

struct xs_node *xs_node_clone(const struct xs_node *node)
{
    struct xs_node *n = xs_node_new(node->path, node->value, node->value_len,
                                    &node->perms);
    if (!n)
        return NULL;
    /* The source has no duplicate names, so the copy skips the check of
     * xs_node_add_child, which made cloning a directory of N children
     * cost N^2/2 comparisons (every new node clones its parent). */
    if (node->nchildren) {
        n->children = calloc(node->nchildren, sizeof(*n->children));
        if (!n->children) {
            xs_node_free(n);
            return NULL;
        }
        n->children_cap = node->nchildren;
        for (unsigned i = 0; i < node->nchildren; i++) {
            n->children[i] = strdup(node->children[i]);
            if (!n->children[i]) {
                xs_node_free(n);
                return NULL;
            }
            n->nchildren++;
        }
    }
    n->generation = node->generation;
    return n;
}

void xs_node_free(struct xs_node *node)
{
    if (!node)
        return;
    for (unsigned i = 0; i < node->nchildren; i++)
        free(node->children[i]);
    free(node->children);
    xs_perms_free(&node->perms);
    free(node->value);
    free(node->path);
    free(node);
}

int xs_node_set_value(struct xs_node *node, const void *value, size_t len)
{
    char *v = malloc(len + 1);
    if (!v)
        return -ENOMEM;
    if (len)
        memcpy(v, value, len);
    v[len] = '\0';
    free(node->value);
    node->value = v;
    node->value_len = len;
    return 0;
}

int xs_node_add_child(struct xs_node *node, const char *name)
{
    for (unsigned i = 0; i < node->nchildren; i++)
        if (strcmp(node->children[i], name) == 0)
            return 0;
    if (node->nchildren == node->children_cap) {
        unsigned cap = node->children_cap ? node->children_cap * 2 : 4;
        char **c = realloc(node->children, cap * sizeof(*c));
        if (!c)
            return -ENOMEM;
        node->children = c;
        node->children_cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -ENOMEM;
    node->children[node->nchildren++] = copy;
    return 0;
}

void xs_node_remove_child(struct xs_node *node, const char *name)
{
    for (unsigned i = 0; i < node->nchildren; i++) {
        if (strcmp(node->children[i], name) == 0) {
            free(node->children[i]);
            memmove(&node->children[i], &node->children[i + 1],
                    (node->nchildren - i - 1) * sizeof(char *));
            node->nchildren--;
            return;
        }
    }
}

size_t xs_node_size(const struct xs_node *node)
{
    size_t size = node->value_len + node->perms.count * sizeof(struct xs_perm);
    for (unsigned i = 0; i < node->nchildren; i++)
        size += strlen(node->children[i]) + 1;
    return size;
}

static void free_node_value(void *v)
{
    xs_node_free(v);
}

static int add_initial(struct xs_store *s, const char *path)
{
    struct xs_perms perms;
    if (xs_perms_single(&perms, 0, XS_PERM_NONE) < 0)
        return -ENOMEM;
    struct xs_node *n = xs_node_new(path, "", 0, &perms);
    xs_perms_free(&perms);
    if (!n)
        return -ENOMEM;
    if (strcmp(path, "/") != 0) {
        const struct xs_node *parent_ro;
        char *parent_path = strdup(path);
        if (!parent_path) {
            xs_node_free(n);
            return -ENOMEM;
        }
        char *slash = strrchr(parent_path, '/');
        *(slash == parent_path ? slash + 1 : slash) = '\0';
        parent_ro = xs_store_get(s, parent_path);
        free(parent_path);
        struct xs_node *parent = parent_ro ? xs_node_clone(parent_ro) : NULL;
        if (!parent || xs_node_add_child(parent, strrchr(path, '/') + 1) < 0) {
            xs_node_free(parent);
            xs_node_free(n);
            return -ENOMEM;
        }
        if (xs_store_put(s, parent) < 0) {
            xs_node_free(n);
            return -ENOMEM;
        }
    }
    return xs_store_put(s, n);
}

int xs_store_init(struct xs_store *s)
{
    xs_map_init(&s->nodes);
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
    unsigned owner = xs_perms_owner(&n->perms);
    if (owner <= XS_DOMID_MAX)
        s->owned[owner] += (unsigned)delta;
}

int xs_store_put(struct xs_store *s, struct xs_node *node)
{
    void *old;
    node->generation = s->next_generation++;
    if (xs_map_put(&s->nodes, node->path, node, &old) < 0) {
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
