/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xenstore-bench: figures for a running xenstored, through libxenstore
 * over its socket (XENSTORED_PATH), so it runs the same on a build host
 * and in dom0.  It reports; it never passes or fails on time.
 *
 *   read, write, directory  ops/s and p50/p99 latency, one client; then
 *                           the same from N clients at once (read-xN...)
 *   transactions            read-modify-write of one shared counter from
 *                           N clients, with the EAGAIN conflict rate
 *   watch                   write-to-event latency, 1,000 watches set
 *   memory                  daemon VmRSS before/after 100,000 nodes
 *
 * With the daemon's pid (-p) every timed phase also reports the daemon's
 * CPU time per operation (user+system, and user alone) and page faults
 * per operation, from /proc/PID/stat, which tells
 * the daemon's own cost apart from the kernel's and the client's.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

struct bench_options {
    double seconds;      /* per timed phase */
    int clients;         /* transaction clients */
    int watches;
    int nodes;           /* for the memory figure */
    long daemon_pid;     /* 0: no daemon CPU or memory figures */
    const char *root;
};

/* Latency samples of one phase, in nanoseconds. */
struct samples {
    long *ns;
    size_t count, cap;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "xenstore-bench: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void add_sample(struct samples *s, long ns)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        long *grown = realloc(s->ns, cap * sizeof(long));

        if (!grown)
            die("samples");
        s->ns = grown;
        s->cap = cap;
    }
    s->ns[s->count++] = ns;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

struct cpu_time {
    double user, sys;   /* seconds; user < 0: unknown */
    unsigned long faults;   /* minor and major page faults */
};

/* The daemon's user and system CPU time. */
static struct cpu_time daemon_cpu(long pid)
{
    struct cpu_time t = { -1, -1, 0 };
    char path[64], buf[1024], *p;
    unsigned long utime, stime, minflt, majflt;
    size_t n;
    FILE *f;

    if (!pid)
        return t;
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    f = fopen(path, "r");
    if (!f)
        return t;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Fields after the command name, which may hold spaces: state is the
     * 3rd field, minflt the 10th, majflt the 12th, utime the 14th and
     * stime the 15th. */
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lu %*u %lu %*u "
                            "%lu %lu", &minflt, &majflt, &utime,
                     &stime) != 4)
        return t;
    t.faults = minflt + majflt;
    t.user = (double)utime / (double)sysconf(_SC_CLK_TCK);
    t.sys = (double)stime / (double)sysconf(_SC_CLK_TCK);
    return t;
}

static long bench_pid;          /* the daemon's pid for the CPU figure */
static struct cpu_time phase_cpu;  /* its CPU time when the phase began */

static void phase_begin(void)
{
    phase_cpu = daemon_cpu(bench_pid);
}

static void report(const char *name, struct samples *s, double elapsed,
                   const char *extra)
{
    double p50 = 0, p99 = 0;
    struct cpu_time cpu = daemon_cpu(bench_pid);
    char cpu_text[128] = "";

    if (s->count) {
        qsort(s->ns, s->count, sizeof(long), cmp_long);
        p50 = (double)s->ns[s->count / 2] / 1000.0;
        p99 = (double)s->ns[(s->count * 99) / 100] / 1000.0;
    }
    if (cpu.user >= 0 && phase_cpu.user >= 0 && s->count)
        snprintf(cpu_text, sizeof(cpu_text),
                 "   daemon cpu %.1f us/op (user %.1f), %.2f faults/op",
                 (cpu.user + cpu.sys - phase_cpu.user - phase_cpu.sys) *
                     1e6 / (double)s->count,
                 (cpu.user - phase_cpu.user) * 1e6 / (double)s->count,
                 (double)(cpu.faults - phase_cpu.faults) / (double)s->count);
    printf("%-13s %10.0f ops/s   p50 %8.1f us   p99 %8.1f us%s%s%s\n", name,
           elapsed > 0 ? (double)s->count / elapsed : 0.0, p50, p99,
           extra ? "   " : "", extra ? extra : "", cpu_text);
    fflush(stdout);
    free(s->ns);
    *s = (struct samples){ 0 };
}

static struct xs_handle *connect_or_die(void)
{
    struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);

    if (!h)
        die("cannot connect to xenstored (XENSTORED_PATH?)");
    return h;
}

static void path_of(char *buf, size_t len, const char *root, const char *dir,
                    int i)
{
    snprintf(buf, len, "%s/%s/k%d", root, dir, i);
}

