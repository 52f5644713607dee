/*
 * The hypervisor lock (see scheduler.h): every entry from a guest takes
 * it, every return to a guest drops it.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_stop.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tlbflush.h"
#include "common/scheduler.h"
#include "lib/spinlock.h"

static spinlock_t hv_lock = SPINLOCK_INIT;
static volatile int hv_lock_owner = -1;
static unsigned int hv_lock_depth;          /* only the owner touches it */
/* CPUs spinning for the lock, and whether the last release saw one. */
static unsigned int hv_lock_waiters;
static bool hv_lock_handoff;

bool hv_lock_held(void)
{
    return hv_lock_owner == (int)smp_processor_id();
}

void hv_lock_enter(void)
{
    /* A CPU asked to stop (a teardown) stops on its way in, whatever it
     * was doing: running a guest, idling, or waiting for the lock. */
    cpu_stop_poll();
    tlbflush_service();
    if (hv_lock_held()) {
        hv_lock_depth++;
        return;
    }
    /* A vCPU whose long hypercall goes back to its guest after each
     * slice (continuation.h) re-enters at once: it must not keep taking
     * the lock ahead of a CPU that waits for it.  When the lock is let go
     * with a CPU waiting, newcomers queue behind the waiters instead of
     * trying first.  (No ticket: a CPU asked to stop while it waits must
     * be able to leave the queue for good.) */
    if (__atomic_load_n(&hv_lock_handoff, __ATOMIC_ACQUIRE) || !spin_trylock(&hv_lock)) {
        __atomic_add_fetch(&hv_lock_waiters, 1, __ATOMIC_ACQ_REL);
        while (!spin_trylock(&hv_lock)) {
            cpu_stop_poll();
            tlbflush_service();
            cpu_relax();
        }
        __atomic_sub_fetch(&hv_lock_waiters, 1, __ATOMIC_ACQ_REL);
        __atomic_store_n(&hv_lock_handoff, false, __ATOMIC_RELEASE);
    }
    hv_lock_owner = (int)smp_processor_id();
    hv_lock_depth = 1;
}

void hv_lock_exit(void)
{
    if (!hv_lock_held())
        return;
    if (--hv_lock_depth)
        return;
    hv_lock_owner = -1;
    if (__atomic_load_n(&hv_lock_waiters, __ATOMIC_ACQUIRE))
        __atomic_store_n(&hv_lock_handoff, true, __ATOMIC_RELEASE);
    spin_unlock(&hv_lock);
}

void hv_lock_exit_to_guest(const struct cpu_regs *regs)
{
    if ((regs->cs & 3) == 3)
        hv_lock_exit();
}

/* Drop every level: the stack below is being abandoned. */
void hv_lock_exit_all(void)
{
    if (!hv_lock_held())
        return;
    hv_lock_depth = 1;
    hv_lock_exit();
}

unsigned int hv_lock_depth_now(void)
{
    return hv_lock_held() ? hv_lock_depth : 0;
}
