/*
 * Event channels, PV time and timers as the running hypervisor uses them:
 * the glue between WB's host-tested logic (evtchn.h, vtime.h) and
 * struct domain / struct vcpu, the hypercalls that reach it, the upcall
 * on the way back to the guest, and blocking.
 *
 * The hypervisor runs with interrupts off, under its lock; a vCPU that
 * waits leaves its CPU (sched.c) rather than waiting inside.
 */
#ifndef SUBFLOOR_PV_EVENTS_H
#define SUBFLOOR_PV_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/guest_access.h"
#include "arch/x86/pte.h"
#include "arch/x86/regs.h"
#include "common/vtime.h"
#include "public/event_channel.h"
#include "public/vcpu.h"

struct domain;
struct sched_poll;
struct vcpu;

/* Xen starts every vCPU with this periodic VIRQ_TIMER until stopped. */
#define VTIMER_DEFAULT_PERIOD_NS 10000000ull

/* Per-vCPU state of this area; embedded in struct vcpu as `ev`. */
/* Xen's "fairly arbitrary" limit on SCHEDOP_poll's port list. */
#define POLL_MAX_PORTS 128

struct vcpu_events {
    /* Timers, in the domain's system time (ns). 0 = not armed. */
    uint64_t singleshot_deadline;
    uint64_t periodic_period;       /* 0 = stopped */
    uint64_t periodic_next;
    /* SCHEDOP_poll: the ports watched, an absolute timeout (0 for none). */
    bool polling;
    unsigned int nr_poll_ports;
    evtchn_port_t poll_ports[POLL_MAX_PORTS];
    uint64_t poll_deadline;

    bool down;                      /* VCPUOP_down */
    bool vcpu_info_registered;      /* VCPUOP_register_vcpu_info: once only */
    uint64_t vcpu_info_mfn;

    /* VCPUOP_register_runstate_memory_area: 0 for none. */
    guest_ptr_t runstate_area;
    /* VCPUOP_register_vcpu_time_memory_area: 0 for none. */
    guest_ptr_t time_area;
    struct vcpu_runstate_info runstate;
};

/* Per-domain clock: system time is clock_ns0 + scale(tsc - clock_tsc0). */
struct domain_clock {
    struct vtime_scale scale;
    uint64_t tsc0;
    uint64_t ns0;
    bool valid;
};


/* evtchn_domain.c: set up and use a domain's event channels. */
int domain_events_init(struct domain *d);
/* Raise VIRQ_TIMER (and friends) on a vCPU; dropped if unbound. */
void vcpu_raise_virq(struct vcpu *v, uint32_t virq);
void domain_raise_global_virq(struct domain *d, uint32_t virq);
/* The 2-level "upcall wanted" test: pending and not masked. */
bool vcpu_events_need_delivery(const struct vcpu *v);

/* upcall.c: called on every return to ring 3 (entry.S). */
void pv_exit_to_guest(struct cpu_regs *regs);

/* domain_time.c: the domain's clock and the records published from it. */
uint64_t domain_now_ns(const struct domain *d);
void vcpu_time_publish(struct vcpu *v);

/* vtimer.c: singleshot and periodic timers. */
void vtimer_vcpu_init(struct vcpu *v);
void vtimer_set_singleshot(struct vcpu *v, uint64_t deadline_ns);
void vtimer_stop_singleshot(struct vcpu *v);
void vtimer_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Fire whatever is due for the running vCPU (the tick and waits call it). */
void vtimer_run_due(void);
/* Whether a deadline in the domain's system time has passed at now, as
 * Xen compares them (signed: ~0 is long past). */
bool vtimer_passed(uint64_t deadline, uint64_t now);
/* When the earliest timer or poll timeout of the vCPUs that run or last
 * ran on cpu is due, on the hypervisor's clock (time_now_ns); UINT64_MAX
 * for none.  Each CPU arms its timer for its own vCPUs only. */
uint64_t vtimer_next_deadline(unsigned int cpu);
/* Every vCPU's due timers and poll timeouts. */
void vtimer_run_all_due(void);
/* From this CPU's timer interrupt. */
void pv_time_tick(void);

/* sched_block.c: SCHEDOP_block and SCHEDOP_poll, and vCPU runstate. */
long vcpu_block(struct vcpu *v);
long vcpu_poll(struct vcpu *v, const struct sched_poll *sp);
/* A port of d became pending: a vCPU polling it wakes. */
void sched_port_pending(struct domain *d, evtchn_port_t port);
/* A poll whose timeout has passed by now ends. */
void vcpu_poll_timeout(struct vcpu *v, uint64_t now);
/* The runstate changes: the record, and the guest's copy of it (only
 * for the current vCPU, whose page tables are loaded). */
void vcpu_runstate_set(struct vcpu *v, int state);
/* The record alone, for a vCPU whose page tables are not loaded. */
void vcpu_runstate_account(struct vcpu *v, int state);
void vcpu_runstate_publish(struct vcpu *v);

#endif
