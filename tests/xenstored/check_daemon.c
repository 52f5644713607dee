/* The daemon as a process (xsd_test_daemon.h): its sockets, its command
 * line, and the ring transport with a test peer. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <public/io/xs_wire.h>
#include "../check_main.h"
#include "xsd_test_daemon.h"

START_TEST(socket_basic_wire)
{
    int fd = connect_to("socket");
    ck_assert_int_ge(fd, 0);
    ck_assert_str_eq(rpc_write(fd, "/a", "b"), OK_WRITE);
    struct xsd_sockmsg h;
    ck_assert_int_eq(send_msg(fd, XS_READ, 1234, "/a", 3), 0);
    ck_assert_str_eq(recv_show(fd, &h), "2:b");
    ck_assert_uint_eq(h.req_id, 1234);
    ck_assert_str_eq(rpc(fd, XS_READ, "/missing", NULL), ERR("ENOENT"));
    ck_assert_str_eq(rpc(fd, XS_DIRECTORY, "/", NULL), "1:local|tool|a");
    ck_assert_str_eq(rpc(fd, XS_GET_DOMAIN_PATH, "3", NULL),
                     "10:/local/domain/3");
    close(fd);
}
END_TEST

START_TEST(socket_read_only)
{
    int rw = connect_to("socket"), ro = connect_to("socket_ro");
    ck_assert_int_ge(ro, 0);
    ck_assert_str_eq(rpc_write(rw, "/a", "b"), OK_WRITE);
    ck_assert_str_eq(rpc(ro, XS_READ, "/a", NULL), "2:b");
    ck_assert_str_eq(rpc_write(ro, "/a", "c"), ERR("EROFS"));
    ck_assert_str_eq(rpc(ro, XS_RM, "/a", NULL), ERR("EROFS"));
    ck_assert_str_eq(rpc(rw, XS_READ, "/a", NULL), "2:b");
    close(rw);
    close(ro);
}
END_TEST

START_TEST(socket_bad_requests_answered)
{
    int fd = connect_to("socket");
    ck_assert_int_eq(send_msg(fd, XS_READ, 1, "/a", 2), 0);    /* no NUL */
    ck_assert_str_eq(recv_show(fd, NULL), ERR("EINVAL"));
    ck_assert_str_eq(rpc(fd, XS_READ, "/a//b", NULL), ERR("EINVAL"));
    ck_assert_str_eq(rpc(fd, 77, "/a", NULL), ERR("EINVAL"));
    ck_assert_str_eq(rpc(fd, XS_WATCH_EVENT, "/a", "t", NULL),
                     ERR("EINVAL"));
    ck_assert_int_eq(send_msg(fd, XS_READ, 1, "", 0), 0);     /* empty */
    ck_assert_str_eq(recv_show(fd, NULL), ERR("EINVAL"));
    /* Still in business. */
    ck_assert_str_eq(rpc_write(fd, "/ok", "yes"), OK_WRITE);
    close(fd);
}
END_TEST

START_TEST(socket_oversize_disconnects_only_that_client)
{
    int good = connect_to("socket"), bad = connect_to("socket");
    ck_assert_str_eq(rpc_write(good, "/g", "1"), OK_WRITE);
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    ck_assert_int_eq(send_all(bad, &h, sizeof(h)), 0);
    ck_assert_str_eq(recv_show(bad, NULL), "EOF");
    ck_assert_str_eq(rpc(good, XS_READ, "/g", NULL), "2:1");
    /* A payload exactly at the limit is fine. */
    char big[XENSTORE_PAYLOAD_MAX];
    memset(big, 'x', sizeof(big));
    memcpy(big, "/big", 5);
    ck_assert_int_eq(send_msg(good, XS_WRITE, 1, big, sizeof(big)), 0);
    ck_assert_str_eq(recv_show(good, NULL), OK_WRITE);
    close(good);
    close(bad);
}
END_TEST

