/*
 * The simulated mechanism the Credit2 tests drive the policy with: a fake
 * clock, each CPU's `until`, the tickles, and the driver's own account of
 * who ran where, checked against the policy after every step.
 */
#ifndef SUBFLOOR_TESTS_CREDIT2_SIM_H
#define SUBFLOOR_TESTS_CREDIT2_SIM_H

#include <check.h>
#include <stdint.h>
#include "common/credit2.h"

#define MS 1000000ULL
#define US 1000ULL
#define SEC (1000 * MS)
#define MAXV 16

/* The driver checks every decision: Check's ck_assert_* report each
 * passing location to the runner (a write per check), far too slow for
 * millions of decisions, so the hot paths fail through this instead. */
#define EXPECT(cond) do { if (!(cond)) ck_abort_msg("%s:%d: expected %s", \
                                                    __FILE__, __LINE__, #cond); } while (0)

struct sim {
    struct c2_sched s;
    struct c2_dom dom[MAXV];
    struct c2_vcpu v[MAXV];
    unsigned int nv, ncpu;
    uint64_t now;
    uint64_t until[C2_MAX_CPUS];
    uint64_t begin[C2_MAX_CPUS];
    struct c2_vcpu *running[C2_MAX_CPUS];
    uint64_t ran[MAXV];          /* as the driver saw it */
    uint64_t last_ran[MAXV];     /* when it last held a CPU */
    uint64_t max_gap[MAXV];      /* longest runnable stretch without a CPU */
    uint64_t runs[MAXV];
    uint64_t on_soft[MAXV];      /* ns run on a CPU of its soft affinity */
    uint64_t decisions;
};

extern struct sim sim;
extern uint64_t rng_state;

unsigned int idx(const struct c2_vcpu *v);      /* index in sim.v */
/* ncpu CPUs in one runqueue; nv vCPUs, one domain each, vCPU i on CPU
 * i % ncpu, all offline. */
void sim_init(unsigned int ncpu, unsigned int nv);
/* Every vCPU in exactly one place, consistent with its state. */
void audit(void);
void account(unsigned int c);
/* c2_schedule on CPU c now, checking the decision. */
void sched_cpu(unsigned int c);
/* Schedule CPU also (if >= 0), then every CPU the tickles name. */
void drain(int also);
int wake(unsigned int i);
void sleep_v(unsigned int i, enum c2_state st);
/* Advance the clock to end, each CPU deciding at its `until`. */
void run_until(uint64_t end);
/* The policy's account of vCPU i's run time, up to now. */
uint64_t charged(unsigned int i);
void start_all(void);
uint64_t rng(void);                             /* seeded xorshift */

#endif
