/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_event_channel_op (Xen 4.17 numbering).
 *
 * An event channel is a port number in a domain; its pending and mask
 * bits live in shared_info (2-level ABI) or, after EVTCHNOP_init_control,
 * in guest-supplied FIFO event words.  Called as event_channel_op(cmd,
 * argument) with one of the structs below.
 */
#ifndef SUBFLOOR_PUBLIC_EVENT_CHANNEL_H
#define SUBFLOOR_PUBLIC_EVENT_CHANNEL_H

#include "public/xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * Make a port in `dom` that `remote_dom` may later bind to; returns it in
 * `port`.  Out fields are written by the hypervisor, in fields by the
 * caller, throughout this file.
 */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;   /* in */
    evtchn_port_t port;        /* out */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/* Connect a new local port to a remote domain's unbound port. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;        /* in */
    evtchn_port_t remote_port; /* in */
    evtchn_port_t local_port;  /* out */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* Deliver VIRQ_* `virq` of vCPU `vcpu` on a new port. */
struct evtchn_bind_virq {
    uint32_t virq;             /* in */
    uint32_t vcpu;             /* in */
    evtchn_port_t port;        /* out */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* Deliver a physical IRQ on a new port (privileged). */
struct evtchn_bind_pirq {
    uint32_t pirq;             /* in */
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;            /* in: BIND_PIRQ__* */
    evtchn_port_t port;        /* out */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* A port for inter-processor events to `vcpu` of the caller. */
struct evtchn_bind_ipi {
    uint32_t vcpu;             /* in */
    evtchn_port_t port;        /* out */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

/* Mark the other end of `port` pending. */
struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

/* What `port` of `dom` is bound to. */
struct evtchn_status {
    domid_t dom;               /* in */
    evtchn_port_t port;        /* in */
#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5
    uint32_t status;           /* out: EVTCHNSTAT_* */
    uint32_t vcpu;             /* out: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;                       /* out, by status */
};
typedef struct evtchn_status evtchn_status_t;

/* Notify a different vCPU of events on `port`. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* Clear the mask bit and deliver the event if it was pending meanwhile. */
struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* Close every port of `dom` (DOMID_SELF or, privileged, another). */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/* Switch to the FIFO ABI: the control block of `vcpu` lives in this page. */
struct evtchn_init_control {
    uint64_t control_gfn;      /* in */
    uint32_t offset;           /* in: of the control block in the page */
    uint32_t vcpu;             /* in */
    uint8_t link_bits;         /* out: EVTCHN_FIFO_LINK_BITS */
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/* Add one page of FIFO event words. */
struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;         /* EVTCHN_FIFO_PRIORITY_* range */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* The pre-3.2 form: command and argument in one struct (compat call). */
struct evtchn_op {
    uint32_t cmd;
    union {
        evtchn_alloc_unbound_t alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t bind_virq;
        evtchn_bind_pirq_t bind_pirq;
        evtchn_bind_ipi_t bind_ipi;
        evtchn_close_t close;
        evtchn_send_t send;
        evtchn_status_t status;
        evtchn_bind_vcpu_t bind_vcpu;
        evtchn_unmask_t unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

/* Ports the 2-level ABI can name: one bit per port, 64 x 64 on x86-64. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: priority 0 is served first. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* One port's state: flag bits on top, the next port in its queue below. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

/* Per-vCPU: a bit per non-empty queue, and each queue's head port. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

#endif /* SUBFLOOR_PUBLIC_EVENT_CHANNEL_H */
