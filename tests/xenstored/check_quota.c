/* What one domain can make the daemon hold: the memory quota over its
 * nodes, its open transactions and its watches; a transaction's changes
 * kept once per node however often it changes one; and the node quota
 * checked again when a transaction commits. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "xsd_mem.h"
#include "xsd_test_client.h"
#include "xsd_txn.h"

static struct xsd_daemon d;
static struct tclient *dom0, *g1;
static char value[1001];     /* 1000 bytes of 'm' */

static void setup(void)
{
    ck_assert_int_eq(xsd_daemon_init(&d), 0);
    dom0 = tclient_new(&d, 0);
    g1 = tclient_new(&d, 1);
    tmake_home(dom0, 1);
    memset(value, 'm', sizeof(value) - 1);
}

static void teardown(void)
{
    tdaemon_close(&d, (struct tclient *[]){ dom0, g1, NULL });
}

static unsigned txn_events(struct tclient *t, uint32_t tx)
{
    unsigned n = 0;
    for (struct xsd_txn_event *e = xsd_txn_find(&t->c, tx)->events; e;
         e = e->next)
        n++;
    return n;
}

/* ---- one transaction changing one node again and again ---- */

/* 20,000 writes of one node in a transaction keep one copy of the node
 * and one pending watch event, and fire that event once at commit: the
 * 20,000th write costs no more than the first. */
START_TEST(same_node_written_20000_times_is_kept_once)
{
    enum { N = 20000 };
    struct tclient *w = tclient_new(&d, 0);
    ck_assert_str_eq(tdo(w, XS_WATCH, 0, "/n", "t", NULL), "OK");
    tclient_drain(w);
    uint32_t t = tstart(dom0);
    char v[16];
    size_t after_first = 0, held_first = 0;
    for (int i = 0; i < N; i++) {
        snprintf(v, sizeof(v), "%05d", i);
        ck_assert_str_eq(tdo_write(dom0, t, "/n", v), "OK");
        if (i == 0) {
            after_first = xsd_txn_find(&dom0->c, t)->bytes;
            held_first = xsd_mem_held(&d, 0);
        }
    }
    ck_assert_uint_eq(xsd_txn_find(&dom0->c, t)->bytes, after_first);
    ck_assert_uint_eq(xsd_mem_held(&d, 0), held_first);
    /* The node and its parent /, which lists it. */
    ck_assert_uint_eq(xsd_txn_find(&dom0->c, t)->overlay.count, 2);
    ck_assert_uint_eq(txn_events(dom0, t), 1);
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_uint_eq(w->count, 1);
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/n", NULL), "19999");
    /* What the transaction held is given back. */
    ck_assert_uint_eq(xsd_mem_held(&d, 0), held_first - after_first);
    tclient_free(w);
}
END_TEST

/* Writes, permission changes and a removal of one node merge into one
 * event; a removal stays a removal (watches below it fire too). */
START_TEST(changes_of_one_node_merge_into_one_event)
{
    struct tclient *w = tclient_new(&d, 0);
    ck_assert_str_eq(tdo(w, XS_WATCH, 0, "/m/a/deep", "below", NULL), "OK");
    ck_assert_str_eq(tdo(w, XS_WATCH, 0, "/m", "m", NULL), "OK");
    tclient_drain(w);
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo_write(dom0, t, "/m/a", "1"), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/m/b", "1"), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/m/a", "2"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, t, "/m/a", "n0", "r1", NULL),
                     "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, t, "/m/a", NULL), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/m/b", "2"), "OK");
    ck_assert_uint_eq(txn_events(dom0, t), 2);
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
    /* In the order each node first changed. */
    const char *want[] = { "/m/a|m", "/m/a/deep|below", "/m/b|m" };
    for (int i = 0; i < 3; i++) {
        struct tmsg *m = tclient_pop(w);
        ck_assert_ptr_nonnull(m);
        ck_assert_str_eq(tshow(m), want[i]);
        tmsg_free(m);
    }
    ck_assert_ptr_null(tclient_pop(w));
    tclient_free(w);
}
END_TEST

/* ---- the memory quota ---- */

/* Nodes of 1000 bytes until the write fails: how many went in. */
static int fill(struct tclient *t, uint32_t tx, const char *dir, int most,
                const char **last)
{
    char path[64];
    int ok = 0;
    for (int i = 0; i < most; i++) {
        snprintf(path, sizeof(path), "%s/%d", dir, i);
        *last = tdo_write(t, tx, path, value);
        if (strcmp(*last, "OK") != 0)
            break;
        ok++;
    }
    return ok;
}

