/*
 * What common/ asks of pv/, the layer above it that knows how a PV
 * vCPU's state sits on a CPU.  pv/ fills the table in at the start of
 * boot (pv/setup.c); common/ reaches pv/ only through it
 * (docs/architecture.md, "Upward calls").
 */
#ifndef SUBFLOOR_PV_OPS_H
#define SUBFLOOR_PV_OPS_H

#include <stdint.h>

struct domain;
struct vcpu;
struct vcpu_guest_context;

struct pv_ops {
    /* A new domain's PV MMU view: d->mm and each vCPU's. */
    void (*domain_init)(struct domain *d);
    /* A new vCPU's PV state before it first runs (its FPU image). */
    void (*vcpu_init)(struct vcpu *v);
    /* Load v's descriptor tables, page tables, segment selectors and
     * bases onto this CPU, drop the hypervisor lock and enter v (by its
     * failsafe callback when its selectors do not load).  v is current. */
    __attribute__((noreturn)) void (*vcpu_enter)(struct vcpu *v);
    /* v, current, stops running on this CPU: keep what the guest may have
     * changed behind the hypervisor's back (selectors, segment bases, the
     * FPU). */
    void (*vcpu_leave)(struct vcpu *v);
    /* This CPU runs no vCPU for now: drop the guest descriptors it maps. */
    void (*cpu_idle_enter)(void);
    /* VCPUOP_initialise: the context (already read from the guest)
     * becomes v's; 0 or a negated Xen errno. */
    long (*vcpu_initialise)(struct vcpu *v, const struct vcpu_guest_context *ctxt);
    /* domctl getvcpucontext: v's context into *ctxt; 0 or a negated Xen
     * errno (pv/vcpu_context.c). */
    long (*vcpu_get_context)(struct vcpu *v, struct vcpu_guest_context *ctxt);
    /* XEN_DOMCTL_hypercall_init: the hypercall stubs into d's frame gmfn;
     * 0 or -XEN_EINVAL when it is not d's writable frame. */
    long (*hypercall_page_init)(struct domain *d, uint64_t gmfn);
    /* domctl setvcpucontext, v's domain paused: the context becomes v's
     * (or, NULL, v loses its context); 0 or a negated Xen errno. */
    long (*vcpu_set_context)(struct vcpu *v, const struct vcpu_guest_context *ctxt);
    /* d has stopped: take every CPU out of its context, release all it
     * holds, give its frames back and print the audit of its counts
     * (pv/domain_teardown.c).  d is not usable afterwards. */
    void (*domain_teardown)(struct domain *d);
};

extern const struct pv_ops *pv_ops;
void pv_set_ops(const struct pv_ops *ops);

#endif
