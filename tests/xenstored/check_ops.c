/* Every message type and every error reply, driven through the
 * dispatcher with encoded messages: nodes, permissions, transactions,
 * watches, quotas, domains and CONTROL. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_test_client.h"
#include "xsd_txn.h"
#include "../check_main.h"

static struct xsd_daemon d;
static struct tclient *dom0, *g1, *g2;

static void setup(void)
{
    ck_assert_int_eq(xsd_daemon_init(&d), 0);
    dom0 = tclient_new(&d, 0);
    g1 = tclient_new(&d, 1);
    g2 = tclient_new(&d, 2);
}

static void teardown(void)
{
    tdaemon_close(&d, (struct tclient *[]){ dom0, g1, g2, NULL });
}

static const char *next_event(struct tclient *t)
{
    struct tmsg *m = tclient_pop(t);
    if (!m)
        return "(none)";
    static char buf[512];
    snprintf(buf, sizeof(buf), "%s%s",
             m->hdr.type == XS_WATCH_EVENT ? "" : "NOT-EVENT:", tshow(m));
    tmsg_free(m);
    return buf;
}

/* ---- nodes ---- */

START_TEST(write_read_and_implicit_parents)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/a", "b"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a", NULL), "b");
    ck_assert_str_eq(tdo_write(dom0, 0, "/x/y/z", "deep"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/x/y", NULL), "");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/x", NULL), "y");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/", NULL), "local|tool|a|x");
    ck_assert_str_eq(tdo_write(dom0, 0, "/a", ""), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a", NULL), "");
    /* Values are bytes: embedded NULs survive. */
    struct tmsg *m = treq_raw(dom0, XS_WRITE, 0, "/bin\0a\0b", 8);
    ck_assert_str_eq(tshow(m), "OK");
    tmsg_free(m);
    m = treq(dom0, XS_READ, 0, "/bin", NULL);
    ck_assert_uint_eq(m->hdr.len, 3);
    ck_assert_int_eq(memcmp(m->payload, "a\0b", 3), 0);
    tmsg_free(m);
}
END_TEST

START_TEST(reply_header_echoes_request)
{
    struct tmsg *m = twrite(dom0, 0, "/h", "v");
    ck_assert_uint_eq(m->hdr.type, XS_WRITE);
    ck_assert_uint_eq(m->hdr.req_id, 42);
    ck_assert_uint_eq(m->hdr.len, 3);
    ck_assert_int_eq(memcmp(m->payload, "OK", 3), 0);
    tmsg_free(m);
    m = treq(dom0, XS_READ, 0, "/nope", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_ERROR);
    ck_assert_uint_eq(m->hdr.req_id, 42);
    ck_assert_uint_eq(m->hdr.len, 7);
    ck_assert_int_eq(memcmp(m->payload, "ENOENT", 7), 0);
    tmsg_free(m);
}
END_TEST

START_TEST(bad_requests_get_einval)
{
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/nope", NULL), "ERR:ENOENT");
    struct tmsg *m = treq_raw(dom0, XS_READ, 0, "/a", 2);   /* no NUL */
    ck_assert_str_eq(tshow(m), "ERR:EINVAL");
    tmsg_free(m);
    m = treq_raw(dom0, XS_WRITE, 0, "/a", 2);               /* no NUL */
    ck_assert_str_eq(tshow(m), "ERR:EINVAL");
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a//b", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a/", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a b", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "@releaseDomain", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/a", "/b", NULL), "ERR:EINVAL");
    m = treq_raw(dom0, XS_READ, 0, "/a\0junk", 7);   /* trailing junk */
    ck_assert_str_eq(tshow(m), "ERR:EINVAL");
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_WATCH_EVENT, 0, "/a", "t", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_ERROR, 0, "EINVAL", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, 20, 0, "/a", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, 9999, 0, "/a", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY_PART, 0, "/", "x", NULL),
                     "ERR:EINVAL");
}
END_TEST

