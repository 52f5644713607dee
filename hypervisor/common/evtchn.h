/*
 * Event channels, 2-level ABI: the per-domain port table, delivery into
 * shared_info, and the EVTCHNOP_* operations on already-copied argument
 * structs.  Semantics follow Xen 4.17; docs/events.md lists the rules.
 *
 * Nothing here takes locks: the caller holds the domain's event lock
 * (both domains' locks, taken in domid order, for the operations that
 * touch two domains: bind_interdomain, close and send of an interdomain
 * port).  Only the shared_info and vcpu_info words, which the guest writes
 * concurrently from its own vCPUs, are accessed atomically.
 *
 * Every operation returns 0 or a negated Xen errno (-XEN_EINVAL ...).
 */
#ifndef SUBFLOOR_EVENT_CHANNEL_H
#define SUBFLOOR_EVENT_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/guest_op.h"
#include "public/errno.h"
#include "public/event_channel.h"
#include "public/xen.h"

/* Port numbers the 2-level ABI can express on x86-64: 64 words x 64 bits. */
#define EVTCHN_2L_MAX_PORTS 4096u

/* vCPUs a domain's VIRQ table can describe. */
#define EVTCHN_MAX_VCPUS 1024u

/* Ports are allocated in buckets so that a domain with few ports stays small. */
#define EVTCHN_BUCKET_PORTS 64u
#define EVTCHN_NR_BUCKETS (EVTCHN_2L_MAX_PORTS / EVTCHN_BUCKET_PORTS)

enum evtchn_state {
    EVTCHN_FREE = 0,
    EVTCHN_RESERVED,     /* port 0: never handed out, guests treat it as "none" */
    EVTCHN_UNBOUND,      /* waiting for remote_dom to bind_interdomain */
    EVTCHN_INTERDOMAIN,
    EVTCHN_VIRQ,
    EVTCHN_IPI,
    EVTCHN_PIRQ,         /* not bindable yet; state kept for the ops' rules */
};

struct evtchn {
    uint8_t state;           /* enum evtchn_state */
    bool consumer_is_xen;    /* the hypervisor, not the guest, owns this end */
    domid_t remote_dom;      /* UNBOUND: who may bind; INTERDOMAIN: the peer */
    uint32_t notify_vcpu;
    union {
        evtchn_port_t remote_port;   /* INTERDOMAIN */
        uint32_t virq;               /* VIRQ */
        uint32_t pirq;               /* PIRQ */
    } u;
};

struct evtchn_domain;

/*
 * What the event-channel code needs from the rest of the hypervisor.
 * `owner` is the pointer given at init (the future struct domain).
 */
struct evtchn_ops {
    /* Zeroed memory, or NULL when out of memory. */
    void *(*alloc)(void *owner, size_t bytes);
    void (*free)(void *owner, void *ptr, size_t bytes);
    /* A live domain by real domid (never DOMID_SELF), or NULL. */
    struct evtchn_domain *(*find_domain)(void *owner, domid_t domid);
    /*
     * Where the vCPU's vcpu_info lives now (shared_info's slot or the one
     * registered with VCPUOP_register_vcpu_info); NULL if it has none.
     */
    struct vcpu_info *(*vcpu_info)(void *owner, unsigned int vcpu);
    /* evtchn_upcall_pending went 0 -> 1: wake the vCPU or IPI its pCPU. */
    void (*kick_vcpu)(void *owner, unsigned int vcpu);
    /* Optional: the port became pending, masked or not (SCHEDOP_poll
     * watches masked ports). */
    void (*port_pending)(void *owner, evtchn_port_t port);
    /* Optional: a port whose consumer is Xen was signalled. */
    void (*xen_notify)(void *owner, unsigned int vcpu, evtchn_port_t port);
    /* Optional: the domain is paused by its controller (EVTCHNOP_reset). */
    bool (*paused_by_controller)(void *owner);
    /* Optional: EVTCHNOP_bind_pirq, for a domain that was given physical
     * IRQs; without it the command is -XEN_EPERM. */
    int (*bind_pirq)(void *owner, struct evtchn_bind_pirq *op);
};

struct evtchn_domain_config {
    const struct evtchn_ops *ops;
    void *owner;
    struct shared_info *shared;
    domid_t domid;
    bool privileged;          /* a control domain: may act on other domains */
    unsigned int nr_vcpus;    /* at least 1 */
    unsigned int max_port;    /* highest usable port, < EVTCHN_2L_MAX_PORTS */
};

