/*
 * PLACEHOLDER (lead's branch only, replaced by the credit2 helper's
 * module before landing): a FIFO round-robin with the credit2 API, so
 * the mechanism can be built and tested meanwhile.
 */
#ifndef SUBFLOOR_CREDIT2_H
#define SUBFLOOR_CREDIT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define C2_MAX_CPUS 8
#define C2_DEFAULT_WEIGHT 256

enum c2_state { C2_OFFLINE, C2_RUNNABLE, C2_RUNNING, C2_BLOCKED };

struct c2_dom {
    uint16_t weight;
    uint16_t cap;
};

struct c2_vcpu {
    struct c2_dom *dom;
    enum c2_state state;
    unsigned int cpu;
    uint64_t hard_affinity;
    uint64_t soft_affinity;
    int64_t credit;
    struct c2_vcpu *next_runnable;
};

struct c2_sched {
    unsigned int nr_cpus;
    struct c2_vcpu *head, *tail;
    struct c2_vcpu *curr[C2_MAX_CPUS];
    unsigned int ratelimit_us;
};

struct c2_decision {
    struct c2_vcpu *next;
    uint64_t until;
};

void c2_init(struct c2_sched *s, unsigned int nr_cpus, uint64_t now);
void c2_dom_init(struct c2_dom *d);
void c2_vcpu_init(struct c2_sched *s, struct c2_vcpu *v, struct c2_dom *d, unsigned int cpu);
int c2_wake(struct c2_sched *s, struct c2_vcpu *v, uint64_t now);
void c2_sleep(struct c2_sched *s, struct c2_vcpu *v, enum c2_state new_state, uint64_t now);
struct c2_decision c2_schedule(struct c2_sched *s, unsigned int cpu, struct c2_vcpu *prev,
                               uint64_t now);
void c2_remove_vcpu(struct c2_sched *s, struct c2_vcpu *v);
int c2_set_weight(struct c2_dom *d, unsigned int weight);
int c2_set_cap(struct c2_sched *s, struct c2_dom *d, unsigned int cap);
int c2_set_affinity(struct c2_sched *s, struct c2_vcpu *v, uint64_t hard, uint64_t soft);
int c2_set_ratelimit_us(struct c2_sched *s, unsigned int us);
unsigned int c2_ratelimit_us(const struct c2_sched *s);

#endif
