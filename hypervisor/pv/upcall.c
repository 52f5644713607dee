/*
 * The event upcall, delivered on every way back to guest context (after
 * hypercalls, exceptions and interrupts alike): when the vCPU's live
 * vcpu_info says an event is pending and events are not masked, bounce to
 * the registered event callback with events masked, as an interrupt gate
 * would clear IF.  The guest unmasks in shared memory and makes a dummy
 * hypercall (Linux's xen_force_evtchn_callback) to get here.
 */
#include "common/domain.h"
#include "common/vcpu_events.h"
#include "pv/pv_traps.h"

static bool returning_to_guest(const struct cpu_regs *regs)
{
    return (regs->cs & 3) == 3;
}

void pv_exit_to_guest(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();

    if (!v || !returning_to_guest(regs) || !vcpu_events_need_delivery(v))
        return;
    uint64_t handler = v->callbacks[CB_EVENT].address;
    /* No callback yet: the event stays pending until there is one. */
    if (!handler)
        return;
    pv_bounce(v, regs, handler, TRAP_no_error_code, true);
}
