/*
 * dom0-clock-test: dom0's clock as user space sees it, run in dom0 by the
 * system tests (dom0-checks.batch).
 *
 *   dom0-clock-test [-n SWITCHES]
 *
 * 1. Readings taken alternately on vCPU 0 and vCPU 1 (sched_setaffinity
 *    between them), each stint reading CLOCK_MONOTONIC once by a bare
 *    system call and once through libc (the vDSO when the kernel enabled
 *    it), never go backwards.
 * 2. In a child under a seccomp filter that makes clock_gettime fail
 *    with ENOTSUP, libc's clock_gettime(CLOCK_MONOTONIC) still succeeds
 *    only if the vDSO answered without a system call: Linux enables its
 *    pvclock vDSO only when the hypervisor marks the TSC stable and takes
 *    VCPUOP_register_vcpu_time_memory_area.  If it does, the same
 *    alternating test runs there on vDSO readings alone.
 *
 * Output, one line each: "vdso-clock: yes" or "vdso-clock: no (why)",
 * then "PASS name: ..." / "FAIL name: ..." per check.  Whether the vDSO
 * must be there is the caller's business (it is on Subfloor; on Xen under
 * TCG it may not be), so "vdso-clock: no" alone is not a failure.  Exit
 * status: 0 when every check that ran passed, 1 otherwise, 2 for bad
 * usage.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SWITCHES 2000
#define MAX_SWITCHES 1000000
/* The errno the filter answers clock_gettime with: one no real
 * clock_gettime(CLOCK_MONOTONIC) returns. */
#define FILTER_ERRNO ENOTSUP

typedef int (*clock_read_fn)(struct timespec *ts);

static int read_by_syscall(struct timespec *ts)
{
    return (int)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
}

static int read_by_libc(struct timespec *ts)
{
    return clock_gettime(CLOCK_MONOTONIC, ts);
}

static uint64_t ts_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

struct monotonic_result {
    unsigned long readings, backwards, off_cpu;
    uint64_t worst_step_ns;
    const char *error;          /* a call that failed, or NULL */
    int error_errno;
};

static void observe(struct monotonic_result *r, uint64_t *prev, uint64_t now)
{
    r->readings++;
    if (now < *prev) {
        r->backwards++;
        if (*prev - now > r->worst_step_ns)
            r->worst_step_ns = *prev - now;
    }
    *prev = now;
}

/* Each stint on one vCPU takes a reading from every reader in turn. */
static void alternate(unsigned long switches, const clock_read_fn *readers, size_t nr_readers,
                      struct monotonic_result *r)
{
    uint64_t prev = 0;
    struct timespec ts;

    memset(r, 0, sizeof(*r));
    for (unsigned long i = 0; i < switches; i++) {
        int cpu = (int)(i & 1);
        cpu_set_t set;

        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set)) {
            r->error = "sched_setaffinity";
            r->error_errno = errno;
            return;
        }
        /* The kernel moves the caller before sched_setaffinity returns;
         * count it if not, so a test that never changed CPU shows. */
        if (sched_getcpu() != cpu)
            r->off_cpu++;
        for (size_t k = 0; k < nr_readers; k++) {
            if (readers[k](&ts)) {
                r->error = "clock_gettime";
                r->error_errno = errno;
                return;
            }
            observe(r, &prev, ts_ns(&ts));
        }
    }
}

static int report(const char *name, const char *how, unsigned long switches,
                  const struct monotonic_result *r)
{
    if (r->error) {
        printf("FAIL %s: %s failed after %lu readings: %s\n", name, r->error, r->readings,
               strerror(r->error_errno));
        return 1;
    }
    if (r->off_cpu) {
        printf("FAIL %s: %lu of %lu stints did not run on the vCPU asked for\n", name,
               r->off_cpu, switches);
        return 1;
    }
    if (r->backwards) {
        printf("FAIL %s: %lu of %lu readings (%s) went backwards, by up to %llu ns\n", name,
               r->backwards, r->readings, how, (unsigned long long)r->worst_step_ns);
        return 1;
    }
    printf("PASS %s: %lu readings (%s) over %lu switches between vCPU 0 and 1, none "
           "went backwards\n", name, r->readings, how, switches);
    return 0;
}

static int install_clock_filter(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clock_gettime, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (FILTER_ERRNO & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
        printf("FAIL seccomp: installing the clock_gettime filter: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

/* The child's part: its exit status is its verdict. */
static int vdso_checks(unsigned long switches)
{
    struct timespec ts;

    if (install_clock_filter())
        return 1;
    /* Prove the filter bites, or a success below would prove nothing. */
    if (read_by_syscall(&ts) == 0 || errno != FILTER_ERRNO) {
        printf("FAIL seccomp: clock_gettime by system call was not refused with %s\n",
               strerror(FILTER_ERRNO));
        return 1;
    }
    printf("PASS seccomp: clock_gettime by system call is refused (%s)\n",
           strerror(FILTER_ERRNO));
    if (read_by_libc(&ts)) {
        printf("vdso-clock: no (libc's clock_gettime made the system call: %s)\n",
               strerror(errno));
        return 0;
    }
    printf("vdso-clock: yes\n");

    const clock_read_fn readers[] = { read_by_libc };
    struct monotonic_result r;
    alternate(switches, readers, 1, &r);
    return report("monotonic-vdso", "vDSO only", switches, &r);
}

static int run_child(unsigned long switches)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        int rc = vdso_checks(switches);
        fflush(stdout);
        _exit(rc);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("FAIL waitpid: %s\n", strerror(errno));
        return 1;
    }
    if (!WIFEXITED(status)) {
        printf("FAIL vdso child: ended by signal %d\n", WTERMSIG(status));
        return 1;
    }
    return WEXITSTATUS(status) ? 1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: dom0-clock-test [-n SWITCHES]   (1..%d, default %d)\n",
            MAX_SWITCHES, DEFAULT_SWITCHES);
}

int main(int argc, char **argv)
{
    unsigned long switches = DEFAULT_SWITCHES;
    int opt;

    while ((opt = getopt(argc, argv, "n:h")) != -1) {
        char *end;
        switch (opt) {
        case 'n':
            errno = 0;
            switches = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || switches < 1 || switches > MAX_SWITCHES) {
                fprintf(stderr, "dom0-clock-test: -n wants a number of switches from 1 to %d, "
                        "not '%s'\n", MAX_SWITCHES, optarg);
                return 2;
            }
            break;
        case 'h':
            usage();
            return 0;
        default:
            usage();
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "dom0-clock-test: unexpected argument '%s'\n", argv[optind]);
        usage();
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 2) {
        printf("FAIL vcpus: the test needs vCPUs 0 and 1 online, dom0 has %ld\n", cpus);
        return 1;
    }

    const clock_read_fn both[] = { read_by_syscall, read_by_libc };
    struct monotonic_result r;
    alternate(switches, both, 2, &r);
    int failed = report("monotonic", "system call and libc", switches, &r);
    failed |= run_child(switches);
    return failed;
}
