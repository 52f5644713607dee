/*
 * The Credit2 scheduling policy: which vCPU a CPU runs next and for how
 * long.  Only the decision lives here; saving and loading vCPU state, the
 * context switch and the per-CPU deadline timer are the mechanism's
 * (sched.c).  Nothing here locks, allocates, prints or touches the
 * machine, so the same file runs in the hypervisor (under the hypervisor
 * lock) and in a host test on a simulated clock (tests/test_credit2.c).
 *
 * Why Credit2's shape:
 * - Fairness by weight without a global tick: a vCPU's credit drops as it
 *   runs, faster the lighter it is (by max weight / own weight), and the
 *   CPU always runs the queued vCPU with the most credit.  When even the
 *   best has none left, everyone in the runqueue gets the same amount
 *   back, so the order (and therefore the shares) survives the reset;
 *   what was saved is clipped so a long sleeper cannot hoard a burst.
 * - Slices end where the runner's credit would meet the next-best's, so
 *   the order is re-decided when it could change and not at fixed ticks;
 *   a floor (500 us, or the rate limit) keeps switches from eating the
 *   CPU, a ceiling (10 ms) keeps one runner from blocking the reset.
 * - Latency without a priority class: a vCPU that wakes with more credit
 *   than a running one interrupts it (the "tickle"), an idle CPU first.
 *   Sleepers keep their credit, so interactive vCPUs usually win.
 * - Caps are a budget per domain per 10 ms period, which vCPUs take in
 *   slices while they run; a vCPU that finds none is parked until the
 *   next replenishment, and `until` brings a CPU back at that moment
 *   since there is no timer of our own.
 * - Runqueues are shared by CPUs (by socket in Xen) so that credit is
 *   compared among CPUs that share caches; vCPUs move between runqueues
 *   only by load balancing or affinity, never at every decision.
 *
 * The state machine a vCPU goes through, and where it then is (exactly
 * one place): C2_RUNNING on one CPU (that CPU's curr); C2_RUNNABLE in its
 * runqueue or parked (its domain is out of cap budget); C2_BLOCKED or
 * C2_OFFLINE nowhere.  A vCPU that sleeps while running stays its CPU's
 * curr until that CPU calls c2_schedule, which charges it and lets go.
 */
#ifndef SUBFLOOR_CREDIT2_H
#define SUBFLOOR_CREDIT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define C2_MAX_CPUS 8            /* == NR_CPUS */
#define C2_DEFAULT_WEIGHT 256    /* Xen's; range 1..65535 */
#define C2_MAX_WEIGHT 65535
#define C2_DEFAULT_RATELIMIT_US 1000
#define C2_RATELIMIT_MIN_US 100      /* XEN_SYSCTL_SCHED_RATELIMIT_MIN */
#define C2_RATELIMIT_MAX_US 500000   /* XEN_SYSCTL_SCHED_RATELIMIT_MAX */
#define C2_EINVAL 22

/* Xen's values (ns), which users of xl sched-credit2 reason with. */
#define C2_CREDIT_INIT     10000000LL  /* credit minted per reset: 10 ms */
#define C2_CARRYOVER_MAX     500000LL  /* kept across a reset */
#define C2_CREDIT_RESET           0LL  /* reset when the best is at/below */
#define C2_MIN_TIMER         500000ULL
#define C2_MAX_TIMER       10000000ULL
#define C2_MIGRATE_RESIST    500000LL  /* credit a move to another CPU costs */
#define C2_BDGT_REPL_PERIOD 10000000ULL
/* How often a runqueue compares its load with the others. */
#define C2_BALANCE_INTERVAL 1000000ULL

enum c2_state { C2_OFFLINE, C2_RUNNABLE, C2_RUNNING, C2_BLOCKED };

/* Where a vCPU is held; the test audits that each is in exactly one. */
enum c2_where { C2_AT_NOWHERE, C2_AT_CPU, C2_AT_RUNQ, C2_AT_PARKED };

/* An intrusive doubly-linked list: nothing to allocate. */
struct c2_link {
    struct c2_link *prev, *next;
};

/* Bucket i counts values in [2^i, 2^(i+1)) ns (bucket 0 also holds 0);
 * the last bucket takes everything from 2^(C2_HIST_BUCKETS-1) up. */
#define C2_HIST_BUCKETS 40
struct c2_hist {
    uint64_t count, sum, max;
    uint32_t bucket[C2_HIST_BUCKETS];
};

struct c2_dom {                  /* embedded in struct domain */
    uint16_t weight;             /* 1..65535 */
    uint16_t cap;                /* percent of one CPU, 0 = no cap */
    unsigned int nr_vcpus;       /* c2_vcpu_init'ed and not removed */
    int64_t tot_budget;          /* cap% of a period (ns) */
    int64_t budget;              /* left this period; < 0 is debt */
    uint64_t next_repl;          /* when the budget is next refilled */
};

struct c2_vcpu {                 /* embedded in struct vcpu */
    struct c2_dom *dom;
    enum c2_state state;
    unsigned int cpu;            /* CPU it runs on / last ran on */
    uint64_t hard_affinity;      /* bitmask of CPUs; 0 is invalid */
    uint64_t soft_affinity;      /* preferred CPUs; all-ones = none */
    int64_t credit;
    /* stats the toolstack reads (ns): */
    uint64_t runnable_since;     /* when it last became runnable */
    struct c2_hist wake_latency; /* wake -> first run */
    struct c2_hist wait_time;    /* each runnable-but-not-running stretch */
    uint64_t run_ns;             /* CPU time charged, in total */