START_TEST(mkdir_and_rm)
{
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/m/n", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/m/n", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/m/n", NULL), "");
    ck_assert_str_eq(tdo_write(dom0, 0, "/m/n/o/p", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/m/n", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/m/n/o/p", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/m/n/o", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/m", NULL), "");
    /* Already gone is fine while the parent exists. */
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/m/n", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/m/q/r", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/", NULL), "ERR:EINVAL");
    /* Re-creating a removed node works and the store stays consistent. */
    ck_assert_str_eq(tdo_write(dom0, 0, "/m/n/o", "again"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/m/n", NULL), "o");
}
END_TEST

START_TEST(directory_part_pages_big_directories)
{
    char name[64];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), "/big/child-with-long-name-%03d", i);
        ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, name, NULL), "OK");
    }
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/big", NULL), "ERR:E2BIG");
    unsigned long offset = 0;
    int seen = 0, parts = 0;
    char gen[32] = "";
    for (;;) {
        char off[32];
        snprintf(off, sizeof(off), "%lu", offset);
        struct tmsg *m = treq(dom0, XS_DIRECTORY_PART, 0, "/big", off, NULL);
        ck_assert_uint_eq(m->hdr.type, XS_DIRECTORY_PART);
        ck_assert_uint_le(m->hdr.len, XENSTORE_PAYLOAD_MAX);
        parts++;
        if (parts == 1)
            snprintf(gen, sizeof(gen), "%s", m->payload);
        else
            ck_assert_str_eq(m->payload, gen);
        char *p = m->payload + strlen(m->payload) + 1;
        char *end = m->payload + m->hdr.len;
        bool last = false;
        while (p < end) {
            if (*p == '\0') {
                last = true;
                break;
            }
            snprintf(name, sizeof(name), "child-with-long-name-%03d", seen);
            ck_assert_str_eq(p, name);
            seen++;
            offset += strlen(p) + 1;
            p += strlen(p) + 1;
        }
        tmsg_free(m);
        if (last)
            break;
        ck_assert_int_lt(parts, 10);
    }
    ck_assert_int_eq(seen, 300);
    ck_assert_int_gt(parts, 1);
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/small/a", NULL), "OK");
    struct tmsg *m = treq(dom0, XS_DIRECTORY_PART, 0, "/small", "0", NULL);
    size_t gl = strlen(m->payload) + 1;
    ck_assert_uint_eq(m->hdr.len, gl + 3);
    ck_assert_int_eq(memcmp(m->payload + gl, "a\0\0", 3), 0);
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY_PART, 0, "/none", "0", NULL),
                     "ERR:ENOENT");
}
END_TEST

/* ---- permissions ---- */

START_TEST(perms_get_set_and_enforce)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/p", "secret"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "/p", NULL), "n0");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "/p", NULL), "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/p", "n0", "r1", "w2", NULL),
                     "OK");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "/p", NULL), "n0|r1|w2");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "/p", NULL), "secret");
    ck_assert_str_eq(tdo_write(g1, 0, "/p", "x"), "ERR:EACCES");
    ck_assert_str_eq(tdo(g2, XS_READ, 0, "/p", NULL), "ERR:EACCES");
    ck_assert_str_eq(tdo_write(g2, 0, "/p", "x"), "OK");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "/p", NULL), "x");
    /* Only the owner changes permissions; a guest cannot give a node away. */
    ck_assert_str_eq(tdo(g2, XS_SET_PERMS, 0, "/p", "b2", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/p", "b9", NULL), "OK");
    ck_assert_str_eq(tdo(g2, XS_READ, 0, "/p", NULL), "x");
    tmake_home(dom0, 1);
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "/local/domain/1", "n2", NULL),
                     "ERR:EPERM");
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "/local/domain/1", "n1", "r2",
                         NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/p", "q0", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/p", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/gone", "n0", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "/gone", NULL), "ERR:ENOENT");
}
END_TEST

START_TEST(perms_inherited_and_guest_owns_its_nodes)
{
    tmake_home(dom0, 1);
    ck_assert_str_eq(tdo_write(g1, 0, "data/x", "v"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/local/domain/1/data/x", NULL),
                     "v");
    ck_assert_str_eq(tdo(g1, XS_GET_PERMS, 0, "data/x", NULL), "n1");
    ck_assert_str_eq(tdo(g2, XS_READ, 0, "/local/domain/1/data/x", NULL),
                     "ERR:EACCES");
    /* Absence below an unreadable node is not revealed either. */
    ck_assert_str_eq(tdo(g2, XS_READ, 0, "/local/domain/1/nothing", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "nothing", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo_write(g2, 0, "/local/domain/1/y", "v"),
                     "ERR:EACCES");
    /* A dom0 node writable by a guest: what the guest creates is its own,
     * with the parent's other entries. */
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/shared", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/shared", "n0", "w1", NULL),
                     "OK");
    /* Write-only is not enough to create: as in Xen, the missing node's
     * parent must be readable too, or the answer is EACCES. */
    ck_assert_str_eq(tdo_write(g1, 0, "/shared/g1", "mine"), "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/shared", "n0", "b1", NULL),
                     "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "/shared/g1", "mine"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "/shared/g1", NULL), "n1|b1");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "/shared/g1", NULL), "mine");
    /* dom0-created children inherit the parent's perms unchanged. */
    ck_assert_str_eq(tdo_write(dom0, 0, "/shared/d0/e", "x"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "/shared/d0/e", NULL),
                     "n0|b1");
}
END_TEST

