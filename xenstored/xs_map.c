#include "xs_map.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_key(const char *key)
{
    /* FNV-1a: cheap and spreads similar paths ("/a/b1", "/a/b2") well. */
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void xs_map_init(struct xs_map *m)
{
    m->buckets = NULL;
    m->nbuckets = 0;
    m->count = 0;
}

void xs_map_clear(struct xs_map *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct xs_map_entry *e = m->buckets[i];
        while (e) {
            struct xs_map_entry *next = e->next;
            if (free_value)
                free_value(e->value);
            free(e->key);
            free(e);
            e = next;
        }
    }
    free(m->buckets);
    xs_map_init(m);
}

static struct xs_map_entry **find_slot(const struct xs_map *m, const char *key)
{
    if (!m->nbuckets)
        return NULL;
    struct xs_map_entry **slot = &m->buckets[hash_key(key) % m->nbuckets];
    while (*slot && strcmp((*slot)->key, key) != 0)
        slot = &(*slot)->next;
    return slot;
}

bool xs_map_get(const struct xs_map *m, const char *key, void **value)
{
    struct xs_map_entry **slot = find_slot(m, key);
    if (!slot || !*slot)
        return false;
    if (value)
        *value = (*slot)->value;
    return true;
}

static int grow(struct xs_map *m)
{
    size_t n = m->nbuckets ? m->nbuckets * 2 : 64;
    struct xs_map_entry **b = calloc(n, sizeof(*b));
    if (!b)
        return -ENOMEM;
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct xs_map_entry *e = m->buckets[i];
        while (e) {
            struct xs_map_entry *next = e->next;
            size_t idx = hash_key(e->key) % n;
            e->next = b[idx];
            b[idx] = e;
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = n;
    return 0;
}

int xs_map_put(struct xs_map *m, const char *key, void *value, void **old)
{
    if (old)
        *old = NULL;
    if (m->count >= m->nbuckets && grow(m) < 0)
        return -ENOMEM;
    struct xs_map_entry **slot = find_slot(m, key);
    if (*slot) {
        if (old)
            *old = (*slot)->value;
        (*slot)->value = value;
        return 0;
    }
    struct xs_map_entry *e = malloc(sizeof(*e));
    char *k = strdup(key);
    if (!e || !k) {
        free(e);
        free(k);
        return -ENOMEM;
    }
    e->key = k;
    e->value = value;
    e->next = NULL;
    *slot = e;
    m->count++;
    return 0;
}

void *xs_map_remove(struct xs_map *m, const char *key)
{
    struct xs_map_entry **slot = find_slot(m, key);
    if (!slot || !*slot)
        return NULL;
    struct xs_map_entry *e = *slot;
    void *value = e->value;
    *slot = e->next;
    free(e->key);
    free(e);
    m->count--;
    return value;
}

void xs_map_foreach(const struct xs_map *m, xs_map_visit_fn fn, void *arg)
{
    for (size_t i = 0; i < m->nbuckets; i++)
        for (struct xs_map_entry *e = m->buckets[i]; e; e = e->next)
            fn(e->key, e->value, arg);
}
