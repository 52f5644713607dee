/* The store's data structures at scale: the hash map, directories of
 * many children packed in one buffer, and watches found through each
 * client's index by path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "xsd_map.h"
#include "xsd_test_client.h"
#include "xsd_watch.h"

/* ---- map ---- */

static void count_entry(const char *key, void *value, void *arg)
{
    ck_assert_ptr_eq(value, (void *)key);
    (*(size_t *)arg)++;
}

/* Removal closes gaps in probe runs: every key left must still be found,
 * whatever the order of insertions and removals. */
START_TEST(map_removals_keep_the_rest_reachable)
{
    enum { N = 5000 };
    static char keys[N][16];
    struct xsd_map m;
    xsd_map_init_borrowed(&m);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "/k/%d", i);
        ck_assert_int_eq(xsd_map_put(&m, keys[i], keys[i], NULL), 0);
    }
    for (int i = 0; i < N; i += 3)
        ck_assert_ptr_eq(xsd_map_remove(&m, keys[i]), keys[i]);
    ck_assert_ptr_null(xsd_map_remove(&m, keys[0]));
    for (int i = 0; i < N; i++) {
        void *v = NULL;
        bool there = xsd_map_get(&m, keys[i], &v);
        ck_assert_msg(there == (i % 3 != 0), "key %s", keys[i]);
        if (there)
            ck_assert_ptr_eq(v, keys[i]);
    }
    size_t seen = 0;
    xsd_map_foreach(&m, count_entry, &seen);
    ck_assert_uint_eq(seen, m.count);
    ck_assert_uint_eq(m.count, N - (N + 2) / 3);
    /* A prefix of a longer key is looked up by length. */
    void *v;
    ck_assert(xsd_map_get_len(&m, "/k/17/x", 5, &v));
    ck_assert_ptr_eq(v, keys[17]);
    ck_assert(!xsd_map_get_len(&m, "/k/17/x", 3, &v));
    ck_assert(!xsd_map_get_len(&m, "/k/17/x", 6, &v));
    xsd_map_clear(&m, NULL);
    ck_assert_uint_eq(m.count, 0);
    ck_assert(!xsd_map_get(&m, keys[1], NULL));
    ck_assert(m.borrowed_keys);
}
END_TEST

START_TEST(map_owned_and_borrowed_keys)
{
    struct xsd_map owned, borrowed;
    xsd_map_init(&owned);
    xsd_map_init_borrowed(&borrowed);
    char key[] = "/a/b";
    char other_copy[] = "/a/b";
    int one = 1, two = 2;
    void *old = &one;
    ck_assert_int_eq(xsd_map_put(&owned, key, &one, &old), 0);
    ck_assert_ptr_null(old);
    ck_assert_int_eq(xsd_map_put(&borrowed, key, &one, NULL), 0);
    /* An owned key is a copy: changing the caller's string does not
     * matter to it. */
    key[1] = 'z';
    ck_assert(xsd_map_get(&owned, "/a/b", NULL));
    key[1] = 'a';
    /* A replacement hands a borrowed entry over to the new key. */
    ck_assert_int_eq(xsd_map_put(&borrowed, other_copy, &two, &old), 0);
    ck_assert_ptr_eq(old, &one);
    key[1] = 'z';
    void *v;
    ck_assert(xsd_map_get(&borrowed, "/a/b", &v));
    ck_assert_ptr_eq(v, &two);
    xsd_map_clear(&owned, NULL);
    xsd_map_clear(&borrowed, NULL);
}
END_TEST

static void count_any(const char *key, void *value, void *arg)
{
    (void)key;
    (void)value;
    (*(size_t *)arg)++;
}

/* Random puts, replacements and removals over a small key space, checked
 * against a plain array after every step: the map's probing order must
 * survive any mix of insertions, displacements, growth and removals. */