START_TEST(read_only_connection)
{
    struct tclient *ro = tclient_new(&d, 0);
    ro->c.read_only = true;
    ck_assert_str_eq(tdo_write(dom0, 0, "/r", "v"), "OK");
    ck_assert_str_eq(tdo(ro, XS_READ, 0, "/r", NULL), "v");
    ck_assert_str_eq(tdo(ro, XS_DIRECTORY, 0, "/", NULL), "local|tool|r");
    ck_assert_str_eq(tdo_write(ro, 0, "/r", "w"), "ERR:EROFS");
    ck_assert_str_eq(tdo(ro, XS_MKDIR, 0, "/s", NULL), "ERR:EROFS");
    ck_assert_str_eq(tdo(ro, XS_RM, 0, "/r", NULL), "ERR:EROFS");
    ck_assert_str_eq(tdo(ro, XS_SET_PERMS, 0, "/r", "b0", NULL), "ERR:EROFS");
    ck_assert_str_eq(tdo(ro, XS_WATCH, 0, "/r", "t", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/r", NULL), "v");
    tclient_free(ro);
}
END_TEST

START_TEST(set_target_acts_for_target)
{
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "100", "1", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "6", "101", "1", NULL), "OK");
    tmake_home(dom0, 6);
    ck_assert_str_eq(tdo_write(dom0, 0, "/local/domain/6/v", "six"), "OK");
    struct tclient *g5 = tclient_new(&d, 5);
    ck_assert_str_eq(tdo(g5, XS_READ, 0, "/local/domain/6/v", NULL),
                     "ERR:EACCES");
    tclient_free(g5);
    ck_assert_str_eq(tdo(dom0, XS_SET_TARGET, 0, "5", "6", NULL), "OK");
    g5 = tclient_new(&d, 5);
    ck_assert_str_eq(tdo(g5, XS_READ, 0, "/local/domain/6/v", NULL), "six");
    ck_assert_str_eq(tdo_write(g5, 0, "/local/domain/6/w", "x"), "OK");
    tclient_free(g5);
    ck_assert_str_eq(tdo(dom0, XS_SET_TARGET, 0, "9", "6", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_SET_TARGET, 0, "5", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(g1, XS_SET_TARGET, 0, "5", "6", NULL), "ERR:EACCES");
}
END_TEST

/* ---- transactions ---- */

START_TEST(txn_isolation_and_commit)
{
    uint32_t t = tstart(dom0);
    ck_assert_uint_ne(t, 0);
    ck_assert_str_eq(tdo_write(dom0, t, "/t/a", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/t/a", NULL), "1");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, t, "/t", NULL), "a");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/t/a", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_DIRECTORY, 0, "/", NULL), "local|tool");
    struct tmsg *m = treq(dom0, XS_TRANSACTION_END, t, "T", NULL);
    ck_assert_str_eq(tshow(m), "OK");
    ck_assert_uint_eq(m->hdr.tx_id, t);
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/t/a", NULL), "1");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:ENOENT");
}
END_TEST

START_TEST(txn_abort_discards)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/k", "old"), "OK");
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo_write(dom0, t, "/k", "new"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, t, "/local", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/local/domain", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "F", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/k", NULL), "old");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/local/domain", NULL), "");
}
END_TEST

