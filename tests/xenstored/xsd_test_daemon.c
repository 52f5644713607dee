/* Helpers of the tests that run the daemon as a process: see
 * xsd_test_daemon.h. */
#define _GNU_SOURCE
#include "xsd_test_daemon.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char rundir[64];
pid_t daemon_pid;

const char *daemon_binary(void)
{
    static char path[512];
    const char *b = getenv("XENSTORED_BIN");
    if (b)
        return b;
    const char *top = getenv("top_builddir");
    snprintf(path, sizeof(path), "%s/xenstored/xenstored-san",
             top ? top : "../..");
    return path;
}

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int connect_to(const char *name)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", rundir, name);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        close(fd);
        return -1;
    }
    struct timeval tv = { WAIT_S, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

const char *plain_daemon_binary(void)
{
    static char path[512];
    const char *top = getenv("top_builddir");
    snprintf(path, sizeof(path), "%s/xenstored/xenstored",
             top ? top : "../..");
    return path;
}

pid_t spawn_binary(const char *binary, char *const argv[],
                   const char *ring_dir)
{
    pid_t pid = fork();
    if (pid == 0) {
        setenv("XENSTORED_RUNDIR", rundir, 1);
        unsetenv("XENSTORED_PATH");
        if (ring_dir)
            setenv("XENSTORED_TEST_RING_DIR", ring_dir, 1);
        execv(binary, argv);
        _exit(127);
    }
    return pid;
}

pid_t spawn(char *const argv[], const char *ring_dir)
{
    return spawn_binary(daemon_binary(), argv, ring_dir);
}

void wait_for_socket(void)
{
    for (int i = 0; i < POLLS; i++) {
        int fd = connect_to("socket");
        if (fd >= 0) {
            close(fd);
            return;
        }
        int status;
        if (daemon_pid > 0 && waitpid(daemon_pid, &status, WNOHANG) == daemon_pid) {
            daemon_pid = 0;
            ck_abort_msg("daemon exited (status %d) before listening in %s",
                         status, rundir);
        }
        usleep(POLL_US);
    }
    ck_abort_msg("daemon not listening in %s after %d s", rundir, WAIT_S);
}

void start_daemon_binary(const char *binary, const char *ring_dir,
                         const char *extra)
{
    snprintf(rundir, sizeof(rundir), "/tmp/xsd-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rundir));
    char *argv[] = { "xenstored", "-N", "-D", (char *)extra, NULL };
    daemon_pid = spawn_binary(binary, argv, ring_dir);
    ck_assert_int_gt(daemon_pid, 0);
    wait_for_socket();
}

void start_daemon_with(const char *ring_dir, const char *extra)
{
    start_daemon_binary(daemon_binary(), ring_dir, extra);
}

void start_daemon(void)
{
    start_daemon_with(NULL, NULL);
}

void stop_daemon(void)
{
    if (daemon_pid > 0) {
        kill(daemon_pid, SIGTERM);
        int status;
        waitpid(daemon_pid, &status, 0);
        daemon_pid = 0;
        /* A clean exit also proves the sanitizers saw nothing wrong. */
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "daemon exit status %d", status);
    }
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", rundir);
    ck_assert_int_eq(system(cmd), 0);
}

int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int send_msg_tx(int fd, uint32_t type, uint32_t req, uint32_t tx,
                const void *payload, size_t len)
{
    struct xsd_sockmsg h = { type, req, tx, (uint32_t)len };
    if (send_all(fd, &h, sizeof(h)) < 0)
        return -1;
    return send_all(fd, payload, len);
}

int send_msg(int fd, uint32_t type, uint32_t req, const void *payload,
             size_t len)
{
    return send_msg_tx(fd, type, req, 0, payload, len);
}

int recv_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len) {
        ssize_t n = recv(fd, p, len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reply or event as "TYPE:str|str"; "EOF" when the daemon hung up. */
const char *recv_show(int fd, struct xsd_sockmsg *hdr_out)
{
    static char out[8192];
    struct xsd_sockmsg h;
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    if (recv_all(fd, &h, sizeof(h)) < 0)
        return "EOF";
    if (h.len > XENSTORE_PAYLOAD_MAX || recv_all(fd, buf, h.len) < 0)
        return "BAD";
    if (hdr_out)
        *hdr_out = h;
    size_t o = (size_t)snprintf(out, sizeof(out), "%u:", h.type);
    for (uint32_t i = 0; i < h.len && o + 1 < sizeof(out); i++)
        out[o++] = buf[i] == '\0' ? (i + 1 == h.len ? '\0' : '|') : buf[i];
    out[o] = '\0';
    return out;
}

const char *rpc(int fd, uint32_t type, ...)
{
    char buf[8192];
    size_t len = 0;
    va_list ap;
    va_start(ap, type);
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        memcpy(buf + len, s, strlen(s) + 1);
        len += strlen(s) + 1;
    }
    va_end(ap);
    if (send_msg(fd, type, 7, buf, len) < 0)
        return "SENDFAIL";
    return recv_show(fd, NULL);
}

long daemon_rss_kib(void)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)daemon_pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    long kib = -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    ck_assert_int_gt(kib, 0);
    return kib;
}

const char *rpc_write(int fd, const char *path, const char *value)
{
    char buf[8192];
    size_t pl = strlen(path) + 1, vl = strlen(value);
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    if (send_msg(fd, XS_WRITE, 7, buf, pl + vl) < 0)
        return "SENDFAIL";
    return recv_show(fd, NULL);
}

