/*
 * Per-vCPU timers in the domain's system time: the singleshot timer
 * (VCPUOP_set_singleshot_timer, set_timer_op) and the periodic one Xen
 * starts every vCPU with (10 ms until VCPUOP_stop_periodic_timer).  Both
 * raise VIRQ_TIMER.
 *
 * The earliest deadline of every vCPU, running or waiting, arms a CPU's
 * one-shot timer (sched_program_timer); its interrupt fires what is due
 * (a waiting vCPU is woken by its timer).  A deadline already past fires
 * before the hypercall that set it returns.
 */
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/xen.h"

/* Refresh the pvclock records about once a second, as Xen does. */
#define TIME_REFRESH_NS 1000000000ull

/* set_timer_op: a deadline this far ahead is a wrapped guest value. */
#define SET_TIMER_MAX_AHEAD_NS (1ull << 50)
#define SET_TIMER_FALLBACK_NS  100000000ull

static uint64_t last_refresh_ns[NR_CPUS];     /* per CPU: its vCPU's */

void vtimer_vcpu_init(struct vcpu *v)
{
    v->ev.singleshot_deadline = 0;
    v->ev.periodic_period = VTIMER_DEFAULT_PERIOD_NS;
    v->ev.periodic_next = domain_now_ns(v->domain) + VTIMER_DEFAULT_PERIOD_NS;
}

bool vtimer_passed(uint64_t deadline, uint64_t now)
{
    return (int64_t)deadline <= (int64_t)now;
}

static void run_due(struct vcpu *v, uint64_t now)
{
    bool fire = false;

    if (v->ev.singleshot_deadline && vtimer_passed(v->ev.singleshot_deadline, now)) {
        v->ev.singleshot_deadline = 0;
        fire = true;
    }
    if (v->ev.periodic_period && vtimer_passed(v->ev.periodic_next, now)) {
        /* Skip the periods missed while nobody looked: one event for them. */
        uint64_t behind = now - v->ev.periodic_next;
        v->ev.periodic_next += (behind / v->ev.periodic_period + 1) * v->ev.periodic_period;
        fire = true;
    }
    if (fire)
        vcpu_raise_virq(v, VIRQ_TIMER);
}

void vtimer_run_due(void)
{
    struct vcpu *v = current_vcpu();

    if (v && !v->domain->is_shutting_down)
        run_due(v, domain_now_ns(v->domain));
}

void vtimer_set_singleshot(struct vcpu *v, uint64_t deadline_ns)
{
    /* 0 means "not armed" here; a deadline of 0 is long past anyway. */
    v->ev.singleshot_deadline = deadline_ns ? deadline_ns : 1;
    run_due(v, domain_now_ns(v->domain));
    sched_program_timer();
}

void vtimer_stop_singleshot(struct vcpu *v)
{
    v->ev.singleshot_deadline = 0;
}

void vtimer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    v->ev.periodic_period = period_ns;
    if (period_ns)
        v->ev.periodic_next = domain_now_ns(v->domain) + period_ns;
    sched_program_timer();
}

static bool run_domain_timers(struct domain *d, void *ctx)
{
    (void)ctx;
    if (d->is_shutting_down)
        return true;
    uint64_t now = domain_now_ns(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (!v || !v->initialised || v->ev.down)
            continue;
        run_due(v, now);
        vcpu_poll_timeout(v, now);
    }
    return true;
}

struct earliest {
    uint64_t now;           /* the hypervisor's clock */
    uint64_t at;
    unsigned int cpu;       /* only the vCPUs that run or last ran there */
};

static void consider(struct earliest *e, const struct domain *d, uint64_t dom_now,
                     uint64_t deadline)
{
    (void)d;
    if (!deadline)
        return;
    /* Due by the test run_due makes (a deadline past in Xen's signed
     * terms, such as ~0, is due now); otherwise as far ahead, saturated. */
    uint64_t at = e->now;
    if (!vtimer_passed(deadline, dom_now)) {
        uint64_t ahead = deadline - dom_now;
        at = ahead > UINT64_MAX - e->now ? UINT64_MAX : e->now + ahead;
    }
    if (at < e->at)
        e->at = at;
}

static bool earliest_of_domain(struct domain *d, void *ctx)
{
    struct earliest *e = ctx;

    if (d->is_shutting_down)
        return true;
    uint64_t dom_now = domain_now_ns(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        if (!v || !v->initialised || v->ev.down || v->processor != e->cpu)
            continue;
        consider(e, d, dom_now, v->ev.singleshot_deadline);
        if (v->ev.periodic_period)
            consider(e, d, dom_now, v->ev.periodic_next);
        if (v->ev.polling)
            consider(e, d, dom_now, v->ev.poll_deadline);
    }
    return true;
}

uint64_t vtimer_next_deadline(unsigned int cpu)
{
    struct earliest e = { .now = time_now_ns(), .at = UINT64_MAX, .cpu = cpu };

    domain_for_each(earliest_of_domain, &e);
    return e.at;
}

/* Every vCPU's timers, running or waiting: a due one raises VIRQ_TIMER,
 * which wakes a waiting vCPU. */
void vtimer_run_all_due(void)
{
    domain_for_each(run_domain_timers, NULL);
}

void pv_time_tick(void)
{
    vtimer_run_all_due();
    sched_tick();
    struct vcpu *v = current_vcpu();
    if (v && !v->domain->is_shutting_down) {
        uint64_t now = domain_now_ns(v->domain);
        uint64_t *last = &last_refresh_ns[smp_processor_id()];
        if (now - *last >= TIME_REFRESH_NS) {
            *last = now;
            vcpu_time_publish(v);
        }
    }
    sched_program_timer();
}

/*
 * The legacy one-shot timer: 0 stops it.  As Xen does, a deadline that
 * is negative or more than 2^50 ns (13 days) ahead is taken for a guest's
 * wrapped arithmetic and replaced by "in 100 ms", so the guest neither
 * waits forever nor spins on an immediate timer.
 */
long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current_vcpu();
    uint64_t now = domain_now_ns(v->domain);

    if (timeout == 0) {
        vtimer_stop_singleshot(v);
        return 0;
    }
    if ((int64_t)timeout < 0 ||
        (timeout > now && timeout - now >= SET_TIMER_MAX_AHEAD_NS))
        timeout = now + SET_TIMER_FALLBACK_NS;
    vtimer_set_singleshot(v, timeout);
    return 0;
}