START_TEST(txn_conflicts_give_eagain)
{
    ck_assert_str_eq(tdo_write(dom0, 0, "/c", "0"), "OK");
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/c", NULL), "0");
    ck_assert_str_eq(tdo_write(dom0, t, "/d", "from-txn"), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "/unrelated", "x"), "ERR:EACCES");
    ck_assert_str_eq(tdo_write(dom0, 0, "/c", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:EAGAIN");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/d", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:ENOENT");

    /* Changes to nodes the transaction never touched do not conflict. */
    t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/c", NULL), "1");
    ck_assert_str_eq(tdo_write(dom0, 0, "/elsewhere", "x"), "OK");
    ck_assert_str_eq(tdo_write(dom0, t, "/c", "2"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/c", NULL), "2");

    /* Two transactions creating the same node: the second loses. */
    uint32_t a = tstart(dom0), b = tstart(dom0);
    ck_assert_uint_ne(a, b);
    ck_assert_str_eq(tdo_write(dom0, a, "/same", "a"), "OK");
    ck_assert_str_eq(tdo_write(dom0, b, "/same", "b"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, a, "T", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, b, "T", NULL),
                     "ERR:EAGAIN");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/same", NULL), "a");

    /* Reading an absent node and then seeing it created conflicts too. */
    t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/later", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo_write(dom0, 0, "/later", "x"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:EAGAIN");
}
END_TEST

/* The client makes XSD_TXN_FAVOUR_AFTER transactions that read and write
 * path and lose each to a commit of `rival`. */
static void lose_in_a_row(struct tclient *loser, struct tclient *rival,
                          const char *path)
{
    for (int i = 0; i < XSD_TXN_FAVOUR_AFTER; i++) {
        uint32_t t = tstart(loser);
        tdo(loser, XS_READ, t, path, NULL);
        uint32_t o = tstart(rival);
        tdo(rival, XS_READ, o, path, NULL);
        ck_assert_str_eq(tdo_write(rival, o, path, "rival"), "OK");
        ck_assert_str_eq(tdo(rival, XS_TRANSACTION_END, o, "T", NULL), "OK");
        ck_assert_str_eq(tdo_write(loser, t, path, "loser"), "OK");
        ck_assert_str_eq(tdo(loser, XS_TRANSACTION_END, t, "T", NULL),
                         "ERR:EAGAIN");
    }
}

/* A transaction of `who` over path that commits or not. */
static const char *rmw(struct tclient *who, const char *path,
                       const char *value)
{
    uint32_t t = tstart(who);
    tdo(who, XS_READ, t, path, NULL);
    tdo_write(who, t, path, value);
    return tdo(who, XS_TRANSACTION_END, t, "T", NULL);
}

START_TEST(txn_starving_client_is_favoured)
{
    struct tclient *a = tclient_new(&d, 0);
    ck_assert_str_eq(tdo_write(dom0, 0, "/c", "0"), "OK");
    lose_in_a_row(a, dom0, "/c");
    /* A's next transaction is favoured: a commit of another dom0
     * connection that would change what it read is refused... */
    uint32_t t = tstart(a);
    ck_assert_str_eq(tdo(a, XS_READ, t, "/c", NULL), "rival");
    ck_assert_str_eq(rmw(dom0, "/c", "refused"), "ERR:EAGAIN");
    /* ...one that changes something else is not... */
    ck_assert_str_eq(rmw(dom0, "/elsewhere", "fine"), "OK");
    /* ...and the favoured one commits. */
    ck_assert_str_eq(tdo_write(a, t, "/c", "a-won"), "OK");
    ck_assert_str_eq(tdo(a, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/c", NULL), "a-won");
    /* The favour ended with that commit. */
    ck_assert_str_eq(rmw(dom0, "/c", "after"), "OK");

    /* Writes outside transactions are never refused: they only make the
     * favoured transaction fail, as any change would. */
    lose_in_a_row(a, dom0, "/c");
    t = tstart(a);
    tdo(a, XS_READ, t, "/c", NULL);
    ck_assert_str_eq(tdo_write(dom0, 0, "/c", "plain"), "OK");
    tdo_write(a, t, "/c", "late");
    ck_assert_str_eq(tdo(a, XS_TRANSACTION_END, t, "T", NULL), "ERR:EAGAIN");

    /* A is still losing in a row, so its next transaction is favoured
     * again; aborting it lets the others through at once. */
    t = tstart(a);
    tdo(a, XS_READ, t, "/c", NULL);
    ck_assert_str_eq(rmw(dom0, "/c", "refused"), "ERR:EAGAIN");
    ck_assert_str_eq(tdo(a, XS_TRANSACTION_END, t, "F", NULL), "OK");
    ck_assert_str_eq(rmw(dom0, "/c", "free"), "OK");
    tclient_free(a);
}
END_TEST

START_TEST(txn_favour_is_bounded_and_stays_in_its_domain)
{
    struct tclient *a = tclient_new(&d, 0);
    tmake_home(dom0, 1);
    const char *node = "/local/domain/1/c";
    ck_assert_str_eq(tdo_write(g1, 0, node, "0"), "OK");
    lose_in_a_row(a, dom0, node);
    uint32_t t = tstart(a);
    tdo(a, XS_READ, t, node, NULL);
    /* Another domain is never refused on a dom0 client's behalf. */
    ck_assert_str_eq(rmw(g1, node, "guest"), "OK");
    /* Dom0's other connections are refused a bounded number of times. */
    for (int i = 0; i < XSD_TXN_FAVOUR_REFUSALS; i++)
        ck_assert_str_eq(rmw(dom0, node, "refused"), "ERR:EAGAIN");
    ck_assert_str_eq(rmw(dom0, node, "through"), "OK");
    /* The favoured transaction saw its node change: a plain conflict. */
    tdo_write(a, t, node, "a");
    ck_assert_str_eq(tdo(a, XS_TRANSACTION_END, t, "T", NULL), "ERR:EAGAIN");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, node, NULL), "through");
    tclient_free(a);
}
END_TEST

START_TEST(txn_errors)
{
    ck_assert_str_eq(tdo(dom0, XS_READ, 77, "/", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo_write(dom0, 77, "/x", "y"), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, 0, "T", NULL),
                     "ERR:ENOENT");
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_START, t, "", NULL),
                     "ERR:EBUSY");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "X", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, NULL), "ERR:EINVAL");
    /* Another client cannot use this client's transaction. */
    ck_assert_str_eq(tdo(g1, XS_READ, t, "/", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "F", NULL), "OK");
}
END_TEST

