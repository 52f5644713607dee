/* The simulated mechanism of the Credit2 tests (credit2_sim.h). */
#include "credit2_sim.h"
#include <string.h>

struct sim sim;

unsigned int idx(const struct c2_vcpu *v)
{
    return (unsigned int)(v - sim.v);
}

/* One domain per vCPU unless the test shares them. */
void sim_init(unsigned int ncpu, unsigned int nv)
{
    memset(&sim, 0, sizeof(sim));
    sim.ncpu = ncpu;
    sim.nv = nv;
    c2_init(&sim.s, ncpu, 0);
    for (unsigned int i = 0; i < nv; i++) {
        c2_dom_init(&sim.dom[i]);
        c2_vcpu_init(&sim.s, &sim.v[i], &sim.dom[i], i % ncpu);
    }
    for (unsigned int c = 0; c < C2_MAX_CPUS; c++)
        sim.until[c] = UINT64_MAX;
}

/* Every vCPU in exactly one place, consistent with its state. */
void audit(void)
{
    unsigned int curr_seen[MAXV] = { 0 }, queue_seen[MAXV] = { 0 };
    unsigned int member_seen[MAXV] = { 0 };

    for (unsigned int c = 0; c < sim.ncpu; c++) {
        EXPECT(sim.s.pcpu[c].curr == sim.running[c]);
        if (sim.s.pcpu[c].curr) {
            struct c2_vcpu *v = sim.s.pcpu[c].curr;
            curr_seen[idx(v)]++;
            EXPECT(v->cpu == c);
            /* Once the CPUs asked to reschedule have, no one runs where
             * its hard affinity forbids (audit runs after drain()). */
            EXPECT(v->hard_affinity & (1ULL << c));
        }
    }
    for (unsigned int r = 0; r < C2_MAX_CPUS; r++) {
        const struct c2_link *head = &sim.s.rq[r].queue;
        int64_t last = INT64_MAX;
        unsigned int bound = 0;
        for (const struct c2_link *l = head->next; l != head; l = l->next) {
            const struct c2_vcpu *v = (const struct c2_vcpu *)
                ((const char *)l - offsetof(struct c2_vcpu, queue));
            EXPECT(++bound < MAXV + 1);
            queue_seen[idx(v)]++;
            EXPECT(v->rq == r);
            EXPECT(v->credit <= last);   /* most credit first */
            last = v->credit;
        }
        head = &sim.s.rq[r].members;
        bound = 0;
        for (const struct c2_link *l = head->next; l != head; l = l->next) {
            const struct c2_vcpu *v = (const struct c2_vcpu *)
                ((const char *)l - offsetof(struct c2_vcpu, member));
            EXPECT(++bound < MAXV + 1);
            member_seen[idx(v)]++;
            EXPECT(v->rq == r);
        }
    }
    for (unsigned int i = 0; i < sim.nv; i++) {
        const struct c2_vcpu *v = &sim.v[i];
        EXPECT(member_seen[i] == 1);
        EXPECT(sim.s.rq_of_cpu[v->cpu] == v->rq);
        switch (v->where) {
        case C2_AT_CPU:
            EXPECT(curr_seen[i] == 1);
            EXPECT(queue_seen[i] == 0);
            break;
        case C2_AT_RUNQ:
            EXPECT(queue_seen[i] == 1 && curr_seen[i] == 0);
            EXPECT(v->state == C2_RUNNABLE);
            break;
        case C2_AT_PARKED:
            EXPECT(curr_seen[i] + queue_seen[i] == 0);
            EXPECT(v->state == C2_RUNNABLE);
            break;
        case C2_AT_NOWHERE:
            EXPECT(curr_seen[i] + queue_seen[i] == 0);
            EXPECT(v->state == C2_BLOCKED || v->state == C2_OFFLINE);
            break;
        }
        if (v->state == C2_RUNNING)
            EXPECT(v->where == C2_AT_CPU);
    }
}