START_TEST(socket_partial_and_pipelined)
{
    int fd = connect_to("socket");
    char msg[16 + 3];
    struct xsd_sockmsg h = { XS_READ, 5, 0, 3 };
    ck_assert_str_eq(rpc_write(fd, "/p", "v"), OK_WRITE);
    memcpy(msg, &h, 16);
    memcpy(msg + 16, "/p", 3);
    for (size_t i = 0; i < sizeof(msg); i++) {
        ck_assert_int_eq(send_all(fd, msg + i, 1), 0);
        usleep(2000);
    }
    ck_assert_str_eq(recv_show(fd, NULL), "2:v");
    /* Many requests in one write: every reply, in order. */
    char burst[200 * sizeof(msg)];
    for (int i = 0; i < 200; i++) {
        h.req_id = (uint32_t)i;
        memcpy(msg, &h, 16);
        memcpy(burst + i * sizeof(msg), msg, sizeof(msg));
    }
    ck_assert_int_eq(send_all(fd, burst, sizeof(burst)), 0);
    for (int i = 0; i < 200; i++) {
        struct xsd_sockmsg r;
        ck_assert_str_eq(recv_show(fd, &r), "2:v");
        ck_assert_uint_eq(r.req_id, (uint32_t)i);
    }
    close(fd);
}
END_TEST

START_TEST(socket_flood_disconnects_flooder_alone)
{
    int good = connect_to("socket"), flood = connect_to("socket");
    char value[4000];
    memset(value, 'f', sizeof(value) - 1);
    value[sizeof(value) - 1] = '\0';
    ck_assert_str_eq(rpc_write(good, "/fat", value), OK_WRITE);
    ck_assert_str_eq(rpc(good, XS_WATCH, "/w", "tok", NULL), "4:OK");
    ck_assert_str_eq(recv_show(good, NULL), "15:/w|tok");
    /* Ask for the fat node over and over and never read the answers.
     * Bounded by what was sent, not by time: the daemon keeps at most
     * 512 KiB of replies for a client and the socket buffers a few
     * hundred KiB more, so FLOOD_REQUESTS replies of 4 KiB are far past
     * both.  Whenever the flooder's socket is full, the other client
     * must be served; then the flooder waits until it can send again or
     * is hung up on, and FLOOD_STALLS such waits in vain mean the daemon
     * stopped reading it. */
    enum { FLOOD_REQUESTS = 20000, FLOOD_STALLS = 300, STALL_MS = 100 };
    fcntl(flood, F_SETFL, O_NONBLOCK);
    char req[16 + 5];
    struct xsd_sockmsg h = { XS_READ, 1, 0, 5 };
    memcpy(req, &h, 16);
    memcpy(req + 16, "/fat", 5);
    bool cut_off = false;
    size_t sent = 0;
    unsigned int stalls = 0;
    while (sent < FLOOD_REQUESTS * sizeof(req) && stalls < FLOOD_STALLS) {
        ssize_t n = send(flood, req, sizeof(req), MSG_NOSIGNAL);
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            cut_off = true;
            break;
        }
        if (n < 0 && errno == EAGAIN) {
            /* While the flooder is stuck, the other client is served. */
            ck_assert_str_eq(rpc(good, XS_READ, "/w", NULL), ERR("ENOENT"));
            struct pollfd p = { flood, POLLOUT, 0 };
            if (poll(&p, 1, STALL_MS) == 0)
                stalls++;
            continue;
        }
        if (n > 0)
            sent += (size_t)n;
    }
    if (!cut_off) {
        /* The daemon may have closed without our send noticing yet: its
         * replies, then the end, or nothing more for a long while. */
        char sink[65536];
        struct pollfd p = { flood, POLLIN, 0 };
        while (poll(&p, 1, WAIT_S * 1000) == 1) {
            ssize_t n = recv(flood, sink, sizeof(sink), 0);
            if (n == 0 || (n < 0 && errno == ECONNRESET)) {
                cut_off = true;
                break;
            }
        }
    }
    ck_assert_msg(cut_off, "flooding client was never disconnected "
                  "(%zu bytes sent)", sent);
    /* As in Xen, the event is queued while handling, before the reply. */
    ck_assert_str_eq(rpc_write(good, "/w", "after"), "15:/w|tok");
    ck_assert_str_eq(recv_show(good, NULL), OK_WRITE);
    ck_assert_str_eq(rpc(good, XS_READ, "/w", NULL), "2:after");
    close(flood);
    close(good);
}
END_TEST

START_TEST(socket_garbage_does_not_hurt_others)
{
    int good = connect_to("socket");
    srand(1234);
    for (int round = 0; round < 20; round++) {
        int bad = connect_to("socket");
        char junk[512];
        for (size_t i = 0; i < sizeof(junk); i++)
            junk[i] = (char)rand();
        send(bad, junk, sizeof(junk), MSG_NOSIGNAL);
        close(bad);
    }
    ck_assert_str_eq(rpc_write(good, "/still", "here"), OK_WRITE);
    ck_assert_str_eq(rpc(good, XS_READ, "/still", NULL), "2:here");
    close(good);
}
END_TEST

