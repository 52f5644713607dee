/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int test_daemon_start(struct test_daemon *d)
{
    char binbuf[4096];
    const char *bin = daemon_binary(binbuf, sizeof(binbuf));
    struct stat st;

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
    /* Up to 5 s for the socket to appear. */
    for (int i = 0; i < 500; i++) {
        int status;

        if (stat(d->socket, &st) == 0 && S_ISSOCK(st.st_mode)) {
            setenv("XENSTORED_PATH", d->socket, 1);
            setenv("XENSTORED_RUNDIR", d->rundir, 1);
            return 0;
        }
        if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
            fprintf(stderr, "# %s exited before creating %s\n", bin,
                    d->socket);
            d->pid = 0;
            test_daemon_stop(d);   /* removes the directory */
            return -1;
        }
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    fprintf(stderr, "# %s created no socket in 5 s\n", bin);
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
