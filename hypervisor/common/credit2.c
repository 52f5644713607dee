/* PLACEHOLDER round-robin; see credit2.h. */
#include "common/credit2.h"

#define SLICE_NS 10000000ull

void c2_init(struct c2_sched *s, unsigned int nr_cpus, uint64_t now)
{
    (void)now;
    *s = (struct c2_sched){ .nr_cpus = nr_cpus, .ratelimit_us = 1000 };
}

void c2_dom_init(struct c2_dom *d)
{
    *d = (struct c2_dom){ .weight = C2_DEFAULT_WEIGHT };
}

void c2_vcpu_init(struct c2_sched *s, struct c2_vcpu *v, struct c2_dom *d, unsigned int cpu)
{
    (void)s;
    *v = (struct c2_vcpu){ .dom = d, .state = C2_OFFLINE, .cpu = cpu,
                           .hard_affinity = ~0ull, .soft_affinity = ~0ull };
}

static void enqueue(struct c2_sched *s, struct c2_vcpu *v)
{
    v->next_runnable = NULL;
    if (s->tail)
        s->tail->next_runnable = v;
    else
        s->head = v;
    s->tail = v;
}

static void dequeue(struct c2_sched *s, struct c2_vcpu *v)
{
    struct c2_vcpu **pp = &s->head, *prev = NULL;
    while (*pp && *pp != v) {
        prev = *pp;
        pp = &(*pp)->next_runnable;
    }
    if (!*pp)
        return;
    *pp = v->next_runnable;
    if (s->tail == v)
        s->tail = prev;
}

int c2_wake(struct c2_sched *s, struct c2_vcpu *v, uint64_t now)
{
    (void)now;
    if (v->state == C2_RUNNABLE || v->state == C2_RUNNING)
        return -1;
    if (s->curr[v->cpu] == v) {     /* still on its CPU: keeps it */
        v->state = C2_RUNNING;
        return -1;
    }
    v->state = C2_RUNNABLE;
    enqueue(s, v);
    for (unsigned int c = 0; c < s->nr_cpus; c++)
        if (!s->curr[c] && (v->hard_affinity >> c & 1))
            return (int)c;
    return -1;
}

void c2_sleep(struct c2_sched *s, struct c2_vcpu *v, enum c2_state new_state, uint64_t now)
{
    (void)now;
    if (v->state == C2_RUNNABLE)
        dequeue(s, v);
    v->state = new_state;
}

struct c2_decision c2_schedule(struct c2_sched *s, unsigned int cpu, struct c2_vcpu *prev,
                               uint64_t now)
{
    if (prev && s->curr[cpu] == prev) {
        s->curr[cpu] = NULL;
        if (prev->state == C2_RUNNING) {
            prev->state = C2_RUNNABLE;
            enqueue(s, prev);
        }
    }
    struct c2_vcpu *v;
    for (v = s->head; v; v = v->next_runnable)
        if (v->hard_affinity >> cpu & 1)
            break;
    if (!v)
        return (struct c2_decision){ NULL, UINT64_MAX };
    dequeue(s, v);
    v->state = C2_RUNNING;
    v->cpu = cpu;
    s->curr[cpu] = v;
    return (struct c2_decision){ v, now + SLICE_NS };
}

void c2_remove_vcpu(struct c2_sched *s, struct c2_vcpu *v)
{
    dequeue(s, v);
    for (unsigned int c = 0; c < s->nr_cpus; c++)
        if (s->curr[c] == v)
            s->curr[c] = NULL;
    v->state = C2_OFFLINE;
}

int c2_set_weight(struct c2_dom *d, unsigned int weight)
{
    if (weight < 1 || weight > 65535)
        return -22;
    d->weight = (uint16_t)weight;
    return 0;
}

int c2_set_cap(struct c2_sched *s, struct c2_dom *d, unsigned int cap)
{
    (void)s;
    d->cap = (uint16_t)cap;
    return 0;
}

int c2_set_affinity(struct c2_sched *s, struct c2_vcpu *v, uint64_t hard, uint64_t soft)
{
    (void)s;
    v->hard_affinity = hard;
    v->soft_affinity = soft;
    return 0;
}

int c2_set_ratelimit_us(struct c2_sched *s, unsigned int us)
{
    if (us && (us < 100 || us > 500000))
        return -22;
    s->ratelimit_us = us;
    return 0;
}

unsigned int c2_ratelimit_us(const struct c2_sched *s)
{
    return s->ratelimit_us;
}
