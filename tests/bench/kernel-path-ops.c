/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The measurements of kernel-path-bench: what one operation of each is,
 * and the untimed setting up around it.  Every hook returns 0, or -1 with
 * errno set; a setup returns 1 with a reason to skip the measurement.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "public/version.h"
#include "public/xen.h"

#include "kernel-path-bench.h"

#define PAGE_BYTES 4096UL
/* The page-fault measurement's region, mapped afresh whenever used up. */
#define FAULT_REGION_BYTES (64UL << 20)

/* ---- the null system call and the clock ------------------------------ */

int run_getppid(struct bench_state *st, unsigned ops)
{
    (void)st;
    for (unsigned i = 0; i < ops; i++)
        syscall(SYS_getppid);
    return 0;
}

int run_clock(struct bench_state *st, unsigned ops)
{
    struct timespec ts;

    (void)st;
    for (unsigned i = 0; i < ops; i++)
        if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
            return -1;
    return 0;
}

/* ---- a hypercall from the guest kernel --------------------------------- */

/*
 * Linux's privcmd device issues a hypercall for us.  Its uapi header
 * cannot be included from userspace, so the ABI is spelled out: the
 * hypercall number and five 64-bit arguments.
 */
struct privcmd_hypercall_args {
    uint64_t op;
    uint64_t arg[5];
};
#define PRIVCMD_IOCTL_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall_args))
#define PRIVCMD_DEVICE "/dev/xen/privcmd"

static int xen_version_call(int fd)
{
    struct privcmd_hypercall_args call = {
        .op = __HYPERVISOR_xen_version,
        .arg = { XENVER_version },
    };

    return ioctl(fd, PRIVCMD_IOCTL_HYPERCALL, &call) < 0 ? -1 : 0;
}

/* Outside a Xen PV dom0 (a build host) there is no device: a skip. */
int open_privcmd(struct bench_state *st, const struct bench *b,
                 const char **skip_reason)
{
    static char reason[128];

    (void)b;
    st->out_fd = open(PRIVCMD_DEVICE, O_RDWR | O_CLOEXEC);
    if (st->out_fd < 0) {
        snprintf(reason, sizeof(reason), "cannot open %s: %s", PRIVCMD_DEVICE,
                 strerror(errno));
        *skip_reason = reason;
        return 1;
    }
    if (xen_version_call(st->out_fd) != 0) {
        int saved = errno;

        close(st->out_fd);
        errno = saved;
        return -1;
    }
    return 0;
}

int run_privcmd(struct bench_state *st, unsigned ops)
{
    for (unsigned i = 0; i < ops; i++)
        if (xen_version_call(st->out_fd) != 0)
            return -1;
    return 0;
}

int close_privcmd(struct bench_state *st)
{
    return close(st->out_fd);
}

/* ---- ping-pong between two processes --------------------------------- */

static int pin_to(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

/* The echo child: send back every byte until the other end closes. */
static void echo_loop(int in_fd, int out_fd)
{
    char c;

    for (;;) {
        ssize_t n = read(in_fd, &c, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(n == 0 ? 0 : 1);
        if (write(out_fd, &c, 1) != 1)
            _exit(1);
    }
}

int start_pingpong(struct bench_state *st, const struct bench *b,
                   const char **skip_reason)
{
    int to_child[2], from_child[2];

    if (sched_getaffinity(0, sizeof(st->own_cpus), &st->own_cpus) != 0)
        return -1;
    if (b->child_cpu != 0 && !CPU_ISSET(b->child_cpu, &st->own_cpus)) {
        *skip_reason = CPU_COUNT(&st->own_cpus) < 2 ? "only one CPU"
                                                    : "CPU 1 is not ours to use";
        return 1;
    }
    if (!CPU_ISSET(0, &st->own_cpus)) {
        *skip_reason = "CPU 0 is not ours to use";
        return 1;
    }
    if (b->use_socket) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, to_child) != 0)
            return -1;
        from_child[0] = to_child[0];
        from_child[1] = to_child[1];
    } else {
        if (pipe(to_child) != 0)
            return -1;
        if (pipe(from_child) != 0) {
            close(to_child[0]);
            close(to_child[1]);
            return -1;
        }
    }
    /* The child inherits the affinity it is forked with, so it never
     * runs a moment on the wrong CPU. */
    if (pin_to(b->child_cpu) != 0)
        goto fail;
    st->child = fork();
    if (st->child < 0)
        goto fail;
    if (st->child == 0) {
        if (b->use_socket) {
            close(to_child[0]);
            echo_loop(to_child[1], to_child[1]);
        }
        close(to_child[1]);
        close(from_child[0]);
        echo_loop(to_child[0], from_child[1]);
    }
    if (pin_to(0) != 0)
        goto fail_child;
    if (b->use_socket) {
        close(to_child[1]);
        st->out_fd = st->in_fd = to_child[0];
    } else {
        close(to_child[0]);
        close(from_child[1]);
        st->out_fd = to_child[1];
        st->in_fd = from_child[0];
    }
    return 0;

