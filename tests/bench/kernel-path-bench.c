/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel-path-bench: the cost of the guest-kernel paths that cross the
 * hypervisor in a PV guest (system call entry and return, a hypercall
 * from the guest kernel through privcmd, context switches, page faults
 * and page-table updates), so that the same binary in dom0 on Subfloor
 * and on Xen 4.17 tells how much of a figure is the hypervisor's.  It
 * reports; it never passes or fails on time.  This file is the runner;
 * the measurements are in kernel-path-ops.c.
 *
 * Every measurement runs for -t seconds and prints one line:
 *
 *   NAME MEDIAN ns/op p99 P99 n COUNT
 *
 * Operations are timed in batches with CLOCK_MONOTONIC around each batch
 * (in a PV guest without a vDSO clock the clock is itself a system call,
 * so timing single operations would measure the clock); a sample is the
 * batch's time divided by its operations, and the median and p99 are
 * those of the samples.  COUNT is the number of operations timed.  The
 * first batch of every measurement is run untimed, to take the cold
 * caches and the first page faults out of the figures.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel-path-bench.h"

/* Per-op costs of one measurement's batches, in nanoseconds. */
struct samples {
    double *ns;
    size_t count, cap;
    unsigned long ops;
};

static const char *prog = "kernel-path-bench";

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int add_sample(struct samples *s, double ns)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        double *grown = realloc(s->ns, cap * sizeof(*grown));

        if (!grown)
            return -1;
        s->ns = grown;
        s->cap = cap;
    }
    s->ns[s->count++] = ns;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The value below which a fraction q of the sorted samples lie. */
static double quantile(const struct samples *s, double q)
{
    size_t rank = (size_t)(q * (double)s->count + 0.999999);

    if (rank < 1)
        rank = 1;
    if (rank > s->count)
        rank = s->count;
    return s->ns[rank - 1];
}

/* ---- the table and the runner ---------------------------------------- */

/* Batch sizes keep the clock's own cost (a system call in a PV guest)
 * to a few percent of a batch without making a batch long under TCG. */
static const struct bench benches[] = {
    { "getppid", 100, NULL, NULL, run_getppid, NULL, false, 0 },
    { "clock_gettime", 100, NULL, NULL, run_clock, NULL, false, 0 },
    { "privcmd-hypercall", 100, open_privcmd, NULL, run_privcmd, close_privcmd,
      false, 0 },
    { "pipe-pingpong-same", 10, start_pingpong, NULL, run_pingpong,
      stop_pingpong, false, 0 },
    { "pipe-pingpong-cross", 10, start_pingpong, NULL, run_pingpong,
      stop_pingpong, false, 1 },
    { "unix-pingpong-cross", 10, start_pingpong, NULL, run_pingpong,
      stop_pingpong, true, 1 },
    { "page-fault", 256, setup_faults, prepare_faults, run_faults,
      stop_faults, false, 0 },
    { "fork-exit", 1, NULL, NULL, run_fork_exit, NULL, false, 0 },
    { "mmap-munmap", 20, NULL, NULL, run_mmap_munmap, NULL, false, 0 },
};
#define N_BENCHES (sizeof(benches) / sizeof(benches[0]))