START_TEST(map_random_operations_match_a_reference)
{
    enum { KEYS = 3000, STEPS = 60000 };
    static char keys[KEYS][24];
    static int present[KEYS];      /* 0 absent, else the value's tag */
    static int tags[STEPS + 1];
    struct xsd_map m;
    xsd_map_init(&m);
    uint32_t rng = 12345;
    size_t count = 0;
    for (int i = 0; i < KEYS; i++)
        snprintf(keys[i], sizeof(keys[i]), "/r/%d", i);
    for (int step = 1; step <= STEPS; step++) {
        rng = rng * 1103515245u + 12345u;
        int k = (int)((rng >> 8) % KEYS);
        /* Mostly puts early on, mostly removals in the middle, then both:
         * the table grows, thins out and fills again. */
        unsigned removals = step < STEPS / 3 ? 2 : step < 2 * STEPS / 3 ? 7 : 4;
        bool remove = (rng >> 3) % 10 < removals;
        if (remove) {
            void *v = xsd_map_remove(&m, keys[k]);
            ck_assert_ptr_eq(v, present[k] ? &tags[present[k]] : NULL);
            if (present[k])
                count--;
            present[k] = 0;
        } else {
            void *old;
            ck_assert_int_eq(xsd_map_put(&m, keys[k], &tags[step], &old), 0);
            ck_assert_ptr_eq(old, present[k] ? &tags[present[k]] : NULL);
            if (!present[k])
                count++;
            present[k] = step;
        }
        ck_assert_uint_eq(m.count, count);
        /* A key nearby is looked up too, present or not. */
        int j = (k * 7 + 1) % KEYS;
        void *v = NULL;
        ck_assert_int_eq(xsd_map_get(&m, keys[j], &v), present[j] != 0);
        if (present[j])
            ck_assert_ptr_eq(v, &tags[present[j]]);
    }
    for (int i = 0; i < KEYS; i++) {
        void *v = NULL;
        ck_assert_int_eq(xsd_map_get(&m, keys[i], &v), present[i] != 0);
    }
    size_t seen = 0;
    xsd_map_foreach(&m, count_any, &seen);
    ck_assert_uint_eq(seen, count);
    xsd_map_clear(&m, NULL);
}
END_TEST

/* ---- directories ---- */

static struct xsd_daemon d;
static struct tclient *dom0, *g1;

static void setup(void)
{
    ck_assert_int_eq(xsd_daemon_init(&d), 0);
    dom0 = tclient_new(&d, 0);
    g1 = tclient_new(&d, 1);
}

static void teardown(void)
{
    tdaemon_close(&d, (struct tclient *[]){ dom0, g1, NULL });
}

/* Two base-36 digits: 1,296 names that fit in one DIRECTORY reply. */
static const char *short_name(int i)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    static char buf[3];
    buf[0] = digits[i / 36];
    buf[1] = digits[i % 36];
    buf[2] = '\0';
    return buf;
}

/* The reply's strings joined by '|' (a fresh string to free). */
static char *joined(const char *payload, size_t len)
{
    char *out = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        out[i] = payload[i] ? payload[i] : '|';
    out[len ? len - 1 : 0] = '\0';
    return out;
}

START_TEST(directory_of_1200_children_in_creation_order)
{
    enum { N = 1200 };
    char path[32];
    char *expected = calloc(N, 4);
    for (int i = 0; i < N; i++) {
        /* Not in sorted order: the listing keeps creation order. */
        int k = (i * 7) % N;
        snprintf(path, sizeof(path), "/dir/%s", short_name(k));
        ck_assert_str_eq(tdo_write(dom0, 0, path, "v"), "OK");
        if (i)
            strcat(expected, "|");
        strcat(expected, short_name(k));
    }
    struct tmsg *m = treq(dom0, XS_DIRECTORY, 0, "/dir", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_DIRECTORY);
    char *got = joined(m->payload, m->hdr.len);
    ck_assert_str_eq(got, expected);
    free(got);
    tmsg_free(m);
    /* The same names through DIRECTORY_PART from offset 0: one part. */
    m = treq(dom0, XS_DIRECTORY_PART, 0, "/dir", "0", NULL);
    const char *names = m->payload + strlen(m->payload) + 1;
    size_t names_len = m->hdr.len - (size_t)(names - m->payload);
    got = joined(names, names_len);
    /* The part ends with the empty string that marks the end. */
    ck_assert_uint_eq(strlen(got), strlen(expected) + 1);
    ck_assert_int_eq(strncmp(got, expected, strlen(expected)), 0);
    free(got);
    tmsg_free(m);
    free(expected);
}
END_TEST

/* The names DIRECTORY_PART gives for path, all parts joined by '|', with
 * the number of parts. */