enum simple_op { OP_READ, OP_WRITE, OP_DIRECTORY };

struct simple_worker {
    const struct bench_options *o;
    enum simple_op op;
    const char *name;
    double end;
    int first;           /* this client's first node, for spreading */
    struct samples s;
};

static void *simple_worker_main(void *arg)
{
    struct simple_worker *w = arg;
    struct xs_handle *h = connect_or_die();
    char path[256], dir[256];
    long i = w->first;

    snprintf(dir, sizeof(dir), "%s/simple", w->o->root);
    do {
        long t0 = now_ns();
        bool ok;

        path_of(path, sizeof(path), w->o->root, "simple", (int)(i % 100));
        if (w->op == OP_READ) {
            char *v = xs_read(h, XBT_NULL, path, NULL);

            ok = v != NULL;
            free(v);
        } else if (w->op == OP_WRITE) {
            ok = xs_write(h, XBT_NULL, path, "value-written", 13);
        } else {
            unsigned int num;
            char **names = xs_directory(h, XBT_NULL, dir, &num);

            ok = names != NULL;
            free(names);
        }
        if (!ok)
            die(w->name);
        add_sample(&w->s, now_ns() - t0);
        i++;
    } while (((i - w->first) & 63) || now_s() < w->end);
    xs_close(h);
    return NULL;
}

/* One operation over and over from `clients` connections at once: with
 * one, the latency a lone client sees (its throughput is 1/latency);
 * with several, the throughput of the daemon under load, as a dom0 with
 * its toolstack and guests puts it. */
static void bench_simple(const struct bench_options *o, enum simple_op op,
                         const char *name, int clients)
{
    struct xs_handle *h = connect_or_die();
    struct simple_worker *w = calloc((size_t)clients, sizeof(*w));
    pthread_t *tid = calloc((size_t)clients, sizeof(*tid));
    struct samples all = { 0 };
    char path[256], label[32];
    double start;

    if (!w || !tid)
        die(name);
    for (int k = 0; k < 100; k++) {
        path_of(path, sizeof(path), o->root, "simple", k);
        if (!xs_write(h, XBT_NULL, path, "initial-value", 13))
            die("prepare");
    }
    phase_begin();
    start = now_s();
    for (int i = 0; i < clients; i++) {
        w[i] = (struct simple_worker){ .o = o, .op = op, .name = name,
                                       .end = start + o->seconds,
                                       .first = i * 100 / clients };
        pthread_create(&tid[i], NULL, simple_worker_main, &w[i]);
    }
    for (int i = 0; i < clients; i++) {
        pthread_join(tid[i], NULL);
        for (size_t k = 0; k < w[i].s.count; k++)
            add_sample(&all, w[i].s.ns[k]);
        free(w[i].s.ns);
    }
    if (clients == 1)
        snprintf(label, sizeof(label), "%s", name);
    else
        snprintf(label, sizeof(label), "%s-x%d", name, clients);
    report(label, &all, now_s() - start, NULL);
    free(w);
    free(tid);
    xs_close(h);
}

struct txn_worker {
    const struct bench_options *o;
    double end;
    struct samples s;
    long conflicts;
    long commits;
};

static void *txn_worker_main(void *arg)
{
    struct txn_worker *w = arg;
    struct xs_handle *h = connect_or_die();
    char path[256];

    snprintf(path, sizeof(path), "%s/counter", w->o->root);
    while (now_s() < w->end) {
        long t0 = now_ns();

        for (;;) {
            xs_transaction_t t = xs_transaction_start(h);
            char *v, next[32];

            if (t == XBT_NULL)
                die("transaction start");
            v = xs_read(h, t, path, NULL);
            if (!v)
                die("transaction read");
            snprintf(next, sizeof(next), "%ld", strtol(v, NULL, 10) + 1);
            free(v);
            if (!xs_write(h, t, path, next, (unsigned int)strlen(next)))
                die("transaction write");
            if (xs_transaction_end(h, t, false))
                break;
            if (errno != EAGAIN)
                die("transaction end");
            w->conflicts++;
        }
        w->commits++;
        add_sample(&w->s, now_ns() - t0);
    }
    xs_close(h);
    return NULL;
}

