/* A request that fails changes nothing: not the committed tree, not the
 * transaction it ran in, and it fires no watch.  Each test makes a
 * request fail part way through (a quota reached after some of its
 * nodes were already removed or created) and looks at what is left. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "xsd_test_client.h"
#include "xsd_txn.h"

static struct xsd_daemon d;
static struct tclient *dom0, *g1;

/* What DIRECTORY lists in the guest's home (in transaction tx or not). */
static const char *home_dir(uint32_t tx)
{
    return tdo(g1, XS_DIRECTORY, tx, "/local/domain/1", NULL);
}

static void setup(void)
{
    ck_assert_int_eq(xsd_daemon_init(&d), 0);
    dom0 = tclient_new(&d, 0);
    g1 = tclient_new(&d, 1);
    tmake_home(dom0, 1);
}

static void teardown(void)
{
    tdaemon_close(&d, (struct tclient *[]){ dom0, g1, NULL });
}

static void watch(struct tclient *t, const char *path, const char *token)
{
    ck_assert_str_eq(tdo(t, XS_WATCH, 0, path, token, NULL), "OK");
    tclient_drain(t);
}

/* The events queued for t, as "path|token" joined by ' ' (static). */
static const char *events(struct tclient *t)
{
    static char buf[4096];
    buf[0] = '\0';
    struct tmsg *m;
    while ((m = tclient_pop(t))) {
        if (buf[0])
            strcat(buf, " ");
        if (strlen(buf) + m->hdr.len + 2 < sizeof(buf))
            strcat(buf, tshow(m));
        tmsg_free(m);
    }
    return buf;
}

enum { CHILDREN = 40 };

/* The guest's tree/c00 .. c39, each "v", and a watch of dom0 on it. */
static void make_tree(void)
{
    char path[32];
    for (int i = 0; i < CHILDREN; i++) {
        snprintf(path, sizeof(path), "tree/c%02d", i);
        ck_assert_str_eq(tdo_write(g1, 0, path, "v"), "OK");
    }
    watch(dom0, "/local/domain/1/tree", "w");
}

static void assert_tree_intact(uint32_t tx)
{
    char path[32];
    for (int i = 0; i < CHILDREN; i++) {
        snprintf(path, sizeof(path), "tree/c%02d", i);
        ck_assert_msg(!strcmp(tdo(g1, XS_READ, tx, path, NULL), "v"),
                      "%s (tx %u): %s", path, tx,
                      tdo(g1, XS_READ, tx, path, NULL));
    }
}

/*
 * RM of a subtree larger than what a transaction may touch fails with
 * ENOSPC, and the commit that follows must not remove any of it: it
 * used to remove the children looked at before the limit, leaving the
 * parent listing nodes that no longer existed and firing no watch.
 */
START_TEST(rm_over_the_access_limit_commits_nothing)
{
    make_tree();
    d.quota.transaction_nodes = CHILDREN / 2;
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo(g1, XS_RM, t, "tree", NULL), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    tcheck_tree(&d);
    assert_tree_intact(0);
    ck_assert_str_eq(events(dom0), "");
}
END_TEST

/* The failed RM leaves the transaction as it was: it still sees the
 * whole subtree and may still touch as many nodes as before. */
START_TEST(rm_over_the_access_limit_leaves_the_transaction_as_it_was)
{
    make_tree();
    d.quota.transaction_nodes = CHILDREN + 4;
    uint32_t t = tstart(g1);
    d.quota.transaction_nodes = CHILDREN / 2;
    ck_assert_str_eq(tdo(g1, XS_RM, t, "tree", NULL), "ERR:ENOSPC");
    d.quota.transaction_nodes = CHILDREN + 4;
    ck_assert_uint_eq(xsd_txn_find(&g1->c, t)->overlay.count, 0);
    assert_tree_intact(t);
    ck_assert_str_eq(tdo_write(g1, t, "tree/c00", "changed"), "OK");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(events(dom0), "/local/domain/1/tree/c00|w");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "tree/c00", NULL), "changed");
    tcheck_tree(&d);
}
END_TEST

/* A removal that succeeds in a transaction still removes it all. */
START_TEST(rm_within_the_limit_removes_everything_at_commit)
{
    make_tree();
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo(g1, XS_RM, t, "tree", NULL), "OK");
    ck_assert_str_eq(events(dom0), "");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(events(dom0), "/local/domain/1/tree|w");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "tree", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "tree/c07", NULL), "ERR:ENOENT");
    tcheck_tree(&d);
    ck_assert_uint_eq(xsd_store_owned(&d.store, 1), 1);
}
END_TEST

/* x/<a name too long for x's node-size quota>: x is made, then adding
 * the long name to it fails. */
static const char *long_child_path(void)
{
    static char path[160];
    memset(path, 'a', sizeof(path) - 1);
    path[sizeof(path) - 1] = '\0';
    memcpy(path, "x/", 2);
    return path;
}

/* Creating missing parents (x) and then failing on the node itself must
 * not leave the parents behind. */
START_TEST(create_failing_after_its_parents_leaves_nothing)
{
    watch(dom0, "/local/domain/1", "home");
    d.quota.node_size = 100;
    ck_assert_str_eq(tdo_write(g1, 0, long_child_path(), "v"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "x", NULL), "ERR:ENOENT");
    ck_assert_str_eq(home_dir(0), "");
    ck_assert_str_eq(tdo(g1, XS_MKDIR, 0, long_child_path(), NULL),
                     "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "x", NULL), "ERR:ENOENT");
    ck_assert_str_eq(events(dom0), "");
    ck_assert_uint_eq(xsd_store_owned(&d.store, 1), 1);
    tcheck_tree(&d);
}
END_TEST

START_TEST(create_failing_after_its_parents_in_a_transaction)
{
    d.quota.node_size = 100;
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo_write(g1, t, long_child_path(), "v"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_READ, t, "x", NULL), "ERR:ENOENT");
    ck_assert_str_eq(home_dir(t), "");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "x", NULL), "ERR:ENOENT");
    ck_assert_uint_eq(xsd_store_owned(&d.store, 1), 1);
    tcheck_tree(&d);
}
END_TEST

/* A failed request between successful ones in a transaction: the
 * successful ones commit, with their watch events, and nothing else. */
START_TEST(failed_request_between_good_ones)
{
    watch(dom0, "/local/domain/1", "home");
    d.quota.node_size = 100;
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo_write(g1, t, "before", "1"), "OK");
    ck_assert_str_eq(tdo_write(g1, t, long_child_path(), "v"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo_write(g1, t, "after", "2"), "OK");
    ck_assert_str_eq(home_dir(t), "before|after");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(events(dom0), "/local/domain/1/before|home "
                                   "/local/domain/1/after|home");
    ck_assert_str_eq(home_dir(0), "before|after");
    tcheck_tree(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xenstored failed requests");
    TCase *tc = tcase_create("atomic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rm_over_the_access_limit_commits_nothing);
    tcase_add_test(tc,
                   rm_over_the_access_limit_leaves_the_transaction_as_it_was);
    tcase_add_test(tc, rm_within_the_limit_removes_everything_at_commit);
    tcase_add_test(tc, create_failing_after_its_parents_leaves_nothing);
    tcase_add_test(tc, create_failing_after_its_parents_in_a_transaction);
    tcase_add_test(tc, failed_request_between_good_ones);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
