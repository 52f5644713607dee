/*
 * The Credit2 policy's core: charging run time, the runqueue, the wake-up
 * tickle, cap budgets and the decision itself.  The why is in credit2.h.
 */
#include "common/credit2_priv.h"

/* Beyond this a single charge is nonsense (a clock jump); clamping keeps
 * delta * 65535 far from overflowing. */
#define C2_MAX_CHARGE (1ULL << 40)

void c2_init(struct c2_sched *s, unsigned int nr_cpus, uint64_t now)
{
    if (nr_cpus == 0)
        nr_cpus = 1;
    if (nr_cpus > C2_MAX_CPUS)
        nr_cpus = C2_MAX_CPUS;
    s->nr_cpus = nr_cpus;
    s->online = (nr_cpus == 64) ? ~0ULL : (C2_BIT(nr_cpus) - 1);
    s->nr_rqs = 1;
    for (unsigned int i = 0; i < C2_MAX_CPUS; i++) {
        s->rq_of_cpu[i] = 0;
        s->rq[i].cpus = 0;
        s->rq[i].last_balance = now;
        c2_link_init(&s->rq[i].members);
        c2_link_init(&s->rq[i].queue);
        s->pcpu[i].curr = NULL;
        s->pcpu[i].tickled = false;
    }
    s->rq[0].cpus = s->online;
    s->ratelimit_ns = (uint64_t)C2_DEFAULT_RATELIMIT_US * 1000;
    s->now = now;
    s->tickles = 0;
    s->resets = 0;
}

void c2_dom_init(struct c2_dom *d)
{
    d->weight = C2_DEFAULT_WEIGHT;
    d->cap = 0;
    d->nr_vcpus = 0;
    d->tot_budget = 0;
    d->budget = 0;
    d->next_repl = 0;
}

static void hist_clear(struct c2_hist *h)
{
    h->count = h->sum = h->max = 0;
    for (unsigned int i = 0; i < C2_HIST_BUCKETS; i++)
        h->bucket[i] = 0;
}

void c2_vcpu_init(struct c2_sched *s, struct c2_vcpu *v, struct c2_dom *d,
                  unsigned int cpu)
{
    if (cpu >= s->nr_cpus)
        cpu = 0;
    v->dom = d;
    v->state = C2_OFFLINE;
    v->cpu = cpu;
    v->hard_affinity = ~0ULL;
    v->soft_affinity = ~0ULL;
    v->credit = C2_CREDIT_INIT;
    v->runnable_since = 0;
    hist_clear(&v->wake_latency);
    hist_clear(&v->wait_time);
    v->run_ns = 0;
    v->where = C2_AT_NOWHERE;
    v->rq = s->rq_of_cpu[cpu];
    c2_link_init(&v->queue);
    c2_link_before(&s->rq[v->rq].members, &v->member);
    v->start_time = v->run_start = v->wait_start = s->now;
    v->latency_pending = false;
    v->budget = 0;
    d->nr_vcpus++;
}

uint64_t c2_take_tickles(struct c2_sched *s)
{
    uint64_t t = s->tickles;
    s->tickles = 0;
    return t;
}

/* The heaviest weight among the runqueue's members: the one that pays a
 * credit per ns, so everyone else's price is relative to it.  Sleeping
 * members count too (as in Xen): were the price to jump when a heavy vCPU
 * wakes, a slice sized at the old price would be charged at the new one,
 * and a light vCPU could sink for minutes. */
static unsigned int rq_max_weight(const struct c2_sched *s, const struct c2_vcpu *v)
{
    const struct c2_link *head = &s->rq[v->rq].members;
    unsigned int max = v->dom->weight;

    for (const struct c2_link *l = head->next; l != head; l = l->next) {
        const struct c2_vcpu *m = C2_VCPU_OF(l, member);
        if (m->dom->weight > max)
            max = m->dom->weight;
    }
    return max;
}

void c2_burn(struct c2_sched *s, struct c2_vcpu *v, uint64_t now)
{
    if (now <= v->start_time)
        return;
    uint64_t delta = now - v->start_time;
    v->start_time = now;
    if (delta > C2_MAX_CHARGE)
        delta = C2_MAX_CHARGE;
    v->run_ns += delta;
    v->credit -= (int64_t)(delta * rq_max_weight(s, v) / v->dom->weight);
    if (v->dom->cap)
        v->budget -= (int64_t)delta;
}