static void bench_transactions(const struct bench_options *o)
{
    struct xs_handle *h = connect_or_die();
    struct txn_worker *w = calloc((size_t)o->clients, sizeof(*w));
    pthread_t *tid = calloc((size_t)o->clients, sizeof(*tid));
    struct samples all = { 0 };
    long conflicts = 0, commits = 0;
    char path[256], extra[160], *final;
    double start;

    if (!w || !tid)
        die("transactions");
    snprintf(path, sizeof(path), "%s/counter", o->root);
    if (!xs_write(h, XBT_NULL, path, "0", 1))
        die("prepare counter");
    phase_begin();
    start = now_s();
    for (int i = 0; i < o->clients; i++) {
        w[i] = (struct txn_worker){ .o = o, .end = start + o->seconds };
        pthread_create(&tid[i], NULL, txn_worker_main, &w[i]);
    }
    for (int i = 0; i < o->clients; i++) {
        pthread_join(tid[i], NULL);
        for (size_t k = 0; k < w[i].s.count; k++)
            add_sample(&all, w[i].s.ns[k]);
        free(w[i].s.ns);
        conflicts += w[i].conflicts;
        commits += w[i].commits;
    }
    final = xs_read(h, XBT_NULL, path, NULL);
    snprintf(extra, sizeof(extra),
             "%d clients, EAGAIN %.1f%% of attempts, counter %s/%ld",
             o->clients,
             commits + conflicts ? 100.0 * (double)conflicts /
                                       (double)(commits + conflicts) : 0.0,
             final ? final : "?", commits);
    free(final);
    report("transaction", &all, now_s() - start, extra);
    free(w);
    free(tid);
    xs_close(h);
}

struct watch_state {
    struct xs_handle *h;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    long sent_ns;          /* when the awaited write started */
    const char *awaited;   /* path whose event we wait for */
    bool seen;
    long latency_ns;
};

static void *watch_reader(void *arg)
{
    struct watch_state *st = arg;

    for (;;) {
        unsigned int num;
        char **ev = xs_read_watch(st->h, &num);
        long t = now_ns();

        if (!ev)
            return NULL;
        if (!strcmp(ev[XS_WATCH_TOKEN], "stop")) {
            free(ev);
            return NULL;
        }
        pthread_mutex_lock(&st->lock);
        if (st->awaited && !strcmp(ev[XS_WATCH_PATH], st->awaited)) {
            st->latency_ns = t - st->sent_ns;
            st->seen = true;
            st->awaited = NULL;
            pthread_cond_signal(&st->cond);
        }
        pthread_mutex_unlock(&st->lock);
        free(ev);
    }
}

static void bench_watch(const struct bench_options *o)
{
    struct watch_state st = { .h = connect_or_die() };
    struct xs_handle *writer = connect_or_die();
    struct samples s = { 0 };
    char path[256], extra[64];
    pthread_t reader;
    double start, end;
    long i = 0;

    pthread_mutex_init(&st.lock, NULL);
    pthread_cond_init(&st.cond, NULL);
    for (int k = 0; k < o->watches; k++) {
        path_of(path, sizeof(path), o->root, "watched", k);
        if (!xs_watch(st.h, path, path))
            die("xs_watch");
    }
    pthread_create(&reader, NULL, watch_reader, &st);
    phase_begin();
    start = now_s();
    end = start + o->seconds;
    while (now_s() < end) {
        char awaited[256];
        struct timespec limit;

        path_of(awaited, sizeof(awaited), o->root, "watched",
                (int)(i * 7919 % o->watches));
        pthread_mutex_lock(&st.lock);
        st.awaited = awaited;
        st.seen = false;
        st.sent_ns = now_ns();
        pthread_mutex_unlock(&st.lock);
        if (!xs_write(writer, XBT_NULL, awaited, "x", 1))
            die("watch write");
        clock_gettime(CLOCK_REALTIME, &limit);
        limit.tv_sec += 5;
        pthread_mutex_lock(&st.lock);
        while (!st.seen)
            if (pthread_cond_timedwait(&st.cond, &st.lock, &limit) != 0)
                break;
        if (!st.seen) {
            pthread_mutex_unlock(&st.lock);
            fprintf(stderr, "xenstore-bench: no event for %s in 5 s\n",
                    awaited);
            exit(1);
        }
        add_sample(&s, st.latency_ns);
        pthread_mutex_unlock(&st.lock);
        i++;
    }
    snprintf(extra, sizeof(extra), "%d watches registered", o->watches);
    report("watch-event", &s, now_s() - start, extra);
    /* The reader must leave xs_read_watch before its handle is closed:
     * registering the stop watch fires its event at once. */
    snprintf(path, sizeof(path), "%s/watch-stop", o->root);
    if (!xs_watch(st.h, path, "stop"))
        die("stop watch");
    pthread_join(reader, NULL);
    xs_close(writer);
    xs_close(st.h);
}

