/*
 * Domains and vCPUs: creation, the running vCPU, and how a domain stops
 * (its own shutdown request, or a crash the guest caused).
 */
#include <stdarg.h>
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/power.h"
#include "arch/x86/traps.h"
#include "common/domain.h"
#include "common/grant_domain.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "mm/xmalloc.h"
#include "public/sched.h"

void set_current_vcpu(struct vcpu *v)
{
    this_cpu()->curr = v;
}

struct cpu_regs *guest_regs(void)
{
    return (struct cpu_regs *)(guest_entry_stack_top() - sizeof(struct cpu_regs));
}

struct cpu_regs *guest_regs_of_cpu(unsigned int cpu)
{
    return (struct cpu_regs *)(percpu_stack_top(cpu) - sizeof(struct cpu_regs));
}

static struct domain *domain_list;

struct domain *domain_find(uint16_t domid)
{
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->domid == domid)
            return d;
    return NULL;
}

struct domain *domain_find_or_self(uint16_t domid)
{
    if (domid == DOMID_SELF)
        return current_vcpu() ? current_vcpu()->domain : NULL;
    return domain_find(domid);
}

void domain_for_each(bool (*visit)(struct domain *d, void *ctx), void *ctx)
{
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (!visit(d, ctx))
            return;
}

/* Keep creation order: dom0 first. */
static void domain_register(struct domain *d)
{
    struct domain **link = &domain_list;

    while (*link)
        link = &(*link)->next_in_list;
    *link = d;
}

struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus,
                             int32_t max_grant_frames, int32_t max_maptrack_frames)
{
    if (domain_find(domid)) {
        printk(LOG_ERR, "d%u: cannot create: a domain with that id exists", domid);
        return NULL;
    }
    if (nr_vcpus == 0 || nr_vcpus > MAX_VCPUS_PER_DOMAIN) {
        printk(LOG_ERR, "d%u: cannot create with %u vCPUs (1 to %u supported)",
               domid, nr_vcpus, MAX_VCPUS_PER_DOMAIN);
        return NULL;
    }
    struct domain *d = xzalloc(sizeof(*d));
    if (!d)
        goto nomem;
    static uint64_t creations;
    d->domid = domid;
    d->serial = ++creations;
    d->privileged = privileged;
    d->is_initial = domid == 0;
    d->shutdown_code = SHUTDOWN_CODE_INVALID;
    d->max_vcpus = nr_vcpus;
    d->nr_vcpus = domid == 0 ? nr_vcpus : 0;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = xzalloc(sizeof(*v));
        if (!v) {
            for (unsigned int j = 0; j < i; j++)
                xfree(d->vcpus[j]);
            xfree(d);
            goto nomem;
        }
        v->vcpu_id = i;
        v->domain = d;
        v->kernel_mode = true;
        /* dom0's vCPU 0 gets its context from the builder; the others
         * stay down until the guest gives them one (VCPUOP_initialise,
         * VCPUOP_up), and a domU's vCPUs until the toolstack does. */
        v->initialised = i == 0 && domid == 0;
        v->ev.down = !v->initialised;
        pv_ops->vcpu_init(v);
        d->vcpus[i] = v;
    }
    pv_ops->domain_init(d);
    if (grant_domain_init(d, max_grant_frames, max_maptrack_frames)) {
        for (unsigned int i = 0; i < nr_vcpus; i++)
            xfree(d->vcpus[i]);
        xfree(d);
        return NULL;
    }
    /* Last: from here the scheduler holds the vCPUs (domain_free lets go). */
    sched_domain_init(d);
    for (unsigned int i = 0; i < nr_vcpus; i++)
        sched_vcpu_init(d->vcpus[i]);
    domain_register(d);
    return d;

nomem:
    printk(LOG_ERR, "d%u: out of memory creating the domain", domid);
    return NULL;
}

void domain_free(struct domain *d)
{
    for (struct domain **link = &domain_list; *link; link = &(*link)->next_in_list)
        if (*link == d) {
            *link = d->next_in_list;
            break;
        }
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        sched_vcpu_remove(d->vcpus[i]);
        xfree(d->vcpus[i]);
    }
    xfree(d);
}

void show_guest_registers(const struct vcpu *v, const struct cpu_regs *regs)
{
    printk(LOG_ERR, "----[ Subfloor  " VCPU_FMT " in %s mode ]----", VCPU_ARGS(v),
           v->kernel_mode ? "kernel" : "user");
    printk(LOG_ERR, "RIP:    %04lx:[<%016lx>]", regs->cs, regs->rip);
    printk(LOG_ERR, "RFLAGS: %016lx   CONTEXT: pv guest (" VCPU_FMT ")",
           regs->rflags, VCPU_ARGS(v));
    show_gprs(regs);
    printk(LOG_ERR, "r15: %016lx   cr2: %016lx   cr3: %016lx",
           regs->r15, v->last_fault_addr, read_cr3());
    printk(LOG_ERR, "fsb: %016lx   gsb: %016lx   gss: %016lx",
           v->fs_base, v->gs_base_kernel, v->gs_base_user);
    printk(LOG_ERR, "ss: %04lx   cs: %04lx", regs->ss, regs->cs);
}

