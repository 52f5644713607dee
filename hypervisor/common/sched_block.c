/*
 * Waiting for events: SCHEDOP_block and SCHEDOP_poll, and the runstate
 * record that says where a vCPU's time went.
 *
 * A waiting vCPU does not wait in the hypervisor: its hypercall returns
 * 0 at once, and the vCPU leaves its CPU on the way out (sched.c) until
 * an event wakes it (sched_kick), a port it polls becomes pending
 * (sched_port_pending) or its poll times out (sched_timers_run).  As on
 * Xen, the vCPU is marked waiting before the last look for an event, so
 * an event sent in between wakes it instead of being missed.
 */
#include <stddef.h>
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "common/domain.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/sched.h"

static void wake_if(struct vcpu *v, bool woken)
{
    if (woken && v->blocked)
        sched_kick(v);
}

/* Blocking implies enabling events: the guest calls it with them masked
 * (Linux's safe_halt) and the upcall runs on the way out. */
long vcpu_block(struct vcpu *v)
{
    v->vcpu_info->evtchn_upcall_mask = 0;
    __asm__ volatile("" ::: "memory");
    sched_block(v);
    wake_if(v, vcpu_events_need_delivery(v));
    return 0;
}

static bool any_port_pending(struct vcpu *v)
{
    for (unsigned int i = 0; i < v->ev.nr_poll_ports; i++)
        if (evtchn_2l_is_pending(&v->domain->evtchn, v->ev.poll_ports[i]))
            return true;
    return false;
}

long vcpu_poll(struct vcpu *v, const struct sched_poll *sp)
{
    guest_ptr_t ports_at;
    evtchn_port_t ports[POLL_MAX_PORTS];

    if (sp->nr_ports > POLL_MAX_PORTS)
        return -XEN_EINVAL;
    ports_at = guest_handle_ptr(sp->ports);
    if (!guest_range_ok(ports_at.va, (uint64_t)sp->nr_ports * sizeof(evtchn_port_t)))
        return -XEN_EFAULT;
    /* An upcall already due ends the poll before it starts. */
    if (vcpu_events_need_delivery(v))
        return 0;
    for (unsigned int i = 0; i < sp->nr_ports; i++) {
        if (copy_from_guest(&ports[i], guest_ptr_add(ports_at, i * sizeof(evtchn_port_t)),
                            sizeof(evtchn_port_t)))
            return -XEN_EFAULT;
        if (!evtchn_lookup(&v->domain->evtchn, ports[i]))
            return -XEN_EINVAL;
    }
    memcpy(v->ev.poll_ports, ports, sp->nr_ports * sizeof(evtchn_port_t));
    v->ev.nr_poll_ports = sp->nr_ports;
    v->ev.poll_deadline = sp->timeout;
    v->ev.polling = true;
    sched_block(v);
    if (sp->timeout)
        sched_program_timer();
    wake_if(v, vcpu_events_need_delivery(v) || any_port_pending(v) ||
                   (sp->timeout && vtimer_passed(sp->timeout, domain_now_ns(v->domain))));
    return 0;
}

void sched_port_pending(struct domain *d, evtchn_port_t port)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (!v || !v->ev.polling)
            continue;
        for (unsigned int p = 0; p < v->ev.nr_poll_ports; p++)
            if (v->ev.poll_ports[p] == port) {
                wake_if(v, true);
                break;
            }
    }
}

void vcpu_poll_timeout(struct vcpu *v, uint64_t now)
{
    wake_if(v, v->ev.polling && v->ev.poll_deadline && vtimer_passed(v->ev.poll_deadline, now));
}

/*
 * Copy the runstate to the guest's registered area.  With
 * VMASST_TYPE_runstate_update_flag the guest may read it while we write,
 * so XEN_RUNSTATE_UPDATE in state_entry_time brackets the update.  A
 * failed copy is ignored, as on Xen: the area is the guest's business.
 */
void vcpu_runstate_publish(struct vcpu *v)
{
    struct vcpu_runstate_info r = v->ev.runstate;
    guest_ptr_t area = v->ev.runstate_area;
    guest_ptr_t entry_at = guest_ptr_add(area, offsetof(struct vcpu_runstate_info, state_entry_time));

    if (!area.va || current_vcpu() != v)
        return;
    bool flagged = v->domain->vm_assist & (1ull << VMASST_TYPE_runstate_update_flag);
    if (flagged) {
        uint64_t busy = r.state_entry_time | XEN_RUNSTATE_UPDATE;
        if (copy_to_guest(entry_at, &busy, sizeof(busy)))
            return;
        __asm__ volatile("" ::: "memory");
        r.state_entry_time |= XEN_RUNSTATE_UPDATE;
    }
    if (copy_to_guest(area, &r, sizeof(r)))
        return;
    if (flagged) {
        __asm__ volatile("" ::: "memory");
        uint64_t done = v->ev.runstate.state_entry_time;
        copy_to_guest(entry_at, &done, sizeof(done));
    }
}

void vcpu_runstate_account(struct vcpu *v, int state)
{
    struct vcpu_runstate_info *r = &v->ev.runstate;
    uint64_t now = domain_now_ns(v->domain);

    if (r->state == state)
        return;
    if ((unsigned int)r->state < 4 && now > r->state_entry_time)
        r->time[r->state] += now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
}

void vcpu_runstate_set(struct vcpu *v, int state)
{
    vcpu_runstate_account(v, state);
    vcpu_runstate_publish(v);
}