static long vmrss_kib(long pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static void bench_memory(const struct bench_options *o)
{
    struct xs_handle *h = connect_or_die();
    long before = vmrss_kib(o->daemon_pid), after;
    char path[256];
    double start = now_s(), took;

    if (before < 0) {
        printf("memory        cannot read /proc/%ld/status: %s\n",
               o->daemon_pid, strerror(errno));
        xs_close(h);
        return;
    }
    /* 1,000 directories of 100 nodes: a realistic fan-out. */
    for (int i = 0; i < o->nodes; i++) {
        snprintf(path, sizeof(path), "%s/mem/d%d/n%d", o->root, i / 100,
                 i % 100);
        if (!xs_write(h, XBT_NULL, path, "0123456789abcdef", 16))
            die("memory write");
    }
    took = now_s() - start;
    after = vmrss_kib(o->daemon_pid);
    printf("memory        VmRSS %ld KiB before, %ld KiB with %d more nodes "
           "(%.0f bytes/node; %.0f writes/s)\n", before, after, o->nodes,
           (double)(after - before) * 1024.0 / o->nodes, o->nodes / took);
    snprintf(path, sizeof(path), "%s/mem", o->root);
    xs_rm(h, XBT_NULL, path);
    xs_close(h);
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "Usage: %s [-t SECONDS] [-c CLIENTS] [-w WATCHES] [-n NODES] "
            "[-p XENSTORED_PID] [-r ROOT]\n"
            "  -t  seconds per timed phase (default 1.5)\n"
            "  -c  concurrent clients of the transaction phase and of the\n"
            "      read-xN, write-xN and directory-xN phases (default 4)\n"
            "  -w  watches registered for the event latency (default 1000)\n"
            "  -n  nodes created for the memory figure (default 100000; 0: none)\n"
            "  -p  daemon pid: report its CPU time per operation and its\n"
            "      VmRSS (skipped without)\n"
            "  -r  subtree used and removed afterwards (default /bench)\n"
            "The daemon is found through XENSTORED_PATH as with any client.\n",
            prog);
    exit(2);
}

static long number_arg(const char *prog, const char *text, long min)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min) {
        fprintf(stderr, "%s: bad number '%s'\n", prog, text);
        usage(prog);
    }
    return v;
}

int main(int argc, char **argv)
{
    struct bench_options o = {
        .seconds = 1.5, .clients = 4, .watches = 1000, .nodes = 100000,
        .root = "/bench",
    };
    struct xs_handle *h;
    int c;

    while ((c = getopt(argc, argv, "t:c:w:n:p:r:h")) != -1) {
        char *end;

        switch (c) {
        case 't':
            o.seconds = strtod(optarg, &end);
            if (*end || o.seconds <= 0)
                usage(argv[0]);
            break;
        case 'c': o.clients = (int)number_arg(argv[0], optarg, 1); break;
        case 'w': o.watches = (int)number_arg(argv[0], optarg, 1); break;
        case 'n': o.nodes = (int)number_arg(argv[0], optarg, 0); break;
        case 'p': o.daemon_pid = number_arg(argv[0], optarg, 1); break;
        case 'r': o.root = optarg; break;
        default: usage(argv[0]);
        }
    }
    if (optind != argc)
        usage(argv[0]);
    bench_pid = o.daemon_pid;

    bench_simple(&o, OP_READ, "read", 1);
    bench_simple(&o, OP_WRITE, "write", 1);
    bench_simple(&o, OP_DIRECTORY, "directory", 1);
    if (o.clients > 1) {
        bench_simple(&o, OP_READ, "read", o.clients);
        bench_simple(&o, OP_WRITE, "write", o.clients);
        bench_simple(&o, OP_DIRECTORY, "directory", o.clients);
    }
    bench_transactions(&o);
    bench_watch(&o);
    if (o.daemon_pid && o.nodes)
        bench_memory(&o);
    h = connect_or_die();
    xs_rm(h, XBT_NULL, o.root);
    xs_close(h);
    return 0;
}
