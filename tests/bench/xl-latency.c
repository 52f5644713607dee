/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In dom0, for tests/bench/xl-bench: the median latency of
 *   xl-latency run N PROGRAM ARGS...   a whole command (fork, exec, wait;
 *                                      its output to /dev/null), N times
 *   xl-latency getinfolist N           one XEN_SYSCTL_getdomaininfolist
 *                                      through privcmd (our libxenctrl)
 * Prints "median-us: X" (and min, max) on one line; exits 1 on failure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int report(double *t, int n)
{
    qsort(t, (size_t)n, sizeof(*t), cmp);
    printf("median-us: %.1f min-us: %.1f max-us: %.1f runs: %d\n", t[n / 2],
           t[0], t[n - 1], n);
    return 0;
}

static int run_command(int n, char **argv)
{
    double *t = calloc((size_t)n, sizeof(*t));
    if (!t)
        return 1;
    for (int i = 0; i < n; i++) {
        double start = now_us();
        pid_t pid = fork();
        if (pid < 0)
            return perror("fork"), 1;
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            execvp(argv[0], argv);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr, "xl-latency: %s failed (status %d)\n", argv[0], status);
            return 1;
        }
        t[i] = now_us() - start;
    }
    int rc = report(t, n);
    free(t);
    return rc;
}

static int getinfolist(int n)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch)
        return perror("xc_interface_open"), 1;
    double *t = calloc((size_t)n, sizeof(*t));
    xc_domaininfo_t info[16];
    for (int i = 0; t && i < n; i++) {
        double start = now_us();
        if (xc_domain_getinfolist(xch, 0, 16, info) < 1) {
            fprintf(stderr, "xl-latency: getdomaininfolist failed\n");
            return 1;
        }
        t[i] = now_us() - start;
    }
    int rc = t ? report(t, n) : 1;
    free(t);
    xc_interface_close(xch);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "run"))
        return run_command(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1, argv + 3);
    if (argc == 3 && !strcmp(argv[1], "getinfolist"))
        return getinfolist(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1);
    fprintf(stderr, "usage: xl-latency run N PROGRAM [ARGS...] | getinfolist N\n");
    return 2;
}
