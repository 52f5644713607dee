/* The daemon's memory under hostile clients: a fixed number of hostile
 * requests, and the growth of the daemon's resident set across them
 * bounded by a generous limit.  The daemon here is the plain build (the
 * sanitized one keeps freed memory in quarantine, which is not the
 * daemon's own growth). */
#define _GNU_SOURCE
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_main.h"
#include "xsd_test_daemon.h"

/* The "memory: N" line of CONTROL quota <domid>, or -1. */
static long accounted_memory(int dom0, const char *domid)
{
    const char *r = rpc(dom0, XS_CONTROL, "quota", domid, NULL);
    const char *m = strstr(r, "memory: ");
    return m ? atol(m + strlen("memory: ")) : -1;
}

/*
 * 50,000 writes of one node in one open transaction, from dom0 (which no
 * quota binds): the transaction keeps the node once and one pending
 * event, so the daemon does not grow with the number of writes.  It
 * used to keep an event per write (about 110 bytes each: 5.5 MiB here).
 */
START_TEST(one_node_written_50000_times_in_a_transaction)
{
    enum { N = 50000, BATCH = 100 };
    start_daemon_binary(plain_daemon_binary(), NULL, NULL);
    int fd = connect_to("socket");
    ck_assert_int_ge(fd, 0);
    /* Warm up: the first transaction's allocations are not growth. */
    ck_assert_str_eq(rpc(fd, XS_TRANSACTION_START, "", NULL), "6:1");
    ck_assert_int_eq(send_msg_tx(fd, XS_WRITE, 1, 1, "/hostile\0w", 10), 0);
    ck_assert_str_eq(recv_show(fd, NULL), OK_WRITE);
    ck_assert_int_eq(send_msg_tx(fd, XS_TRANSACTION_END, 1, 1, "T", 2), 0);
    ck_assert_str_eq(recv_show(fd, NULL), "7:OK");
    long before = daemon_rss_kib();

    ck_assert_str_eq(rpc(fd, XS_TRANSACTION_START, "", NULL), "6:2");
    static char burst[BATCH * 64];
    for (int done = 0; done < N; done += BATCH) {
        size_t len = 0;
        for (int i = 0; i < BATCH; i++) {
            char payload[32];
            int n = snprintf(payload, sizeof(payload), "/hostile%c%d", 0,
                             done + i);
            struct xsd_sockmsg h = { XS_WRITE, (uint32_t)i, 2, (uint32_t)n };
            memcpy(burst + len, &h, sizeof(h));
            memcpy(burst + len + sizeof(h), payload, (size_t)n);
            len += sizeof(h) + (size_t)n;
        }
        ck_assert_int_eq(send_all(fd, burst, len), 0);
        for (int i = 0; i < BATCH; i++)
            ck_assert_str_eq(recv_show(fd, NULL), OK_WRITE);
    }
    long during = daemon_rss_kib();
    ck_assert_int_eq(send_msg_tx(fd, XS_TRANSACTION_END, 1, 2, "T", 2), 0);
    ck_assert_str_eq(recv_show(fd, NULL), "7:OK");
    ck_assert_str_eq(rpc(fd, XS_READ, "/hostile", NULL), "2:49999");
    fprintf(stderr, "# %d writes of one node in a transaction: RSS %ld -> "
            "%ld KiB\n", N, before, during);
    ck_assert_msg(during - before <= 1024, "the daemon grew by %ld KiB",
                  during - before);
    close(fd);
    stop_daemon();
}
END_TEST

enum { GUEST = 5 };

/* Introduces domain 5 through dom0, its home owned by it. */
static void introduce_guest(int dom0, struct guest *g)
{
    ck_assert_str_eq(rpc(dom0, XS_MKDIR, "/local/domain/5", NULL), "12:OK");
    ck_assert_str_eq(rpc(dom0, XS_SET_PERMS, "/local/domain/5", "n5", NULL),
                     "14:OK");
    ck_assert_str_eq(rpc(dom0, XS_INTRODUCE, "5", "12345", "1", NULL),
                     "8:OK");
    guest_accept(g);
}

static uint32_t guest_start(struct guest *g)
{
    const char *r = guest_rpc(g, XS_TRANSACTION_START, "", NULL);
    ck_assert_msg(!strncmp(r, "6:", 2), "TRANSACTION_START: %s", r);
    return (uint32_t)strtoul(r + 2, NULL, 10);
}

