/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every libxenstore call against a real daemon started for this test. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenstore.h>

#include "test_daemon.h"

static struct xs_handle *open_or_die(unsigned long flags)
{
    struct xs_handle *h = xs_open(flags);

    ck_assert_msg(h != NULL, "xs_open: %s", strerror(errno));
    return h;
}

START_TEST(write_read_roundtrip)
{
    struct xs_handle *h = open_or_die(0);
    static const char binary[] = { 'a', 0, 'b', '\n', (char)0xff };
    unsigned int len;
    char *val;

    ck_assert(xs_write(h, XBT_NULL, "/rw/plain", "hello", 5));
    val = xs_read(h, XBT_NULL, "/rw/plain", &len);
    ck_assert_ptr_nonnull(val);
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(val, "hello");   /* NUL-terminated beyond len */
    free(val);

    ck_assert(xs_write(h, XBT_NULL, "/rw/binary", binary, sizeof(binary)));
    val = xs_read(h, XBT_NULL, "/rw/binary", &len);
    ck_assert_uint_eq(len, sizeof(binary));
    ck_assert_mem_eq(val, binary, sizeof(binary));
    free(val);

    ck_assert(xs_write(h, XBT_NULL, "/rw/empty", "", 0));
    val = xs_read(h, XBT_NULL, "/rw/empty", NULL);   /* len may be NULL */
    ck_assert_str_eq(val, "");
    free(val);
    xs_close(h);
}
END_TEST

START_TEST(errors_map_to_errno)
{
    struct xs_handle *h = open_or_die(0);
    char big[XENSTORE_PAYLOAD_MAX + 1];

    errno = 0;
    ck_assert_ptr_null(xs_read(h, XBT_NULL, "/no/such/node", NULL));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(xs_directory(h, XBT_NULL, "/no/such/node", NULL));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(xs_read(h, XBT_NULL, "not//valid", NULL));
    ck_assert_int_eq(errno, EINVAL);
    /* Refused before sending: the daemon would drop us otherwise. */
    memset(big, 'x', sizeof(big));
    ck_assert(!xs_write(h, XBT_NULL, "/rw/big", big, sizeof(big)));
    ck_assert_int_eq(errno, E2BIG);
    ck_assert(!xs_write(h, XBT_NULL, NULL, "x", 1));
    ck_assert_int_eq(errno, EINVAL);
    /* The connection is still fine after all that. */
    ck_assert(xs_write(h, XBT_NULL, "/rw/after", "ok", 2));
    xs_close(h);
}
END_TEST

START_TEST(mkdir_directory_rm)
{
    struct xs_handle *h = open_or_die(0);
    unsigned int num;
    char **names;

    ck_assert(xs_mkdir(h, XBT_NULL, "/dir/a"));
    ck_assert(xs_write(h, XBT_NULL, "/dir/b", "1", 1));
    ck_assert(xs_mkdir(h, XBT_NULL, "/dir/c/deep"));
    names = xs_directory(h, XBT_NULL, "/dir", &num);
    ck_assert_ptr_nonnull(names);
    ck_assert_uint_eq(num, 3);
    /* Order is the daemon's; compare as a set. */
    {
        int seen = 0;

        for (unsigned int i = 0; i < num; i++)
            seen |= !strcmp(names[i], "a") ? 1 : !strcmp(names[i], "b") ? 2
                    : !strcmp(names[i], "c") ? 4 : 8;
        ck_assert_int_eq(seen, 7);
    }
    free(names);

    ck_assert(xs_rm(h, XBT_NULL, "/dir/c"));
    ck_assert_ptr_null(xs_read(h, XBT_NULL, "/dir/c/deep", NULL));
    ck_assert_int_eq(errno, ENOENT);
    names = xs_directory(h, XBT_NULL, "/dir/a", &num);
    ck_assert_uint_eq(num, 0);
    free(names);
    xs_close(h);
}
END_TEST

