/*
 * What the credit2*.c files share and nobody else should call: list
 * handling, affinity masks, and the steps (charge, queue, tickle, move)
 * that the policy's entry points are made of.
 */
#ifndef SUBFLOOR_CREDIT2_PRIV_H
#define SUBFLOOR_CREDIT2_PRIV_H

#include "common/credit2.h"

#define C2_BIT(cpu) (1ULL << (cpu))

static inline void c2_link_init(struct c2_link *l)
{
    l->prev = l->next = l;
}

static inline bool c2_link_empty(const struct c2_link *l)
{
    return l->next == l;
}

/* Put n just before pos (at the tail when pos is the list head). */
static inline void c2_link_before(struct c2_link *pos, struct c2_link *n)
{
    n->prev = pos->prev;
    n->next = pos;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void c2_link_del(struct c2_link *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    c2_link_init(n);
}

#define C2_VCPU_OF(ptr, field) \
    ((struct c2_vcpu *)((char *)(ptr) - offsetof(struct c2_vcpu, field)))

/* The CPUs v may use now, and those among them it prefers. */
static inline uint64_t c2_allowed(const struct c2_sched *s, const struct c2_vcpu *v)
{
    return v->hard_affinity & s->online;
}

static inline uint64_t c2_preferred(const struct c2_sched *s, const struct c2_vcpu *v)
{
    uint64_t p = v->soft_affinity & c2_allowed(s, v);
    return p ? p : c2_allowed(s, v);
}

static inline unsigned int c2_lowest_cpu(uint64_t mask)
{
    return (unsigned int)__builtin_ctzll(mask);
}

/* By hand: the hypervisor links no libgcc, which __builtin_popcountll
 * would call without -mpopcnt. */
static inline unsigned int c2_popcount(uint64_t mask)
{
    unsigned int n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

/* Capped, holding no budget, and the domain's pool is empty. */
static inline bool c2_out_of_budget(const struct c2_vcpu *v)
{
    return v->dom->cap && v->budget <= 0 && v->dom->budget <= 0;
}

/* credit2.c */
void c2_burn(struct c2_sched *s, struct c2_vcpu *v, uint64_t now);
void c2_runq_insert(struct c2_sched *s, struct c2_vcpu *v);
void c2_runq_remove(struct c2_vcpu *v);
int c2_tickle(struct c2_sched *s, struct c2_vcpu *v, uint64_t now);

/* Tickle for v and leave the CPU chosen in s->tickles. */
void c2_tickle_later(struct c2_sched *s, struct c2_vcpu *v, uint64_t now);

/* credit2_caps.c */
/* Refill the domains whose period ended; requeue what may run again. */
void c2_unpark_ready(struct c2_sched *s, uint64_t now);
void c2_return_budget(struct c2_vcpu *v);
/* v holds budget, or took some from its domain; false: none to take. */
bool c2_grab_budget(struct c2_vcpu *v);
/* v (runnable, out of every queue) waits for its domain's refill. */
void c2_park(struct c2_vcpu *v);
/* The earliest refill of a domain with a parked vCPU allowed on cpu. */
uint64_t c2_next_refill_for(const struct c2_sched *s, unsigned int cpu);

/* credit2_balance.c */
/* vCPUs running on the runqueue's CPUs plus those queued in it. */
unsigned int c2_rq_load(const struct c2_sched *s, unsigned int rq);
/* The runqueue v should join when it becomes runnable. */
unsigned int c2_rq_pick(const struct c2_sched *s, const struct c2_vcpu *v);
/* Make rq v's runqueue (v not queued), with v->cpu one of its CPUs. */
void c2_move_to_rq(struct c2_sched *s, struct c2_vcpu *v, unsigned int rq);
/* At most every C2_BALANCE_INTERVAL: move one queued vCPU between rq and
 * another runqueue when their loads differ by a whole vCPU or more. */
void c2_balance(struct c2_sched *s, unsigned int rq, unsigned int cpu,
                uint64_t now);
/* An idle cpu takes a queued vCPU it may run from another runqueue;
 * returned out of every queue, already a member of cpu's runqueue. */
struct c2_vcpu *c2_steal(struct c2_sched *s, unsigned int cpu);

#endif