/* Time -> credit and back, for a vCPU of v's weight in its runqueue. */
static uint64_t credit_to_time(const struct c2_sched *s, const struct c2_vcpu *v,
                               int64_t credit)
{
    if (credit <= 0)
        return 0;
    return (uint64_t)credit * v->dom->weight / rq_max_weight(s, v);
}

/* Everyone in the runqueue gets the same credit back, so the order holds;
 * several rounds at once when the best has sunk far (a very light vCPU
 * alone), and what was saved is clipped so no one banks a long burst. */
static void reset_credit(struct c2_sched *s, unsigned int rq,
                         const struct c2_vcpu *best, uint64_t now)
{
    int64_t m = 1;
    struct c2_link *head = &s->rq[rq].members;

    if (best->credit < -C2_CREDIT_INIT)
        m += -best->credit / C2_CREDIT_INIT;
    s->resets++;
    for (struct c2_link *l = head->next; l != head; l = l->next) {
        struct c2_vcpu *v = C2_VCPU_OF(l, member);
        if (v->where == C2_AT_CPU)
            c2_burn(s, v, now);
        v->credit += m * C2_CREDIT_INIT;
        if (v->credit > C2_CREDIT_INIT + C2_CARRYOVER_MAX)
            v->credit = C2_CREDIT_INIT + C2_CARRYOVER_MAX;
    }
}

void c2_runq_insert(struct c2_sched *s, struct c2_vcpu *v)
{
    struct c2_link *head = &s->rq[v->rq].queue, *pos = head->next;

    while (pos != head && C2_VCPU_OF(pos, queue)->credit >= v->credit)
        pos = pos->next;
    c2_link_before(pos, &v->queue);
    v->where = C2_AT_RUNQ;
}

void c2_runq_remove(struct c2_vcpu *v)
{
    c2_link_del(&v->queue);
    v->where = C2_AT_NOWHERE;
}

/* Ask a CPU of v's runqueue to reschedule for it: an idle one, one it
 * prefers first (where it last ran, if it prefers that); else the one
 * running the vCPU with the least credit, if v has more (by a margin when
 * it would change CPU: its cache is where it ran), a preferred CPU first.
 * An idle CPU beats a preferred busy one, as in Xen: run now, move later.
 * Returns that CPU, marked tickled, or -1. */
int c2_tickle(struct c2_sched *s, struct c2_vcpu *v, uint64_t now)
{
    uint64_t mask = c2_allowed(s, v) & s->rq[v->rq].cpus;
    uint64_t pref = c2_preferred(s, v);
    uint64_t idle = 0;
    int best = -1;
    int64_t best_score = 0;
    bool best_pref = false;

    for (unsigned int c = 0; c < s->nr_cpus; c++)
        if ((mask & C2_BIT(c)) && !s->pcpu[c].curr && !s->pcpu[c].tickled)
            idle |= C2_BIT(c);
    if (idle) {
        unsigned int c;
        if (idle & C2_BIT(v->cpu) & pref)
            c = v->cpu;
        else
            c = c2_lowest_cpu((idle & pref) ? (idle & pref) : idle);
        s->pcpu[c].tickled = true;
        return (int)c;
    }
    for (unsigned int c = 0; c < s->nr_cpus; c++) {
        struct c2_vcpu *cur = s->pcpu[c].curr;
        if (!(mask & C2_BIT(c)) || !cur || s->pcpu[c].tickled)
            continue;
        c2_burn(s, cur, now);
        int64_t score = v->credit - cur->credit;
        if (c != v->cpu)
            score -= C2_MIGRATE_RESIST;
        bool is_pref = (pref & C2_BIT(c)) != 0;
        if (score <= 0)
            continue;
        /* A CPU it prefers beats any score elsewhere. */
        if (best < 0 || (is_pref && !best_pref) ||
            (is_pref == best_pref && score > best_score)) {
            best = (int)c;
            best_score = score;
            best_pref = is_pref;
        }
    }
    if (best >= 0)
        s->pcpu[best].tickled = true;
    return best;
}

void c2_tickle_later(struct c2_sched *s, struct c2_vcpu *v, uint64_t now)
{
    int c = c2_tickle(s, v, now);
    if (c >= 0)
        s->tickles |= C2_BIT(c);
}

