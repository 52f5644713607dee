/* A string-keyed hash map: the store, transaction overlays and access logs
 * all look nodes up by their full path, and watches are found by theirs.
 *
 * Open addressing with Robin Hood linear probing, up to seven eighths
 * full: one array of slots, no allocation per entry, and a lookup touches
 * the slot array and the one key that matches (each slot keeps its key's
 * hash, so other keys are not read). */
#ifndef XSD_MAP_H
#define XSD_MAP_H

#include <stdbool.h>
#include <stddef.h>

struct xsd_map_slot {
    size_t hash;
    char *key;       /* NULL: the slot is free */
    void *value;
};

struct xsd_map {
    struct xsd_map_slot *slots;
    size_t capacity;     /* 0 or a power of two */
    size_t count;
    /* Borrowed keys are not copied: the caller keeps each key alive and
     * unchanged while its entry exists (the store's keys are the nodes'
     * own paths).  A put always stores the key it is given, so replacing
     * a value can hand over to the new value's key. */
    bool borrowed_keys;
};

/* A map that copies its keys. */
void xsd_map_init(struct xsd_map *m);
/* A map whose keys belong to the caller (see borrowed_keys). */
void xsd_map_init_borrowed(struct xsd_map *m);
/* Frees the entries; values are released with free_value when not NULL.
 * The map stays usable, with the same kind of keys. */
void xsd_map_clear(struct xsd_map *m, void (*free_value)(void *));
/* Returns false when the key is absent. */
bool xsd_map_get(const struct xsd_map *m, const char *key, void **value);
/* The map's own copy of key (or NULL): it stays valid, and equal to key,
 * while the key is in the map. */
const char *xsd_map_key(const struct xsd_map *m, const char *key);
/* Looks up the key made of key's first len bytes ("/a" in "/a/b"). */
bool xsd_map_get_len(const struct xsd_map *m, const char *key, size_t len,
                     void **value);
/* Replaces any previous value, which is returned through old (or NULL);
 * replacing a value never fails. */
int xsd_map_put(struct xsd_map *m, const char *key, void *value, void **old);
/* Makes room for `more` new keys, so that putting up to that many (with
 * borrowed keys) cannot fail: a change applied in several puts can check
 * first and then not stop half way.  -ENOMEM if the room cannot be
 * made; the map is unchanged then. */
int xsd_map_reserve(struct xsd_map *m, size_t more);
/* Removes the key; returns its value or NULL.  Removing never shrinks
 * the map, so putting back what was removed never needs to grow it. */
void *xsd_map_remove(struct xsd_map *m, const char *key);

/* Visits every entry in no particular order; fn must not change the map. */
typedef void (*xsd_map_visit_fn)(const char *key, void *value, void *arg);
void xsd_map_foreach(const struct xsd_map *m, xsd_map_visit_fn fn, void *arg);

#endif