static char *directory_by_parts(const char *path, int *parts)
{
    size_t cap = 1 << 16, len = 0;
    char *all = calloc(1, cap);
    unsigned long offset = 0;
    *parts = 0;
    for (;;) {
        char off[32];
        snprintf(off, sizeof(off), "%lu", offset);
        struct tmsg *m = treq(dom0, XS_DIRECTORY_PART, 0, path, off, NULL);
        ck_assert_uint_eq(m->hdr.type, XS_DIRECTORY_PART);
        ck_assert_uint_le(m->hdr.len, XENSTORE_PAYLOAD_MAX);
        (*parts)++;
        const char *p = m->payload + strlen(m->payload) + 1;
        const char *end = m->payload + m->hdr.len;
        bool last = false;
        for (; p < end; p += strlen(p) + 1) {
            if (!*p) {
                last = true;
                break;
            }
            ck_assert_uint_lt(len + strlen(p) + 2, cap);
            len += (size_t)sprintf(all + len, "%s%s", len ? "|" : "", p);
            offset += strlen(p) + 1;
        }
        tmsg_free(m);
        if (last)
            return all;
        ck_assert_int_lt(*parts, 100);
    }
}

START_TEST(directory_parts_removal_from_the_middle_and_recreation)
{
    enum { N = 1500 };
    char path[64];
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof(path), "/many/node-%04d", i);
        ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, path, NULL), "OK");
    }
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/many", NULL), "ERR:E2BIG");
    int parts;
    char *all = directory_by_parts("/many", &parts);
    ck_assert_int_ge(parts, 3);
    char *p = all;
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof(path), "node-%04d", i);
        ck_assert_int_eq(strncmp(p, path, 9), 0);
        p += 10;
    }
    free(all);
    /* Out of the middle, the first and the last; then one comes back,
     * last in the list now, and the others keep their order. */
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/many/node-0700", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/many/node-0000", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/many/node-1499", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/many/node-0700", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/many/node-0700", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo_write(dom0, 0, "/many/node-0700/sub", "x"), "OK");
    all = directory_by_parts("/many", &parts);
    p = all;
    for (int i = 1; i < N - 1; i++) {
        if (i == 700)
            continue;
        snprintf(path, sizeof(path), "node-%04d", i);
        ck_assert_msg(strncmp(p, path, 9) == 0, "%.9s for %s", p, path);
        p += 10;
    }
    ck_assert_str_eq(p, "node-0700");
    free(all);
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/many/node-0700", NULL),
                     "sub");
    /* Removing the whole directory removes every child. */
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/many", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/many/node-0005", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/many/node-0700/sub", NULL),
                     "ERR:ENOENT");
    ck_assert_uint_eq(d.store.nodes.count, 4);
}
END_TEST

START_TEST(directory_changes_in_a_transaction)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/t/a", "1"), "OK");
    ck_assert_str_eq(tdo_write(dom0, 0, "/t/b", "2"), "OK");
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_RM, t, "/t/a", NULL), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/t/c/d", "3"), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/t/a", "again"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, t, "/t", NULL), "b|c|a");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/t", NULL), "a|b");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/t", NULL), "b|c|a");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/t/a", NULL), "again");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/t/c/d", NULL), "3");
}
END_TEST

/* ---- watches ---- */

/* The events queued for t, as "path|token" lines joined by ' ' (static). */
static const char *events(struct tclient *t)
{
    static char buf[8192];
    buf[0] = '\0';
    struct tmsg *m;
    while ((m = tclient_pop(t))) {
        ck_assert_uint_eq(m->hdr.type, XS_WATCH_EVENT);
        if (buf[0])
            strcat(buf, " ");
        ck_assert_uint_lt(strlen(buf) + m->hdr.len + 2, sizeof(buf));
        strcat(buf, tshow(m));
        tmsg_free(m);
    }
    return buf;
}

static void watch(struct tclient *t, const char *path, const char *token)
{
    ck_assert_str_eq(tdo(t, XS_WATCH, 0, path, token, NULL), "OK");
    tclient_drain(t);
}

