/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_daemon.h"

#include "../check_main.h"

static const char *daemon_binary(char *buf, size_t len)
{
    const char *bin = getenv("XENSTORED_BIN");
    const char *top = getenv("top_builddir");

    if (bin)
        return bin;
    snprintf(buf, len, "%s/xenstored/xenstored", top ? top : "../..");
    return buf;
}

#define START_POLL_NS 10000000     /* 10 ms */
#define START_POLLS 3000            /* 30 s: within a test's timeout */

static bool socket_accepts(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok;

    if (fd < 0 || strlen(path) >= sizeof(addr.sun_path)) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    strcpy(addr.sun_path, path);
    ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

int test_daemon_start(struct test_daemon *d)
{
    char binbuf[4096];
    const char *bin = daemon_binary(binbuf, sizeof(binbuf));

    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "# no xenstored at %s: %s (build xenstored/ or set "
                "XENSTORED_BIN)\n", bin, strerror(errno));
        return -1;
    }
    strcpy(d->rundir, "/tmp/xs-test-XXXXXX");
    if (!mkdtemp(d->rundir)) {
        perror("# mkdtemp");
        return -1;
    }
    snprintf(d->socket, sizeof(d->socket), "%s/socket", d->rundir);
    d->pid = fork();
    if (d->pid < 0)
        return -1;
    if (d->pid == 0) {
        setenv("XENSTORED_RUNDIR", d->rundir, 1);
        /* A daemon may honour the client's variable for its socket. */
        unsetenv("XENSTORED_PATH");
        execl(bin, bin, "-N", "-D", (char *)NULL);
        fprintf(stderr, "# exec %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    /* Ready once its socket accepts a connection (the socket file appears
     * at bind, a moment before listen).  The wait ends early if the
     * daemon dies; the bound is only for one that hangs, and is generous
     * because a sanitized daemon starts slowly on a busy machine. */
    for (int i = 0; i < START_POLLS; i++) {
        int status;

        if (socket_accepts(d->socket)) {
            setenv("XENSTORED_PATH", d->socket, 1);
            setenv("XENSTORED_RUNDIR", d->rundir, 1);
            return 0;
        }
        if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
            fprintf(stderr, "# %s exited before listening on %s\n", bin,
                    d->socket);
            d->pid = 0;
            test_daemon_stop(d);   /* removes the directory */
            return -1;
        }
        nanosleep(&(struct timespec){ 0, START_POLL_NS }, NULL);
    }
    fprintf(stderr, "# %s was not listening on %s after %d s\n", bin, d->socket,
            (int)((long long)START_POLLS * START_POLL_NS / 1000000000));
    test_daemon_stop(d);
    return -1;
}

void test_daemon_stop(struct test_daemon *d)
{
    char path[160];

    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        waitpid(d->pid, NULL, 0);
        d->pid = 0;
    }
    snprintf(path, sizeof(path), "%s/socket", d->rundir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/socket_ro", d->rundir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/xenstored.pid", d->rundir);
    unlink(path);
    rmdir(d->rundir);
}

int test_daemon_run_suite(Suite *s, const char *what)
{
    struct test_daemon d;
    if (test_daemon_start(&d) != 0) {
        printf("1..1\nnot ok 1 - start xenstored for %s\n", what);
        return 1;
    }
    int rc = run_suite(s);
    test_daemon_stop(&d);
    return rc;
}
