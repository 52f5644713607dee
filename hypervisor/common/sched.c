/*
 * The scheduler's mechanism: which vCPU each CPU runs, and the switch
 * between them.  The policy (who runs next, for how long) is credit2.c;
 * this file keeps its state consistent with the vCPUs' own (blocked,
 * down, paused) and carries out its decisions; see scheduler.h.
 *
 * As on Xen, a vCPU's whole state is its register frame plus what
 * pv_ops->vcpu_leave saves: a vCPU that blocks or is preempted finishes
 * its hypercall or trap first, and the switch happens on the way back to
 * the guest (sched_exit_check), so no hypervisor stack is kept for a
 * vCPU that does not run.  Everything here runs under the hypervisor
 * lock.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "arch/x86/tlbflush.h"
#include "common/domain.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "common/vcpu_events.h"
#include "lib/printk.h"
#include "public/errno.h"

static struct c2_sched policy;
static unsigned int sched_nr_cpus = 1;
/* Secondary CPUs idle before the policy exists: they wait for this. */
static volatile bool sched_ready;

/* Per CPU: the policy must be asked again at the next way out. */
static volatile bool need_resched[NR_CPUS];
/* Per CPU: until when the current decision holds (the tick checks it). */
static uint64_t decision_until[NR_CPUS];
/* Per CPU: ns spent halted with nothing to run (its own CPU writes). */
static uint64_t idle_ns[NR_CPUS];
static uint64_t nr_switches[NR_CPUS];

uint64_t sched_halt_poll_ns;

#define VCPU_OF(cv) ((struct vcpu *)((char *)(cv) - offsetof(struct vcpu, sched)))

void sched_init(unsigned int nr_cpus)
{
    sched_nr_cpus = nr_cpus ? nr_cpus : 1;
    c2_init(&policy, sched_nr_cpus, time_now_ns());
    for (unsigned int c = 0; c < NR_CPUS; c++)
        decision_until[c] = UINT64_MAX;
    __atomic_store_n(&sched_ready, true, __ATOMIC_RELEASE);
}

unsigned int sched_cpus(void)
{
    return sched_nr_cpus;
}

void sched_domain_init(struct domain *d)
{
    c2_dom_init(&d->sched);
}

void sched_vcpu_init(struct vcpu *v)
{
    c2_vcpu_init(&policy, &v->sched, &v->domain->sched, v->vcpu_id % sched_nr_cpus);
    v->processor = v->sched.cpu;
    v->ev.runstate.state = RUNSTATE_offline;
    v->ev.runstate.state_entry_time = domain_now_ns(v->domain);
}

/* cpu must ask the policy again; another CPU is interrupted to do so. */
static void tickle(int cpu)
{
    if (cpu < 0 || (unsigned int)cpu >= sched_nr_cpus)
        return;
    need_resched[cpu] = true;
    if ((unsigned int)cpu != smp_processor_id())
        ipi_kick((unsigned int)cpu);
}

/* CPUs the policy wants to look again besides the one it answered. */
static void tickle_asked(void)
{
    uint64_t cpus = c2_take_tickles(&policy);

    for (unsigned int c = 0; cpus && c < sched_nr_cpus; c++)
        if (cpus >> c & 1)
            tickle((int)c);
}

void sched_vcpu_remove(struct vcpu *v)
{
    c2_remove_vcpu(&policy, &v->sched);
    tickle_asked();
}

bool sched_vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->initialised && !v->ev.down && !v->blocked && !d->pause_count &&
           !d->is_shutting_down;
}

static int runstate_of(const struct vcpu *v)
{
    if (v->sched.state == C2_RUNNING)
        return RUNSTATE_running;
    if (v->sched.state == C2_RUNNABLE)
        return RUNSTATE_runnable;
    return v->blocked && !v->domain->pause_count ? RUNSTATE_blocked : RUNSTATE_offline;
}

void sched_update(struct vcpu *v)
{
    bool want = sched_vcpu_runnable(v);
    enum c2_state st = v->sched.state;
    uint64_t now = time_now_ns();

    if (want && (st == C2_OFFLINE || st == C2_BLOCKED)) {
        tickle(c2_wake(&policy, &v->sched, now));
        tickle_asked();
    } else if (!want && (st == C2_RUNNABLE || st == C2_RUNNING)) {
        bool stopped = v->ev.down || v->domain->pause_count || v->domain->is_shutting_down ||
                       !v->initialised;
        c2_sleep(&policy, &v->sched, stopped ? C2_OFFLINE : C2_BLOCKED, now);
        if (st == C2_RUNNING)
            tickle((int)v->sched.cpu);
        tickle_asked();
    }
    /* The running vCPU's record changes when it leaves its CPU. */
    if (percpu_area[v->processor].curr != v)
        vcpu_runstate_account(v, runstate_of(v));
}

