/*
 * vCPU placement, the start of a vCPU on its CPU, kicks across CPUs
 * and the hypervisor lock; see scheduler.h.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_stop.h"
#include "arch/x86/ipi.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "arch/x86/tlbflush.h"
#include "common/domain.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "lib/spinlock.h"
#include "public/errno.h"


static spinlock_t hv_lock = SPINLOCK_INIT;
static volatile int hv_lock_owner = -1;
static unsigned int hv_lock_depth;          /* only the owner touches it */
/* CPUs spinning for the lock, and whether the last release saw one. */
static unsigned int hv_lock_waiters;
static bool hv_lock_handoff;

/* A vCPU handed to an idle CPU, which picks it up in sched_idle(). */
static struct vcpu *volatile start_request[NR_CPUS];

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

uint64_t sched_halt_poll_ns;

/* Time each CPU spent waiting in sched_halt_wait (its own CPU writes). */
static uint64_t idle_ns[NR_CPUS];

uint64_t sched_cpu_idle_ns(unsigned int cpu)
{
    return cpu < NR_CPUS ? idle_ns[cpu] : 0;
}

void sched_halt_wait(const volatile bool *kicked)
{
    /* Held once per level the wait is nested in; give it up entirely so
     * the other CPUs can work, and take the same depth back. */
    unsigned int depth = hv_lock_held() ? hv_lock_depth : 0;

    hv_lock_exit_all();
    /* A waker sets *kicked before its IPI: watching it for a moment saves
     * the halt and the wake-up of this CPU when the wait is short, as it
     * is for a dom0 process answering another one on the other vCPU. */
    bool woken = false;
    uint64_t idle_from = time_now_ns();
    if (kicked && sched_halt_poll_ns) {
        uint64_t until = time_now_ns() + sched_halt_poll_ns;
        while (!(woken = *kicked) && time_now_ns() < until)
            cpu_relax();
    }
    if (!woken)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    idle_ns[smp_processor_id()] += time_now_ns() - idle_from;
    for (unsigned int i = 0; i < depth; i++)
        hv_lock_enter();
}

unsigned int sched_place(const struct vcpu *v)
{
    return v->vcpu_id % NR_CPUS;
}

void sched_kick(struct vcpu *v)
{
    unsigned int cpu = v->processor;

    v->ev.kicked = true;
    if (cpu != smp_processor_id() && percpu_area[cpu].curr == v)
        ipi_kick(cpu);
}

long sched_vcpu_up(struct vcpu *v)
{
    unsigned int cpu = sched_place(v);

    if (cpu >= NR_CPUS || !percpu_area[cpu].online) {
        printk(LOG_ERR, VCPU_FMT ": its CPU%u is not online", VCPU_ARGS(v), cpu);
        return -XEN_EBUSY;
    }
    if (percpu_area[cpu].curr || start_request[cpu]) {
        printk(LOG_ERR, VCPU_FMT ": CPU%u already runs a vCPU (no time-slicing yet)",
               VCPU_ARGS(v), cpu);
        return -XEN_EBUSY;
    }
    v->processor = cpu;
    __atomic_store_n(&start_request[cpu], v, __ATOMIC_RELEASE);
    ipi_kick(cpu);
    return 0;
}

void sched_run_vcpu(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();

    local_irq_disable();
    v->processor = cpu;
    set_current_vcpu(v);
    vcpu_runstate_set(v, RUNSTATE_running);
    printk(LOG_INFO, VCPU_FMT ": running on CPU%u from %#lx (rsp %#lx)",
           VCPU_ARGS(v), cpu, v->saved_regs.rip, v->saved_regs.rsp);
    pv_ops->vcpu_enter(v);
}

void sched_idle(void)
{
    unsigned int cpu = smp_processor_id();

    hv_lock_exit_all();
    set_current_vcpu(NULL);
    for (;;) {
        local_irq_disable();
        struct vcpu *v = __atomic_exchange_n(&start_request[cpu], NULL, __ATOMIC_ACQ_REL);
        if (v) {
            hv_lock_enter();
            sched_run_vcpu(v);
        }
        uint64_t idle_from = time_now_ns();
        __asm__ volatile("sti; hlt" ::: "memory");
        /* Interrupts are on: this CPU's tick may count too; keep the sum
         * one writer's (its own CPU, interrupts off). */
        local_irq_disable();
        idle_ns[cpu] += time_now_ns() - idle_from;
    }
}

const struct pv_ops *pv_ops;

void pv_set_ops(const struct pv_ops *ops)
{
    pv_ops = ops;
}
