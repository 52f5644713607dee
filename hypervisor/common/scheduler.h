/*
 * Which vCPU runs on which physical CPU, and the one lock that keeps two
 * CPUs apart inside the hypervisor.
 *
 * Today's policy is the simplest that lets a guest use several CPUs: a
 * vCPU is placed on one CPU when it first comes up and stays there, and
 * a domain gets no more vCPUs than there are CPUs, so every CPU runs at
 * most one vCPU and a blocked vCPU waits on its own CPU (sched_block.c).
 * Time-slicing several vCPUs on one CPU (per-CPU run queues, a Credit2-
 * style accounting, docs/design.md §8) builds on the same calls: sched_place()
 * picks the queue, sched_vcpu_up()/sched_kick() make a vCPU runnable and
 * sched_run_vcpu() is the context switch into it.
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

/* Halt until an interrupt, the lock dropped meanwhile (for waits inside
 * the hypervisor: SCHEDOP_block/poll).  Interrupts are off again after.
 * With kicked, first watch it for up to sched_halt_poll_ns (halt_poll=). */
void sched_halt_wait(const volatile bool *kicked);
/* ns CPU cpu has spent in sched_halt_wait since boot (sysctl getcpuinfo). */
uint64_t sched_cpu_idle_ns(unsigned int cpu);
extern uint64_t sched_halt_poll_ns;

/* The CPU a new vCPU goes to: vCPU n of a domain on CPU n. */
unsigned int sched_place(const struct vcpu *v);

/* The vCPU has an event (or its timer fired): if it waits or runs on
 * another CPU, interrupt that CPU so it looks. */
void sched_kick(struct vcpu *v);

/* VCPUOP_up of an initialised vCPU: its CPU starts running it.
 * 0, or -XEN_EBUSY when that CPU already runs another vCPU. */
long sched_vcpu_up(struct vcpu *v);

/* Load v's state on this CPU (descriptor tables, segment bases, CR3,
 * FPU), drop the lock and enter it from v->saved_regs. */
__attribute__((noreturn)) void sched_run_vcpu(struct vcpu *v);

/* A CPU with nothing to run: wait for a vCPU to be handed to it. */
__attribute__((noreturn)) void sched_idle(void);

/* entry.S: start a guest from a saved frame on the given stack top. */
__attribute__((noreturn))
void pv_enter_frame(const struct cpu_regs *frame, uintptr_t stack_top);

#endif