void account(unsigned int c)
{
    struct c2_vcpu *v = sim.running[c];
    if (!v)
        return;
    uint64_t d = sim.now - sim.begin[c];
    sim.ran[idx(v)] += d;
    if (v->soft_affinity & (1ULL << c))
        sim.on_soft[idx(v)] += d;
    sim.last_ran[idx(v)] = sim.now;
    sim.begin[c] = sim.now;
}

void sched_cpu(unsigned int c)
{
    account(c);
    struct c2_decision d = c2_schedule(&sim.s, c, sim.running[c], sim.now);
    sim.decisions++;
    EXPECT(d.until > sim.now);
    if (d.next) {
        unsigned int i = idx(d.next);
        EXPECT(i < sim.nv);
        if (!(d.next->hard_affinity & (1ULL << c)))
            ck_abort_msg("v%u on CPU %u outside its hard affinity %#llx", i, c,
                         (unsigned long long)d.next->hard_affinity);
        EXPECT(d.next->state == C2_RUNNING);
        EXPECT(d.next->cpu == c);
        for (unsigned int o = 0; o < sim.ncpu; o++)
            EXPECT(o == c || sim.running[o] != d.next);
        if (d.next != sim.running[c]) {
            sim.runs[i]++;
            uint64_t gap = sim.now - sim.last_ran[i];
            if (gap > sim.max_gap[i])
                sim.max_gap[i] = gap;
        }
        sim.last_ran[i] = sim.now;
    }
    sim.running[c] = d.next;
    sim.begin[c] = sim.now;
    sim.until[c] = d.until;
}

/* Reschedule every CPU the policy asked for, until it asks no more. */
void drain(int also)
{
    if (also >= 0)
        sched_cpu((unsigned int)also);
    for (int round = 0; round < 64; round++) {
        uint64_t t = c2_take_tickles(&sim.s);
        if (!t)
            return;
        for (unsigned int c = 0; c < sim.ncpu; c++)
            if (t & (1ULL << c))
                sched_cpu(c);
    }
    ck_abort_msg("tickles never settle");
}

int wake(unsigned int i)
{
    int c = c2_wake(&sim.s, &sim.v[i], sim.now);
    if (sim.v[i].state == C2_RUNNABLE)
        sim.last_ran[i] = sim.now;   /* the gap starts at the wake */
    drain(c);
    return c;
}

void sleep_v(unsigned int i, enum c2_state st)
{
    c2_sleep(&sim.s, &sim.v[i], st, sim.now);
    drain(-1);
    for (unsigned int c = 0; c < sim.ncpu; c++)
        if (sim.running[c] == &sim.v[i])
            drain((int)c);
}

/* Advance the clock to end, running each CPU's decision when it is due. */
void run_until(uint64_t end)
{
    for (unsigned long iter = 0; iter < 50000000UL; iter++) {
        uint64_t t = UINT64_MAX;
        for (unsigned int c = 0; c < sim.ncpu; c++)
            if (sim.until[c] < t)
                t = sim.until[c];
        if (t > end) {
            sim.now = end;
            for (unsigned int c = 0; c < sim.ncpu; c++)
                account(c);
            return;
        }
        sim.now = t;
        for (unsigned int c = 0; c < sim.ncpu; c++)
            if (sim.until[c] == t)
                drain((int)c);
    }
    ck_abort_msg("simulation did not reach its end");
}

/* What the policy has charged v, plus what it has run since the last
 * charge: the driver's own account must match it to the ns. */
uint64_t charged(unsigned int i)
{
    const struct c2_vcpu *v = &sim.v[i];
    return v->run_ns + (v->where == C2_AT_CPU ? sim.now - v->start_time : 0);
}

void start_all(void)
{
    for (unsigned int i = 0; i < sim.nv; i++)
        wake(i);
}

uint64_t rng_state;

uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