/* Runs one measurement and prints its line; 0, or -1 after printing why. */
static int measure(const struct bench *b, double seconds)
{
    struct bench_state st = { .out_fd = -1, .in_fd = -1 };
    struct samples s = { 0 };
    const char *skip_reason = "";
    const char *failed_in = NULL;
    long deadline;
    int rc;

    if (b->setup) {
        rc = b->setup(&st, b, &skip_reason);
        if (rc > 0) {
            printf("%s skipped: %s\n", b->name, skip_reason);
            fflush(stdout);
            return 0;
        }
        if (rc < 0) {
            fprintf(stderr, "%s: %s: setup: %s\n", prog, b->name, strerror(errno));
            return -1;
        }
    }
    /* Untimed first batch: cold caches, first faults, the child starting. */
    if ((b->prepare && b->prepare(&st, b->batch) != 0) || b->run(&st, b->batch) != 0) {
        failed_in = "warm-up";
        goto out;
    }
    deadline = now_ns() + (long)(seconds * 1e9);
    for (;;) {
        long t0, t1;

        if (b->prepare && b->prepare(&st, b->batch) != 0) {
            failed_in = "prepare";
            break;
        }
        t0 = now_ns();
        if (b->run(&st, b->batch) != 0) {
            failed_in = "run";
            break;
        }
        t1 = now_ns();
        if (add_sample(&s, (double)(t1 - t0) / b->batch) != 0) {
            failed_in = "samples";
            break;
        }
        s.ops += b->batch;
        if (t1 >= deadline)
            break;
    }
out:
    if (failed_in)
        fprintf(stderr, "%s: %s: %s: %s\n", prog, b->name, failed_in, strerror(errno));
    if (b->teardown && b->teardown(&st) != 0 && !failed_in) {
        fprintf(stderr, "%s: %s: teardown: %s\n", prog, b->name, strerror(errno));
        failed_in = "teardown";
    }
    if (!failed_in) {
        qsort(s.ns, s.count, sizeof(*s.ns), cmp_double);
        printf("%s %.0f ns/op p99 %.0f n %lu\n", b->name, quantile(&s, 0.5),
               quantile(&s, 0.99), s.ops);
        fflush(stdout);
    }
    free(s.ns);
    return failed_in ? -1 : 0;
}

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: %s [-t SECONDS] [-o NAME[,NAME...]]\n"
            "  -t  seconds per measurement (default 1; up to 3600)\n"
            "  -o  run only these measurements, in this order\n"
            "Measurements:",
            prog);
    for (size_t i = 0; i < N_BENCHES; i++)
        fprintf(to, " %s", benches[i].name);
    fprintf(to, "\nEach prints: NAME MEDIAN ns/op p99 P99 n COUNT\n");
}

static void bad_usage(const char *fmt, const char *what)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    usage(stderr);
    exit(2);
}

/* Fills order[] with the indices named in a comma-separated list. */
static size_t parse_names(const char *list, size_t *order, size_t max)
{
    size_t n = 0;
    const char *p = list;

    for (;;) {
        size_t len = strcspn(p, ",");
        size_t i;

        if (len == 0)
            bad_usage("-o: empty measurement name in '%s'", list);
        for (i = 0; i < N_BENCHES; i++)
            if (strlen(benches[i].name) == len && strncmp(benches[i].name, p, len) == 0)
                break;
        if (i == N_BENCHES) {
            char name[64];

            snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), p);
            bad_usage("-o: no measurement named '%s'", name);
        }
        if (n == max)
            bad_usage("-o: too many names in '%s'", list);
        order[n++] = i;
        if (p[len] == '\0')
            return n;
        p += len + 1;
    }
}

int main(int argc, char **argv)
{
    size_t order[4 * N_BENCHES];
    size_t count = 0;
    double seconds = 1.0;
    int c, failures = 0;

    while ((c = getopt(argc, argv, ":t:o:h")) != -1) {
        char *end;

        switch (c) {
        case 't':
            errno = 0;
            seconds = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(seconds > 0) || seconds > 3600)
                bad_usage("-t wants seconds above 0 and up to 3600, not '%s'", optarg);
            break;
        case 'o':
            count = parse_names(optarg, order, sizeof(order) / sizeof(order[0]));
            break;
        case 'h':
            usage(stdout);
            return 0;
        case ':': {
            char opt[3] = { '-', (char)optopt, '\0' };

            bad_usage("option %s needs a value", opt);
            break;
        }
        default: {
            char opt[3] = { '-', (char)optopt, '\0' };

            bad_usage("unknown option '%s'", opt);
        }
        }
    }
    if (optind != argc)
        bad_usage("unexpected argument '%s'", argv[optind]);
    if (count == 0)
        for (count = 0; count < N_BENCHES; count++)
            order[count] = count;

    /* An echo child that dies must show as an error, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < count; i++)
        if (measure(&benches[order[i]], seconds) != 0)
            failures++;
    return failures ? 1 : 0;
}
