/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel-path-bench's measurements: each is a set of hooks that the
 * runner (kernel-path-bench.c) calls around its timed batches; the hooks
 * live in kernel-path-ops.c.
 */
#ifndef KERNEL_PATH_BENCH_H
#define KERNEL_PATH_BENCH_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* State shared by a measurement's hooks; each uses what it needs. */
struct bench_state {
    int out_fd, in_fd;      /* ping-pong: our ends towards the echo child;
                               privcmd: out_fd is the device */
    pid_t child;            /* ping-pong: the echo child */
    char *region;           /* page-fault: the current anonymous region */
    size_t region_next;     /* page-fault: first page not yet touched */
    cpu_set_t own_cpus;     /* ping-pong: our affinity before, restored after */
};

/*
 * One measurement: setup (untimed, may skip with a reason), prepare
 * (untimed, before each batch), run (timed: ops operations), teardown.
 * Hooks return 0 or -1 with errno set; setup returns 1 to skip.
 */
struct bench {
    const char *name;
    unsigned batch;
    int (*setup)(struct bench_state *st, const struct bench *b,
                 const char **skip_reason);
    int (*prepare)(struct bench_state *st, unsigned ops);
    int (*run)(struct bench_state *st, unsigned ops);
    int (*teardown)(struct bench_state *st);
    /* pipe/unix ping-pong: transport and where the echo child runs */
    bool use_socket;
    int child_cpu;
};

/* A null system call, and the clock (itself a system call in a PV dom0). */
int run_getppid(struct bench_state *st, unsigned ops);
int run_clock(struct bench_state *st, unsigned ops);

/* A xen_version hypercall through /dev/xen/privcmd: skipped without it. */
int open_privcmd(struct bench_state *st, const struct bench *b,
                 const char **skip_reason);
int run_privcmd(struct bench_state *st, unsigned ops);
int close_privcmd(struct bench_state *st);

/* One byte there and back to an echo child on b->child_cpu, over two
 * pipes or a socketpair (b->use_socket); we run on CPU 0. */
int start_pingpong(struct bench_state *st, const struct bench *b,
                   const char **skip_reason);
int run_pingpong(struct bench_state *st, unsigned ops);
int stop_pingpong(struct bench_state *st);

/* First writes to fresh anonymous pages of a 64 MiB region. */
int setup_faults(struct bench_state *st, const struct bench *b,
                 const char **skip_reason);
int prepare_faults(struct bench_state *st, unsigned ops);
int run_faults(struct bench_state *st, unsigned ops);
int stop_faults(struct bench_state *st);

int run_fork_exit(struct bench_state *st, unsigned ops);
int run_mmap_munmap(struct bench_state *st, unsigned ops);

#endif