START_TEST(watch_on_node_and_ancestors_fire_once_each)
{
    watch(dom0, "/a/b/c", "self");
    watch(dom0, "/", "root");
    watch(dom0, "/a", "a");
    watch(dom0, "/a/b", "b");
    watch(dom0, "/a/b", "b2");
    watch(dom0, "/a/b/c/d", "below");
    watch(dom0, "/a/bc", "sibling-prefix");
    ck_assert_str_eq(tdo_write(dom0, 0, "/a/b/c", "x"), "OK");
    /* Deepest first, several on one path in the order they were set.  The
     * write created /a and /a/b too, but one change fires once. */
    ck_assert_str_eq(events(dom0), "/a/b/c|self /a/b/c|b /a/b/c|b2 "
                                   "/a/b/c|a /a/b/c|root");
    ck_assert_str_eq(tdo_write(dom0, 0, "/a/bc", "y"), "OK");
    ck_assert_str_eq(events(dom0), "/a/bc|sibling-prefix /a/bc|a /a/bc|root");
    /* Unwatching one of two on a path keeps the other, either way. */
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/a/b", "b", NULL), "OK");
    ck_assert_str_eq(tdo_write(dom0, 0, "/a/b", "z"), "OK");
    ck_assert_str_eq(events(dom0), "/a/b|b2 /a/b|a /a/b|root");
    watch(dom0, "/a/b", "b");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/a/b", "b2", NULL), "OK");
    ck_assert_str_eq(tdo_write(dom0, 0, "/a/b", "z"), "OK");
    ck_assert_str_eq(events(dom0), "/a/b|b /a/b|a /a/b|root");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/a/b", "b", NULL), "ERR:EEXIST");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/a/b", "b2", NULL),
                     "ERR:ENOENT");
}
END_TEST

START_TEST(watch_removal_fires_watches_below)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/r/x/y", "1"), "OK");
    watch(dom0, "/r/x/y/z", "deeper");
    watch(dom0, "/r", "top");
    watch(dom0, "/r/x/y", "y");
    watch(dom0, "/r/x", "x");
    watch(dom0, "/rx", "not-below");
    watch(dom0, "@releaseDomain", "special");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/r/x", NULL), "OK");
    ck_assert_str_eq(events(dom0), "/r/x|x /r/x|top "
                                   "/r/x/y/z|deeper /r/x/y|y");
}
END_TEST

START_TEST(watch_relative_through_the_index)
{
    tmake_home(dom0, 1);
    watch(g1, "data", "rel");
    watch(g1, "/local/domain/1/data", "abs");
    watch(g1, "data/deep/er", "rel-below");
    ck_assert_str_eq(tdo_write(g1, 0, "data/deep", "1"), "OK");
    ck_assert_str_eq(events(g1), "data/deep|rel "
                                 "/local/domain/1/data/deep|abs");
    ck_assert_str_eq(tdo(g1, XS_RM, 0, "data", NULL), "OK");
    ck_assert_str_eq(events(g1), "data|rel /local/domain/1/data|abs "
                                 "data/deep/er|rel-below");
    /* The same path relative and absolute are one watch for EEXIST. */
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "data", "abs", NULL),
                     "ERR:EEXIST");
}
END_TEST

START_TEST(watch_many_on_one_client)
{
    enum { N = 1000 };
    char path[64], token[16];
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof(path), "/watched/w%d", i);
        snprintf(token, sizeof(token), "t%d", i);
        watch(dom0, path, token);
    }
    ck_assert_uint_eq(dom0->c.nwatches, N);
    for (int i = 0; i < N; i += 97) {
        snprintf(path, sizeof(path), "/watched/w%d", i);
        ck_assert_str_eq(tdo_write(dom0, 0, path, "v"), "OK");
        char want[96];
        snprintf(want, sizeof(want), "%s|t%d", path, i);
        ck_assert_str_eq(events(dom0), want);
    }
    ck_assert_str_eq(tdo_write(dom0, 0, "/watched/none", "v"), "OK");
    ck_assert_str_eq(events(dom0), "");
    /* Half of them go; the rest still fire, the others not. */
    for (int i = 0; i < N; i += 2) {
        snprintf(path, sizeof(path), "/watched/w%d", i);
        snprintf(token, sizeof(token), "t%d", i);
        ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, path, token, NULL), "OK");
    }
    ck_assert_uint_eq(dom0->c.nwatches, N / 2);
    ck_assert_str_eq(tdo_write(dom0, 0, "/watched/w500", "v"), "OK");
    ck_assert_str_eq(events(dom0), "");
    ck_assert_str_eq(tdo_write(dom0, 0, "/watched/w501", "v"), "OK");
    ck_assert_str_eq(events(dom0), "/watched/w501|t501");
    /* Removing the directory ends all 500 left, in the order set. */
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/watched", NULL), "OK");
    struct tmsg *m;
    int seen = 0;
    while ((m = tclient_pop(dom0))) {
        snprintf(path, sizeof(path), "/watched/w%d|t%d", 2 * seen + 1,
                 2 * seen + 1);
        ck_assert_str_eq(tshow(m), path);
        tmsg_free(m);
        seen++;
    }
    ck_assert_int_eq(seen, N / 2);
}
END_TEST