START_TEST(memory_quota_bounds_a_guests_nodes)
{
    d.quota.memory = 64 * 1024;
    const char *last;
    int ok = fill(g1, 0, "m", 200, &last);
    ck_assert_str_eq(last, "ERR:ENOSPC");
    /* 64 KiB hold fewer than 64 values of 1000 bytes, but not many
     * fewer: a node costs little besides its value. */
    ck_assert_int_lt(ok, 64);
    ck_assert_int_gt(ok, 48);
    /* What failed is not there. */
    char path[64];
    snprintf(path, sizeof(path), "m/%d", ok);
    ck_assert_str_eq(tdo(g1, XS_READ, 0, path, NULL), "ERR:ENOENT");
    /* Smaller is fine even now; dom0 is not bound; removing frees. */
    ck_assert_str_eq(tdo_write(g1, 0, "m/0", "small"), "OK");
    ck_assert_str_eq(tdo_write(dom0, 0, "/local/domain/1/m/dom0", value),
                     "OK");
    ck_assert_str_eq(tdo(g1, XS_RM, 0, "m", NULL), "OK");
    ck_assert_int_eq(fill(g1, 0, "m", ok, &last), ok);
    tcheck_tree(&d);
}
END_TEST

/* Ten open transactions together get no more than the quota: what a
 * transaction holds counts for its domain until it ends. */
START_TEST(memory_quota_counts_open_transactions)
{
    d.quota.memory = 64 * 1024;
    uint32_t t[10];
    int total = 0;
    for (int k = 0; k < 10; k++) {
        t[k] = tstart(g1);
        ck_assert_uint_ne(t[k], 0);
        char dir[16];
        snprintf(dir, sizeof(dir), "t%d", k);
        const char *last = "OK";
        total += fill(g1, t[k], dir, 100, &last);
        if (strcmp(last, "OK") != 0)
            ck_assert_str_eq(last, "ERR:ENOSPC");
    }
    ck_assert_int_lt(total, 64);
    ck_assert_int_gt(total, 40);
    /* Outside the transactions the domain is out of room too... */
    ck_assert_str_eq(tdo_write(g1, 0, "outside", value), "ERR:ENOSPC");
    /* ...until they end. */
    for (int k = 0; k < 10; k++)
        ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t[k], "F", NULL), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "outside", value), "OK");
}
END_TEST

/* What a transaction reads is held too: 1000 long paths would be 200 KiB.
 * The nodes are dom0's, readable by the guest. */
START_TEST(memory_quota_counts_what_a_transaction_read)
{
    char path[300];
    char name[201];
    memset(name, 'r', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/r", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/r", "n0", "r1", NULL),
                     "OK");
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof(path), "/r/%04d%s", i, name);
        ck_assert_str_eq(tdo_write(dom0, 0, path, ""), "OK");
    }
    d.quota.memory = 64 * 1024;
    uint32_t t = tstart(g1);
    int read = 0;
    const char *last = "";
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof(path), "/r/%04d%s", i, name);
        last = tdo(g1, XS_READ, t, path, NULL);
        if (strcmp(last, "") != 0)
            break;
        read++;
    }
    ck_assert_str_eq(last, "ERR:ENOSPC");
    ck_assert_int_lt(read, 64 * 1024 / 200);
    ck_assert_int_gt(read, 64 * 1024 / 400);
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "F", NULL), "OK");
}
END_TEST

START_TEST(memory_quota_counts_watches)
{
    d.quota.memory = 16 * 1024;
    d.quota.watches = 1000;
    char path[32];
    int ok = 0;
    const char *last = "OK";
    for (int i = 0; i < 100 && !strcmp(last, "OK"); i++) {
        snprintf(path, sizeof(path), "w%d", i);
        last = tdo(g1, XS_WATCH, 0, path, value, NULL);
        ok += !strcmp(last, "OK");
    }
    ck_assert_str_eq(last, "ERR:E2BIG");
    ck_assert_int_lt(ok, 16);
    tclient_drain(g1);
    ck_assert_str_eq(tdo(g1, XS_RESET_WATCHES, 0, NULL), "OK");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "w0", value, NULL), "OK");
}
END_TEST

/* ---- the node quota at commit ---- */

/* Ten transactions each within the quota on its own must not together
 * commit past it: the quota is checked again at commit. */
