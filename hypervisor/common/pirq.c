/*
 * pirqs of the hardware domain: the table of which GSI is whose, and the
 * interrupt path from the 8259 to an event channel (pirq.h says why the
 * 8259 and what protocol).  One table for the machine, because a GSI is
 * a wire with one owner; the lock keeps the interrupt handler and the
 * hypercalls that change a route from seeing half an update.
 */
#include <stdbool.h>
#include "arch/x86/paging.h"
#include "arch/x86/pic.h"
#include "common/evtchn.h"
#include "common/pirq.h"
#include "lib/printk.h"
#include "lib/spinlock.h"
#include "public/errno.h"
#include "public/physdev.h"

struct gsi_route {
    struct domain *d;      /* owner; NULL while unmapped */
    uint32_t pirq;
    evtchn_port_t port;    /* 0 until bound (checked live: the guest may close it) */
    bool set_up;           /* setup_gsi done, or the hypervisor's own line */
    bool xen_owned;        /* the hypervisor's device: never bindable */
    bool awaiting_eoi;     /* delivered and masked until PHYSDEVOP_eoi */
};

static struct gsi_route routes[PIRQ_ROUTED_GSIS];
static spinlock_t pirq_lock = SPINLOCK_INIT;

unsigned int pirq_count(const struct domain *d)
{
    return PHYSDEV_NR_STATIC_IRQS +
           (d->privileged ? PHYSDEV_EXTRA_IRQS_PRIV : PHYSDEV_EXTRA_IRQS_GUEST);
}

void pirq_reserve_gsi(unsigned int gsi)
{
    if (gsi < PIRQ_ROUTED_GSIS) {
        routes[gsi].xen_owned = true;
        routes[gsi].set_up = true;
    }
}

static struct gsi_route *route_of_pirq(const struct domain *d, uint32_t pirq)
{
    for (unsigned int g = 0; g < PIRQ_ROUTED_GSIS; g++)
        if (routes[g].d == d && routes[g].pirq == pirq)
            return &routes[g];
    return NULL;
}

/* The route's port, if the guest still has it bound to this pirq. */
static bool bound(const struct gsi_route *r)
{
    if (!r->d || !r->port)
        return false;
    const struct evtchn *chn = evtchn_lookup(&r->d->evtchn, r->port);
    return chn && chn->state == EVTCHN_PIRQ && chn->u.pirq == r->pirq;
}

