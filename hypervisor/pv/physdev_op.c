/*
 * HYPERVISOR_physdev_op: what a dom0 without hypervisor-managed devices
 * gets, as Xen 4.17 answers it.  Virtual IOPL and the I/O bitmap are
 * real (pv/emul_priv.c asks physdev_io_permitted, pv/ioport_policy.c
 * answers); pirqs are mapped, set up and EOIed through common/pirq.c;
 * the EOI page is taken and held like Xen's; PCI reporting is in
 * physdev_pci.c.
 */
#include "arch/x86/guest_access.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/pirq.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "public/physdev.h"
#include "pv/physdev.h"

bool physdev_io_permitted(const struct vcpu *v, unsigned int port, unsigned int bytes)
{
    /* A PV kernel counts as ring 1 against the virtual IOPL, user as 3. */
    if (v->iopl >= (v->kernel_mode ? 1u : 3u))
        return true;
    if (v->kernel_mode || port + bytes > v->iobmp_limit)
        return false;
    /* The bitmap is guest memory: read it as the guest would (a bitmap
     * the current tables do not map denies). */
    uint8_t bits[2] = { 0xff, 0xff };
    if (copy_from_guest(bits, guest_ptr_add(v->iobmp, port >> 3), (port & 7) + bytes > 8 ? 2 : 1))
        return false;
    uint16_t mask = (uint16_t)(((1u << bytes) - 1) << (port & 7));
    return !(((uint16_t)bits[0] | ((uint16_t)bits[1] << 8)) & mask);
}

static long set_iopl(struct vcpu *v, struct physdev_set_iopl *s)
{
    if (s->iopl > 3)
        return -XEN_EINVAL;
    v->iopl = s->iopl;
    return 0;
}

static long set_iobitmap(struct vcpu *v, struct physdev_set_iobitmap *s)
{
    guest_ptr_t bitmap = guest_handle_ptr(s->bitmap);

    /* guest_range_ok (x86_pte.h) is Xen's guest_handle_okay. */
    if (!guest_range_ok(bitmap.va, PHYSDEV_IOBMP_BYTES) || s->nr_ports > 65536)
        return -XEN_EINVAL;
    v->iobmp = bitmap;
    v->iobmp_limit = s->nr_ports;
    return 0;
}

/* Even edge-triggered pirqs may need masking: Xen tells every caller to
 * EOI.  None is shared, since none is bound. */
static long irq_status_query(struct vcpu *v, struct physdev_irq_status_query *q)
{
    if (q->irq >= pirq_count(v->domain))
        return -XEN_EINVAL;
    q->flags = XENIRQSTAT_needs_eoi;
    return 0;
}

/* EOI of a pirq: reopens its line (common/pirq.c); a pirq with nothing
 * mapped behind it is one Xen has no record of, -EINVAL. */
static long eoi(struct vcpu *v, struct physdev_eoi *e)
{
    return pirq_eoi(v->domain, e->irq);
}

/* Only the hardware domain maps GSIs, and only for itself (there is no
 * passthrough to other domains yet); MSIs need an IO-APIC-less MSI path
 * Subfloor does not have, so Linux falls back to the INTx line.  The
 * target domain is checked before the caller's privilege, as in Xen. */
static long map_pirq(struct vcpu *v, struct physdev_map_pirq *m)
{
    struct domain *d = v->domain;

    if (m->domid != DOMID_SELF && m->domid != d->domid)
        return domain_find(m->domid) ? -XEN_EPERM : -XEN_ESRCH;
    if (!d->privileged)
        return -XEN_EPERM;
    switch (m->type) {
    case MAP_PIRQ_TYPE_GSI:
        return pirq_map_gsi(d, m->index, &m->pirq);
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_EINVAL;
    }
}

static long unmap_pirq(struct vcpu *v, struct physdev_unmap_pirq *u)
{
    struct domain *d = v->domain;

    if (u->domid != DOMID_SELF && u->domid != d->domid)
        return domain_find(u->domid) ? -XEN_EPERM : -XEN_ESRCH;
    if (!d->privileged)
        return -XEN_EPERM;
    return pirq_unmap(d, u->pirq);
}

static long get_free_pirq(struct vcpu *v, struct physdev_get_free_pirq *g)
{
    return pirq_get_free(v->domain, g->type, &g->pirq);
}

static long setup_gsi(struct vcpu *v, struct physdev_setup_gsi *s)
{
    (void)v;
    return pirq_setup_gsi(s->gsi, s->triggering, s->polarity);
}

/* The page of "needs EOI" bits: one of the caller's frames, held with a
 * writable type for the domain's life (so it never becomes a page table);
 * a second registration is -EBUSY. */
