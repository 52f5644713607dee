/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * memory_op for the toolstack: a domain's reservation (grow, shrink,
 * populate) and the queries of its size, and the machine's highest
 * frame.  A reservation names an array of frames by a handle inside the
 * structure, so both are bounced and the copy's handle is pointed at
 * the bounced array; the caller's structure keeps its own pointer.
 */
#include <string.h>

#include "xc_private.h"

static long reservation_op(xc_interface *xch, unsigned int cmd,
                           struct xen_memory_reservation *res)
{
    xen_pfn_t *user_extents = res->extent_start.p;
    size_t nr = (size_t)res->nr_extents;
    /* decrease only reads the array; increase and populate write it
     * (populate also reads the frames asked for). */
    int dir = cmd == XENMEM_decrease_reservation ? XC_BOUNCE_IN :
              cmd == XENMEM_increase_reservation ? XC_BOUNCE_OUT : XC_BOUNCE_BOTH;
    struct xc_bounce ext = XC_BOUNCE(user_extents,
                                     xc__array_size(nr, sizeof(xen_pfn_t)), dir);
    struct xc_bounce rb = XC_BOUNCE(res, sizeof(*res), XC_BOUNCE_BOTH);
    long rc = -1;

    if (xc__bounce_pre(xch, &ext) < 0)
        return -1;
    if (xc__bounce_pre(xch, &rb) < 0)
        goto out_ext;
    set_xen_guest_handle_raw(((struct xen_memory_reservation *)rb.hbuf)->extent_start,
                             (xen_pfn_t *)ext.hbuf);
    rc = xc__hypercall(xch, __HYPERVISOR_memory_op, cmd,
                       (uint64_t)(uintptr_t)rb.hbuf, 0, 0, 0);
    xc__bounce_post(xch, &rb);
    set_xen_guest_handle_raw(res->extent_start, user_extents);
out_ext:
    xc__bounce_post(xch, &ext);
    return rc;
}

long xc_memory_op(xc_interface *xch, unsigned int cmd, void *arg, size_t len)
{
    long rc;

    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        if (!arg || len != sizeof(struct xen_memory_reservation)) {
            errno = EINVAL;
            XC_PERROR(xch, "xc_memory_op: command %u takes a xen_memory_reservation", cmd);
            return -1;
        }
        rc = reservation_op(xch, cmd, arg);
        break;
    case XENMEM_maximum_ram_page:
        rc = xc__hypercall(xch, __HYPERVISOR_memory_op, cmd, 0, 0, 0, 0);
        break;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        if (!arg || len != sizeof(domid_t)) {
            errno = EINVAL;
            XC_PERROR(xch, "xc_memory_op: command %u takes a domid_t", cmd);
            return -1;
        }
        /* fall through */
    default: {
        struct xc_bounce b = XC_BOUNCE(arg, len, XC_BOUNCE_BOTH);
        if (xc__bounce_pre(xch, &b) < 0)
            return -1;
        rc = xc__hypercall(xch, __HYPERVISOR_memory_op, cmd,
                           (uint64_t)(uintptr_t)b.hbuf, 0, 0, 0);
        xc__bounce_post(xch, &b);
        break;
    }
    }
    return rc;
}

int xc_maximum_ram_page(xc_interface *xch, unsigned long *max_mfn)
{
    long rc = xc_memory_op(xch, XENMEM_maximum_ram_page, NULL, 0);
    if (rc < 0) {
        XC_PERROR(xch, "xc_maximum_ram_page");
        return -1;
    }
    *max_mfn = (unsigned long)rc;
    return 0;
}

int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns)
{
    domid_t d = (domid_t)domid;
    long rc = xc_memory_op(xch, XENMEM_maximum_gpfn, &d, sizeof(d));
    if (rc < 0) {
        XC_PERROR(xch, "xc_domain_maximum_gpfn: domain %u", domid);
        return -1;
    }
    *gpfns = (xen_pfn_t)rc;
    return 0;
}

int xc_domain_nr_gpfns(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns)
{
    int rc = xc_domain_maximum_gpfn(xch, domid, gpfns);
    if (rc == 0)
        *gpfns += 1;
    return rc;
}

static long reservation(xc_interface *xch, unsigned int cmd, uint32_t domid,
                        unsigned long nr_extents, unsigned int extent_order,
                        unsigned int mem_flags, xen_pfn_t *extent_start)
{
    struct xen_memory_reservation res = {
        .nr_extents = nr_extents,
        .extent_order = extent_order,
        .mem_flags = mem_flags,
        .domid = (domid_t)domid,
    };
    set_xen_guest_handle_raw(res.extent_start, extent_start);
    return xc_memory_op(xch, cmd, &res, sizeof(res));
}

/* The _exact forms: all extents or an error, errno as Xen's. */
static int exact(xc_interface *xch, long rc, unsigned long nr_extents,
                 int partial_errno, const char *what, uint32_t domid)
{
    if (rc >= 0 && (unsigned long)rc == nr_extents)
        return 0;
    if (rc >= 0) {
        XC_ERROR(xch, "%s: domain %u: %ld of %lu extents done", what, domid,
                 rc, nr_extents);
        errno = partial_errno;
    } else {
        XC_PERROR(xch, "%s: domain %u", what, domid);
    }
    return -1;
}

int xc_domain_increase_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   unsigned int mem_flags,
                                   xen_pfn_t *extent_start)
{
    return (int)reservation(xch, XENMEM_increase_reservation, domid, nr_extents,
                            extent_order, mem_flags, extent_start);
}

int xc_domain_increase_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         unsigned int mem_flags,
                                         xen_pfn_t *extent_start)
{
    long rc = reservation(xch, XENMEM_increase_reservation, domid, nr_extents,
                          extent_order, mem_flags, extent_start);
    return exact(xch, rc, nr_extents, ENOMEM,
                 "xc_domain_increase_reservation_exact", domid);
}

int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   xen_pfn_t *extent_start)
{
    if (!extent_start) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_domain_decrease_reservation: no frames given");
        return -1;
    }
    return (int)reservation(xch, XENMEM_decrease_reservation, domid, nr_extents,
                            extent_order, 0, extent_start);
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         xen_pfn_t *extent_start)
{
    long rc = xc_domain_decrease_reservation(xch, domid, nr_extents,
                                             extent_order, extent_start);
    return exact(xch, rc, nr_extents, EINVAL,
                 "xc_domain_decrease_reservation_exact", domid);
}

int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags,
                               xen_pfn_t *extent_start)
{
    return (int)reservation(xch, XENMEM_populate_physmap, domid, nr_extents,
                            extent_order, mem_flags, extent_start);
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    long rc = reservation(xch, XENMEM_populate_physmap, domid, nr_extents,
                          extent_order, mem_flags, extent_start);
    return exact(xch, rc, nr_extents, EBUSY,
                 "xc_domain_populate_physmap_exact", domid);
}
