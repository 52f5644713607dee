/*
 * EVTCHNOP_* operations other than the VIRQ ones, on argument structs the
 * hypercall layer has already copied in.  Error codes and their order of
 * precedence are Xen 4.17's, because guests and libxenctrl branch on them.
 *
 * Permission follows Xen's default (dummy XSM) policy: a domain acts on
 * itself, a privileged (control) domain on any domain.
 */
#include "common/evtchn.h"

static struct evtchn_domain *resolve_domain(struct evtchn_domain *cur,
                                            domid_t dom)
{
    if (dom == DOMID_SELF || dom == cur->domid)
        return cur;
    if (dom >= DOMID_FIRST_RESERVED)
        return NULL;
    return cur->ops->find_domain(cur->owner, dom);
}

static bool may_act_on(const struct evtchn_domain *cur,
                       const struct evtchn_domain *target)
{
    return cur == target || cur->privileged;
}

static bool guest_usable(const struct evtchn *chn)
{
    return !chn->consumer_is_xen && chn->state != EVTCHN_FREE &&
           chn->state != EVTCHN_RESERVED;
}

int evtchn_alloc_unbound(struct evtchn_domain *cur,
                         struct evtchn_alloc_unbound *op)
{
    struct evtchn_domain *d = resolve_domain(cur, op->dom);
    struct evtchn *chn;
    int port;

    if (!d)
        return -XEN_ESRCH;
    port = evtchn_get_free_port(d);
    if (port < 0)
        return port;
    if (!may_act_on(cur, d))
        return -XEN_EPERM;