int c2_wake(struct c2_sched *s, struct c2_vcpu *v, uint64_t now)
{
    s->now = now;
    if (v->state == C2_RUNNABLE || v->state == C2_RUNNING)
        return -1;
    v->runnable_since = now;
    if (v->where == C2_AT_CPU) {
        /* It blocked but its CPU has not rescheduled yet: it just goes on. */
        v->state = C2_RUNNING;
        return -1;
    }
    v->state = C2_RUNNABLE;
    v->wait_start = now;
    v->latency_pending = true;
    c2_unpark_ready(s, now);
    unsigned int rq = c2_rq_pick(s, v);
    if (rq != v->rq)
        c2_move_to_rq(s, v, rq);
    if (c2_out_of_budget(v)) {
        c2_park(v);
        return -1;
    }
    c2_runq_insert(s, v);
    return c2_tickle(s, v, now);
}

void c2_sleep(struct c2_sched *s, struct c2_vcpu *v, enum c2_state new_state,
              uint64_t now)
{
    if (new_state != C2_BLOCKED && new_state != C2_OFFLINE)
        return;
    s->now = now;
    switch (v->where) {
    case C2_AT_RUNQ:
        c2_runq_remove(v);
        c2_hist_add(&v->wait_time, now - v->wait_start);
        break;
    case C2_AT_PARKED:
        v->where = C2_AT_NOWHERE;
        c2_hist_add(&v->wait_time, now - v->wait_start);
        break;
    case C2_AT_CPU:
        c2_burn(s, v, now);
        s->tickles |= C2_BIT(v->cpu);
        break;
    case C2_AT_NOWHERE:
        break;
    }
    v->state = new_state;
    v->latency_pending = false;
}

void c2_remove_vcpu(struct c2_sched *s, struct c2_vcpu *v)
{
    c2_sleep(s, v, C2_OFFLINE, s->now);
    if (v->where == C2_AT_CPU) {
        s->pcpu[v->cpu].curr = NULL;
        c2_return_budget(v);
        v->where = C2_AT_NOWHERE;
    }
    c2_link_del(&v->member);
    if (v->dom->nr_vcpus)
        v->dom->nr_vcpus--;
}

/* The queued vCPU with the most credit that cpu may run.  One that
 * prefers other CPUs is left for them while one of those sits idle (and
 * that CPU is told); one whose domain has no budget is parked. */
static struct c2_vcpu *runq_best(struct c2_sched *s, unsigned int rq,
                                 unsigned int cpu)
{
    struct c2_link *head = &s->rq[rq].queue, *l = head->next;

    while (l != head) {
        struct c2_vcpu *v = C2_VCPU_OF(l, queue);
        l = l->next;
        if (!(c2_allowed(s, v) & C2_BIT(cpu)))
            continue;
        if (c2_out_of_budget(v)) {
            c2_runq_remove(v);
            c2_park(v);
            continue;
        }
        uint64_t pref = c2_preferred(s, v) & s->rq[rq].cpus & ~C2_BIT(cpu);
        if (!(c2_preferred(s, v) & C2_BIT(cpu)) && pref) {
            bool idle_there = false;
            for (unsigned int c = 0; c < s->nr_cpus; c++)
                if ((pref & C2_BIT(c)) && !s->pcpu[c].curr) {
                    idle_there = true;
                    if (!s->pcpu[c].tickled) {
                        s->pcpu[c].tickled = true;
                        s->tickles |= C2_BIT(c);
                    }
                }
            if (idle_there)
                continue;
        }
        return v;
    }
    return NULL;
}

/* How long next may run: until its credit meets the best waiter's (or
 * zero), in its own weight's time, within [min, 10 ms], where min is
 * 500 us or what is left of the rate limit; never past its cap budget. */