void sched_kick(struct vcpu *v)
{
    unsigned int cpu = v->processor;

    if (v->blocked) {
        v->blocked = false;
        v->ev.polling = false;
        sched_update(v);
    } else if (cpu != smp_processor_id() && percpu_area[cpu].curr == v) {
        ipi_kick(cpu);      /* running there: its way out delivers the upcall */
    }
}

void sched_yield(struct vcpu *v)
{
    /* The policy decides again at the way out; v competes by its credit
     * like any other runnable vCPU. */
    tickle((int)v->processor);
}

void sched_block(struct vcpu *v)
{
    v->blocked = true;
    sched_update(v);
}

/* Housekeeping at least this often (the pvclock refresh, vtimer.c). */
#define SCHED_MAX_SLEEP_NS 1000000000ull

void sched_program_timer(void)
{
    unsigned int cpu = smp_processor_id();
    uint64_t next = time_now_ns() + SCHED_MAX_SLEEP_NS;
    uint64_t timers = vtimer_next_deadline(cpu);

    if (decision_until[cpu] < next)
        next = decision_until[cpu];
    if (timers < next)
        next = timers;
    time_set_next_event(next);
}

void sched_tick(void)
{
    unsigned int cpu = smp_processor_id();

    if (time_now_ns() >= decision_until[cpu])
        need_resched[cpu] = true;
}

/* Ask the policy what cpu runs after prev (NULL: idle). */
static struct vcpu *decide(unsigned int cpu, struct vcpu *prev)
{
    if (!__atomic_load_n(&sched_ready, __ATOMIC_ACQUIRE))
        return NULL;
    uint64_t now = time_now_ns();
    struct c2_decision dec = c2_schedule(&policy, cpu, prev ? &prev->sched : NULL, now);

    need_resched[cpu] = false;
    decision_until[cpu] = dec.until;
    tickle_asked();
    sched_program_timer();
    return dec.next ? VCPU_OF(dec.next) : NULL;
}

void sched_run_vcpu(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();

    local_irq_disable();
    v->processor = cpu;
    set_current_vcpu(v);
    vcpu_runstate_account(v, RUNSTATE_running);
    if (!v->has_run) {
        v->has_run = true;
        printk(LOG_INFO, VCPU_FMT ": running on CPU%u from %#lx (rsp %#lx)", VCPU_ARGS(v), cpu,
               v->saved_regs.rip, v->saved_regs.rsp);
    }
    /* Its timers are this CPU's to fire from now on. */
    sched_program_timer();
    nr_switches[cpu]++;
    pv_ops->vcpu_enter(v);
}

/* prev stops running on this CPU; its frame is regs, ready to go back. */
static void switch_out(struct vcpu *prev, const struct cpu_regs *regs)
{
    prev->saved_regs = *regs;
    pv_ops->vcpu_leave(prev);
    /* Its page tables are still loaded: the guest's record is reachable. */
    vcpu_runstate_set(prev, runstate_of(prev));
    set_current_vcpu(NULL);
}

void sched_exit_check(struct cpu_regs *regs)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = current_vcpu();

    if ((regs->cs & 3) != 3 || !prev || !need_resched[cpu])
        return;
    struct vcpu *next = decide(cpu, prev);
    if (next == prev)
        return;
    switch_out(prev, regs);
    if (next)
        sched_run_vcpu(next);
    sched_idle();
}

void sched_leave_current(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = current_vcpu();

    local_irq_disable();
    /* Whatever this entry nested into is abandoned with its stack. */
    while (hv_lock_depth_now() > 1)
        hv_lock_exit();
    struct vcpu *next = decide(cpu, prev);
    switch_out(prev, guest_regs());
    if (next && next != prev)
        sched_run_vcpu(next);
    sched_idle();
}

/* Nothing to run: no guest page tables or descriptors stay loaded, so
 * that frames freed meanwhile are not reachable from this CPU. */
static void go_idle(void)
{
    pv_ops->cpu_idle_enter();
    tlbflush_load_cr3(paging_hypervisor_cr3());
}

