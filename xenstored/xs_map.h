/* A string-keyed hash map: the store, transaction overlays and access logs
 * all look nodes up by their full path. */
#ifndef XS_MAP_H
#define XS_MAP_H

#include <stdbool.h>
#include <stddef.h>

struct xs_map_entry {
    char *key;
    void *value;
    struct xs_map_entry *next;
};

struct xs_map {
    struct xs_map_entry **buckets;
    size_t nbuckets;
    size_t count;
};

void xs_map_init(struct xs_map *m);
/* Frees the entries; values are released with free_value when not NULL. */
void xs_map_clear(struct xs_map *m, void (*free_value)(void *));
/* Returns false when the key is absent. */
bool xs_map_get(const struct xs_map *m, const char *key, void **value);
/* Replaces any previous value, which is returned through old (or NULL). */
int xs_map_put(struct xs_map *m, const char *key, void *value, void **old);
/* Removes the key; returns its value or NULL. */
void *xs_map_remove(struct xs_map *m, const char *key);

typedef void (*xs_map_visit_fn)(const char *key, void *value, void *arg);
void xs_map_foreach(const struct xs_map *m, xs_map_visit_fn fn, void *arg);

#endif
