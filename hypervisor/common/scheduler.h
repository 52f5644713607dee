/*
 * Which vCPU runs on which physical CPU, and the one lock that keeps two
 * CPUs apart inside the hypervisor.
 *
 * The hypervisor lock: every entry from a guest takes it and every
 * return to a guest drops it, so the hypervisor's data (heap, page types,
 * event channels, grant tables, the console) is touched by one CPU at a
 * time.  Entries while this CPU already holds it (a fault in
 * copy_from_guest, an interrupt during a wait) nest.  A CPU spinning for
 * it still answers TLB-flush requests (arch/x86/tlbflush.h), so the
 * holder may wait for them.
 */
#ifndef SUBFLOOR_SCHEDULER_H
#define SUBFLOOR_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"

struct domain;
struct vcpu;

/* Take (or nest into) the hypervisor lock on this CPU; drop one level. */
void hv_lock_enter(void);
void hv_lock_exit(void);
bool hv_lock_held(void);
/* Drop every level at once: the stack below is being abandoned. */
void hv_lock_exit_all(void);

/* entry.S, after pv_exit_to_guest: drop the lock taken for this entry
 * when the frame returns to a guest. */
void hv_lock_exit_to_guest(const struct cpu_regs *regs);

/* Depth the lock is held at on this CPU (0: not held). */
unsigned int hv_lock_depth_now(void);

/*
 * The scheduler (sched.c; the policy is credit2.c).  A vCPU is runnable
 * when it has a context, is not down, not blocked, and its domain is
 * neither paused nor shutting down; whoever changes one of those calls
 * sched_update(), and the policy learns of it.  A CPU told to reschedule
 * does it on its next way back to a guest, or at once when idle.
 */
void sched_init(unsigned int nr_cpus);
/* CPUs the scheduler uses (0 .. n-1). */
unsigned int sched_cpus(void);
void sched_domain_init(struct domain *d);
void sched_vcpu_init(struct vcpu *v);
/* Out of the policy for good (domain teardown). */
void sched_vcpu_remove(struct vcpu *v);
bool sched_vcpu_runnable(const struct vcpu *v);
/* Whether v is what its CPU runs right now. */
bool sched_vcpu_is_running(const struct vcpu *v);
void sched_update(struct vcpu *v);

/* v has an event: a blocked v wakes; one running on another CPU is
 * interrupted so that its way out delivers the upcall. */
void sched_kick(struct vcpu *v);
/* SCHEDOP_yield: v's CPU decides again on its way out. */
void sched_yield(struct vcpu *v);
/* v (current) waits for an event: it leaves its CPU on the way out. */
void sched_block(struct vcpu *v);

/* Domain pause, counted as Xen counts it; pause waits until none of d's
 * vCPUs runs on another CPU (d's own vCPU pausing it stops on its way
 * out). */
void sched_domain_pause(struct domain *d);
void sched_domain_unpause(struct domain *d);
/* The same without the wait: d's vCPUs stop at their CPUs' next way out;
 * sched_domain_running says whether any still runs. */
void sched_domain_pause_nosync(struct domain *d);
bool sched_domain_running(const struct domain *d);

/* Parameters from the toolstack (domctl/sysctl scheduler ops), with
 * Xen's checks: 0 or -XEN_EINVAL, nothing changed on error.  A weight of
 * 0 keeps the weight; a cap is a percentage of one CPU, 0 for none. */
long sched_set_domain_params(struct domain *d, unsigned int weight, unsigned int cap);
long sched_set_affinity(struct vcpu *v, uint64_t hard, uint64_t soft);
unsigned int sched_ratelimit_us(void);
/* 0 (no rate limit) or XEN_SYSCTL_SCHED_RATELIMIT_MIN..MAX. */
long sched_set_ratelimit_us(unsigned int us);

/* This CPU's timer interrupt: the current decision may have expired. */
void sched_tick(void);
/* Arm this CPU's timer for the earliest of: its decision's end, the
 * timers of the vCPUs that run or last ran here, and a second from now. */
void sched_program_timer(void);
/* trap_entry, before the upcall check: carry out a pending reschedule,
 * switching to another vCPU or to idle (then it does not return). */
void sched_exit_check(struct cpu_regs *regs);

/* One vCPU's scheduling figures (ns), for the toolstack and 'r'. */
struct sched_vcpu_stats {
    unsigned int state;             /* enum c2_state */
    unsigned int cpu;
    int64_t credit;
    uint64_t run_ns;
    uint64_t wake_count, wake_p50_ns, wake_p99_ns, wake_max_ns;
    uint64_t wait_count, wait_total_ns, wait_p50_ns, wait_p99_ns, wait_max_ns;
};
void sched_vcpu_stats(const struct vcpu *v, struct sched_vcpu_stats *st);

/* ns CPU cpu has spent halted with nothing to run (sysctl getcpuinfo),
 * and how many times it switched to a vCPU. */
uint64_t sched_cpu_idle_ns(unsigned int cpu);
uint64_t sched_cpu_switches(unsigned int cpu);
/* An idle CPU first watches for work this long before halting. */
extern uint64_t sched_halt_poll_ns;

/* Load v's state on this CPU (descriptor tables, segment bases, CR3,
 * FPU), drop the lock and enter it from v->saved_regs. */
__attribute__((noreturn)) void sched_run_vcpu(struct vcpu *v);

/* The boot CPU: v becomes runnable and the CPU starts scheduling. */
__attribute__((noreturn)) void sched_start(struct vcpu *v);

/* The current vCPU, no longer runnable (its domain crashed), leaves this
 * CPU now, from any depth inside the hypervisor: its frame is saved as it
 * entered and the CPU runs what the policy gives it next, or idles. */
__attribute__((noreturn)) void sched_leave_current(void);

/* A CPU with nothing to run: wait for the policy to give it a vCPU. */
__attribute__((noreturn)) void sched_idle(void);

/* entry.S: start a guest from a saved frame on the given stack top. */
__attribute__((noreturn))
void pv_enter_frame(const struct cpu_regs *frame, uintptr_t stack_top);

#endif
