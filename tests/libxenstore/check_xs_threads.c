/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libxenstore under concurrency: several threads sharing one handle for
 * requests and watches, and transactions from several clients that retry
 * on EAGAIN until a shared counter is exact.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#include "test_daemon.h"

#define THREADS 4
#define ROUNDS 50

struct shared_handle_arg {
    struct xs_handle *h;
    int id;
    int failures;
};

/* Each thread writes and reads back its own nodes through the shared
 * handle; a reply delivered to the wrong thread shows as a mismatch. */
static void *request_worker(void *p)
{
    struct shared_handle_arg *a = p;

    for (int i = 0; i < ROUNDS; i++) {
        char path[64], want[32];
        char *got;

        snprintf(path, sizeof(path), "/mt/t%d/n%d", a->id, i % 5);
        snprintf(want, sizeof(want), "%d-%d", a->id, i);
        if (!xs_write(a->h, XBT_NULL, path, want, (unsigned int)strlen(want))) {
            a->failures++;
            continue;
        }
        got = xs_read(a->h, XBT_NULL, path, NULL);
        if (!got || strcmp(got, want) != 0)
            a->failures++;
        free(got);
    }
    return NULL;
}

START_TEST(threads_share_one_handle)
{
    struct xs_handle *h = xs_open(0);
    struct shared_handle_arg args[THREADS];
    pthread_t tid[THREADS];

    ck_assert_ptr_nonnull(h);
    /* With a watch set a reader thread exists too: replies must reach
     * their requesters whoever of them, or the reader, reads them. */
    ck_assert(xs_watch(h, "/mt", "mt"));
    for (int i = 0; i < THREADS; i++) {
        args[i] = (struct shared_handle_arg){ .h = h, .id = i };
        pthread_create(&tid[i], NULL, request_worker, &args[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    xs_close(h);
}
END_TEST

struct watcher_arg {
    struct xs_handle *h;
    int events;
};

/* Several threads block in xs_read_watch on one handle; each event goes
 * to exactly one of them. */
static void *watch_worker(void *p)
{
    struct watcher_arg *a = p;

    for (;;) {
        unsigned int num;
        char **ev = xs_read_watch(a->h, &num);

        if (!ev)
            return NULL;
        if (!strcmp(ev[XS_WATCH_PATH], "/wt/stop")) {
            free(ev);
            return NULL;
        }
        if (!strncmp(ev[XS_WATCH_PATH], "/wt/k", 5))
            __atomic_add_fetch(&a->events, 1, __ATOMIC_RELAXED);
        free(ev);
    }
}

START_TEST(watch_events_to_several_threads)
{
    struct xs_handle *h = xs_open(0), *writer = xs_open(0);
    struct watcher_arg arg;
    pthread_t tid[THREADS];
    char path[32];

    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(writer);
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "/wt/k%d", i);
        ck_assert(xs_watch(h, path, path));
    }
    arg = (struct watcher_arg){ .h = h };
    for (int i = 0; i < THREADS; i++)
        pthread_create(&tid[i], NULL, watch_worker, &arg);
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 20; i++) {
            snprintf(path, sizeof(path), "/wt/k%d", i);
            ck_assert(xs_write(writer, XBT_NULL, path, "v", 1));
        }
    }
    /* One stop event per thread; the stop node is watched only now. */
    ck_assert(xs_watch(h, "/wt/stop", "stop"));
    for (int i = 1; i < THREADS; i++)
        ck_assert(xs_write(writer, XBT_NULL, "/wt/stop", "x", 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(tid[i], NULL);
    /* 20 initial events from registration plus 200 writes. */
    ck_assert_int_eq(arg.events, 220);
    xs_close(writer);
    xs_close(h);
}
END_TEST

struct counter_arg {
    int increments;
    int conflicts;
    int errors;
};

static void *counter_worker(void *p)
{
    struct counter_arg *a = p;
    struct xs_handle *h = xs_open(0);

    if (!h) {
        a->errors++;
        return NULL;
    }
    for (int done = 0; done < a->increments;) {
        xs_transaction_t t = xs_transaction_start(h);
        char *val, next[32];

        if (t == XBT_NULL) {
            a->errors++;
            break;
        }
        val = xs_read(h, t, "/counter", NULL);
        snprintf(next, sizeof(next), "%ld", (val ? strtol(val, NULL, 10) : 0) + 1);
        free(val);
        if (!xs_write(h, t, "/counter", next, (unsigned int)strlen(next))) {
            a->errors++;
            xs_transaction_end(h, t, true);
            break;
        }
        if (xs_transaction_end(h, t, false))
            done++;
        else if (errno == EAGAIN)
            a->conflicts++;   /* someone else won: read again and retry */
        else {
            a->errors++;
            break;
        }
    }
    xs_close(h);
    return NULL;
}

START_TEST(transactions_retry_until_counter_exact)
{
    struct xs_handle *h = xs_open(0);
    struct counter_arg args[THREADS];
    pthread_t tid[THREADS];
    int conflicts = 0;
    char *val;

    ck_assert_ptr_nonnull(h);
    ck_assert(xs_write(h, XBT_NULL, "/counter", "0", 1));
    for (int i = 0; i < THREADS; i++) {
        args[i] = (struct counter_arg){ .increments = ROUNDS };
        pthread_create(&tid[i], NULL, counter_worker, &args[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        ck_assert_int_eq(args[i].errors, 0);
        conflicts += args[i].conflicts;
    }
    val = xs_read(h, XBT_NULL, "/counter", NULL);
    ck_assert_int_eq(atoi(val), THREADS * ROUNDS);
    free(val);
    printf("# %d EAGAIN retries for %d increments\n", conflicts,
           THREADS * ROUNDS);
    xs_close(h);
}
END_TEST

struct event_waiter_arg {
    struct xs_handle *h;
    int events;
};

static void *event_waiter(void *p)
{
    struct event_waiter_arg *a = p;

    for (;;) {
        char **ev = xs_read_watch(a->h, NULL);

        if (!ev)
            return NULL;
        if (!strcmp(ev[XS_WATCH_TOKEN], "stop")) {
            free(ev);
            return NULL;
        }
        if (!strcmp(ev[XS_WATCH_TOKEN], "ev"))
            a->events++;
        free(ev);
    }
}

/* One thread sits in xs_read_watch (and so may be the one reading the
 * connection) while others make requests on the same handle: each
 * reply must still reach its requester, and each event the waiter. */
START_TEST(requests_while_a_thread_waits_for_events)
{
    struct xs_handle *h = xs_open(0), *writer = xs_open(0);
    struct shared_handle_arg args[THREADS];
    struct event_waiter_arg waiter;
    pthread_t tid[THREADS], wtid;

    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(writer);
    ck_assert(xs_watch(h, "/rw/ev", "ev"));
    waiter = (struct event_waiter_arg){ .h = h };
    pthread_create(&wtid, NULL, event_waiter, &waiter);
    for (int i = 0; i < THREADS; i++) {
        args[i] = (struct shared_handle_arg){ .h = h, .id = i };
        pthread_create(&tid[i], NULL, request_worker, &args[i]);
    }
    for (int i = 0; i < ROUNDS; i++)
        ck_assert(xs_write(writer, XBT_NULL, "/rw/ev", "v", 1));
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    ck_assert(xs_watch(h, "/rw/stop", "stop"));
    pthread_join(wtid, NULL);
    /* The registration event plus one per write. */
    ck_assert_int_eq(waiter.events, ROUNDS + 1);
    xs_close(writer);
    xs_close(h);
}
END_TEST

/* Events for a handle whose application is busy elsewhere must still be
 * taken off the connection (as Xen's library does with its reader
 * thread): left in the socket they back up into the daemon, which drops
 * a client that stops reading (xenstored keeps at most 512 KiB of
 * output per connection).  Here far more than that fires while the
 * watching handle is idle; every event must then be there to read. */
#define IDLE_EVENTS 4000
START_TEST(idle_watcher_is_drained)
{
    struct xs_handle *h = xs_open(0), *writer = xs_open(0);
    char path[320], pad[256];
    unsigned int seen = 0;
    char **ev, *value;

    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(writer);
    memset(pad, 'p', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    ck_assert(xs_watch(h, "/idle", "idle"));
    for (int i = 0; i < IDLE_EVENTS; i++) {
        snprintf(path, sizeof(path), "/idle/%s%d", pad, i % 50);
        ck_assert(xs_write(writer, XBT_NULL, path, "v", 1));
    }
    /* The handle still works, and every event arrived. */
    value = xs_read(h, XBT_NULL, "/idle", NULL);
    ck_assert_ptr_nonnull(value);
    free(value);
    ck_assert(xs_write(writer, XBT_NULL, "/idle/last", "v", 1));
    while ((ev = xs_read_watch(h, NULL)) != NULL) {
        bool last = !strcmp(ev[XS_WATCH_PATH], "/idle/last");

        seen++;
        free(ev);
        if (last)
            break;
    }
    /* The registration event, one per write, and the last one. */
    ck_assert_uint_eq(seen, IDLE_EVENTS + 2);
    xs_close(writer);
    xs_close(h);
}
END_TEST

START_TEST(daemon_gone_gives_errors_not_crashes)
{
    struct test_daemon own;
    struct xs_handle *h, *plain;
    char *saved = strdup(getenv("XENSTORED_PATH"));

    ck_assert_int_eq(test_daemon_start(&own), 0);
    h = xs_open(0);
    plain = xs_open(0);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(plain);
    ck_assert(xs_watch(h, "/x", "x"));
    /* The registration event follows the reply: take it while the daemon
     * lives, or it may reach the handle after the daemon is gone (or
     * not), depending on how the threads were scheduled. */
    {
        unsigned int num;
        char **ev = xs_read_watch(h, &num);

        ck_assert_ptr_nonnull(ev);
        ck_assert_str_eq(ev[XS_WATCH_PATH], "/x");
        free(ev);
    }
    test_daemon_stop(&own);
    setenv("XENSTORED_PATH", saved, 1);
    free(saved);
    errno = 0;
    ck_assert_ptr_null(xs_read(h, XBT_NULL, "/x", NULL));
    ck_assert_int_ne(errno, 0);
    /* Sending to a daemon that is gone is an error (EPIPE), not a
     * SIGPIPE that kills the application; the second try has the
     * handle broken by the first. */
    for (int i = 0; i < 2; i++) {
        errno = 0;
        ck_assert(!xs_write(plain, XBT_NULL, "/x", "v", 1));
        ck_assert_int_ne(errno, 0);
    }
    xs_close(plain);
    /* Blocked readers wake up with the error too. */
    {
        unsigned int num;

        /* Nothing was left to read. */
        ck_assert_ptr_null(xs_check_watch(h));
        ck_assert_ptr_null(xs_read_watch(h, &num));
    }
    xs_close(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("libxenstore-threads");
    TCase *tc = tcase_create("concurrency");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, threads_share_one_handle);
    tcase_add_test(tc, watch_events_to_several_threads);
    tcase_add_test(tc, transactions_retry_until_counter_exact);
    tcase_add_test(tc, requests_while_a_thread_waits_for_events);
    tcase_add_test(tc, idle_watcher_is_drained);
    tcase_add_test(tc, daemon_gone_gives_errors_not_crashes);
    suite_add_tcase(s, tc);
    return test_daemon_run_suite(s, "the thread tests");
}