/* ---- a guest's end of the test ring backend ---- */

void guest_setup(struct guest *g, unsigned domid)
{
    snprintf(g->dir, sizeof(g->dir), "/tmp/xsd-ring-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(g->dir));
    char path[300];
    snprintf(path, sizeof(path), "%s/ring-%u", g->dir, domid);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    ck_assert_int_eq(ftruncate(fd, 4096), 0);
    g->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ck_assert_ptr_ne(g->intf, MAP_FAILED);
    close(fd);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/evtchn-%u", g->dir,
             domid);
    g->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(g->listen_fd, (struct sockaddr *)&addr,
                          sizeof(addr)), 0);
    ck_assert_int_eq(listen(g->listen_fd, 1), 0);
    g->evt = -1;
}

void guest_accept(struct guest *g)
{
    struct pollfd p = { g->listen_fd, POLLIN, 0 };
    ck_assert_int_eq(poll(&p, 1, WAIT_S * 1000), 1);
    g->evt = accept(g->listen_fd, NULL, NULL);
    ck_assert_int_ge(g->evt, 0);
}

void guest_notify(struct guest *g)
{
    ck_assert_int_eq(send(g->evt, "!", 1, MSG_NOSIGNAL), 1);
}

void guest_wait(struct guest *g)
{
    struct pollfd p = { g->evt, POLLIN, 0 };
    ck_assert_msg(poll(&p, 1, WAIT_S * 1000) == 1, "no notification from xenstored");
    char buf[64];
    ck_assert_int_gt(recv(g->evt, buf, sizeof(buf), MSG_DONTWAIT), 0);
}

/* Until xenstored closes its end of the event channel: it dropped the
 * guest's connection. */
void guest_wait_hangup(struct guest *g)
{
    struct pollfd p = { g->evt, POLLIN, 0 };
    char buf[64];
    for (;;) {
        ck_assert_msg(poll(&p, 1, WAIT_S * 1000) == 1,
                      "xenstored kept the guest's connection");
        ssize_t n = recv(g->evt, buf, sizeof(buf), MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return;
        ck_assert_msg(n > 0 || errno == EAGAIN, "recv: %s", strerror(errno));
    }
}

void guest_put(struct guest *g, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        XENSTORE_RING_IDX cons = __atomic_load_n(&g->intf->req_cons,
                                                 __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = g->intf->req_prod;
        size_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (!space) {
            guest_wait(g);
            continue;
        }
        size_t n = len < space ? len : space;
        for (size_t i = 0; i < n; i++)
            g->intf->req[MASK_XENSTORE_IDX(prod + i)] = p[i];
        __atomic_store_n(&g->intf->req_prod, prod + (XENSTORE_RING_IDX)n,
                         __ATOMIC_RELEASE);
        guest_notify(g);
        p += n;
        len -= n;
    }
}

void guest_get(struct guest *g, void *data, size_t len)
{
    char *p = data;
    while (len) {
        XENSTORE_RING_IDX prod = __atomic_load_n(&g->intf->rsp_prod,
                                                 __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX cons = g->intf->rsp_cons;
        size_t avail = prod - cons;
        if (!avail) {
            guest_wait(g);
            continue;
        }
        size_t n = len < avail ? len : avail;
        for (size_t i = 0; i < n; i++)
            p[i] = g->intf->rsp[MASK_XENSTORE_IDX(cons + i)];
        __atomic_store_n(&g->intf->rsp_cons, cons + (XENSTORE_RING_IDX)n,
                         __ATOMIC_RELEASE);
        guest_notify(g);
        p += n;
        len -= n;
    }
}

const char *guest_rpc_tx(struct guest *g, uint32_t type, uint32_t tx,
                         const char *payload, size_t len)
{
    static char out[8192];
    struct xsd_sockmsg h = { type, 99, tx, (uint32_t)len };
    guest_put(g, &h, sizeof(h));
    guest_put(g, payload, len);
    struct xsd_sockmsg r;
    char buf[XENSTORE_PAYLOAD_MAX];
    guest_get(g, &r, sizeof(r));
    ck_assert_uint_le(r.len, XENSTORE_PAYLOAD_MAX);
    guest_get(g, buf, r.len);
    size_t o = (size_t)snprintf(out, sizeof(out), "%u:", r.type);
    for (uint32_t i = 0; i < r.len; i++)
        out[o++] = buf[i] == '\0' ? (i + 1 == r.len ? '\0' : '|') : buf[i];
    out[o] = '\0';
    return out;
}

const char *guest_rpc_raw(struct guest *g, uint32_t type,
                          const char *payload, size_t len)
{
    return guest_rpc_tx(g, type, 0, payload, len);
}

const char *guest_rpc(struct guest *g, uint32_t type, const char *a,
                      const char *b)
{
    char buf[8192];
    size_t len = strlen(a) + 1;
    memcpy(buf, a, len);
    if (b) {
        memcpy(buf + len, b, strlen(b) + 1);
        len += strlen(b) + 1;
    }
    return guest_rpc_raw(g, type, buf, len);
}

void guest_teardown(struct guest *g)
{
    if (g->evt >= 0)
        close(g->evt);
    close(g->listen_fd);
    munmap(g->intf, 4096);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", g->dir);
    ck_assert_int_eq(system(cmd), 0);
}