START_TEST(txn_limits)
{
    tmake_home(dom0, 1);
    d.quota.transactions = 2;
    uint32_t a = tstart(g1), b = tstart(g1);
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_ne(b, 0);
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_START, 0, "", NULL),
                     "ERR:ENOSPC");
    ck_assert_uint_ne(tstart(dom0), 0);   /* dom0 is not limited */
    ck_assert_uint_ne(tstart(dom0), 0);
    ck_assert_uint_ne(tstart(dom0), 0);
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, a, "F", NULL), "OK");
    uint32_t c = tstart(g1);
    ck_assert_uint_ne(c, 0);
    /* A missing node's parent is looked at too: a + home, b, c. */
    d.quota.transaction_nodes = 4;
    ck_assert_str_eq(tdo(g1, XS_READ, c, "a", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_READ, c, "b", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_READ, c, "c", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_READ, c, "d", NULL), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_READ, c, "a", NULL), "ERR:ENOENT");
}
END_TEST

/* ---- watches ---- */

START_TEST(watch_initial_event_and_changes)
{
    struct tmsg *m = treq(dom0, XS_WATCH, 0, "/w", "tok", NULL);
    ck_assert_str_eq(tshow(m), "OK");
    tmsg_free(m);
    /* The event follows the reply. */
    ck_assert_str_eq(next_event(dom0), "/w|tok");
    ck_assert_str_eq(next_event(dom0), "(none)");
    struct tclient *w = tclient_new(&d, 0);
    tmsg_free(treq(w, XS_WATCH, 0, "/w", "T2", NULL));
    tclient_drain(w);
    ck_assert_str_eq(tdo_write(dom0, 0, "/w/x", "1"), "OK");
    ck_assert_str_eq(next_event(w), "/w/x|T2");
    ck_assert_str_eq(tdo_write(dom0, 0, "/wx", "1"), "OK");
    ck_assert_str_eq(next_event(w), "(none)");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/w/x", "n0", NULL), "OK");
    ck_assert_str_eq(next_event(w), "/w/x|T2");
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, "/w/y", NULL), "OK");
    ck_assert_str_eq(next_event(w), "/w/y|T2");
    /* Removing an ancestor fires watches set below it, with their path. */
    tmsg_free(treq(w, XS_WATCH, 0, "/w/x/deep", "T3", NULL));
    tclient_drain(w);
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/w", NULL), "OK");
    const char *e1 = strdup(next_event(w));
    const char *e2 = strdup(next_event(w));
    ck_assert_msg((!strcmp(e1, "/w|T2") && !strcmp(e2, "/w/x/deep|T3")) ||
                  (!strcmp(e2, "/w|T2") && !strcmp(e1, "/w/x/deep|T3")),
                  "events %s, %s", e1, e2);
    free((void *)e1);
    free((void *)e2);
    ck_assert_str_eq(next_event(w), "(none)");
    tclient_free(w);
}
END_TEST