    /* private to credit2*.c */
    enum c2_where where;
    unsigned int rq;             /* its runqueue: always that of cpu */
    struct c2_link member;       /* in the runqueue's list of all members */
    struct c2_link queue;        /* in the runqueue's queue when C2_AT_RUNQ */
    uint64_t start_time;         /* credit charged up to here */
    uint64_t run_start;          /* got its CPU (for the rate limit) */
    uint64_t wait_start;         /* became runnable-but-not-running */
    bool latency_pending;        /* woke and has not run since */
    int64_t budget;              /* cap budget taken from the domain */
};

struct c2_runq {
    uint64_t cpus;               /* CPUs sharing it */
    struct c2_link members;      /* every vCPU assigned here, any state */
    struct c2_link queue;        /* C2_AT_RUNQ vCPUs, most credit first */
    uint64_t last_balance;
};

struct c2_pcpu {
    struct c2_vcpu *curr;        /* NULL = idle */
    bool tickled;                /* asked to reschedule, not done yet */
};

struct c2_sched {                /* one instance, static in the hypervisor */
    unsigned int nr_cpus;
    uint64_t online;
    unsigned int nr_rqs;
    unsigned int rq_of_cpu[C2_MAX_CPUS];
    struct c2_runq rq[C2_MAX_CPUS];
    struct c2_pcpu pcpu[C2_MAX_CPUS];
    uint64_t ratelimit_ns;       /* 0 = off */
    uint64_t now;                /* the latest time any call was given */
    uint64_t tickles;            /* CPUs that should reschedule soon */
    uint64_t resets;             /* credit resets, all runqueues */
};

void c2_init(struct c2_sched *s, unsigned int nr_cpus, uint64_t now);
/* CPUs sharing a runqueue: Credit2 groups by socket by default; the
 * mechanism passes rq_of_cpu[cpu] (0..nr_cpus-1).  c2_init puts every CPU
 * in runqueue 0.  Members move to the runqueue of their CPU.  An entry out
 * of range makes the call change nothing (-22). */
int c2_set_runqueues(struct c2_sched *s, const unsigned int *rq_of_cpu);
void c2_dom_init(struct c2_dom *d);                 /* weight 256, no cap */
/* Starts C2_OFFLINE, with full credit, on cpu (0 when out of range). */
void c2_vcpu_init(struct c2_sched *s, struct c2_vcpu *v, struct c2_dom *d,
                  unsigned int cpu);

/* v became runnable at now.  Returns the CPU the mechanism should
 * interrupt so it reschedules now (an idle CPU in v's affinity, or the
 * CPU whose running vCPU v should preempt: the wake-up boost), or -1. */
int c2_wake(struct c2_sched *s, struct c2_vcpu *v, uint64_t now);
/* v stops being runnable: new_state is C2_BLOCKED or C2_OFFLINE.  If it
 * is running, its CPU must reschedule next (also left in the tickles). */
void c2_sleep(struct c2_sched *s, struct c2_vcpu *v, enum c2_state new_state,
              uint64_t now);

/* The decision on cpu at now.  The CPU's current vCPU is the one this
 * module last gave it (prev is only a cross-check: NULL = idle); if it
 * is still C2_RUNNING it competes again.  NULL next = idle. */
struct c2_decision {
    struct c2_vcpu *next;
    uint64_t until;   /* absolute ns: call c2_schedule again then;
                         UINT64_MAX = no limit (idle, nothing parked) */
};
struct c2_decision c2_schedule(struct c2_sched *s, unsigned int cpu,
                               struct c2_vcpu *prev, uint64_t now);

/* CPUs that something other than c2_wake's answer wants rescheduled
 * (load balancing pushed work there, a budget refill unparked a vCPU,
 * an affinity change or removal evicted the runner).  Reading clears. */
uint64_t c2_take_tickles(struct c2_sched *s);

/* Parameters, with Xen's ranges; 0 or -22 with nothing changed. */
int c2_set_weight(struct c2_dom *d, unsigned int weight);
/* cap 0 = none; at most 100 per vCPU of the domain (as xl allows). */
int c2_set_cap(struct c2_sched *s, struct c2_dom *d, unsigned int cap);
/* hard must intersect the online CPUs; soft with no CPU in hard is
 * "no preference". */
int c2_set_affinity(struct c2_sched *s, struct c2_vcpu *v, uint64_t hard,
                    uint64_t soft);
/* 100..500000 us, or 0 for no rate limit (as Xen's sysctl). */
int c2_set_ratelimit_us(struct c2_sched *s, unsigned int us);
/* Domain teardown: out of every queue; its CPU, if it ran, reschedules. */
void c2_remove_vcpu(struct c2_sched *s, struct c2_vcpu *v);

/* Stats (credit2_stats.c). */
void c2_hist_add(struct c2_hist *h, uint64_t ns);
/* The upper bound of the bucket holding the pct-th percentile (capped
 * at the max seen); 0 when empty.  pct is 0..100. */
uint64_t c2_hist_percentile(const struct c2_hist *h, unsigned int pct);

#endif
