/*
 * Hypercall continuations: how a long hypercall stops part-way and lets
 * the guest run, so that a guest can stall nothing but itself.
 *
 * Every entry into the hypervisor holds its one lock with interrupts off
 * (scheduler.h), so a hypercall that loops over a guest-given count
 * (multicall, mmu_update, mmuext_op, the reservation ops, grant batches,
 * console_io) does its work in slices.  Each item charges units of work;
 * once a slice has spent HYPERCALL_SLICE_UNITS, or an event waits for the
 * vCPU (Xen's local_events_need_delivery), hypercall_preempt_check says
 * stop.  The handler then records where it got to in the hypercall's own
 * arguments, as Xen 4.17 encodes them (mmu_update's MMU_UPDATE_PREEMPTED
 * count, memory_op's start extent above MEMOP_EXTENT_SHIFT, an advanced
 * pointer and a smaller count), and calls hypercall_continue: the vCPU's
 * rip goes back to its `syscall` or `int $0x82` (both two bytes), rax
 * holds the hypercall number again and the argument registers the rest
 * of the work.  On the way out the lock is dropped, interrupts and
 * upcalls are delivered, and the guest re-issues the call.
 *
 * A multicall entry that continues does not rewind the vCPU: its new
 * arguments go back into the guest's entry and the multicall continues
 * itself from that entry, as Xen does.
 *
 * Callers check only after an item is done, never before the first, so
 * every slice makes progress and a guest that keeps an event pending
 * still finishes its call.
 */
#ifndef SUBFLOOR_CONTINUATION_H
#define SUBFLOOR_CONTINUATION_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"

/* Work a slice may do: about one page-table entry validated per unit. */
#define HYPERCALL_SLICE_UNITS 256u

/* A hypercall from the guest starts: a fresh slice, on this frame. */
void hypercall_slice_begin(struct cpu_regs *regs);

/* Charge units of work to the slice; true when the caller must stop here
 * and continue (the slice is spent, or an event waits for the vCPU). */
bool hypercall_preempt_check(unsigned int units);

/*
 * Have hypercall nr re-issued with args[0..nargs) (the rest as 0): the
 * handler then returns whatever it likes, which is ignored, since rax
 * already holds nr.  Inside a multicall the entry takes the arguments.
 */
void hypercall_continue(unsigned int nr, unsigned int nargs, const uint64_t *args);

/* What a handler deep in a hypercall returns to have the whole call
 * issued again later, unchanged (its caller then uses hypercall_continue
 * with the original arguments): Xen's ERESTART. */
#define HYPERCALL_RESTART 85

/* Whether the running hypercall asked to be continued (the dispatcher
 * leaves rax alone then); cleared by hypercall_slice_begin. */
bool hypercall_continued(void);

#endif
