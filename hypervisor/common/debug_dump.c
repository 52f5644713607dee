/*
 * The built-in debug-key dumps (debug_keys.h).  They run in interrupt
 * context on the only CPU, so they read state directly: nothing else can
 * change it while they print.  Everything goes through printk at
 * LOG_INFO or above so it lands in the log ring as well.
 */
#include <stddef.h>
#include "arch/x86/backtrace.h"
#include "arch/x86/time.h"
#include "arch/x86/traps.h"
#include "common/console_input.h"
#include "common/debug_keys.h"
#include "common/domain.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/frame_table.h"
#include "mm/heap.h"
#include "mm/page_info.h"
#include "mm/xmalloc.h"

static const char *runstate_name(int state)
{
    switch (state) {
    case RUNSTATE_running:  return "running";
    case RUNSTATE_runnable: return "runnable";
    case RUNSTATE_blocked:  return "blocked";
    case RUNSTATE_offline:  return "offline";
    default:                return "unknown";
    }
}

/* Where a vCPU's registers are: the entry frame while it is the one the
 * hypervisor runs for, its saved copy otherwise. */
static const struct cpu_regs *vcpu_frame(const struct vcpu *v)
{
    return v == current_vcpu() ? guest_regs() : &v->saved_regs;
}

static bool dump_vcpu_registers(struct domain *d, void *ctx)
{
    (void)ctx;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            show_guest_registers(d->vcpus[i], vcpu_frame(d->vcpus[i]));
    return true;
}

void dump_registers(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    printk(LOG_INFO, "*** Dumping CPU0 state ***");
    if (!regs)
        printk(LOG_INFO, "CPU0: interrupted frame not known");
    else if ((regs->cs & 3) == 3 && current_vcpu())
        printk(LOG_INFO, "CPU0 was running guest " VCPU_FMT " (its registers follow)",
               VCPU_ARGS(current_vcpu()));
    else {
        printk(LOG_INFO, "CPU0 was in the hypervisor:");
        show_registers(regs);
        backtrace_print(regs->rip, regs->rbp);
    }
    printk(LOG_INFO, "*** Dumping vCPU registers ***");
    domain_for_each(dump_vcpu_registers, NULL);
}

void dump_dom0_vcpu0(unsigned char key, const struct cpu_regs *regs)
{
    struct domain *d = domain_find(0);

    (void)key;
    (void)regs;
    if (!d || !d->nr_vcpus || !d->vcpus[0]) {
        printk(LOG_INFO, "no dom0 vCPU 0 to dump");
        return;
    }
    show_guest_registers(d->vcpus[0], vcpu_frame(d->vcpus[0]));
}

static bool dump_one_domain(struct domain *d, void *ctx)
{
    (void)ctx;
    printk(LOG_INFO, "General information for domain %u:", d->domid);
    printk(LOG_INFO, "    privileged=%d initial=%d shutting_down=%d shutdown_reason=%u",
           d->privileged, d->is_initial, d->is_shutting_down, d->shutdown_reason);
    printk(LOG_INFO, "    tot_pages=%lu max_pages=%lu shared_info mfn=%#lx vm_assist=%#lx",
           d->tot_pages, d->max_pages, d->shared_info_mfn, d->vm_assist);
    printk(LOG_INFO, "    event channels: %u in use (%u bound to the hypervisor), ports below %u valid",
           d->evtchn.active_ports, d->evtchn.xen_ports, d->evtchn.valid_ports);
    printk(LOG_INFO, "VCPU information and callbacks for domain %u:", d->domid);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        if (!v)
            continue;
        const struct vcpu_info *vi = v->vcpu_info;
        printk(LOG_INFO, "    VCPU%u: %s%s, %s mode, L4 mfn %#lx (user %#lx)",
               v->vcpu_id, runstate_name(v->ev.runstate.state),
               v == current_vcpu() ? " (current)" : "",
               v->kernel_mode ? "kernel" : "user", v->mm.guest_table, v->mm.guest_table_user);
        if (vi)
            printk(LOG_INFO, "    VCPU%u: upcall_pending=%u upcall_mask=%u pending_sel=%#lx",
                   v->vcpu_id, vi->evtchn_upcall_pending, vi->evtchn_upcall_mask,
                   vi->evtchn_pending_sel);
        printk(LOG_INFO, "    VCPU%u: event callback %#lx failsafe %#lx syscall %#lx",
               v->vcpu_id, v->callbacks[CB_EVENT].address,
               v->callbacks[CB_FAILSAFE].address, v->callbacks[CB_SYSCALL].address);
    }
    return true;
}

void dump_domains(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    (void)regs;
    printk(LOG_INFO, "*** Dumping domain information ***");
    domain_for_each(dump_one_domain, NULL);
}

