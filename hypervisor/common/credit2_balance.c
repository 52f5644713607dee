/*
 * Credit2 across runqueues: which runqueue a waking vCPU joins, moving
 * queued vCPUs when runqueues' loads drift apart, an idle CPU taking work
 * from a busy runqueue, and regrouping CPUs into runqueues.
 *
 * Load is counted, not averaged: a runqueue's load is the vCPUs running
 * on its CPUs plus those queued in it, compared per CPU the vCPU may use.
 * Xen smooths it over a window because it balances many short sleepers;
 * with few vCPUs the rate of balancing (C2_BALANCE_INTERVAL) and the
 * "a whole vCPU apart" rule keep the instantaneous count from ping-ponging.
 */
#include "common/credit2_priv.h"

unsigned int c2_rq_load(const struct c2_sched *s, unsigned int rq)
{
    unsigned int load = 0;
    const struct c2_link *head = &s->rq[rq].queue;

    for (unsigned int c = 0; c < s->nr_cpus; c++)
        if ((s->rq[rq].cpus & C2_BIT(c)) && s->pcpu[c].curr)
            load++;
    for (const struct c2_link *l = head->next; l != head; l = l->next)
        load++;
    return load;
}

/* Staying where it is wins unless another runqueue, with v added, would
 * still be no busier per CPU than this one is now (its caches are here);
 * a runqueue holding CPUs it prefers, with room, beats one without. */
unsigned int c2_rq_pick(const struct c2_sched *s, const struct c2_vcpu *v)
{
    uint64_t allowed = c2_allowed(s, v), pref = c2_preferred(s, v);
    unsigned int best = v->rq;
    bool have = (s->rq[best].cpus & allowed) != 0;

    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        uint64_t cpus = s->rq[r].cpus & allowed;
        if (!cpus || (have && r == best))
            continue;
        if (!have) {
            best = r;
            have = true;
            continue;
        }
        uint64_t n_r = c2_popcount(cpus);
        uint64_t n_b = c2_popcount(s->rq[best].cpus & allowed);
        uint64_t l_r = c2_rq_load(s, r), l_b = c2_rq_load(s, best);
        bool pref_r = (cpus & pref) != 0;
        bool pref_b = (s->rq[best].cpus & pref) != 0;
        if (pref_r && !pref_b && l_r < n_r) {
            best = r;
            continue;
        }
        if (pref_b && !pref_r)
            continue;
        if (best == v->rq ? (l_r + 1) * n_b <= l_b * n_r : l_r * n_b < l_b * n_r)
            best = r;
    }
    return best;
}

void c2_move_to_rq(struct c2_sched *s, struct c2_vcpu *v, unsigned int rq)
{
    uint64_t cpus = s->rq[rq].cpus;

    if (v->rq != rq) {
        c2_link_del(&v->member);
        c2_link_before(&s->rq[rq].members, &v->member);
        v->rq = rq;
    }
    if (!(cpus & C2_BIT(v->cpu) & c2_allowed(s, v))) {
        if (cpus & c2_preferred(s, v))
            v->cpu = c2_lowest_cpu(cpus & c2_preferred(s, v));
        else if (cpus & c2_allowed(s, v))
            v->cpu = c2_lowest_cpu(cpus & c2_allowed(s, v));
        else if (cpus)
            v->cpu = c2_lowest_cpu(cpus);
    }
}

/* The queued vCPU of runqueue from that runqueue to can take: one that
 * prefers to's CPUs if any, else the first (most credit) allowed there. */
static struct c2_vcpu *movable(const struct c2_sched *s, unsigned int from,
                               uint64_t to_cpus)
{
    const struct c2_link *head = &s->rq[from].queue;
    struct c2_vcpu *first = NULL;

    for (const struct c2_link *l = head->next; l != head; l = l->next) {
        struct c2_vcpu *v = C2_VCPU_OF(l, queue);
        if (!(c2_allowed(s, v) & to_cpus) || c2_out_of_budget(v))
            continue;
        if (c2_preferred(s, v) & to_cpus)
            return v;
        if (!first)
            first = v;
    }
    return first;
}

