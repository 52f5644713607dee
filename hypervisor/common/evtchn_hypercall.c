/*
 * HYPERVISOR_event_channel_op: which argument struct each command takes,
 * which operation serves it, and what goes back.  Guest memory is not
 * touched here: the hypercall runs the row with guest_op_call (the host
 * tests drive the same table), which copies the struct in and, as Xen,
 * copies it back only on success of the commands that have out fields.
 */
#include "common/evtchn.h"
#include "common/guest_op.h"

static int close_by_guest(struct evtchn_domain *cur, struct evtchn_close *op)
{
    return evtchn_close(cur, op->port, true);
}

static int send(struct evtchn_domain *cur, struct evtchn_send *op)
{
    return evtchn_send(cur, op->port);
}

/* pirqs are the machine's interrupt lines, which the hypervisor's own
 * hook owns; without one no domain has physical IRQs to bind. */
static int bind_pirq(struct evtchn_domain *cur, struct evtchn_bind_pirq *op)
{
    return cur->ops->bind_pirq ? cur->ops->bind_pirq(cur->owner, op) : -XEN_EPERM;
}

/* What Xen built without FIFO support answers; Linux falls back to
 * 2-level. */
static int init_control(struct evtchn_domain *cur, struct evtchn_init_control *op)
{
    (void)cur;
    (void)op;
    return -XEN_EOPNOTSUPP;
}

static int expand_array(struct evtchn_domain *cur, struct evtchn_expand_array *op)
{
    (void)cur;
    (void)op;
    return -XEN_EOPNOTSUPP;
}

/* Priorities exist only in the FIFO ABI, which is not offered. */
static int set_priority(struct evtchn_domain *cur, struct evtchn_set_priority *op)
{
    if (!evtchn_lookup(cur, op->port))
        return -XEN_EINVAL;
    return -XEN_ENOSYS;
}

#define EVENT_CHANNEL_OPS(OP)                                                                   \
    OP(EVTCHNOP_bind_interdomain, OP_ANY, INOUT, struct evtchn_bind_interdomain,                \
       evtchn_bind_interdomain, 0)                                                              \
    OP(EVTCHNOP_bind_virq, OP_ANY, INOUT, struct evtchn_bind_virq, evtchn_bind_virq, 0)         \
    OP(EVTCHNOP_bind_pirq, OP_ANY, INOUT, struct evtchn_bind_pirq, bind_pirq, 0)                \
    OP(EVTCHNOP_close, OP_ANY, IN, struct evtchn_close, close_by_guest, 0)                      \
    OP(EVTCHNOP_send, OP_ANY, IN, struct evtchn_send, send, 0)                                  \
    OP(EVTCHNOP_status, OP_ANY, INOUT, struct evtchn_status, evtchn_status, 0)                  \
    OP(EVTCHNOP_alloc_unbound, OP_ANY, INOUT, struct evtchn_alloc_unbound,                      \
       evtchn_alloc_unbound, 0)                                                                 \
    OP(EVTCHNOP_bind_ipi, OP_ANY, INOUT, struct evtchn_bind_ipi, evtchn_bind_ipi, 0)            \
    OP(EVTCHNOP_bind_vcpu, OP_ANY, IN, struct evtchn_bind_vcpu, evtchn_bind_vcpu, 0)            \
    OP(EVTCHNOP_unmask, OP_ANY, IN, struct evtchn_unmask, evtchn_unmask, 0)                     \
    OP(EVTCHNOP_reset, OP_ANY, IN, struct evtchn_reset, evtchn_reset, 0)                        \
    OP(EVTCHNOP_init_control, OP_ANY, IN, struct evtchn_init_control, init_control, 0)          \
    OP(EVTCHNOP_expand_array, OP_ANY, IN, struct evtchn_expand_array, expand_array, 0)          \
    OP(EVTCHNOP_set_priority, OP_ANY, IN, struct evtchn_set_priority, set_priority, 0)

GUEST_OP_TABLE(, event_channel_subops, EVENT_CHANNEL_OPS);
