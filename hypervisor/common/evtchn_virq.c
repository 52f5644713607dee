/*
 * Virtual IRQs on event channels: binding (EVTCHNOP_bind_virq) and raising
 * them from the hypervisor.  A per-vCPU VIRQ (timer, debug, ...) has one
 * port per vCPU; a global VIRQ has one port per domain, recorded in vCPU
 * 0's table and bound on vCPU 0, though bind_vcpu may later move where it
 * is delivered.
 */
#include "common/evtchn.h"

int evtchn_bind_virq(struct evtchn_domain *cur, struct evtchn_bind_virq *op)
{
    evtchn_port_t *slot;
    struct evtchn *chn;
    int port;

    if (op->virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (evtchn_virq_is_global(op->virq) && op->vcpu != 0)
        return -XEN_EINVAL;
    slot = evtchn_virq_slot(cur, op->vcpu, op->virq);
    if (!slot)
        return -XEN_ENOENT;
    /* Linux relies on this to find a binding that survived kexec. */
    if (*slot)
        return -XEN_EEXIST;
    port = evtchn_get_free_port(cur);
    if (port < 0)
        return port;

    chn = evtchn_port_claim(cur, (evtchn_port_t)port, EVTCHN_VIRQ);
    chn->notify_vcpu = op->vcpu;
    chn->u.virq = op->virq;
    *slot = (evtchn_port_t)port;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_send_vcpu_virq(struct evtchn_domain *d, unsigned int vcpu,
                          uint32_t virq)
{
    evtchn_port_t *slot;

    if (virq >= NR_VIRQS || evtchn_virq_is_global(virq))
        return -XEN_EINVAL;
    slot = evtchn_virq_slot(d, vcpu, virq);
    if (!slot)
        return -XEN_EINVAL;
    if (*slot)
        evtchn_2l_set_pending(d, vcpu, *slot);
    return 0;
}

int evtchn_send_global_virq(struct evtchn_domain *d, uint32_t virq)
{
    evtchn_port_t *slot;
    const struct evtchn *chn;

    if (virq >= NR_VIRQS || !evtchn_virq_is_global(virq))
        return -XEN_EINVAL;
    slot = evtchn_virq_slot(d, 0, virq);
    if (!slot)
        return -XEN_EINVAL;
    if (!*slot)
        return 0;
    chn = evtchn_lookup(d, *slot);
    if (chn && chn->state == EVTCHN_VIRQ)
        evtchn_2l_set_pending(d, chn->notify_vcpu, *slot);
    return 0;
}

bool evtchn_virq_bound(struct evtchn_domain *d, unsigned int vcpu,
                       uint32_t virq)
{
    evtchn_port_t *slot;

    if (virq >= NR_VIRQS)
        return false;
    if (evtchn_virq_is_global(virq))
        vcpu = 0;
    slot = evtchn_virq_slot(d, vcpu, virq);
    return slot && *slot != 0;
}