START_TEST(node_quota_checked_again_at_commit)
{
    d.quota.nodes = 100;
    uint32_t t[10];
    char path[32];
    /* Each transaction fills a directory of its own, so that they do not
     * conflict: only the quota can stop them. */
    for (int k = 0; k < 10; k++) {
        snprintf(path, sizeof(path), "p%d", k);
        ck_assert_str_eq(tdo(g1, XS_MKDIR, 0, path, NULL), "OK");
    }
    for (int k = 0; k < 10; k++) {
        t[k] = tstart(g1);
        for (int i = 0; i < 50; i++) {
            snprintf(path, sizeof(path), "p%d/n%d", k, i);
            ck_assert_str_eq(tdo_write(g1, t[k], path, "x"), "OK");
        }
    }
    int committed = 0, refused = 0;
    for (int k = 0; k < 10; k++) {
        const char *r = tdo(g1, XS_TRANSACTION_END, t[k], "T", NULL);
        if (!strcmp(r, "OK"))
            committed++;
        else if (!strcmp(r, "ERR:ENOSPC"))
            refused++;
        else
            ck_abort_msg("commit %d: %s", k, r);
    }
    ck_assert_int_eq(committed, 1);
    ck_assert_int_eq(refused, 9);
    ck_assert_uint_eq(xsd_store_owned(&d.store, 1), 61);
    ck_assert_str_eq(tdo(g1, XS_DIRECTORY, 0, "p1", NULL), "");
    tcheck_tree(&d);
}
END_TEST

/* A transaction that creates nothing commits even over the quota (it was
 * lowered meanwhile): removing is how a domain gets back under it. */
START_TEST(node_quota_at_commit_lets_removals_through)
{
    char path[32];
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "n%d", i);
        ck_assert_str_eq(tdo_write(g1, 0, path, "x"), "OK");
    }
    d.quota.nodes = 5;
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo(g1, XS_RM, t, "n0", NULL), "OK");
    ck_assert_str_eq(tdo_write(g1, t, "n1", "changed"), "OK");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_uint_eq(xsd_store_owned(&d.store, 1), 20);
    /* dom0's transactions are not bound. */
    t = tstart(dom0);
    ck_assert_str_eq(tdo_write(dom0, t, "/local/domain/1/d0", "x"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
}
END_TEST

/* A commit that both conflicts and would go over the quota says EAGAIN:
 * the count it would check is stale, and the client retries on EAGAIN. */
START_TEST(conflict_is_reported_before_the_node_quota)
{
    d.quota.nodes = 10;
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo(g1, XS_READ, t, "c", NULL), "ERR:ENOENT");
    char path[16];
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "t%d", i);
        ck_assert_str_eq(tdo_write(g1, t, path, "x"), "OK");
    }
    for (int i = 0; i < 8; i++) {
        snprintf(path, sizeof(path), "o%d", i);
        ck_assert_str_eq(tdo_write(g1, 0, path, "x"), "OK");
    }
    ck_assert_str_eq(tdo_write(g1, 0, "c", "x"), "OK");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:EAGAIN");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xenstored quotas");
    TCase *merge = tcase_create("per-node changes");
    tcase_add_checked_fixture(merge, setup, teardown);
    tcase_set_timeout(merge, 120);
    tcase_add_test(merge, same_node_written_20000_times_is_kept_once);
    tcase_add_test(merge, changes_of_one_node_merge_into_one_event);
    suite_add_tcase(s, merge);
    TCase *mem = tcase_create("memory");
    tcase_add_checked_fixture(mem, setup, teardown);
    tcase_set_timeout(mem, 60);
    tcase_add_test(mem, memory_quota_bounds_a_guests_nodes);
    tcase_add_test(mem, memory_quota_counts_open_transactions);
    tcase_add_test(mem, memory_quota_counts_what_a_transaction_read);
    tcase_add_test(mem, memory_quota_counts_watches);
    suite_add_tcase(s, mem);
    TCase *nodes = tcase_create("nodes at commit");
    tcase_add_checked_fixture(nodes, setup, teardown);
    tcase_set_timeout(nodes, 60);
    tcase_add_test(nodes, node_quota_checked_again_at_commit);
    tcase_add_test(nodes, node_quota_at_commit_lets_removals_through);
    tcase_add_test(nodes, conflict_is_reported_before_the_node_quota);
    suite_add_tcase(s, nodes);
    return run_suite(s);
}