    chn = evtchn_port_claim(d, (evtchn_port_t)port, EVTCHN_UNBOUND);
    /* DOMID_SELF names the caller, even when allocating in another domain. */
    chn->remote_dom = op->remote_dom == DOMID_SELF ? cur->domid : op->remote_dom;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_alloc_unbound_xen(struct evtchn_domain *d, unsigned int vcpu,
                             domid_t remote_dom, evtchn_port_t *port_out)
{
    struct evtchn *chn;
    int port;

    if (vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    port = evtchn_get_free_port(d);
    if (port < 0)
        return port;
    chn = evtchn_port_claim(d, (evtchn_port_t)port, EVTCHN_UNBOUND);
    chn->consumer_is_xen = true;
    chn->notify_vcpu = vcpu;
    chn->remote_dom = remote_dom == DOMID_SELF ? d->domid : remote_dom;
    d->xen_ports++;
    *port_out = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_interdomain(struct evtchn_domain *cur,
                            struct evtchn_bind_interdomain *op)
{
    struct evtchn_domain *rd = resolve_domain(cur, op->remote_dom);
    struct evtchn *lchn, *rchn;
    int lport;

    if (!rd)
        return -XEN_ESRCH;
    lport = evtchn_get_free_port(cur);
    if (lport < 0)
        return lport;
    rchn = evtchn_lookup(rd, op->remote_port);
    if (!rchn || rchn->state != EVTCHN_UNBOUND ||
        rchn->remote_dom != cur->domid)
        return -XEN_EINVAL;

    lchn = evtchn_port_claim(cur, (evtchn_port_t)lport, EVTCHN_INTERDOMAIN);
    lchn->remote_dom = rd->domid;
    lchn->u.remote_port = op->remote_port;
    rchn->state = EVTCHN_INTERDOMAIN;
    rchn->remote_dom = cur->domid;
    rchn->u.remote_port = (evtchn_port_t)lport;

    /* Sends to the unbound end were dropped; make up for any we lost. */
    evtchn_2l_set_pending(cur, lchn->notify_vcpu, (evtchn_port_t)lport);
    op->local_port = (evtchn_port_t)lport;
    return 0;
}

int evtchn_bind_ipi(struct evtchn_domain *cur, struct evtchn_bind_ipi *op)
{
    struct evtchn *chn;
    int port;

    if (op->vcpu >= cur->nr_vcpus)
        return -XEN_ENOENT;
    port = evtchn_get_free_port(cur);
    if (port < 0)
        return port;
    chn = evtchn_port_claim(cur, (evtchn_port_t)port, EVTCHN_IPI);
    chn->notify_vcpu = op->vcpu;
    op->port = (evtchn_port_t)port;
    return 0;
}

/* The peer of a closing interdomain port goes back to waiting for us. */
static void unbind_peer(struct evtchn_domain *d, const struct evtchn *chn,
                        evtchn_port_t port)
{
    struct evtchn_domain *rd = resolve_domain(d, chn->remote_dom);
    struct evtchn *rchn = rd ? evtchn_lookup(rd, chn->u.remote_port) : NULL;

    if (!rchn || rchn->state != EVTCHN_INTERDOMAIN ||
        rchn->remote_dom != d->domid || rchn->u.remote_port != port)
        return;
    rchn->state = EVTCHN_UNBOUND;
    rchn->u.remote_port = 0;
}

int evtchn_close(struct evtchn_domain *d, evtchn_port_t port, bool by_guest)
{
    struct evtchn *chn = evtchn_lookup(d, port);
    evtchn_port_t *slot;

    if (!chn)
        return -XEN_EINVAL;
    if (chn->consumer_is_xen && by_guest)
        return -XEN_EINVAL;

    switch (chn->state) {
    case EVTCHN_FREE:
    case EVTCHN_RESERVED:
        return -XEN_EINVAL;
    case EVTCHN_VIRQ:
        slot = evtchn_virq_slot(d, evtchn_virq_is_global(chn->u.virq) ?
                                   0 : chn->notify_vcpu, chn->u.virq);
        if (slot && *slot == port)
            *slot = 0;
        break;
    case EVTCHN_INTERDOMAIN:
        unbind_peer(d, chn, port);
        break;
    default:
        break;
    }
    evtchn_port_free(d, port);
    return 0;
}

int evtchn_send(struct evtchn_domain *cur, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_lookup(cur, port);
    struct evtchn_domain *rd;

    if (!chn || chn->consumer_is_xen)
        return -XEN_EINVAL;

    switch (chn->state) {
    case EVTCHN_INTERDOMAIN:
        rd = resolve_domain(cur, chn->remote_dom);
        if (!rd)
            return -XEN_EINVAL;
        evtchn_notify_port(rd, chn->u.remote_port);
        return 0;
    case EVTCHN_IPI:
        evtchn_2l_set_pending(cur, chn->notify_vcpu, port);
        return 0;
    case EVTCHN_UNBOUND:
        /* Nobody is listening yet: Xen drops it and reports success. */
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *op)
{
    struct evtchn_domain *d = resolve_domain(cur, op->dom);
    const struct evtchn *chn;

    if (!d)
        return -XEN_ESRCH;
    chn = evtchn_lookup(d, op->port);
    if (!chn)
        return -XEN_EINVAL;
    if (chn->consumer_is_xen)
        return -XEN_EACCES;
    if (!may_act_on(cur, d))
        return -XEN_EPERM;

    switch (chn->state) {
    case EVTCHN_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->remote_dom;
        break;
    case EVTCHN_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->remote_dom;
        op->u.interdomain.port = chn->u.remote_port;
        break;
    case EVTCHN_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        op->u.pirq = chn->u.pirq;
        break;
    case EVTCHN_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->u.virq;
        break;
    case EVTCHN_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default:
        op->status = EVTCHNSTAT_closed;
        break;
    }
    op->vcpu = chn->notify_vcpu;
    return 0;
}

int evtchn_bind_vcpu(struct evtchn_domain *cur,
                     const struct evtchn_bind_vcpu *op)
{
    struct evtchn *chn;

    if (op->vcpu >= cur->nr_vcpus)
        return -XEN_ENOENT;
    chn = evtchn_lookup(cur, op->port);
    if (!chn || chn->consumer_is_xen)
        return -XEN_EINVAL;

    switch (chn->state) {
    case EVTCHN_VIRQ:
        /* A per-vCPU VIRQ belongs to its vCPU; only global ones move. */
        if (!evtchn_virq_is_global(chn->u.virq))
            return -XEN_EINVAL;
        break;
    case EVTCHN_UNBOUND:
    case EVTCHN_INTERDOMAIN:
    case EVTCHN_PIRQ:
        break;
    default:
        return -XEN_EINVAL;
    }
    chn->notify_vcpu = op->vcpu;
    return 0;
}

int evtchn_unmask(struct evtchn_domain *cur, const struct evtchn_unmask *op)
{
    const struct evtchn *chn = evtchn_lookup(cur, op->port);

    if (!chn)
        return -XEN_EINVAL;
    if (guest_usable(chn))
        evtchn_2l_unmask(cur, chn->notify_vcpu, op->port);
    return 0;
}

int evtchn_reset(struct evtchn_domain *cur, const struct evtchn_reset *op)
{
    struct evtchn_domain *d = resolve_domain(cur, op->dom);
    unsigned int port;

    if (!d)
        return -XEN_ESRCH;
    if (!may_act_on(cur, d))
        return -XEN_EPERM;
    /* Another domain's ports may only be reset while its controller holds it paused. */
    if (d != cur && !(d->ops->paused_by_controller &&
                      d->ops->paused_by_controller(d->owner)))
        return -XEN_EINVAL;

    for (port = 1; port < d->valid_ports && d->active_ports > d->xen_ports;
         port++)
        (void)evtchn_close(d, port, true);
    return d->active_ports > d->xen_ports ? -XEN_EAGAIN : 0;
}
