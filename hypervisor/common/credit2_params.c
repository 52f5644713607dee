/*
 * Credit2's parameters as xl sched-credit2 and xl vcpu-pin set them, with
 * Xen's ranges.  A refused value changes nothing.
 */
#include "common/credit2_priv.h"

int c2_set_weight(struct c2_dom *d, unsigned int weight)
{
    if (weight < 1 || weight > C2_MAX_WEIGHT)
        return -C2_EINVAL;
    d->weight = (uint16_t)weight;
    return 0;
}

/* A cap counts in percent of one CPU, so a domain can use at most 100 per
 * vCPU.  The budget starts full and the period starts now; lowering a cap
 * trims what is left of this period's budget. */
int c2_set_cap(struct c2_sched *s, struct c2_dom *d, unsigned int cap)
{
    if (cap > 100ULL * d->nr_vcpus || cap > UINT16_MAX)
        return -C2_EINVAL;
    if (!cap) {
        d->cap = 0;
        d->tot_budget = d->budget = 0;
        c2_unpark_ready(s, s->now);
        return 0;
    }
    int64_t tot = (int64_t)(C2_BDGT_REPL_PERIOD * cap / 100);
    if (!d->cap) {
        d->budget = tot;
        d->next_repl = s->now + C2_BDGT_REPL_PERIOD;
    } else if (d->budget > tot) {
        d->budget = tot;
    }
    d->tot_budget = tot;
    d->cap = (uint16_t)cap;
    return 0;
}

int c2_set_ratelimit_us(struct c2_sched *s, unsigned int us)
{
    if (us && (us < C2_RATELIMIT_MIN_US || us > C2_RATELIMIT_MAX_US))
        return -C2_EINVAL;
    s->ratelimit_ns = (uint64_t)us * 1000;
    return 0;
}

/* A queued vCPU whose runqueue has none of its CPUs any more changes
 * runqueue; a running one on a CPU it may no longer use is evicted by its
 * CPU's next decision, which the tickles ask for now. */
int c2_set_affinity(struct c2_sched *s, struct c2_vcpu *v, uint64_t hard,
                    uint64_t soft)
{
    if (!(hard & s->online))
        return -C2_EINVAL;
    v->hard_affinity = hard;
    v->soft_affinity = soft;

    switch (v->where) {
    case C2_AT_CPU:
        if (!(c2_allowed(s, v) & C2_BIT(v->cpu)))
            s->tickles |= C2_BIT(v->cpu);
        break;
    case C2_AT_RUNQ: {
        c2_runq_remove(v);
        c2_move_to_rq(s, v, c2_rq_pick(s, v));
        c2_runq_insert(s, v);
        int c = c2_tickle(s, v, s->now);
        if (c >= 0)
            s->tickles |= C2_BIT(c);
        break;
    }
    case C2_AT_PARKED:
    case C2_AT_NOWHERE:
        c2_move_to_rq(s, v, c2_rq_pick(s, v));
        break;
    }
    return 0;
}