static uint64_t runtime(const struct c2_sched *s, const struct c2_vcpu *next,
                        uint64_t now)
{
    uint64_t min = C2_MIN_TIMER;
    if (s->ratelimit_ns && next->run_start + s->ratelimit_ns > now &&
        next->run_start + s->ratelimit_ns - now > min)
        min = next->run_start + s->ratelimit_ns - now;

    int64_t rt = next->credit;
    const struct c2_link *head = &s->rq[next->rq].queue;
    if (!c2_link_empty(head)) {
        const struct c2_vcpu *w = C2_VCPU_OF(head->next, queue);
        if (w->credit > 0)
            rt = next->credit - w->credit;
    }
    uint64_t time = credit_to_time(s, next, rt);
    if (time < min)
        time = min;
    else if (time > C2_MAX_TIMER)
        time = C2_MAX_TIMER;
    if (next->dom->cap && (uint64_t)next->budget < time)
        time = (uint64_t)next->budget;
    return time;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* prev leaves its CPU still wanting to run. */
static void requeue(struct c2_sched *s, struct c2_vcpu *prev, uint64_t now)
{
    c2_return_budget(prev);
    prev->state = C2_RUNNABLE;
    prev->wait_start = now;
    prev->where = C2_AT_NOWHERE;
    if (!(c2_allowed(s, prev) & s->rq[prev->rq].cpus))
        c2_move_to_rq(s, prev, c2_rq_pick(s, prev));
    c2_runq_insert(s, prev);
}

static void switch_in(struct c2_sched *s, struct c2_vcpu *next,
                      unsigned int cpu, uint64_t now)
{
    next->state = C2_RUNNING;
    next->where = C2_AT_CPU;
    next->cpu = cpu;
    next->start_time = now;
    next->run_start = now;
    c2_hist_add(&next->wait_time, now - next->wait_start);
    if (next->latency_pending)
        c2_hist_add(&next->wake_latency, now - next->runnable_since);
    next->latency_pending = false;
    s->pcpu[cpu].curr = next;
}

struct c2_decision c2_schedule(struct c2_sched *s, unsigned int cpu,
                               struct c2_vcpu *prev_hint, uint64_t now)
{
    struct c2_decision d = { NULL, UINT64_MAX };

    (void)prev_hint;   /* our own record of the CPU's vCPU is the truth */
    if (cpu >= s->nr_cpus)
        return d;
    s->now = now;
    c2_unpark_ready(s, now);

    unsigned int rq = s->rq_of_cpu[cpu];
    struct c2_vcpu *prev = s->pcpu[cpu].curr;
    if (prev) {
        c2_burn(s, prev, now);
        if (prev->state != C2_RUNNING) {
            c2_return_budget(prev);
            prev->where = C2_AT_NOWHERE;
            prev = NULL;
        } else if (!(c2_allowed(s, prev) & C2_BIT(cpu))) {
            requeue(s, prev, now);
            c2_tickle_later(s, prev, now);
            prev = NULL;
        } else if (!c2_grab_budget(prev)) {
            prev->state = C2_RUNNABLE;
            prev->wait_start = now;
            c2_park(prev);
            prev = NULL;
        } else if (s->ratelimit_ns && now - prev->run_start < s->ratelimit_ns) {
            d.next = prev;
            d.until = prev->run_start + s->ratelimit_ns;
            if (prev->dom->cap)
                d.until = min_u64(d.until, now + (uint64_t)prev->budget);
            d.until = min_u64(d.until, c2_next_refill_for(s, cpu));
            goto out;
        }
        s->pcpu[cpu].curr = NULL;
    }

    c2_balance(s, rq, cpu, now);
    struct c2_vcpu *best = runq_best(s, rq, cpu);
    if (!best && !prev)
        best = c2_steal(s, cpu);
    else if (best)
        c2_runq_remove(best);

    if (prev && (!best || prev->credit >= best->credit)) {
        if (best)
            c2_runq_insert(s, best);
        d.next = prev;
        s->pcpu[cpu].curr = prev;
    } else if (best) {
        if (prev) {
            /* Preempted: an idle CPU may take it at once. */
            requeue(s, prev, now);
            c2_tickle_later(s, prev, now);
        }
        if (!c2_grab_budget(best)) {
            /* runq_best checked the pool; only a stolen vCPU gets here. */
            best->state = C2_RUNNABLE;
            c2_park(best);
            d.until = c2_next_refill_for(s, cpu);
            goto out;
        }
        switch_in(s, best, cpu, now);
        d.next = best;
    } else {
        d.until = c2_next_refill_for(s, cpu);
        goto out;
    }

    if (d.next->credit <= C2_CREDIT_RESET)
        reset_credit(s, rq, d.next, now);
    d.until = min_u64(now + runtime(s, d.next, now), c2_next_refill_for(s, cpu));
out:
    s->pcpu[cpu].tickled = false;
    s->tickles &= ~C2_BIT(cpu);
    return d;
}