START_TEST(watch_errors_and_unwatch)
{
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/w", "t", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/w", "t", NULL), "ERR:EEXIST");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/w", "other", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/w//x", "t", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/w", NULL), "ERR:EINVAL");
    /* The reserved third string is ignored. */
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/v", "t", "", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/w", "t", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/w", "t", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/w", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_UNWATCH, 0, "/w", "other", NULL), "OK");
    ck_assert_str_eq(tdo_write(dom0, 0, "/w", "1"), "OK");
    ck_assert_str_eq(next_event(dom0), "(none)");
}
END_TEST

START_TEST(watch_relative_paths_for_guests)
{
    tmake_home(dom0, 1);
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "device", "dev", NULL), "OK");
    ck_assert_str_eq(next_event(g1), "device|dev");
    ck_assert_str_eq(tdo_write(dom0, 0, "/local/domain/1/device/vif/0", "x"),
                     "OK");
    ck_assert_str_eq(next_event(g1), "device/vif/0|dev");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "/local/domain/1/abs", "a", NULL),
                     "OK");
    ck_assert_str_eq(next_event(g1), "/local/domain/1/abs|a");
    ck_assert_str_eq(tdo_write(g1, 0, "abs", "x"), "OK");
    ck_assert_str_eq(next_event(g1), "/local/domain/1/abs|a");
    ck_assert_str_eq(tdo(g1, XS_UNWATCH, 0, "device", "dev", NULL), "OK");
}
END_TEST

START_TEST(watch_respects_read_permission)
{
    tmake_home(dom0, 1);
    ck_assert_str_eq(tdo(g2, XS_WATCH, 0, "/local/domain/1", "spy", NULL),
                     "OK");
    tclient_drain(g2);
    ck_assert_str_eq(tdo_write(g1, 0, "secret", "x"), "OK");
    ck_assert_str_eq(next_event(g2), "(none)");
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "secret", "n1", "r2", NULL),
                     "OK");
    ck_assert_str_eq(next_event(g2), "/local/domain/1/secret|spy");
}
END_TEST

START_TEST(watch_events_fire_at_commit)
{
    struct tclient *w = tclient_new(&d, 0);
    tmsg_free(treq(w, XS_WATCH, 0, "/tw", "t", NULL));
    tclient_drain(w);
    uint32_t t = tstart(dom0);
    ck_assert_str_eq(tdo_write(dom0, t, "/tw/a", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, t, "/tw/b", NULL), "OK");
    ck_assert_str_eq(next_event(w), "(none)");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL), "OK");
    ck_assert_str_eq(next_event(w), "/tw/a|t");
    ck_assert_str_eq(next_event(w), "/tw/b|t");
    ck_assert_str_eq(next_event(w), "(none)");
    /* Aborted and conflicting transactions fire nothing. */
    t = tstart(dom0);
    ck_assert_str_eq(tdo_write(dom0, t, "/tw/c", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "F", NULL), "OK");
    ck_assert_str_eq(next_event(w), "(none)");
    t = tstart(dom0);
    ck_assert_str_eq(tdo(dom0, XS_READ, t, "/tw/a", NULL), "1");
    ck_assert_str_eq(tdo_write(dom0, t, "/tw/d", "1"), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "/tw/a", "2"), "ERR:EACCES");
    ck_assert_str_eq(tdo_write(dom0, 0, "/tw/a", "2"), "OK");
    ck_assert_str_eq(next_event(w), "/tw/a|t");
    ck_assert_str_eq(tdo(dom0, XS_TRANSACTION_END, t, "T", NULL),
                     "ERR:EAGAIN");
    ck_assert_str_eq(next_event(w), "(none)");
    tclient_free(w);
}
END_TEST

START_TEST(watch_special_domain_events)
{
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "@introduceDomain", "in", NULL),
                     "OK");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "@releaseDomain", "out", NULL),
                     "OK");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "@releaseDomain", "g", NULL), "OK");
    tclient_drain(dom0);
    tclient_drain(g1);
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "7", "1234", "3", NULL), "OK");
    ck_assert_str_eq(next_event(dom0), "@introduceDomain|in");
    ck_assert_str_eq(tdo(dom0, XS_RELEASE, 0, "7", NULL), "OK");
    ck_assert_str_eq(next_event(dom0), "@releaseDomain|out");
    /* Guests do not learn of other domains' lives by default. */
    ck_assert_str_eq(next_event(g1), "(none)");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "@other", "x", NULL), "OK");
    /* dom0 can let a guest (say, a driver domain) hear of releases. */
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "@releaseDomain", NULL), "n0");
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "@releaseDomain", "b1", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "@releaseDomain", "n0", "r1",
                         NULL), "OK");
    ck_assert_str_eq(tdo(g1, XS_GET_PERMS, 0, "@releaseDomain", NULL),
                     "n0|r1");
    ck_assert_str_eq(tdo(g1, XS_GET_PERMS, 0, "@introduceDomain", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_GET_PERMS, 0, "@nothing", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "7", "1234", "3", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RELEASE, 0, "7", NULL), "OK");
    ck_assert_str_eq(next_event(g1), "@releaseDomain|g");
    ck_assert_str_eq(next_event(g1), "(none)");
}
END_TEST

