#include "xsd_map.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_key(const char *key, size_t len)
{
    /* FNV-1a: cheap and spreads similar paths ("/a/b1", "/a/b2") well. */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void xsd_map_init(struct xsd_map *m)
{
    m->slots = NULL;
    m->capacity = 0;
    m->count = 0;
    m->borrowed_keys = false;
}

void xsd_map_init_borrowed(struct xsd_map *m)
{
    xsd_map_init(m);
    m->borrowed_keys = true;
}

void xsd_map_clear(struct xsd_map *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->capacity; i++) {
        struct xsd_map_slot *s = &m->slots[i];
        if (!s->key)
            continue;
        if (!m->borrowed_keys)
            free(s->key);
        if (free_value)
            free_value(s->value);
    }
    free(m->slots);
    bool borrowed = m->borrowed_keys;
    xsd_map_init(m);
    m->borrowed_keys = borrowed;
}

/* How far the entry in slot i sits from the slot its hash points at. */
static size_t distance(const struct xsd_map *m, size_t i)
{
    return (i - (m->slots[i].hash & (m->capacity - 1))) & (m->capacity - 1);
}

/*
 * Robin Hood probing: along a run, entries sit no nearer their home slot
 * than the entries before them, so a search stops as soon as it meets an
 * entry closer to home than it would be itself.  That keeps a miss short
 * even with the table seven eighths full, which is what lets the slot
 * array stay small (at 100,000 nodes it is a third of the store).
 *
 * Returns the slot holding the key made of key's first len bytes, or
 * NULL.
 */
static struct xsd_map_slot *find_slot(const struct xsd_map *m, const char *key,
                                      size_t len, size_t hash)
{
    if (!m->count)
        return NULL;
    size_t mask = m->capacity - 1;
    for (size_t i = hash & mask, d = 0;; i = (i + 1) & mask, d++) {
        struct xsd_map_slot *s = &m->slots[i];
        if (!s->key || distance(m, i) < d)
            return NULL;
        if (s->hash == hash && strncmp(s->key, key, len) == 0 &&
            s->key[len] == '\0')
            return s;
    }
}

bool xsd_map_get_len(const struct xsd_map *m, const char *key, size_t len,
                     void **value)
{
    struct xsd_map_slot *s = find_slot(m, key, len, hash_key(key, len));
    if (!s)
        return false;
    if (value)
        *value = s->value;
    return true;
}

const char *xsd_map_key(const struct xsd_map *m, const char *key)
{
    size_t len = strlen(key);
    struct xsd_map_slot *s = find_slot(m, key, len, hash_key(key, len));
    return s ? s->key : NULL;
}

bool xsd_map_get(const struct xsd_map *m, const char *key, void **value)
{
    return xsd_map_get_len(m, key, strlen(key), value);
}

/* Places an entry whose key is not in the map: it takes the slot of the
 * first entry nearer its home than it is, and that entry moves on. */
static void insert_new(struct xsd_map *m, struct xsd_map_slot entry)
{
    size_t mask = m->capacity - 1;
    size_t i = entry.hash & mask, d = 0;
    while (m->slots[i].key) {
        size_t theirs = distance(m, i);
        if (theirs < d) {
            struct xsd_map_slot displaced = m->slots[i];
            m->slots[i] = entry;
            entry = displaced;
            d = theirs;
        }
        i = (i + 1) & mask;
        d++;
    }
    m->slots[i] = entry;
}

/* Whether count entries fit without growing: at most seven eighths full. */
static bool fits(const struct xsd_map *m, size_t count)
{
    return count * 8 <= m->capacity * 7;
}

static int grow_to(struct xsd_map *m, size_t n)
{
    struct xsd_map_slot *old = m->slots;
    size_t old_capacity = m->capacity;
    m->slots = calloc(n, sizeof(*m->slots));
    if (!m->slots) {
        m->slots = old;
        return -ENOMEM;
    }
    m->capacity = n;
    /* The keys are distinct: only the kept hashes are read, never the
     * keys. */
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i].key)
            insert_new(m, old[i]);
    free(old);
    return 0;
}

static int grow(struct xsd_map *m)
{
    return grow_to(m, m->capacity ? m->capacity * 2 : 16);
}

int xsd_map_reserve(struct xsd_map *m, size_t more)
{
    if (more > SIZE_MAX / 16 - m->count)
        return -ENOMEM;
    if (fits(m, m->count + more))
        return 0;
    size_t n = m->capacity ? m->capacity * 2 : 16;
    while (n * 7 < (m->count + more) * 8)
        n *= 2;
    return grow_to(m, n);
}

int xsd_map_put(struct xsd_map *m, const char *key, void *value, void **old)
{
    if (old)
        *old = NULL;
    size_t len = strlen(key);
    size_t hash = hash_key(key, len);
    struct xsd_map_slot *s = find_slot(m, key, len, hash);
    if (s) {
        /* Replacing never allocates, so it never fails. */
        if (old)
            *old = s->value;
        if (m->borrowed_keys)
            s->key = (char *)key;
        s->value = value;
        return 0;
    }
    if (!fits(m, m->count + 1) && grow(m) < 0)
        return -ENOMEM;
    char *k = m->borrowed_keys ? (char *)key : strdup(key);
    if (!k)
        return -ENOMEM;
    insert_new(m, (struct xsd_map_slot){ .hash = hash, .key = k,
                                        .value = value });
    m->count++;
    return 0;
}

void *xsd_map_remove(struct xsd_map *m, const char *key)
{
    size_t len = strlen(key);
    struct xsd_map_slot *s = find_slot(m, key, len, hash_key(key, len));
    if (!s)
        return NULL;
    void *value = s->value;
    if (!m->borrowed_keys)
        free(s->key);
    /* Shift the rest of the run back by one until an entry already at its
     * home or an empty slot: the order along the run is kept. */
    size_t mask = m->capacity - 1;
    size_t hole = (size_t)(s - m->slots);
    for (size_t i = (hole + 1) & mask; m->slots[i].key && distance(m, i);
         i = (i + 1) & mask) {
        m->slots[hole] = m->slots[i];
        hole = i;
    }
    m->slots[hole].key = NULL;
    m->count--;
    return value;
}

void xsd_map_foreach(const struct xsd_map *m, xsd_map_visit_fn fn, void *arg)
{
    for (size_t i = 0; i < m->capacity; i++)
        if (m->slots[i].key)
            fn(m->slots[i].key, m->slots[i].value, arg);
}