fail_child:
    kill(st->child, SIGKILL);
    waitpid(st->child, NULL, 0);
fail:
    {
        int saved = errno;

        close(to_child[0]);
        close(to_child[1]);
        if (!b->use_socket) {
            close(from_child[0]);
            close(from_child[1]);
        }
        sched_setaffinity(0, sizeof(st->own_cpus), &st->own_cpus);
        errno = saved;
    }
    return -1;
}

int run_pingpong(struct bench_state *st, unsigned ops)
{
    char c = 'x';

    for (unsigned i = 0; i < ops; i++) {
        if (write(st->out_fd, &c, 1) != 1)
            return -1;
        for (;;) {
            ssize_t n = read(st->in_fd, &c, 1);

            if (n == 1)
                break;
            if (n == 0) {
                errno = EPIPE;   /* the echo child went away */
                return -1;
            }
            if (errno != EINTR)
                return -1;
        }
    }
    return 0;
}

int stop_pingpong(struct bench_state *st)
{
    int status, rc = 0;

    /* Closing our ends is the child's signal to leave. */
    close(st->out_fd);
    if (st->in_fd != st->out_fd)
        close(st->in_fd);
    if (waitpid(st->child, &status, 0) < 0)
        rc = -1;
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        rc = -1;
    }
    if (sched_setaffinity(0, sizeof(st->own_cpus), &st->own_cpus) != 0)
        rc = -1;
    return rc;
}

/* ---- memory ---------------------------------------------------------- */

static int map_fault_region(struct bench_state *st)
{
    void *p = mmap(NULL, FAULT_REGION_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return -1;
    /* One fault per 4 KiB page, even where transparent huge pages would
     * fill 2 MiB at once (a host; a PV guest has none). */
    madvise(p, FAULT_REGION_BYTES, MADV_NOHUGEPAGE);
    st->region = p;
    st->region_next = 0;
    return 0;
}

int setup_faults(struct bench_state *st, const struct bench *b,
                 const char **skip_reason)
{
    (void)b;
    (void)skip_reason;
    return map_fault_region(st);
}

/* A fresh region when this batch would run past the current one; its
 * munmap and mmap stay out of the timed part (mmap-munmap has those). */
int prepare_faults(struct bench_state *st, unsigned ops)
{
    if ((st->region_next + ops) * PAGE_BYTES <= FAULT_REGION_BYTES)
        return 0;
    if (munmap(st->region, FAULT_REGION_BYTES) != 0)
        return -1;
    st->region = NULL;
    return map_fault_region(st);
}

int run_faults(struct bench_state *st, unsigned ops)
{
    volatile char *page = st->region + st->region_next * PAGE_BYTES;

    for (unsigned i = 0; i < ops; i++)
        page[i * PAGE_BYTES] = 1;
    st->region_next += ops;
    return 0;
}

int stop_faults(struct bench_state *st)
{
    return st->region ? munmap(st->region, FAULT_REGION_BYTES) : 0;
}

int run_fork_exit(struct bench_state *st, unsigned ops)
{
    (void)st;
    for (unsigned i = 0; i < ops; i++) {
        int status;
        pid_t pid = fork();

        if (pid < 0)
            return -1;
        if (pid == 0)
            _exit(0);
        if (waitpid(pid, &status, 0) < 0)
            return -1;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            errno = ECHILD;
            return -1;
        }
    }
    return 0;
}

int run_mmap_munmap(struct bench_state *st, unsigned ops)
{
    (void)st;
    for (unsigned i = 0; i < ops; i++) {
        volatile char *p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED)
            return -1;
        p[0] = 1;
        if (munmap((void *)p, PAGE_BYTES) != 0)
            return -1;
    }
    return 0;
}