START_TEST(watch_limits_and_reset)
{
    d.quota.watches = 2;
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "/a", "1", NULL), "OK");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "/b", "2", NULL), "OK");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "/c", "3", NULL), "ERR:E2BIG");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/a", "1", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/b", "2", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_WATCH, 0, "/c", "3", NULL), "OK");
    uint32_t t = tstart(g1);
    ck_assert_uint_ne(t, 0);
    ck_assert_str_eq(tdo(g1, XS_RESET_WATCHES, 0, NULL), "OK");
    ck_assert_uint_eq(g1->c.nwatches, 0);
    ck_assert_str_eq(tdo(g1, XS_READ, t, "/", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_WATCH, 0, "/c", "3", NULL), "OK");
    tclient_drain(g1);
    ck_assert_str_eq(tdo_write(dom0, 0, "/a", "x"), "OK");
    ck_assert_str_eq(next_event(g1), "(none)");
}
END_TEST

/* ---- quotas ---- */

START_TEST(quota_nodes_size_perms_path)
{
    tmake_home(dom0, 1);
    d.quota.nodes = 3;   /* the home counts: it is owned by domain 1 */
    ck_assert_str_eq(tdo_write(g1, 0, "a", "1"), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "b/c", "1"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "b", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo_write(g1, 0, "b", "1"), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "d", "1"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo_write(g1, 0, "a", "overwrite is fine"), "OK");
    ck_assert_str_eq(tdo(g1, XS_RM, 0, "b", NULL), "OK");
    ck_assert_str_eq(tdo_write(g1, 0, "d", "1"), "OK");
    /* dom0 creating nodes for the guest is not limited. */
    ck_assert_str_eq(tdo_write(dom0, 0, "/local/domain/1/x", "1"), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, "/local/domain/1/x", "n1",
                         NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RM, 0, "/local/domain/1/x", NULL), "OK");
    /* Within a transaction, nodes it creates count as well. */
    ck_assert_str_eq(tdo(g1, XS_RM, 0, "d", NULL), "OK");
    uint32_t t = tstart(g1);
    ck_assert_str_eq(tdo_write(g1, t, "e", "1"), "OK");
    ck_assert_str_eq(tdo_write(g1, t, "f", "1"), "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_TRANSACTION_END, t, "T", NULL), "OK");

    d.quota.node_size = 100;
    char big[200];
    memset(big, 'v', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ck_assert_str_eq(tdo_write(g1, 0, "a", big), "ERR:ENOSPC");
    ck_assert_str_eq(tdo_write(dom0, 0, "/local/domain/1/a", big), "OK");

    d.quota.node_perms = 2;
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "e", "n1", "r2", "r3", NULL),
                     "ERR:ENOSPC");
    ck_assert_str_eq(tdo(g1, XS_SET_PERMS, 0, "e", "n1", "r2", NULL), "OK");

    d.quota.path_length = 10;
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "0123456789", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_READ, 0, "0123456789a", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_READ, 0, "/local/domain/1/0123456789a",
                         NULL), "ERR:ENOENT");
}
END_TEST

/* ---- domains ---- */