int pirq_map_gsi(struct domain *d, int gsi, int *pirq)
{
    if (!d->privileged || !d->is_initial)
        return -XEN_EPERM;
    if (gsi < 0 || (unsigned int)gsi >= PIRQ_NR_GSIS)
        return -XEN_EINVAL;
    if ((unsigned int)gsi >= PIRQ_ROUTED_GSIS) {
        printk(LOG_WARNING, "d%u: GSI %d is an IO-APIC-only pin; Subfloor routes GSIs 0-15",
               d->domid, gsi);
        return -XEN_EINVAL;
    }
    if (*pirq >= 0 && (unsigned int)*pirq >= pirq_count(d))
        return -XEN_EINVAL;

    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    struct gsi_route *r = &routes[gsi];
    int rc = 0;
    if (r->d) {
        /* Mapped already: the same answer again, a different pirq never. */
        if (*pirq >= 0 && (uint32_t)*pirq != r->pirq)
            rc = -XEN_EEXIST;
        else
            *pirq = (int)r->pirq;
    } else {
        uint32_t want = *pirq >= 0 ? (uint32_t)*pirq : (uint32_t)gsi;
        if (route_of_pirq(d, want)) {
            rc = -XEN_EEXIST;
        } else {
            r->d = d;
            r->pirq = want;
            r->port = 0;
            r->awaiting_eoi = false;
            *pirq = (int)want;
        }
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int pirq_unmap(struct domain *d, int pirq)
{
    if (pirq < 0 || (unsigned int)pirq >= pirq_count(d))
        return -XEN_EINVAL;
    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    struct gsi_route *r = route_of_pirq(d, (uint32_t)pirq);
    int rc = -XEN_EINVAL;
    if (r) {
        if (!r->xen_owned)
            pic_mask_irq((unsigned int)(r - routes));
        r->d = NULL;
        r->port = 0;
        r->awaiting_eoi = false;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* As Xen: GSI pirqs come from the non-legacy GSI range first, the rest
 * (and MSI ones) from the top of the domain's range down. */
int pirq_get_free(struct domain *d, int type, uint32_t *pirq)
{
    uint32_t n = pirq_count(d);

    if (type == MAP_PIRQ_TYPE_GSI)
        for (uint32_t p = 16; p < PIRQ_NR_GSIS; p++)
            if (!route_of_pirq(d, p)) {
                *pirq = p;
                return 0;
            }
    for (uint32_t p = n - 1; p >= PIRQ_NR_GSIS; p--)
        if (!route_of_pirq(d, p)) {
            *pirq = p;
            return 0;
        }
    return -XEN_ENOSPC;
}

int pirq_setup_gsi(int gsi, int level, int active_low)
{
    if (gsi < 0 || (unsigned int)gsi >= PIRQ_NR_GSIS)
        return -XEN_EINVAL;
    if ((unsigned int)gsi >= PIRQ_ROUTED_GSIS)
        return -XEN_EINVAL;
    /* The ISA lines are active-high at the 8259 whatever the MADT says;
     * only the trigger mode is the 8259's (its ELCR) to set. */
    (void)active_low;
    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    int rc = -XEN_EEXIST;
    if (!routes[gsi].set_up) {
        routes[gsi].set_up = true;
        pic_set_level_triggered((unsigned int)gsi, level != 0);
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int pirq_eoi(struct domain *d, uint32_t pirq)
{
    if (pirq >= pirq_count(d))
        return -XEN_EINVAL;
    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    struct gsi_route *r = route_of_pirq(d, pirq);
    int rc = -XEN_EINVAL;
    if (r) {
        if (r->awaiting_eoi && bound(r))
            pic_unmask_irq((unsigned int)(r - routes));
        r->awaiting_eoi = false;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* The interrupt: mask the line until the guest's EOI, raise the port. */
static void deliver(unsigned int gsi)
{
    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    struct gsi_route *r = &routes[gsi];

    pic_mask_irq(gsi);
    if (bound(r)) {
        r->awaiting_eoi = true;
        evtchn_notify_port(&r->d->evtchn, r->port);
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
}

#define GSI_HANDLER(n) static void gsi##n(struct cpu_regs *regs) { (void)regs; deliver(n); }
GSI_HANDLER(0) GSI_HANDLER(1) GSI_HANDLER(3) GSI_HANDLER(4) GSI_HANDLER(5)
GSI_HANDLER(6) GSI_HANDLER(7) GSI_HANDLER(8) GSI_HANDLER(9) GSI_HANDLER(10)
GSI_HANDLER(11) GSI_HANDLER(12) GSI_HANDLER(13) GSI_HANDLER(14) GSI_HANDLER(15)

/* pic_route_irq takes a handler without the IRQ number. */
static const interrupt_handler_fn gsi_handlers[PIRQ_ROUTED_GSIS] = {
    gsi0, gsi1, NULL, gsi3, gsi4, gsi5, gsi6, gsi7,
    gsi8, gsi9, gsi10, gsi11, gsi12, gsi13, gsi14, gsi15,
};

/* Xen's "needs EOI" page bit for pirq, when the guest registered one. */
static void mark_needs_eoi(struct domain *d, uint32_t pirq)
{
    if (!d->pirq_eoi_mfn || pirq >= 8 * 4096)
        return;
    uint64_t *bits = phys_to_virt(d->pirq_eoi_mfn << 12);
    __atomic_fetch_or(&bits[pirq / 64], 1ull << (pirq % 64), __ATOMIC_RELAXED);
}

int pirq_bind_evtchn(struct domain *d, struct evtchn_bind_pirq *op)
{
    if (op->pirq >= pirq_count(d))
        return -XEN_EINVAL;

    uint64_t flags = spin_lock_irqsave(&pirq_lock);
    struct gsi_route *r = route_of_pirq(d, op->pirq);
    unsigned int gsi = r ? (unsigned int)(r - routes) : 0;
    int rc = 0;
    if (!r)
        rc = -XEN_EINVAL;           /* Xen: no IRQ behind the pirq */
    else if (bound(r))
        rc = -XEN_EEXIST;
    else if (r->xen_owned || !gsi_handlers[gsi])
        rc = -XEN_EBUSY;            /* Xen: "in use by" its own driver */
    if (rc) {
        spin_unlock_irqrestore(&pirq_lock, flags);
        if (rc == -XEN_EBUSY)
            printk(LOG_WARNING, "d%u: cannot bind pirq %u: IRQ%u is the hypervisor's",
                   d->domid, op->pirq, gsi);
        return rc;
    }

    int port = evtchn_get_free_port(&d->evtchn);
    struct evtchn *chn = port > 0 ? evtchn_port_claim(&d->evtchn, (evtchn_port_t)port,
                                                      EVTCHN_PIRQ) : NULL;
    if (!chn) {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return port < 0 ? port : -XEN_ENOSPC;
    }
    chn->u.pirq = op->pirq;
    chn->notify_vcpu = 0;
    r->port = (evtchn_port_t)port;
    r->awaiting_eoi = false;
    mark_needs_eoi(d, op->pirq);
    pic_route_irq(gsi, gsi_handlers[gsi]);
    spin_unlock_irqrestore(&pirq_lock, flags);
    op->port = (evtchn_port_t)port;
    return 0;
}
