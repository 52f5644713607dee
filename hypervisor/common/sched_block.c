/*
 * Waiting for events: SCHEDOP_block and SCHEDOP_poll, and the runstate
 * record that says where a vCPU's time went.
 *
 * There is one physical CPU and nothing else to run, so a blocked vCPU
 * waits right here, in its hypercall: halt with interrupts enabled, let
 * the tick fire timers (which raise VIRQ_TIMER and kick the vCPU), check
 * again.  Interrupts are off everywhere else in the hypervisor, so
 * nothing can change between the last check and the `sti; hlt` pair
 * (the instruction after sti runs before any interrupt is taken).
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

/* Xen's "fairly arbitrary" limit on SCHEDOP_poll's port list. */
#define POLL_MAX_PORTS 128

typedef bool (*wake_test_fn)(struct vcpu *v, void *ctx);

static void wait_for_wakeup(struct vcpu *v, wake_test_fn woken, void *ctx)
{
    vcpu_runstate_set(v, RUNSTATE_blocked);
    for (;;) {
        v->ev.kicked = false;
        vtimer_run_due();
        if (v->ev.kicked || woken(v, ctx))
            break;
        sched_halt_wait(&v->ev.kicked);
    }
    v->ev.kicked = false;
    vcpu_runstate_set(v, RUNSTATE_running);
    /* The guest may have slept long: give it a fresh pvclock sample. */
    vcpu_time_publish(v);
}

static bool block_woken(struct vcpu *v, void *ctx)
{
    (void)ctx;
    return vcpu_events_need_delivery(v);
}

/* Blocking implies enabling events: the guest calls it with them masked
 * (Linux's safe_halt) and the upcall runs on the way out. */
long vcpu_block(struct vcpu *v)
{
    v->vcpu_info->evtchn_upcall_mask = 0;
    __asm__ volatile("" ::: "memory");
    if (!vcpu_events_need_delivery(v))
        wait_for_wakeup(v, block_woken, NULL);
    return 0;
}

struct poll_wait {
    const evtchn_port_t *ports;
    unsigned int nr_ports;
    uint64_t deadline;
};

static bool any_port_pending(struct vcpu *v, const struct poll_wait *w)
{
    for (unsigned int i = 0; i < w->nr_ports; i++)
        if (evtchn_2l_is_pending(&v->domain->evtchn, w->ports[i]))
            return true;
    return false;
}

static bool poll_woken(struct vcpu *v, void *ctx)
{
    const struct poll_wait *w = ctx;

    if (w->deadline && domain_now_ns(v->domain) >= w->deadline)
        return true;
    return any_port_pending(v, w);
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
        if (evtchn_2l_is_pending(&v->domain->evtchn, ports[i]))
            return 0;
    }
    struct poll_wait w = { .ports = ports, .nr_ports = sp->nr_ports, .deadline = sp->timeout };
    wait_for_wakeup(v, poll_woken, &w);
    return 0;
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

void vcpu_runstate_set(struct vcpu *v, int state)
{
    struct vcpu_runstate_info *r = &v->ev.runstate;
    uint64_t now = domain_now_ns(v->domain);

    if ((unsigned int)r->state < 4 && now > r->state_entry_time)
        r->time[r->state] += now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
    vcpu_runstate_publish(v);
}