START_TEST(domain_messages)
{
    ck_assert_str_eq(tdo(g1, XS_GET_DOMAIN_PATH, 0, "7", NULL),
                     "/local/domain/7");
    ck_assert_str_eq(tdo(g1, XS_GET_DOMAIN_PATH, 0, "x7", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(g1, XS_GET_DOMAIN_PATH, 0, "99999", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL), "T");
    ck_assert_str_eq(tdo(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "F");
    ck_assert_str_eq(tdo(g1, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(g1, XS_INTRODUCE, 0, "5", "10", "2", NULL),
                     "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "10", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "0", "10", "2", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "1x", "2", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "10", "2", "", NULL),
                     "OK");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "8", "-2", "2", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "8", NULL), "T");
    ck_assert_str_eq(tdo(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "T");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "10", "3", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_INTRODUCE, 0, "5", "11", "3", NULL),
                     "ERR:EEXIST");
    ck_assert_str_eq(tdo(dom0, XS_RESUME, 0, "5", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RESUME, 0, "6", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(g1, XS_RESUME, 0, "5", NULL), "ERR:EACCES");
    ck_assert_str_eq(tdo(g1, XS_RELEASE, 0, "5", NULL), "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_RELEASE, 0, "0", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_RELEASE, 0, "5", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_RELEASE, 0, "5", NULL), "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "F");
}
END_TEST

START_TEST(control_commands)
{
    struct tmsg *m = treq(dom0, XS_CONTROL, 0, "help", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_CONTROL);
    ck_assert_ptr_nonnull(strstr(m->payload, "quota"));
    ck_assert_ptr_nonnull(strstr(m->payload, "log"));
    tmsg_free(m);
    ck_assert_str_eq(tdo(g1, XS_CONTROL, 0, "help", NULL), "ERR:EACCES");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "frob", NULL), "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, NULL), "ERR:EINVAL");
    m = treq(dom0, XS_CONTROL, 0, "quota", NULL);
    ck_assert_ptr_nonnull(strstr(m->payload, "watches"));
    ck_assert_ptr_nonnull(strstr(m->payload, "128"));
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "quota", "watches", "1", NULL),
                     "OK");
    ck_assert_uint_eq(d.quota.watches, 1);
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "quota", "nope", "1", NULL),
                     "ERR:EINVAL");
    m = treq(dom0, XS_CONTROL, 0, "quota", "0", NULL);
    ck_assert_ptr_nonnull(strstr(m->payload, "nodes: 4"));
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "quota", "42", NULL),
                     "ERR:ENOENT");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "quota-soft", "memory", "9",
                         NULL), "OK");
    ck_assert_uint_eq(d.quota.memory_soft, 9);
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "log", "on", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "log", "maybe", NULL),
                     "ERR:EINVAL");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "print", "hello", NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "check", NULL), "OK");
    m = treq(dom0, XS_CONTROL, 0, "memreport", NULL);
    ck_assert_ptr_nonnull(strstr(m->payload, "nodes: 4\n"));
    ck_assert_ptr_nonnull(strstr(m->payload, "connections: 3\n"));
    tmsg_free(m);
    ck_assert_str_eq(tdo(dom0, XS_CONTROL, 0, "logfile", "/nonexistent/x/y",
                         NULL), "ERR:ENOENT");
}
END_TEST

static Suite *ops_suite(void)
{
    Suite *s = suite_create("xenstored-dispatch");
    TCase *tc = tcase_create("messages");
    /* Generous: these run under ASan on machines that may be busy. */
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, write_read_and_implicit_parents);
    tcase_add_test(tc, reply_header_echoes_request);
    tcase_add_test(tc, bad_requests_get_einval);
    tcase_add_test(tc, mkdir_and_rm);
    tcase_add_test(tc, directory_part_pages_big_directories);
    tcase_add_test(tc, perms_get_set_and_enforce);
    tcase_add_test(tc, perms_inherited_and_guest_owns_its_nodes);
    tcase_add_test(tc, read_only_connection);
    tcase_add_test(tc, set_target_acts_for_target);
    tcase_add_test(tc, txn_isolation_and_commit);
    tcase_add_test(tc, txn_abort_discards);
    tcase_add_test(tc, txn_conflicts_give_eagain);
    tcase_add_test(tc, txn_starving_client_is_favoured);
    tcase_add_test(tc, txn_favour_is_bounded_and_stays_in_its_domain);
    tcase_add_test(tc, txn_errors);
    tcase_add_test(tc, txn_limits);
    tcase_add_test(tc, watch_initial_event_and_changes);
    tcase_add_test(tc, watch_errors_and_unwatch);
    tcase_add_test(tc, watch_relative_paths_for_guests);
    tcase_add_test(tc, watch_respects_read_permission);
    tcase_add_test(tc, watch_events_fire_at_commit);
    tcase_add_test(tc, watch_special_domain_events);
    tcase_add_test(tc, watch_limits_and_reset);
    tcase_add_test(tc, quota_nodes_size_perms_path);
    tcase_add_test(tc, domain_messages);
    tcase_add_test(tc, control_commands);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(ops_suite());
}