START_TEST(big_directory_uses_parts)
{
    struct xs_handle *h = open_or_die(0);
    char path[128];
    unsigned int num;
    char **names;
    bool seen[300] = { false };

    /* 300 children of ~40 bytes: far beyond one 4096-byte reply. */
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path),
                 "/big/child-with-a-rather-long-name-%04d", i);
        ck_assert(xs_write(h, XBT_NULL, path, "", 0));
    }
    names = xs_directory(h, XBT_NULL, "/big", &num);
    ck_assert_msg(names != NULL, "xs_directory: %s", strerror(errno));
    ck_assert_uint_eq(num, 300);
    for (unsigned int i = 0; i < num; i++) {
        int n;

        ck_assert_int_eq(sscanf(names[i],
                                "child-with-a-rather-long-name-%d", &n), 1);
        ck_assert(n >= 0 && n < 300 && !seen[n]);
        seen[n] = true;
    }
    ck_assert_ptr_null(names[num]);
    free(names);
    xs_close(h);
}
END_TEST

START_TEST(permissions_roundtrip)
{
    struct xs_handle *h = open_or_die(0);
    struct xs_permissions set[3] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = 3, .perms = XS_PERM_READ },
        { .id = 7, .perms = XS_PERM_READ | XS_PERM_WRITE },
    };
    struct xs_permissions *got;
    unsigned int num;

    ck_assert(xs_write(h, XBT_NULL, "/perm/node", "v", 1));
    got = xs_get_permissions(h, XBT_NULL, "/perm/node", &num);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_ge(num, 1);
    ck_assert_uint_eq(got[0].id, 0);   /* dom0 created it */
    free(got);

    ck_assert(xs_set_permissions(h, XBT_NULL, "/perm/node", set, 3));
    got = xs_get_permissions(h, XBT_NULL, "/perm/node", &num);
    ck_assert_uint_eq(num, 3);
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_uint_eq(got[i].id, set[i].id);
        ck_assert_uint_eq(got[i].perms, set[i].perms);
    }
    free(got);

    ck_assert(!xs_set_permissions(h, XBT_NULL, "/perm/none", set, 3));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert(!xs_set_permissions(h, XBT_NULL, "/perm/node", set, 0));
    ck_assert_int_eq(errno, EINVAL);
    xs_close(h);
}
END_TEST

START_TEST(watch_events_and_fileno)
{
    struct xs_handle *h = open_or_die(0);
    unsigned int num;
    char **ev;
    struct pollfd pfd;

    pfd.fd = xs_fileno(h);
    pfd.events = POLLIN;
    ck_assert_int_ge(pfd.fd, 0);
    ck_assert_int_eq(xs_fileno(h), pfd.fd);   /* stable */

    ck_assert(xs_watch(h, "/w", "tok"));
    /* The daemon fires once when the watch is registered. */
    ev = xs_read_watch(h, &num);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(num, 2);
    ck_assert_str_eq(ev[XS_WATCH_PATH], "/w");
    ck_assert_str_eq(ev[XS_WATCH_TOKEN], "tok");
    free(ev);

    errno = 0;
    ck_assert_ptr_null(xs_check_watch(h));
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_int_eq(poll(&pfd, 1, 0), 0);

    ck_assert(xs_write(h, XBT_NULL, "/w/child", "1", 1));
    /* Returns as soon as the event is there; the bound only catches a
     * lost one, and leaves room for a busy machine. */
    ck_assert_int_eq(poll(&pfd, 1, 30000), 1);
    ev = xs_check_watch(h);
    ck_assert_ptr_nonnull(ev);
    ck_assert_str_eq(ev[XS_WATCH_PATH], "/w/child");
    ck_assert_str_eq(ev[XS_WATCH_TOKEN], "tok");
    free(ev);
    ck_assert_int_eq(poll(&pfd, 1, 0), 0);   /* drained again */

    ck_assert(xs_unwatch(h, "/w", "tok"));
    ck_assert(xs_write(h, XBT_NULL, "/w/child", "2", 1));
    /* A round trip after the write: any stray event would be queued. */
    free(xs_read(h, XBT_NULL, "/w/child", NULL));
    ck_assert_ptr_null(xs_check_watch(h));
    ck_assert(!xs_unwatch(h, "/w", "tok"));
    ck_assert_int_eq(errno, ENOENT);
    xs_close(h);
}
END_TEST