static long pirq_eoi_gmfn(struct vcpu *v, struct physdev_pirq_eoi_gmfn *g)
{
    struct domain *d = v->domain;

    if (frame_hold_for_hv_writes(&d->mm, g->gmfn))
        return -XEN_EINVAL;
    if (d->pirq_eoi_mfn) {
        frame_release_hv_writes(g->gmfn);
        return -XEN_EBUSY;
    }
    d->pirq_eoi_mfn = g->gmfn;
    return 0;
}

/* Vectors are the hypervisor's business: Xen hands back the irq. */
static long alloc_irq_vector(struct vcpu *v, struct physdev_irq *irq)
{
    (void)v;
    irq->vector = irq->irq;
    return 0;
}

/* No IO-APIC is given to dom0 to program: every base is "not an
 * IO-APIC". */
static long apic_op(struct vcpu *v, struct physdev_apic *a)
{
    (void)v;
    (void)a;
    return -XEN_EINVAL;
}

/* Who may: OP_PRIV_READ where Xen reads the argument before its XSM_PRIV
 * check; OP_PRIV for the PCI reports, refused before anything is read;
 * map/unmap_pirq check the target domain first, themselves. */
#define PHYSDEV_OPS(OP)                                                                          \
    OP(PHYSDEVOP_set_iopl, OP_ANY, IN, struct physdev_set_iopl, set_iopl, 0)                     \
    OP(PHYSDEVOP_set_iobitmap, OP_ANY, IN, struct physdev_set_iobitmap, set_iobitmap, 0)         \
    OP(PHYSDEVOP_irq_status_query, OP_ANY, INOUT, struct physdev_irq_status_query,               \
       irq_status_query, 0)                                                                      \
    OP(PHYSDEVOP_eoi, OP_ANY, IN, struct physdev_eoi, eoi, 0)                                    \
    OP(PHYSDEVOP_pirq_eoi_gmfn_v1, OP_ANY, IN, struct physdev_pirq_eoi_gmfn, pirq_eoi_gmfn, 0)   \
    OP(PHYSDEVOP_pirq_eoi_gmfn_v2, OP_ANY, IN, struct physdev_pirq_eoi_gmfn, pirq_eoi_gmfn, 0)   \
    OP(PHYSDEVOP_alloc_irq_vector, OP_PRIV_READ, INOUT, struct physdev_irq, alloc_irq_vector, 0) \
    OP(PHYSDEVOP_apic_read, OP_PRIV_READ, IN, struct physdev_apic, apic_op, 0)                   \
    OP(PHYSDEVOP_apic_write, OP_PRIV_READ, IN, struct physdev_apic, apic_op, 0)                  \
    OP(PHYSDEVOP_map_pirq, OP_ANY, INOUT, struct physdev_map_pirq, map_pirq, 0)                  \
    OP(PHYSDEVOP_unmap_pirq, OP_ANY, IN, struct physdev_unmap_pirq, unmap_pirq, 0)               \
    OP(PHYSDEVOP_get_free_pirq, OP_PRIV_READ, INOUT, struct physdev_get_free_pirq,               \
       get_free_pirq, 0)                                                                         \
    OP(PHYSDEVOP_setup_gsi, OP_PRIV_READ, IN, struct physdev_setup_gsi, setup_gsi, 0)            \
    OP(PHYSDEVOP_manage_pci_add, OP_PRIV, IN, struct physdev_manage_pci, physdev_manage_pci_add, \
       0)                                                                                        \
    OP(PHYSDEVOP_manage_pci_remove, OP_PRIV, IN, struct physdev_manage_pci,                      \
       physdev_manage_pci_remove, 0)                                                             \
    OP(PHYSDEVOP_restore_msi, OP_PRIV, IN, struct physdev_manage_pci, physdev_restore_msi, 0)    \
    OP(PHYSDEVOP_manage_pci_add_ext, OP_PRIV, IN, struct physdev_manage_pci_ext,                 \
       physdev_manage_pci_add_ext, 0)                                                            \
    OP(PHYSDEVOP_pci_device_add, OP_PRIV, IN, struct physdev_pci_device_add,                     \
       physdev_pci_device_add, 0)                                                                \
    OP(PHYSDEVOP_pci_device_remove, OP_PRIV, IN, struct physdev_pci_device,                      \
       physdev_pci_device_remove, 0)                                                             \
    OP(PHYSDEVOP_restore_msi_ext, OP_PRIV, IN, struct physdev_pci_device,                        \
       physdev_restore_msi_ext, 0)

GUEST_OP_TABLE(static, physdev_subops, PHYSDEV_OPS);

long do_physdev_op(uint32_t cmd, guest_ptr_t arg)
{
    struct vcpu *v = current_vcpu();

    return guest_op_call(&physdev_subops, cmd, arg, v, v->domain->privileged);
}