static void halt_until_work(unsigned int cpu)
{
    uint64_t idle_from = time_now_ns();

    if (sched_halt_poll_ns) {
        uint64_t until = idle_from + sched_halt_poll_ns;
        while (!need_resched[cpu] && time_now_ns() < until)
            cpu_relax();
    }
    if (!need_resched[cpu])
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    idle_ns[cpu] += time_now_ns() - idle_from;
}

void sched_idle(void)
{
    unsigned int cpu = smp_processor_id();

    local_irq_disable();
    if (!hv_lock_held())
        hv_lock_enter();
    set_current_vcpu(NULL);
    go_idle();
    hv_lock_exit_all();
    for (;;) {
        /* Every wake-up asks: a vCPU preempted elsewhere may be waiting
         * in the queue without anyone having told this CPU. */
        hv_lock_enter();
        struct vcpu *next = decide(cpu, NULL);
        if (next)
            sched_run_vcpu(next);
        hv_lock_exit();
        halt_until_work(cpu);
    }
}

void sched_start(struct vcpu *v)
{
    sched_update(v);
    struct vcpu *next = decide(smp_processor_id(), NULL);
    if (next)
        sched_run_vcpu(next);
    sched_idle();
}

uint64_t sched_cpu_idle_ns(unsigned int cpu)
{
    return cpu < NR_CPUS ? idle_ns[cpu] : 0;
}

uint64_t sched_cpu_switches(unsigned int cpu)
{
    return cpu < NR_CPUS ? nr_switches[cpu] : 0;
}

bool sched_vcpu_is_running(const struct vcpu *v)
{
    return percpu_area[v->processor].curr == v;
}

bool sched_domain_running(const struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] && sched_vcpu_is_running(d->vcpus[i]))
            return true;
    return false;
}

/*
 * Let the other CPUs take the lock until none runs one of d's vCPUs.
 * Meanwhile anything may happen to d: it is looked up again each time
 * (by id and creation serial, since the lookup is what proves the memory
 * still holds it), and the wait ends if it is gone or no longer paused.
 */
static void wait_descheduled(struct domain *d)
{
    unsigned int depth = hv_lock_depth_now();
    uint16_t domid = d->domid;
    uint64_t serial = d->serial;

    while (sched_domain_running(d)) {
        hv_lock_exit_all();
        cpu_relax();
        for (unsigned int i = 0; i < depth; i++)
            hv_lock_enter();
        d = domain_find(domid);
        if (!d || d->serial != serial || !d->pause_count)
            return;
    }
}

void sched_domain_pause_nosync(struct domain *d)
{
    d->pause_count++;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            sched_update(d->vcpus[i]);
}

void sched_domain_pause(struct domain *d)
{
    sched_domain_pause_nosync(d);
    if (!current_vcpu() || current_vcpu()->domain != d)
        wait_descheduled(d);
}

void sched_domain_unpause(struct domain *d)
{
    if (!d->pause_count)
        return;
    d->pause_count--;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            sched_update(d->vcpus[i]);
}

const struct pv_ops *pv_ops;

void pv_set_ops(const struct pv_ops *ops)
{
    pv_ops = ops;
}

long sched_set_domain_params(struct domain *d, unsigned int weight, unsigned int cap)
{
    /* Checked whole before anything changes; weight 0 keeps the weight. */
    if (cap > 100u * d->nr_vcpus)
        return -XEN_EINVAL;
    if (weight && c2_set_weight(&d->sched, weight))
        return -XEN_EINVAL;
    if (c2_set_cap(&policy, &d->sched, cap))
        return -XEN_EINVAL;
    tickle_asked();
    return 0;
}

long sched_set_affinity(struct vcpu *v, uint64_t hard, uint64_t soft)
{
    uint64_t online = sched_nr_cpus >= 64 ? ~0ull : (1ull << sched_nr_cpus) - 1;

    if (!(hard & online))
        return -XEN_EINVAL;
    if (c2_set_affinity(&policy, &v->sched, hard, soft))
        return -XEN_EINVAL;
    /* A runner on a CPU it may no longer use leaves it (the policy asks). */
    tickle_asked();
    return 0;
}

unsigned int sched_ratelimit_us(void)
{
    return (unsigned int)(policy.ratelimit_ns / 1000);
}

long sched_set_ratelimit_us(unsigned int us)
{
    return c2_set_ratelimit_us(&policy, us) ? -XEN_EINVAL : 0;
}