static bool teardown_audit;

void domain_set_teardown_audit(bool on)
{
    teardown_audit = on;
}

void domain_stopped_teardown(struct domain *d)
{
    static bool done;

    if (!teardown_audit || done || !pv_ops->domain_teardown)
        return;
    done = true;        /* a crash inside the teardown must not recurse */
    pv_ops->domain_teardown(d);
}

/* Only dom0 exists: when it stops, the machine follows, as on Xen. */
static __attribute__((noreturn)) void hardware_domain_stopped(struct domain *d,
                                                              unsigned int reason)
{
    domain_stopped_teardown(d);
    switch (reason) {
    case SHUTDOWN_poweroff:
        printk(LOG_ERR, "Hardware Dom0 halted: powering off machine");
        machine_power_off();
    case SHUTDOWN_reboot:
        printk(LOG_ERR, "Hardware Dom0 shutdown: rebooting machine");
        machine_restart();
    default:
        printk(LOG_ERR, "Hardware Dom0 crashed: stopping machine");
        machine_stop_after_panic();
    }
}

static const char *shutdown_reason_name(unsigned int reason)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
    };
    return reason <= SHUTDOWN_MAX ? names[reason] : "unknown";
}

/* Every privileged domain but d hears that d stopped (xenstored turns it
 * into @releaseDomain). */
static bool tell_privileged(struct domain *other, void *ctx)
{
    if (other != ctx && other->privileged)
        domain_raise_global_virq(other, VIRQ_DOM_EXC);
    return true;
}

void domain_announce_exception(struct domain *d)
{
    domain_for_each(tell_privileged, d);
}

/*
 * As Xen: the first code recorded (SCHEDOP_shutdown_code, or this
 * reason) is the one the toolstack reads, and the one that counts.  dom0
 * takes the machine with it; any other domain stops alone: its vCPUs
 * leave their CPUs (each on its next way out) and stay off them until
 * destroyed, and dom0 hears of it.  A second request changes nothing.
 */
void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->shutdown_code == SHUTDOWN_CODE_INVALID)
        d->shutdown_code = (uint8_t)reason;
    reason = d->shutdown_code;
    if (d->is_initial) {
        local_irq_disable();
        d->is_shutting_down = true;
        d->shutdown_reason = reason;
        printk(LOG_INFO, "d%u: shutdown requested: reason %u (%s)", d->domid, reason,
               shutdown_reason_name(reason));
        if (reason == SHUTDOWN_crash && current_vcpu() && current_vcpu()->domain == d)
            show_guest_registers(current_vcpu(), guest_regs());
        /* Whatever dom0 asks, the machine does.  A suspend or watchdog
         * request of dom0 has nothing to resume it. */
        hardware_domain_stopped(d, reason);
    }
    if (d->is_shutting_down)
        return;
    d->is_shutting_down = true;
    d->shutdown_reason = reason;
    printk(LOG_INFO, "d%u: shut down: reason %u (%s)", d->domid, reason,
           shutdown_reason_name(reason));
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_update(d->vcpus[i]);
    domain_announce_exception(d);
}

void domain_crash_at(const char *file, int line, struct vcpu *v, const char *fmt, ...)
{
    struct domain *d = v->domain;
    char why[256];
    va_list ap;

    local_irq_disable();
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (d->is_initial)
        console_start_emergency();
    printk(LOG_ERR, "domain_crash called from %s:%d", file, line);
    printk(LOG_ERR, VCPU_FMT " %s", VCPU_ARGS(v), why);
    if (!d->is_shutting_down) {
        printk(LOG_ERR, "Domain %u (vcpu#%u) crashed on cpu#%u:", d->domid, v->vcpu_id,
               smp_processor_id());
        show_guest_registers(v, guest_regs());
    }
    if (d->is_initial) {
        d->is_shutting_down = true;
        d->shutdown_reason = SHUTDOWN_crash;
        if (d->shutdown_code == SHUTDOWN_CODE_INVALID)
            d->shutdown_code = SHUTDOWN_crash;
        hardware_domain_stopped(d, SHUTDOWN_crash);
    }
    domain_shutdown(d, SHUTDOWN_crash);
    /* v is the vCPU this CPU runs: it goes no further into the guest. */
    sched_leave_current();
}
