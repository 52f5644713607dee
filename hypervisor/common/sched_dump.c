/*
 * What the scheduler shows the operator: the 'r' debug key (each CPU's
 * runner and each vCPU's place, credit and latencies), and the
 * per-vCPU latency figures the toolstack reads (sched_vcpu_stats).
 * The latencies are what a guest "cannot explain": the time from an
 * event waking a vCPU to its first instruction, and each stretch it was
 * runnable but waited for a CPU.
 */
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "common/debug_keys.h"
#include "common/domain.h"
#include "common/scheduler.h"
#include "lib/printk.h"

static const char *state_name(enum c2_state st)
{
    switch (st) {
    case C2_RUNNING:  return "running";
    case C2_RUNNABLE: return "runnable";
    case C2_BLOCKED:  return "blocked";
    default:          return "offline";
    }
}

void sched_vcpu_stats(const struct vcpu *v, struct sched_vcpu_stats *st)
{
    const struct c2_vcpu *c = &v->sched;

    *st = (struct sched_vcpu_stats){
        .state = c->state, .cpu = v->processor, .credit = c->credit, .run_ns = c->run_ns,
        .wake_count = c->wake_latency.count, .wake_max_ns = c->wake_latency.max,
        .wake_p50_ns = c2_hist_percentile(&c->wake_latency, 50),
        .wake_p99_ns = c2_hist_percentile(&c->wake_latency, 99),
        .wait_count = c->wait_time.count, .wait_total_ns = c->wait_time.sum,
        .wait_max_ns = c->wait_time.max,
        .wait_p50_ns = c2_hist_percentile(&c->wait_time, 50),
        .wait_p99_ns = c2_hist_percentile(&c->wait_time, 99),
    };
}

static bool dump_domain(struct domain *d, void *ctx)
{
    (void)ctx;
    printk(LOG_INFO, "  d%u: weight %u cap %u%s", d->domid, d->sched.weight, d->sched.cap,
           d->pause_count ? " (paused)" : "");
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        struct sched_vcpu_stats st;
        if (!v)
            continue;
        sched_vcpu_stats(v, &st);
        printk(LOG_INFO, "    " VCPU_FMT " %-8s cpu %u credit %ld hard %#lx soft %#lx",
               VCPU_ARGS(v), state_name(v->sched.state), st.cpu, (long)st.credit,
               v->sched.hard_affinity, v->sched.soft_affinity);
        printk(LOG_INFO, "      wake-to-run: %lu wakes, p50 %lu us, p99 %lu us, max %lu us; "
               "waited %lu times, p50 %lu us, p99 %lu us, max %lu us",
               st.wake_count, st.wake_p50_ns / 1000, st.wake_p99_ns / 1000,
               st.wake_max_ns / 1000, st.wait_count, st.wait_p50_ns / 1000,
               st.wait_p99_ns / 1000, st.wait_max_ns / 1000);
    }
    return true;
}

void dump_run_queues(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    (void)regs;
    printk(LOG_INFO, "Scheduler: credit2, %u CPU%s, rate limit %u us", sched_cpus(),
           sched_cpus() == 1 ? "" : "s", sched_ratelimit_us());
    for (unsigned int c = 0; c < sched_cpus(); c++) {
        const struct vcpu *cur = percpu_area[c].curr;
        if (cur)
            printk(LOG_INFO, "CPU%u: current " VCPU_FMT ", %lu switches, idle %lu ms", c,
                   VCPU_ARGS(cur), sched_cpu_switches(c), sched_cpu_idle_ns(c) / 1000000);
        else
            printk(LOG_INFO, "CPU%u: idle, %lu switches, idle %lu ms", c,
                   sched_cpu_switches(c), sched_cpu_idle_ns(c) / 1000000);
    }
    /* One runqueue for all CPUs (one socket, as Credit2 groups them). */
    printk(LOG_INFO, "CPU0 run queue (shared by CPUs 0-%u): every domain's vCPUs", sched_cpus() - 1);
    domain_for_each(dump_domain, NULL);
}
