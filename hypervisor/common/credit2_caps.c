/*
 * Credit2 caps: a capped domain may run cap% of one CPU per 10 ms period.
 * The domain holds the period's budget; a vCPU takes a share of it when
 * it gets a CPU and gives back the rest (or its overrun, as debt) when it
 * leaves, so vCPUs of one domain on several CPUs cannot all spend the same
 * budget.  A vCPU that finds none is parked until the refill, and a CPU
 * that could run it is told to come back then (there is no timer here).
 */
#include "common/credit2_priv.h"

/* Cap budget: a running vCPU holds some of its domain's pool (at most a
 * fair share per vCPU, so siblings on other CPUs are not starved of it)
 * and gives back what it did not use, or its overrun as debt. */
void c2_return_budget(struct c2_vcpu *v)
{
    if (v->dom->cap)
        v->dom->budget += v->budget;
    v->budget = 0;
}

bool c2_grab_budget(struct c2_vcpu *v)
{
    struct c2_dom *d = v->dom;

    if (!d->cap)
        return true;
    if (v->budget > 0)
        return true;
    c2_return_budget(v);
    if (d->budget <= 0)
        return false;
    int64_t quota = d->tot_budget / (int64_t)(d->nr_vcpus ? d->nr_vcpus : 1);
    if (quota < (int64_t)C2_MIN_TIMER)
        quota = (int64_t)C2_MIN_TIMER;
    v->budget = quota < d->budget ? quota : d->budget;
    d->budget -= v->budget;
    return true;
}

void c2_park(struct c2_vcpu *v)
{
    c2_return_budget(v);
    v->where = C2_AT_PARKED;
}

/* Refill every capped domain whose period ended (debt carries over, a
 * surplus does not), and put back in their queues the parked vCPUs whose
 * domain has budget again (or no cap any more). */
void c2_unpark_ready(struct c2_sched *s, uint64_t now)
{
    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        struct c2_link *head = &s->rq[r].members;
        for (struct c2_link *l = head->next; l != head; l = l->next) {
            struct c2_dom *d = C2_VCPU_OF(l, member)->dom;
            if (!d->cap || now < d->next_repl)
                continue;
            uint64_t periods = (now - d->next_repl) / C2_BDGT_REPL_PERIOD + 1;
            d->next_repl += periods * C2_BDGT_REPL_PERIOD;
            int64_t add = (int64_t)periods * d->tot_budget;
            d->budget = (d->budget + add > d->tot_budget) ? d->tot_budget
                                                          : d->budget + add;
        }
    }
    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        struct c2_link *head = &s->rq[r].members;
        for (struct c2_link *l = head->next; l != head; l = l->next) {
            struct c2_vcpu *v = C2_VCPU_OF(l, member);
            if (v->where != C2_AT_PARKED || (v->dom->cap && v->dom->budget <= 0))
                continue;
            c2_runq_insert(s, v);
            c2_tickle_later(s, v, now);
        }
    }
}

/* When a CPU must come back for a parked vCPU it could run. */
uint64_t c2_next_refill_for(const struct c2_sched *s, unsigned int cpu)
{
    uint64_t when = UINT64_MAX;

    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        const struct c2_link *head = &s->rq[r].members;
        for (const struct c2_link *l = head->next; l != head; l = l->next) {
            const struct c2_vcpu *v = C2_VCPU_OF(l, member);
            if (v->where == C2_AT_PARKED && (c2_allowed(s, v) & C2_BIT(cpu)) &&
                v->dom->next_repl < when)
                when = v->dom->next_repl;
        }
    }
    return when;
}
