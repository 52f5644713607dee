/*
 * Where every trap and interrupt goes once entry.S has saved the
 * registers (arch_ops.trap): a guest's system call, exception or
 * int $0x82 to the PV code, the hypervisor's own access faults to their
 * fix-ups, interrupts to arch/x86, under the hypervisor lock.  A fault of
 * the return to a guest arrives here as that guest's exception
 * (arch/x86/traps.c).  Also the rest of arch_ops: the timer tick and a
 * secondary CPU's idle loop.
 */
#include "arch/x86/arch_ops.h"
#include "arch/x86/desc.h"
#include "arch/x86/entry_vectors.h"
#include "arch/x86/extable.h"
#include "arch/x86/traps.h"
#include "common/scheduler.h"
#include "common/vcpu_events.h"
#include "pv/pv_traps.h"

/* Entries from a ring-3 guest go to the PV code; the hypervisor's own
 * exceptions stay fatal. */
static bool from_guest(const struct cpu_regs *regs)
{
    return (regs->cs & 3) == 3;
}

static void dispatch(struct cpu_regs *regs)
{
    if (regs->vector == ENTRY_VECTOR_SYSCALL || regs->vector == ENTRY_VECTOR_SYSCALL32) {
        pv_handle_syscall(regs, regs->vector == ENTRY_VECTOR_SYSCALL32);
        return;
    }
    if (regs->vector == ENTRY_VECTOR_FAILSAFE) {
        pv_enter_failsafe(regs);
        return;
    }
    if (regs->vector == ENTRY_VECTOR_RESUME)
        return;

    unsigned int vector = regs->vector & 0xff;

    if (vector < 32) {
        /* A guest access that faulted (a copy, a selector of the guest's
         * loaded by the hypervisor): its caller gets an error. */
        if (!from_guest(regs) && vector >= 11 && vector <= 14 && extable_fixup(regs))
            return;
        if (!from_guest(regs) || vector == 2 || vector == 8 || vector == 18)
            fatal_exception(regs);
        pv_handle_exception(regs);
        return;
    }
    if (vector == HYPERCALL_VECTOR && from_guest(regs)) {
        pv_handle_int82(regs);
        return;
    }

    interrupt_dispatch(regs);
}

/* Every entry holds the hypervisor lock (scheduler.h).  An entry from a
 * guest keeps it until trap_entry makes the frame ready to return
 * (hv_lock_exit_to_guest);
 * one from the hypervisor itself (an interrupt during a wait, a fault in
 * a guest access) drops its level here. */
static void enter_and_dispatch(struct cpu_regs *regs)
{
    /* The hypervisor's own fault is fatal: report it without waiting for
     * a lock another CPU may never give back. */
    if ((regs->vector & 0xff) < 32 && regs->vector < 256 && !from_guest(regs) &&
        !hv_lock_held()) {
        dispatch(regs);
        return;
    }
    hv_lock_enter();
    dispatch(regs);
    if (!from_guest(regs))
        hv_lock_exit();
}

static bool trap_entry(struct cpu_regs *regs)
{
    enter_and_dispatch(regs);
    /* Another vCPU's turn, or the guest's own blocking: this one leaves
     * here, its frame complete (sched.c). */
    sched_exit_check(regs);
    /* Last stop before guest context: a pending, unmasked event becomes
     * an upcall frame (upcall.c; nothing for a return to ring 0). */
    pv_exit_to_guest(regs);
    hv_lock_exit_to_guest(regs);
    return pv_exit_by_sysret(regs);
}

const struct arch_ops pv_arch_ops = {
    .trap = trap_entry,
    .timer_tick = pv_time_tick,
    .secondary_idle = sched_idle,
};