START_TEST(unwatch_filter_drops_queued_events)
{
    struct xs_handle *h = open_or_die(XS_UNWATCH_FILTER);
    struct xs_handle *other = open_or_die(0);
    int b_events = 0;
    char **ev;

    ck_assert(xs_watch(h, "/f", "a"));
    ck_assert(xs_watch(h, "/g", "b"));
    for (int i = 0; i < 5; i++)
        ck_assert(xs_write(other, XBT_NULL, "/f/x", "1", 1));
    ck_assert(xs_write(other, XBT_NULL, "/g/y", "1", 1));
    /* Events precede any later reply on h's connection, so after this
     * round trip all of them are queued. */
    free(xs_read(h, XBT_NULL, "/g/y", NULL));
    ck_assert(xs_unwatch(h, "/f", "a"));
    /* Without the filter the /f events would still be there. */
    while ((ev = xs_check_watch(h)) != NULL) {
        ck_assert_str_eq(ev[XS_WATCH_TOKEN], "b");
        b_events++;
        free(ev);
    }
    ck_assert_int_ge(b_events, 1);
    xs_close(other);
    xs_close(h);
}
END_TEST

START_TEST(unwatch_without_filter_keeps_events)
{
    struct xs_handle *h = open_or_die(0);
    char **ev;

    ck_assert(xs_watch(h, "/nf", "a"));
    ck_assert(xs_write(h, XBT_NULL, "/nf/x", "1", 1));
    ck_assert(xs_unwatch(h, "/nf", "a"));
    ev = xs_check_watch(h);
    ck_assert_ptr_nonnull(ev);
    ck_assert_str_eq(ev[XS_WATCH_TOKEN], "a");
    free(ev);
    xs_close(h);
}
END_TEST

START_TEST(transaction_commit_and_abort)
{
    struct xs_handle *h = open_or_die(0);
    xs_transaction_t t;
    char *val;

    t = xs_transaction_start(h);
    ck_assert_uint_ne(t, XBT_NULL);
    ck_assert(xs_write(h, t, "/tx/a", "in", 2));
    /* Invisible outside until committed. */
    ck_assert_ptr_null(xs_read(h, XBT_NULL, "/tx/a", NULL));
    val = xs_read(h, t, "/tx/a", NULL);
    ck_assert_str_eq(val, "in");
    free(val);
    ck_assert(xs_transaction_end(h, t, false));
    val = xs_read(h, XBT_NULL, "/tx/a", NULL);
    ck_assert_str_eq(val, "in");
    free(val);

    t = xs_transaction_start(h);
    ck_assert(xs_write(h, t, "/tx/a", "gone", 4));
    ck_assert(xs_transaction_end(h, t, true));
    val = xs_read(h, XBT_NULL, "/tx/a", NULL);
    ck_assert_str_eq(val, "in");
    free(val);

    /* A transaction that is over, or never was, is refused. */
    ck_assert(!xs_transaction_end(h, t, false));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(xs_read(h, 987654, "/tx/a", NULL));
    ck_assert_int_eq(errno, ENOENT);
    xs_close(h);
}
END_TEST

START_TEST(transaction_conflict_is_eagain)
{
    struct xs_handle *a = open_or_die(0), *b = open_or_die(0);
    xs_transaction_t t;
    char *val;

    ck_assert(xs_write(a, XBT_NULL, "/conflict", "0", 1));
    t = xs_transaction_start(a);
    val = xs_read(a, t, "/conflict", NULL);
    free(val);
    ck_assert(xs_write(b, XBT_NULL, "/conflict", "b", 1));
    ck_assert(xs_write(a, t, "/conflict", "a", 1));
    errno = 0;
    ck_assert(!xs_transaction_end(a, t, false));
    ck_assert_int_eq(errno, EAGAIN);
    val = xs_read(a, XBT_NULL, "/conflict", NULL);
    ck_assert_str_eq(val, "b");
    free(val);
    xs_close(a);
    xs_close(b);
}
END_TEST

START_TEST(domain_requests)
{
    struct xs_handle *h = open_or_die(0);
    char *path;

    path = xs_get_domain_path(h, 7);
    ck_assert_ptr_nonnull(path);
    ck_assert_str_eq(path, "/local/domain/7");
    free(path);
    /* Domain 4242 was never introduced: false, without a crash. */
    ck_assert(!xs_is_domain_introduced(h, 4242));
    ck_assert(!xs_release_domain(h, 4242));
    ck_assert_int_ne(errno, 0);
    ck_assert(!xs_resume_domain(h, 4242));
    ck_assert(!xs_set_target(h, 4242, 4243));
    /* Without a hypervisor a daemon may refuse the introduction (Xen's
     * cannot map the ring) or, like ours with -D, accept it on a test
     * backend; either way the answer must be consistent. */
    if (xs_introduce_domain(h, 4242, 0x1234, 5)) {
        ck_assert(xs_is_domain_introduced(h, 4242));
        ck_assert(xs_set_target(h, 4242, 0));
        ck_assert(xs_resume_domain(h, 4242));
        ck_assert(xs_release_domain(h, 4242));
        ck_assert(!xs_is_domain_introduced(h, 4242));
    } else {
        ck_assert_int_ne(errno, 0);
        ck_assert(!xs_is_domain_introduced(h, 4242));
    }
    xs_close(h);
}
END_TEST

