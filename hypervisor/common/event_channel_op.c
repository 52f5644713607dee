/*
 * HYPERVISOR_event_channel_op: which argument struct each command takes
 * and which operation serves it.  Guest memory is not touched here; the
 * hypercall layer copies evtchn_op_arg_size(cmd) bytes in, calls
 * evtchn_do_op, and copies them back when asked (as Xen, only on success
 * of the commands that have out fields).
 */
#include "common/event_channel.h"

size_t evtchn_op_arg_size(unsigned int cmd)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_bind_pirq:        return sizeof(struct evtchn_bind_pirq);
    case EVTCHNOP_close:            return sizeof(struct evtchn_close);
    case EVTCHNOP_send:             return sizeof(struct evtchn_send);
    case EVTCHNOP_status:           return sizeof(struct evtchn_status);
    case EVTCHNOP_alloc_unbound:    return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_ipi:         return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_vcpu:        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:           return sizeof(struct evtchn_unmask);
    case EVTCHNOP_reset:            return sizeof(struct evtchn_reset);
    case EVTCHNOP_init_control:     return sizeof(struct evtchn_init_control);
    case EVTCHNOP_expand_array:     return sizeof(struct evtchn_expand_array);
    case EVTCHNOP_set_priority:     return sizeof(struct evtchn_set_priority);
    default:                        return 0;
    }
}

/* Priorities exist only in the FIFO ABI, which is not offered. */
static int set_priority(struct evtchn_domain *cur,
                        const struct evtchn_set_priority *op)
{
    if (!evtchn_lookup(cur, op->port))
        return -XEN_EINVAL;
    return -XEN_ENOSYS;
}

long evtchn_do_op(struct evtchn_domain *cur, unsigned int cmd, void *arg,
                  bool *copy_back)
{
    int rc;

    *copy_back = false;
    switch (cmd) {
    /* The ops with out fields: the caller copies the struct back on success. */
    case EVTCHNOP_alloc_unbound:    rc = evtchn_alloc_unbound(cur, arg); break;
    case EVTCHNOP_bind_interdomain: rc = evtchn_bind_interdomain(cur, arg); break;
    case EVTCHNOP_bind_virq:        rc = evtchn_bind_virq(cur, arg); break;
    case EVTCHNOP_bind_ipi:         rc = evtchn_bind_ipi(cur, arg); break;
    case EVTCHNOP_status:           rc = evtchn_status(cur, arg); break;
    case EVTCHNOP_close:
        return evtchn_close(cur, ((struct evtchn_close *)arg)->port, true);
    case EVTCHNOP_send:
        return evtchn_send(cur, ((struct evtchn_send *)arg)->port);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(cur, arg);
    case EVTCHNOP_unmask:
        return evtchn_unmask(cur, arg);
    case EVTCHNOP_reset:
        return evtchn_reset(cur, arg);
    case EVTCHNOP_bind_pirq:
        /* No domain is granted physical IRQs yet, so none may bind one. */
        return -XEN_EPERM;
    case EVTCHNOP_init_control:
    case EVTCHNOP_expand_array:
        /* What Xen built without FIFO support answers; Linux falls back to 2-level. */
        return -XEN_EOPNOTSUPP;
    case EVTCHNOP_set_priority:
        return set_priority(cur, arg);
    default:
        return -XEN_ENOSYS;
    }
    *copy_back = rc == 0;
    return rc;
}