START_TEST(socket_watches_across_connections)
{
    int a = connect_to("socket"), b = connect_to("socket");
    ck_assert_str_eq(rpc(b, XS_WATCH, "/shared", "bt", NULL), "4:OK");
    ck_assert_str_eq(recv_show(b, NULL), "15:/shared|bt");
    ck_assert_str_eq(rpc(a, XS_TRANSACTION_START, "", NULL), "6:1");
    struct xsd_sockmsg h = { XS_WRITE, 1, 1, 11 };
    send_all(a, &h, 16);
    send_all(a, "/shared/x\0v", 11);
    ck_assert_str_eq(recv_show(a, NULL), OK_WRITE);
    struct pollfd p = { b, POLLIN, 0 };
    ck_assert_int_eq(poll(&p, 1, 200), 0);   /* nothing before commit */
    h = (struct xsd_sockmsg){ XS_TRANSACTION_END, 2, 1, 2 };
    send_all(a, &h, 16);
    send_all(a, "T", 2);
    ck_assert_str_eq(recv_show(a, NULL), "7:OK");
    ck_assert_str_eq(recv_show(b, NULL), "15:/shared/x|bt");
    close(a);
    close(b);
}
END_TEST

static int run_and_wait(char *const argv[], char *out, size_t outlen)
{
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        close(pipefd[1]);
        setenv("XENSTORED_RUNDIR", rundir, 1);
        execv(daemon_binary(), argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t got = 0;
    ssize_t n;
    while (got + 1 < outlen &&
           (n = read(pipefd[0], out + got, outlen - 1 - got)) > 0)
        got += (size_t)n;
    out[got] = '\0';
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(command_line_like_xen)
{
    snprintf(rundir, sizeof(rundir), "/tmp/xsd-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rundir));
    char out[8192];
    char *help[] = { "xenstored", "--help", NULL };
    ck_assert_int_eq(run_and_wait(help, out, sizeof(out)), 0);
    ck_assert_ptr_nonnull(strstr(out, "--no-domain-init"));
    ck_assert_ptr_nonnull(strstr(out, "--quota"));
    char *bad[] = { "xenstored", "-N", "-D", "--entry-nb", "many", NULL };
    ck_assert_int_eq(run_and_wait(bad, out, sizeof(out)), 1);
    ck_assert_ptr_nonnull(strstr(out, "many"));
    char *badq[] = { "xenstored", "-N", "-D", "-Q", "frobs=1", NULL };
    ck_assert_int_eq(run_and_wait(badq, out, sizeof(out)), 1);
    ck_assert_ptr_nonnull(strstr(out, "frobs=1"));
    /* Without -N it daemonises: the command returns, the pid file names
     * the running daemon. */
    char pidfile[300];
    snprintf(pidfile, sizeof(pidfile), "%s/xenstored.pid", rundir);
    char *bg[] = { "xenstored", "-D", "-F", pidfile, NULL };
    ck_assert_int_eq(run_and_wait(bg, out, sizeof(out)), 0);
    long pid = 0;
    for (int i = 0; i < POLLS && pid == 0; i++) {
        FILE *f = fopen(pidfile, "r");
        if (f) {
            if (fscanf(f, "%ld", &pid) != 1)
                pid = 0;
            fclose(f);
        }
        if (!pid)
            usleep(POLL_US);
    }
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(kill((pid_t)pid, 0), 0);
    wait_for_socket();
    int fd = connect_to("socket");
    ck_assert_str_eq(rpc_write(fd, "/bg", "1"), OK_WRITE);
    close(fd);
    kill((pid_t)pid, SIGTERM);
    for (int i = 0; i < POLLS && kill((pid_t)pid, 0) == 0; i++)
        usleep(POLL_US);
    ck_assert_int_ne(kill((pid_t)pid, 0), 0);
    ck_assert_int_ne(access(pidfile, F_OK), 0);
    daemon_pid = 0;
    stop_daemon();
}
END_TEST

START_TEST(quota_options_reach_the_daemon)
{
    stop_daemon();
    start_daemon_with(NULL, "--quota=path-length=5");
    int fd = connect_to("socket");
    /* dom0 is exempt; the limit shows in CONTROL quota. */
    ck_assert_str_eq(rpc_write(fd, "/a-very-long-path", "1"), OK_WRITE);
    const char *q = rpc(fd, XS_CONTROL, "quota", NULL);
    ck_assert_ptr_nonnull(strstr(q, "path-length"));
    ck_assert_msg(strstr(q, "path-length        5\n") != NULL, "%s", q);
    close(fd);
}
END_TEST

/*
 * A script that stops the daemon the moment its socket shows gets a clean
 * exit: the daemon took SIGTERM's handler before it bound the socket (it
 * used to bind first, and such a stop killed it by the signal).
 */
START_TEST(stop_as_soon_as_the_socket_appears_is_clean)
{
    stop_daemon();
    for (int round = 0; round < 10; round++) {
        snprintf(rundir, sizeof(rundir), "/tmp/xsd-test-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(rundir));
        char *argv[] = { "xenstored", "-N", "-D", NULL };
        daemon_pid = spawn(argv, NULL);
        ck_assert_int_gt(daemon_pid, 0);
        char sock[300];
        snprintf(sock, sizeof(sock), "%s/socket", rundir);
        /* Look as fast as we can: the point is the first moment.  Only
         * the daemon's death ends the wait otherwise (Check's timeout
         * catches one that hangs). */
        struct stat st;
        for (unsigned long looks = 1; stat(sock, &st) < 0; looks++) {
            int status;
            if (looks % 1024 == 0 &&
                waitpid(daemon_pid, &status, WNOHANG) == daemon_pid) {
                daemon_pid = 0;
                ck_abort_msg("daemon exited (status %d) before creating %s",
                             status, sock);
            }
        }
        stop_daemon();      /* asserts exit status 0 */
    }
    start_daemon();         /* for the fixture's stop */
}
END_TEST

/* ---- the ring transport with a test peer ---- */

START_TEST(ring_transport_with_test_peer)
{
    struct guest g;
    guest_setup(&g, 5);
    stop_daemon();
    start_daemon_with(g.dir, NULL);
    int dom0 = connect_to("socket");
    ck_assert_str_eq(rpc(dom0, XS_WATCH, "@introduceDomain", "in", NULL),
                     "4:OK");
    ck_assert_str_eq(recv_show(dom0, NULL), "15:@introduceDomain|in");
    ck_assert_str_eq(rpc(dom0, XS_WATCH, "@releaseDomain", "out", NULL),
                     "4:OK");
    ck_assert_str_eq(recv_show(dom0, NULL), "15:@releaseDomain|out");
    ck_assert_str_eq(rpc(dom0, XS_MKDIR, "/local/domain/5", NULL), "12:OK");
    ck_assert_str_eq(rpc(dom0, XS_SET_PERMS, "/local/domain/5", "n5", NULL),
                     "14:OK");
    ck_assert_str_eq(rpc_write(dom0, "/local/domain/5/name", "guest5"),
                     OK_WRITE);
    /* A request the guest queued before it was introduced, whose
     * notification nobody heard, is still answered. */
    struct xsd_sockmsg early = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
    memcpy(g.intf->req, &early, sizeof(early));
    memcpy(g.intf->req + sizeof(early), "5", 2);
    g.intf->req_prod = sizeof(early) + 2;
    ck_assert_str_eq(rpc(dom0, XS_INTRODUCE, "5", "12345", "1", NULL),
                     "15:@introduceDomain|in");
    ck_assert_str_eq(recv_show(dom0, NULL), "8:OK");
    guest_accept(&g);
    struct xsd_sockmsg reply;
    char path[64];
    guest_get(&g, &reply, sizeof(reply));
    ck_assert_uint_eq(reply.type, XS_GET_DOMAIN_PATH);
    ck_assert_uint_eq(reply.len, 16);
    guest_get(&g, path, reply.len);
    ck_assert_str_eq(path, "/local/domain/5");

    ck_assert_str_eq(guest_rpc(&g, XS_READ, "name", NULL), "2:guest5");
    ck_assert_str_eq(guest_rpc(&g, XS_GET_DOMAIN_PATH, "5", NULL),
                     "10:/local/domain/5");
    ck_assert_str_eq(guest_rpc(&g, XS_READ, "/local/domain", NULL),
                     "16:EACCES");
    ck_assert_str_eq(guest_rpc(&g, XS_INTRODUCE, "6", NULL), "16:EACCES");
    ck_assert_str_eq(guest_rpc(&g, XS_WATCH, "name", "tk"), "4:OK");
    struct xsd_sockmsg ev;
    char buf[256];
    guest_get(&g, &ev, sizeof(ev));
    ck_assert_uint_eq(ev.type, XS_WATCH_EVENT);
    guest_get(&g, buf, ev.len);
    ck_assert_int_eq(memcmp(buf, "name\0tk\0", 8), 0);
    ck_assert_str_eq(rpc_write(dom0, "/local/domain/5/name", "renamed"),
                     OK_WRITE);   /* dom0 does not watch it: no event */
    guest_get(&g, &ev, sizeof(ev));
    ck_assert_uint_eq(ev.type, XS_WATCH_EVENT);
    guest_get(&g, buf, ev.len);
    ck_assert_int_eq(memcmp(buf, "name\0tk\0", 8), 0);

    /* A message several times the ring's size streams through. */
    char big[3500];
    memcpy(big, "data", 5);
    memset(big + 5, 'r', sizeof(big) - 5);
    ck_assert_str_eq(guest_rpc_raw(&g, XS_WRITE, big, sizeof(big)),
                     ERR("ENOSPC"));     /* over the 2048-byte node quota */
    ck_assert_str_eq(guest_rpc_raw(&g, XS_WRITE, big, 2000), OK_WRITE);
    const char *v = rpc(dom0, XS_READ, "/local/domain/5/data", NULL);
    ck_assert_uint_eq(strlen(v), 2 + 2000 - 5);
    ck_assert_str_eq(guest_rpc(&g, XS_GET_PERMS, "data", NULL), "3:n5");
    ck_assert_str_eq(rpc(dom0, XS_IS_DOMAIN_INTRODUCED, "5", NULL), "17:T");

    /* A guest that corrupts its ring indexes loses only its connection. */
    g.intf->req_prod = g.intf->req_cons + 5000;
    guest_notify(&g);
    guest_wait_hangup(&g);
    ck_assert_str_eq(rpc(dom0, XS_READ, "/local/domain/5/name", NULL),
                     "2:renamed");
    ck_assert_str_eq(rpc(dom0, XS_RELEASE, "5", NULL), "15:@releaseDomain|out");
    ck_assert_str_eq(recv_show(dom0, NULL), "9:OK");
    ck_assert_str_eq(rpc(dom0, XS_IS_DOMAIN_INTRODUCED, "5", NULL), "17:F");
    close(dom0);
    guest_teardown(&g);
}
END_TEST

START_TEST(ring_introduce_failure_is_reported)
{
    struct guest g;
    guest_setup(&g, 5);
    stop_daemon();
    start_daemon_with(g.dir, NULL);
    int dom0 = connect_to("socket");
    /* No ring file for domain 8: the map fails, with an error reply. */
    ck_assert_str_eq(rpc(dom0, XS_INTRODUCE, "8", "1", "1", NULL),
                     ERR("ENOENT"));
    ck_assert_str_eq(rpc(dom0, XS_IS_DOMAIN_INTRODUCED, "8", NULL), "17:F");
    close(dom0);
    guest_teardown(&g);
}
END_TEST

static Suite *daemon_suite(void)
{
    Suite *s = suite_create("xenstored-daemon");
    TCase *tc = tcase_create("sockets");
    tcase_add_checked_fixture(tc, start_daemon, stop_daemon);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, socket_basic_wire);
    tcase_add_test(tc, socket_read_only);
    tcase_add_test(tc, socket_bad_requests_answered);
    tcase_add_test(tc, socket_oversize_disconnects_only_that_client);
    tcase_add_test(tc, socket_partial_and_pipelined);
    tcase_add_test(tc, socket_flood_disconnects_flooder_alone);
    tcase_add_test(tc, socket_garbage_does_not_hurt_others);
    tcase_add_test(tc, socket_watches_across_connections);
    tcase_add_test(tc, quota_options_reach_the_daemon);
    tcase_add_test(tc, stop_as_soon_as_the_socket_appears_is_clean);
    tcase_add_test(tc, ring_transport_with_test_peer);
    tcase_add_test(tc, ring_introduce_failure_is_reported);
    suite_add_tcase(s, tc);
    TCase *cl = tcase_create("command-line");
    tcase_set_timeout(cl, 60);
    tcase_add_test(cl, command_line_like_xen);
    suite_add_tcase(s, cl);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return run_suite(daemon_suite());
}