START_TEST(control_commands)
{
    struct xs_handle *h = open_or_die(0);
    char *reply;

    errno = 0;
    reply = xs_control_command(h, "no-such-command", NULL, 0);
    ck_assert_ptr_null(reply);
    ck_assert_int_ne(errno, 0);
    reply = xs_debug_command(h, "no-such-command", NULL, 0);
    ck_assert_ptr_null(reply);
    /* Xen's daemons answer "help" with the list of commands. */
    reply = xs_control_command(h, "help", NULL, 0);
    ck_assert_msg(reply != NULL, "help: %s", strerror(errno));
    ck_assert_uint_gt(strlen(reply), 0);
    free(reply);
    xs_close(h);
}
END_TEST

START_TEST(old_open_names_and_readonly)
{
    struct xs_handle *h = xs_daemon_open();
    struct xs_handle *d = xs_domain_open();
    struct xs_handle *ro = xs_daemon_open_readonly();
    char rosock[160];
    char *val;

    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(ro);
    ck_assert(xs_write(h, XBT_NULL, "/ro/v", "x", 1));
    val = xs_read(ro, XBT_NULL, "/ro/v", NULL);
    ck_assert_str_eq(val, "x");
    free(val);
    xs_daemon_close(h);
    xs_daemon_close(d);
    xs_daemon_close(ro);

    /* Without XENSTORED_PATH, the read-only socket is used if offered;
     * then writes through it are refused with EROFS, as Xen's daemon
     * did when it had one. */
    snprintf(rosock, sizeof(rosock), "%s/socket_ro", getenv("XENSTORED_RUNDIR"));
    if (access(rosock, F_OK) == 0) {
        char *saved = strdup(getenv("XENSTORED_PATH"));

        unsetenv("XENSTORED_PATH");
        ro = xs_open(XS_OPEN_READONLY | XS_OPEN_SOCKETONLY);
        setenv("XENSTORED_PATH", saved, 1);
        free(saved);
        ck_assert_ptr_nonnull(ro);
        val = xs_read(ro, XBT_NULL, "/ro/v", NULL);
        ck_assert_str_eq(val, "x");
        free(val);
        ck_assert(!xs_write(ro, XBT_NULL, "/ro/v", "y", 1));
        ck_assert_int_eq(errno, EROFS);
        xs_close(ro);
    }
}
END_TEST

START_TEST(postfork_destroy)
{
    struct xs_handle *h = open_or_die(0);
    int status;
    pid_t child;
    char *val;

    ck_assert(xs_watch(h, "/pf", "t"));
    child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        /* The reader thread does not exist here: only memory goes. */
        xs_daemon_destroy_postfork(h);
        _exit(0);
    }
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's connection is unaffected. */
    ck_assert(xs_write(h, XBT_NULL, "/pf/v", "1", 1));
    val = xs_read(h, XBT_NULL, "/pf/v", NULL);
    ck_assert_str_eq(val, "1");
    free(val);
    xs_close(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("libxenstore");
    TCase *tc = tcase_create("api");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, write_read_roundtrip);
    tcase_add_test(tc, errors_map_to_errno);
    tcase_add_test(tc, mkdir_directory_rm);
    tcase_add_test(tc, big_directory_uses_parts);
    tcase_add_test(tc, permissions_roundtrip);
    tcase_add_test(tc, watch_events_and_fileno);
    tcase_add_test(tc, unwatch_filter_drops_queued_events);
    tcase_add_test(tc, unwatch_without_filter_keeps_events);
    tcase_add_test(tc, transaction_commit_and_abort);
    tcase_add_test(tc, transaction_conflict_is_eagain);
    tcase_add_test(tc, domain_requests);
    tcase_add_test(tc, control_commands);
    tcase_add_test(tc, old_open_names_and_readonly);
    tcase_add_test(tc, postfork_destroy);
    suite_add_tcase(s, tc);
    return test_daemon_run_suite(s, "the libxenstore tests");
}
