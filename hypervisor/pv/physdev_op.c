/*
 * HYPERVISOR_physdev_op: what a dom0 without hypervisor-managed devices
 * gets, as Xen 4.17 answers it.  Virtual IOPL and the I/O bitmap are
 * real (pv/emul_priv.c asks physdev_io_permitted, pv/ioport_policy.c
 * answers); pirqs are mapped, set up and EOIed through common/pirq.c;
 * the EOI page is taken and held like Xen's; PCI reporting is in
 * physdev_pci.c.
 */
#include "arch/x86/guest_access.h"
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
    if (copy_from_guest(bits, v->iobmp + (port >> 3), (port & 7) + bytes > 8 ? 2 : 1))
        return false;
    uint16_t mask = (uint16_t)(((1u << bytes) - 1) << (port & 7));
    return !(((uint16_t)bits[0] | ((uint16_t)bits[1] << 8)) & mask);
}

static long set_iopl(uint64_t arg)
{
    struct physdev_set_iopl s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (s.iopl > 3)
        return -XEN_EINVAL;
    current_vcpu()->iopl = s.iopl;
    return 0;
}

static long set_iobitmap(uint64_t arg)
{
    struct physdev_set_iobitmap s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    uint64_t bitmap = (uint64_t)(uintptr_t)s.bitmap.p;
    /* guest_range_ok (x86_pte.h) is Xen's guest_handle_okay. */
    if (!guest_range_ok(bitmap, PHYSDEV_IOBMP_BYTES) || s.nr_ports > 65536)
        return -XEN_EINVAL;
    current_vcpu()->iobmp = bitmap;
    current_vcpu()->iobmp_limit = s.nr_ports;
    return 0;
}

/* Even edge-triggered pirqs may need masking: Xen tells every caller to
 * EOI.  None is shared, since none is bound. */
static long irq_status_query(uint64_t arg)
{
    struct physdev_irq_status_query q;

    if (copy_from_guest(&q, arg, sizeof(q)))
        return -XEN_EFAULT;
    if (q.irq >= pirq_count(current_vcpu()->domain))
        return -XEN_EINVAL;
    q.flags = XENIRQSTAT_needs_eoi;
    return copy_to_guest(arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

/* EOI of a pirq: reopens its line (common/pirq.c); a pirq with nothing
 * mapped behind it is one Xen has no record of, -EINVAL. */
static long eoi(uint64_t arg)
{
    struct physdev_eoi e;

    if (copy_from_guest(&e, arg, sizeof(e)))
        return -XEN_EFAULT;
    return pirq_eoi(current_vcpu()->domain, e.irq);
}

/* Only the hardware domain maps GSIs, and only for itself (there is no
 * passthrough to other domains yet); MSIs need an IO-APIC-less MSI path
 * Subfloor does not have, so Linux falls back to the INTx line. */
static long map_pirq(uint64_t arg)
{
    struct physdev_map_pirq m;
    struct domain *d = current_vcpu()->domain;

    if (copy_from_guest(&m, arg, sizeof(m)))
        return -XEN_EFAULT;
    if (m.domid != DOMID_SELF && m.domid != d->domid)
        return domain_find(m.domid) ? -XEN_EPERM : -XEN_ESRCH;
    if (!d->privileged)
        return -XEN_EPERM;
    long rc;
    switch (m.type) {
    case MAP_PIRQ_TYPE_GSI:
        rc = pirq_map_gsi(d, m.index, &m.pirq);
        break;
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_EINVAL;
    }
    if (rc == 0 && copy_to_guest(arg, &m, sizeof(m)))
        rc = -XEN_EFAULT;
    return rc;
}

static long unmap_pirq(uint64_t arg)
{
    struct physdev_unmap_pirq u;
    struct domain *d = current_vcpu()->domain;

    if (copy_from_guest(&u, arg, sizeof(u)))
        return -XEN_EFAULT;
    if (u.domid != DOMID_SELF && u.domid != d->domid)
        return domain_find(u.domid) ? -XEN_EPERM : -XEN_ESRCH;
    if (!d->privileged)
        return -XEN_EPERM;
    return pirq_unmap(d, u.pirq);
}

static long get_free_pirq(uint64_t arg)
{
    struct physdev_get_free_pirq g;
    struct domain *d = current_vcpu()->domain;

    if (copy_from_guest(&g, arg, sizeof(g)))
        return -XEN_EFAULT;
    if (!d->privileged)
        return -XEN_EPERM;
    long rc = pirq_get_free(d, g.type, &g.pirq);
    if (rc == 0 && copy_to_guest(arg, &g, sizeof(g)))
        rc = -XEN_EFAULT;
    return rc;
}

static long setup_gsi(uint64_t arg)
{
    struct physdev_setup_gsi s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (!current_vcpu()->domain->privileged)
        return -XEN_EPERM;
    return pirq_setup_gsi(s.gsi, s.triggering, s.polarity);
}

/* The page of "needs EOI" bits: one of the caller's frames, held with a
 * writable type for the domain's life (so it never becomes a page table);
 * a second registration is -EBUSY. */
static long pirq_eoi_gmfn(uint64_t arg)
{
    struct physdev_pirq_eoi_gmfn g;
    struct domain *d = current_vcpu()->domain;

    if (copy_from_guest(&g, arg, sizeof(g)))
        return -XEN_EFAULT;
    if (frame_hold_for_hv_writes(&d->mm, g.gmfn))
        return -XEN_EINVAL;
    if (d->pirq_eoi_mfn) {
        frame_release_hv_writes(g.gmfn);
        return -XEN_EBUSY;
    }
    d->pirq_eoi_mfn = g.gmfn;
    return 0;
}

static long alloc_irq_vector(uint64_t arg)
{
    struct physdev_irq irq;

    if (copy_from_guest(&irq, arg, sizeof(irq)))
        return -XEN_EFAULT;
    if (!current_vcpu()->domain->privileged)
        return -XEN_EPERM;
    /* Vectors are the hypervisor's business: Xen hands back the irq. */
    irq.vector = irq.irq;
    return copy_to_guest(arg, &irq, sizeof(irq)) ? -XEN_EFAULT : 0;
}

/* No IO-APIC is given to dom0 to program: every base is "not an
 * IO-APIC". */
static long apic_op(uint64_t arg)
{
    struct physdev_apic a;

    if (copy_from_guest(&a, arg, sizeof(a)))
        return -XEN_EFAULT;
    if (!current_vcpu()->domain->privileged)
        return -XEN_EPERM;
    return -XEN_EINVAL;
}

long do_physdev_op(uint64_t cmd64, uint64_t arg)
{
    /* Xen reads the command as an int: the upper bits do not count. */
    unsigned int cmd = (unsigned int)cmd64;

    switch (cmd) {
    case PHYSDEVOP_set_iopl:          return set_iopl(arg);
    case PHYSDEVOP_set_iobitmap:      return set_iobitmap(arg);
    case PHYSDEVOP_irq_status_query:  return irq_status_query(arg);
    case PHYSDEVOP_eoi:               return eoi(arg);
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2:  return pirq_eoi_gmfn(arg);
    case PHYSDEVOP_alloc_irq_vector:  return alloc_irq_vector(arg);
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:        return apic_op(arg);
    case PHYSDEVOP_map_pirq:          return map_pirq(arg);
    case PHYSDEVOP_unmap_pirq:        return unmap_pirq(arg);
    case PHYSDEVOP_get_free_pirq:     return get_free_pirq(arg);
    case PHYSDEVOP_setup_gsi:         return setup_gsi(arg);
    default:                          return physdev_pci_op(cmd, arg);
    }
}
