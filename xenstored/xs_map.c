#include "xs_map.h"

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

void xs_map_init(struct xs_map *m)
{
    m->slots = NULL;
    m->capacity = 0;
    m->count = 0;
    m->borrowed_keys = false;
}

void xs_map_init_borrowed(struct xs_map *m)
{
    xs_map_init(m);
    m->borrowed_keys = true;
}

void xs_map_clear(struct xs_map *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->capacity; i++) {
        struct xs_map_slot *s = &m->slots[i];
        if (!s->key)
            continue;
        if (!m->borrowed_keys)
            free(s->key);
        if (free_value)
            free_value(s->value);
    }
    free(m->slots);
    bool borrowed = m->borrowed_keys;
    xs_map_init(m);
    m->borrowed_keys = borrowed;
}

/* The slot holding the key made of key's first len bytes, or the free
 * slot where it would go. */
static struct xs_map_slot *find_slot(const struct xs_map *m, const char *key,
                                     size_t len, size_t hash)
{
    size_t mask = m->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct xs_map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == hash && strncmp(s->key, key, len) == 0 &&
                        s->key[len] == '\0'))
            return s;
    }
}

bool xs_map_get_len(const struct xs_map *m, const char *key, size_t len,
                    void **value)
{
    if (!m->count)
        return false;
    struct xs_map_slot *s = find_slot(m, key, len, hash_key(key, len));
    if (!s->key)
        return false;
    if (value)
        *value = s->value;
    return true;
}

bool xs_map_get(const struct xs_map *m, const char *key, void **value)
{
    return xs_map_get_len(m, key, strlen(key), value);
}

static int grow(struct xs_map *m)
{
    size_t n = m->capacity ? m->capacity * 2 : 16;
    struct xs_map_slot *slots = calloc(n, sizeof(*slots));
    if (!slots)
        return -ENOMEM;
    /* The keys are distinct, so each goes to the first free slot of its
     * probe run: only the kept hashes are read, never the keys. */
    for (size_t i = 0; i < m->capacity; i++) {
        if (!m->slots[i].key)
            continue;
        size_t at = m->slots[i].hash & (n - 1);
        while (slots[at].key)
            at = (at + 1) & (n - 1);
        slots[at] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->capacity = n;
    return 0;
}

int xs_map_put(struct xs_map *m, const char *key, void *value, void **old)
{
    if (old)
        *old = NULL;
    size_t len = strlen(key);
    size_t hash = hash_key(key, len);
    struct xs_map_slot *s = m->capacity ? find_slot(m, key, len, hash) : NULL;
    if (s && s->key) {
        /* Replacing never allocates, so it never fails. */
        if (old)
            *old = s->value;
        if (m->borrowed_keys)
            s->key = (char *)key;
        s->value = value;
        return 0;
    }
    /* At most three quarters full keeps probe runs short. */
    if ((m->count + 1) * 4 > m->capacity * 3) {
        if (grow(m) < 0)
            return -ENOMEM;
        s = find_slot(m, key, len, hash);
    }
    char *k = m->borrowed_keys ? (char *)key : strdup(key);
    if (!k)
        return -ENOMEM;
    s->hash = hash;
    s->key = k;
    s->value = value;
    m->count++;
    return 0;
}

/* Whether an entry whose probe starts at home may sit at slot `at` once
 * slot `hole` is empty, that is whether hole lies on its way from home. */
static bool home_reaches(size_t home, size_t hole, size_t at)
{
    if (hole <= at)
        return home <= hole || home > at;
    return home <= hole && home > at;
}

void *xs_map_remove(struct xs_map *m, const char *key)
{
    if (!m->count)
        return NULL;
    size_t len = strlen(key);
    struct xs_map_slot *s = find_slot(m, key, len, hash_key(key, len));
    if (!s->key)
        return NULL;
    void *value = s->value;
    if (!m->borrowed_keys)
        free(s->key);
    /* Close the gap: move back every later entry of the run that probing
     * would no longer find past an empty slot. */
    size_t mask = m->capacity - 1;
    size_t hole = (size_t)(s - m->slots);
    for (size_t i = (hole + 1) & mask; m->slots[i].key; i = (i + 1) & mask) {
        if (home_reaches(m->slots[i].hash & mask, hole, i)) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    m->slots[hole].key = NULL;
    m->count--;
    return value;
}

void xs_map_foreach(const struct xs_map *m, xs_map_visit_fn fn, void *arg)
{
    for (size_t i = 0; i < m->capacity; i++)
        if (m->slots[i].key)
            fn(m->slots[i].key, m->slots[i].value, arg);
}