static bool move_one(struct c2_sched *s, unsigned int from, unsigned int to,
                     uint64_t now)
{
    struct c2_vcpu *v = movable(s, from, s->rq[to].cpus);

    if (!v)
        return false;
    c2_runq_remove(v);
    c2_move_to_rq(s, v, to);
    c2_runq_insert(s, v);
    int c = c2_tickle(s, v, now);
    if (c >= 0)
        s->tickles |= C2_BIT(c);
    return true;
}

void c2_balance(struct c2_sched *s, unsigned int rq, unsigned int cpu,
                uint64_t now)
{
    (void)cpu;
    if (s->nr_rqs < 2 || now < s->rq[rq].last_balance + C2_BALANCE_INTERVAL)
        return;
    s->rq[rq].last_balance = now;

    int64_t l_me = c2_rq_load(s, rq), n_me = c2_popcount(s->rq[rq].cpus);
    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        int64_t n_o = c2_popcount(s->rq[r].cpus);
        if (r == rq || !n_o)
            continue;
        int64_t l_o = c2_rq_load(s, r);
        /* Move one when, after the move, the giver is still no lighter
         * per CPU than the taker. */
        if (l_me >= 1 && (l_me - 1) * n_o >= (l_o + 1) * n_me) {
            if (move_one(s, rq, r, now))
                return;
        } else if (l_o >= 1 && (l_o - 1) * n_me >= (l_me + 1) * n_o) {
            if (move_one(s, r, rq, now))
                return;
        }
    }
}

struct c2_vcpu *c2_steal(struct c2_sched *s, unsigned int cpu)
{
    unsigned int mine = s->rq_of_cpu[cpu];
    struct c2_vcpu *take = NULL;
    unsigned int take_len = 0;

    for (unsigned int r = 0; r < s->nr_rqs; r++) {
        if (r == mine)
            continue;
        unsigned int len = 0;
        const struct c2_link *head = &s->rq[r].queue;
        for (const struct c2_link *l = head->next; l != head; l = l->next)
            len++;
        if (len <= take_len)
            continue;
        struct c2_vcpu *v = movable(s, r, C2_BIT(cpu));
        if (v) {
            take = v;
            take_len = len;
        }
    }
    if (!take)
        return NULL;
    c2_runq_remove(take);
    c2_move_to_rq(s, take, mine);
    return take;
}

int c2_set_runqueues(struct c2_sched *s, const unsigned int *rq_of_cpu)
{
    unsigned int nr = 0;

    for (unsigned int c = 0; c < s->nr_cpus; c++) {
        if (rq_of_cpu[c] >= s->nr_cpus)
            return -C2_EINVAL;
        if (rq_of_cpu[c] + 1 > nr)
            nr = rq_of_cpu[c] + 1;
    }
    for (unsigned int r = 0; r < C2_MAX_CPUS; r++)
        s->rq[r].cpus = 0;
    for (unsigned int c = 0; c < s->nr_cpus; c++) {
        s->rq_of_cpu[c] = rq_of_cpu[c];
        s->rq[rq_of_cpu[c]].cpus |= C2_BIT(c);
    }
    s->nr_rqs = nr;

    /* Every member goes where its CPU now is; queued ones change queue. */
    for (unsigned int r = 0; r < C2_MAX_CPUS; r++) {
        struct c2_link *head = &s->rq[r].members, *l = head->next;
        while (l != head) {
            struct c2_vcpu *v = C2_VCPU_OF(l, member);
            l = l->next;
            unsigned int to = s->rq_of_cpu[v->cpu];
            if (to == r)
                continue;
            bool queued = v->where == C2_AT_RUNQ;
            if (queued)
                c2_runq_remove(v);
            c2_move_to_rq(s, v, to);
            if (queued)
                c2_runq_insert(s, v);
        }
    }
    return 0;
}