/* A client whose transport drops it when its second event is sent. */
struct dropping_client {
    struct xsd_client c;
    int sent;
};

static void drop_on_second(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                           const void *payload)
{
    (void)hdr;
    (void)payload;
    struct dropping_client *dc = c->transport;
    if (++dc->sent == 2)
        xsd_client_release(c);
}

static const struct xsd_client_ops dropping_ops = { .send = drop_on_second };

START_TEST(watch_client_dropped_mid_fire)
{
    for (int recursive = 0; recursive < 2; recursive++) {
        ck_assert_str_eq(tdo_write(dom0, 0, "/q/r", "1"), "OK");
        struct dropping_client dc = { .sent = 0 };
        xsd_client_init(&dc.c, &d, 0, &dropping_ops, &dc);
        ck_assert_int_eq(xsd_watch_add(&dc.c, "/q", "/q", "1"), 0);
        ck_assert_int_eq(xsd_watch_add(&dc.c, "/q", "/q", "2"), 0);
        ck_assert_int_eq(xsd_watch_add(&dc.c, "/", "/", "3"), 0);
        ck_assert_int_eq(xsd_watch_add(&dc.c, "/q/r", "/q/r", "4"), 0);
        watch(dom0, "/q", "other");
        if (recursive)
            ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/q", NULL), "OK");
        else
            ck_assert_str_eq(tdo_write(dom0, 0, "/q", "2"), "OK");
        ck_assert_int_eq(dc.sent, 2);
        ck_assert(dc.c.released);
        ck_assert_ptr_null(dc.c.watches);
        ck_assert_uint_eq(dc.c.nwatches, 0);
        /* Clients after it still hear of the change. */
        ck_assert_str_eq(events(dom0), "/q|other");
        ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/q", "other", NULL), "OK");
    }
}
END_TEST

START_TEST(watch_respects_permissions_through_the_index)
{
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/p", NULL), "OK");
    watch(g1, "/p", "g");
    watch(dom0, "/p", "d");
    ck_assert_str_eq(tdo_write(dom0, 0, "/p/hidden", "1"), "OK");
    ck_assert_str_eq(events(g1), "");
    ck_assert_str_eq(events(dom0), "/p/hidden|d");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/p/hidden", "n0", "r1",
                         NULL), "OK");
    ck_assert_str_eq(events(g1), "/p/hidden|g");
    tclient_drain(dom0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xenstored store");
    TCase *map = tcase_create("map");
    /* Generous: these run under ASan on machines that may be busy. */
    tcase_set_timeout(map, 120);
    tcase_add_test(map, map_removals_keep_the_rest_reachable);
    tcase_add_test(map, map_owned_and_borrowed_keys);
    tcase_add_test(map, map_random_operations_match_a_reference);
    suite_add_tcase(s, map);
    TCase *dirs = tcase_create("directories");
    tcase_add_checked_fixture(dirs, setup, teardown);
    tcase_set_timeout(dirs, 60);
    tcase_add_test(dirs, directory_of_1200_children_in_creation_order);
    tcase_add_test(dirs,
                   directory_parts_removal_from_the_middle_and_recreation);
    tcase_add_test(dirs, directory_changes_in_a_transaction);
    suite_add_tcase(s, dirs);
    TCase *watches = tcase_create("watch index");
    tcase_add_checked_fixture(watches, setup, teardown);
    tcase_set_timeout(watches, 60);
    tcase_add_test(watches, watch_on_node_and_ancestors_fire_once_each);
    tcase_add_test(watches, watch_removal_fires_watches_below);
    tcase_add_test(watches, watch_relative_through_the_index);
    tcase_add_test(watches, watch_many_on_one_client);
    tcase_add_test(watches, watch_client_dropped_mid_fire);
    tcase_add_test(watches, watch_respects_permissions_through_the_index);
    suite_add_tcase(s, watches);
    return run_suite(s);
}