static const char *evtchn_state_name(unsigned int state)
{
    static const char *const names[] = {
        [EVTCHN_FREE] = "free", [EVTCHN_RESERVED] = "reserved",
        [EVTCHN_UNBOUND] = "unbound", [EVTCHN_INTERDOMAIN] = "interdomain",
        [EVTCHN_VIRQ] = "virq", [EVTCHN_IPI] = "ipi", [EVTCHN_PIRQ] = "pirq",
    };
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

static bool dump_domain_ports(struct domain *d, void *ctx)
{
    const struct evtchn_domain *ed = &d->evtchn;

    (void)ctx;
    printk(LOG_INFO, "Event channel information for domain %u (%u in use):",
           d->domid, ed->active_ports);
    for (evtchn_port_t port = 1; port < ed->valid_ports; port++) {
        const struct evtchn *ch = evtchn_lookup(ed, port);
        if (!ch || ch->state == EVTCHN_FREE || ch->state == EVTCHN_RESERVED)
            continue;
        printk(LOG_INFO, "    %4u: vcpu %u pending=%d masked=%d %s%s remote_dom=%u extra=%u",
               port, ch->notify_vcpu, evtchn_2l_is_pending(ed, port),
               evtchn_2l_is_masked(ed, port), evtchn_state_name(ch->state),
               ch->consumer_is_xen ? " (xen)" : "", ch->remote_dom, ch->u.virq);
    }
    return true;
}

void dump_event_channels(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    (void)regs;
    domain_for_each(dump_domain_ports, NULL);
}

static void dump_frame_table(void)
{
    uint64_t n = frame_table_nr_frames();
    uint64_t free = 0, reserved = 0, xen = 0, guest = 0, other = 0;
    uint64_t by_type[8] = { 0 };

    for (uint64_t pfn = 0; pfn < n; pfn++) {
        const struct page_info *pg = &frame_table[pfn];
        if (pg->count_info & PGC_free)
            free++;
        else if (pg->count_info & PGC_reserved)
            reserved++;
        else if (pg->owner == FRAME_OWNER_XEN)
            xen++;
        else if (pg->owner < DOMID_FIRST_RESERVED) {
            guest++;
            by_type[(pg->type_info & PGT_TYPE_MASK) >> PGT_TYPE_SHIFT & 7]++;
        } else
            other++;
    }
    printk(LOG_INFO, "Frame table: %lu frames: %lu free, %lu reserved, %lu hypervisor, %lu guest, %lu other",
           n, free, reserved, xen, guest, other);
    printk(LOG_INFO, "    guest frames by type: none %lu, L1 %lu, L2 %lu, L3 %lu, L4 %lu, seg_desc %lu, writable %lu",
           by_type[0], by_type[1], by_type[2], by_type[3], by_type[4], by_type[5], by_type[7]);
}

void dump_memory(unsigned char key, const struct cpu_regs *regs)
{
    const struct buddy *b = frame_table_buddy();
    struct heap_stats hs;

    (void)key;
    (void)regs;
    printk(LOG_INFO, "Physical memory: %lu of %lu frames free (%lu MiB)",
           b->free_frames, b->total_frames, b->free_frames >> 8);
    for (unsigned int order = 0; order <= BUDDY_MAX_ORDER; order++)
        if (b->free_blocks[order])
            printk(LOG_INFO, "    order %2u: %lu free blocks (%lu KiB)", order,
                   b->free_blocks[order], b->free_blocks[order] << (order + 2));
    printk(LOG_INFO, "    free lists %s", buddy_check(b) ? "consistent" : "INCONSISTENT");
    dump_frame_table();
    xmalloc_stats(&hs);
    printk(LOG_INFO, "Heap: %lu allocations in use, %lu bytes, %lu pages; %lu failed allocations, %lu bad frees",
           hs.allocs_in_use, hs.bytes_in_use, hs.pages_in_use, hs.failed_allocs, hs.bad_frees);
}

static bool dump_domain_time(struct domain *d, void *ctx)
{
    (void)ctx;
    if (d->shared_info)
        printk(LOG_INFO, "d%u: wallclock at boot %u.%09u s (version %u)", d->domid,
               d->shared_info->wc_sec, d->shared_info->wc_nsec, d->shared_info->wc_version);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        if (!v)
            continue;
        if (v->vcpu_info) {
            const struct vcpu_time_info *t = &v->vcpu_info->time;
            printk(LOG_INFO, "  " VCPU_FMT ": time version %u system_time %lu ns at tsc %lu (mul %u shift %d)",
                   VCPU_ARGS(v), t->version, t->system_time, t->tsc_timestamp,
                   t->tsc_to_system_mul, t->tsc_shift);
        }
        printk(LOG_INFO, "  " VCPU_FMT ": singleshot deadline %lu ns, periodic period %lu ns next %lu ns",
               VCPU_ARGS(v), v->ev.singleshot_deadline, v->ev.periodic_period,
               v->ev.periodic_next);
    }
    return true;
}

void dump_time(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    (void)regs;
    printk(LOG_INFO, "Subfloor time: %lu ns since boot, %lu ticks at %u Hz, TSC %lu kHz",
           time_now_ns(), time_ticks(), TICK_HZ, tsc_khz());
    domain_for_each(dump_domain_time, NULL);
}