struct evtchn_domain {
    const struct evtchn_ops *ops;
    void *owner;
    struct shared_info *shared;
    domid_t domid;
    bool privileged;
    unsigned int nr_vcpus;
    unsigned int max_port;
    unsigned int valid_ports;   /* ports below this have a bucket */
    unsigned int active_ports;  /* neither free nor reserved */
    unsigned int xen_ports;     /* of which the consumer is Xen */
    struct evtchn *buckets[EVTCHN_NR_BUCKETS];
    evtchn_port_t *virq_ports;  /* [vcpu * NR_VIRQS + virq], 0 = unbound */
};

/* evtchn_ports.c: the port table. */
int evtchn_domain_init(struct evtchn_domain *d,
                       const struct evtchn_domain_config *cfg);
void evtchn_domain_teardown(struct evtchn_domain *d);
struct evtchn *evtchn_lookup(const struct evtchn_domain *d, evtchn_port_t port);
/* Lowest free port (a bucket is added when needed), or -XEN_ENOSPC/ENOMEM. */
int evtchn_get_free_port(struct evtchn_domain *d);
/* Make a free port live in `state`, notifying vCPU 0 until told otherwise. */
struct evtchn *evtchn_port_claim(struct evtchn_domain *d, evtchn_port_t port,
                                 enum evtchn_state state);
void evtchn_port_free(struct evtchn_domain *d, evtchn_port_t port);
bool evtchn_virq_is_global(uint32_t virq);
evtchn_port_t *evtchn_virq_slot(struct evtchn_domain *d, unsigned int vcpu,
                                uint32_t virq);

/* evtchn_2l.c: delivery through shared_info and vcpu_info. */
void evtchn_2l_set_pending(struct evtchn_domain *d, unsigned int vcpu,
                           evtchn_port_t port);
void evtchn_2l_clear_pending(struct evtchn_domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct evtchn_domain *d, unsigned int vcpu,
                      evtchn_port_t port);
bool evtchn_2l_is_pending(const struct evtchn_domain *d, evtchn_port_t port);
bool evtchn_2l_is_masked(const struct evtchn_domain *d, evtchn_port_t port);
/* Deliver on `port` of `d` as its binding says (no-op for Xen's ports). */
void evtchn_notify_port(struct evtchn_domain *d, evtchn_port_t port);

/*
 * evtchn_commands.c and evtchn_virq.c: the EVTCHNOP_* operations.
 * `cur` is the calling domain; domid fields may say DOMID_SELF.
 */
int evtchn_alloc_unbound(struct evtchn_domain *cur,
                         struct evtchn_alloc_unbound *op);
int evtchn_bind_interdomain(struct evtchn_domain *cur,
                            struct evtchn_bind_interdomain *op);
int evtchn_bind_virq(struct evtchn_domain *cur, struct evtchn_bind_virq *op);
int evtchn_bind_ipi(struct evtchn_domain *cur, struct evtchn_bind_ipi *op);
/* `by_guest`: a guest may not close the ports whose consumer is Xen. */
int evtchn_close(struct evtchn_domain *d, evtchn_port_t port, bool by_guest);
int evtchn_send(struct evtchn_domain *cur, evtchn_port_t port);
int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *op);
int evtchn_bind_vcpu(struct evtchn_domain *cur,
                     const struct evtchn_bind_vcpu *op);
int evtchn_unmask(struct evtchn_domain *cur, const struct evtchn_unmask *op);
int evtchn_reset(struct evtchn_domain *cur, const struct evtchn_reset *op);

/*
 * HYPERVISOR_event_channel_op's commands (evtchn_hypercall.c), run by
 * guest_op_call with the calling domain's struct evtchn_domain as the
 * context.  Unknown commands give -XEN_ENOSYS.
 */
extern const struct guest_op_table event_channel_subops;

/* A port whose consumer is Xen (console, xenstore rings built by Xen). */
int evtchn_alloc_unbound_xen(struct evtchn_domain *d, unsigned int vcpu,
                             domid_t remote_dom, evtchn_port_t *port);

/*
 * Raising VIRQs from the hypervisor (timer, console, dom0 notifications).
 * Both return -XEN_EINVAL for a virq of the wrong kind or a bad vCPU, and
 * 0 otherwise; an unbound virq is dropped, as on Xen.
 */
int evtchn_send_vcpu_virq(struct evtchn_domain *d, unsigned int vcpu,
                          uint32_t virq);
int evtchn_send_global_virq(struct evtchn_domain *d, uint32_t virq);
bool evtchn_virq_bound(struct evtchn_domain *d, unsigned int vcpu,
                       uint32_t virq);

#endif /* SUBFLOOR_EVENT_CHANNEL_H */