/*
 * A guest with the default quotas does all it may to make the daemon
 * hold memory: ten transactions (its limit), each writing up to 1000
 * nodes of 1500 bytes (under its limit of 1024 nodes per transaction),
 * 5000 writes of one node, and 128 watches with 1000-byte tokens.
 * Without the memory quota that is 15 MB of pending transactions; with
 * it (2.5 MiB by default, as in Xen) the writes fail with ENOSPC once
 * the domain holds that much.  Ending the transactions gives it back.
 */
START_TEST(hostile_guest_is_held_to_its_memory_quota)
{
    enum { TXNS = 10, WRITES = 1000, SAME = 5000, WATCHES = 128 };
    struct guest g;
    guest_setup(&g, GUEST);
    start_daemon_binary(plain_daemon_binary(), g.dir, NULL);
    int dom0 = connect_to("socket");
    introduce_guest(dom0, &g);
    long accounted_before = accounted_memory(dom0, "5");
    long before = daemon_rss_kib();

    static char msg[1600];
    static char value[1501];
    memset(value, 'h', sizeof(value) - 1);
    uint32_t tx[TXNS];
    int written = 0, refused = 0;
    for (int k = 0; k < TXNS; k++) {
        tx[k] = guest_start(&g);
        for (int i = 0; i < WRITES; i++) {
            int n = snprintf(msg, sizeof(msg), "h%d/%d", k, i);
            memcpy(msg + n + 1, value, sizeof(value) - 1);
            const char *r = guest_rpc_tx(&g, XS_WRITE, tx[k], msg,
                                         (size_t)n + sizeof(value));
            if (strcmp(r, OK_WRITE) != 0) {
                ck_assert_str_eq(r, ERR("ENOSPC"));
                refused++;
                break;
            }
            written++;
        }
    }
    for (int i = 0; i < SAME; i++) {
        int n = snprintf(msg, sizeof(msg), "same%c%d", 0, i);
        const char *r = guest_rpc_tx(&g, XS_WRITE, tx[0], msg, (size_t)n);
        ck_assert_msg(!strcmp(r, OK_WRITE) || !strcmp(r, ERR("ENOSPC")),
                      "write %d of one node: %s", i, r);
    }
    int watched = 0;
    for (int i = 0; i < WATCHES; i++) {
        char path[16];
        snprintf(path, sizeof(path), "w%d", i);
        const char *r = guest_rpc(&g, XS_WATCH, path, value + 500);
        if (strcmp(r, "4:OK") != 0) {
            ck_assert_str_eq(r, ERR("E2BIG"));
            continue;
        }
        watched++;
        /* The watch's initial event. */
        struct xsd_sockmsg ev;
        char buf[XENSTORE_PAYLOAD_MAX];
        guest_get(&g, &ev, sizeof(ev));
        guest_get(&g, buf, ev.len);
    }
    long during = daemon_rss_kib();
    long accounted = accounted_memory(dom0, "5");
    fprintf(stderr, "# hostile guest: %d writes taken, %d refused, %d "
            "watches; RSS %ld -> %ld KiB; accounted %ld bytes\n", written,
            refused, watched, before, during, accounted);
    ck_assert_int_gt(refused, 0);
    ck_assert_int_le(accounted, 2 * 1024 * 1024 + 512 * 1024);
    ck_assert_msg(during - before <= 8 * 1024, "the daemon grew by %ld KiB",
                  during - before);

    for (int k = 0; k < TXNS; k++)
        ck_assert_str_eq(guest_rpc_tx(&g, XS_TRANSACTION_END, tx[k], "F", 2),
                         "7:OK");
    ck_assert_str_eq(guest_rpc(&g, XS_RESET_WATCHES, "", NULL), "21:OK");
    ck_assert_int_eq(accounted_memory(dom0, "5"), accounted_before);
    ck_assert_str_eq(rpc(dom0, XS_RELEASE, "5", NULL), "9:OK");
    close(dom0);
    stop_daemon();
    guest_teardown(&g);
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    Suite *s = suite_create("xenstored memory");
    TCase *tc = tcase_create("hostile clients");
    /* Iteration-bounded; the timeout only guards against a hang. */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, one_node_written_50000_times_in_a_transaction);
    tcase_add_test(tc, hostile_guest_is_held_to_its_memory_quota);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
