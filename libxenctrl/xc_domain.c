/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Domains: the domctl wrappers under Xen's names.  Each fills one struct
 * xen_domctl, which xc__domctl bounces through a hypercall buffer; data
 * the domctl points at (vCPU contexts, CPU maps) is bounced as well.
 */
#include <string.h>

#include "xc_private.h"

static int simple_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid,
                         const char *what)
{
    struct xen_domctl domctl = { .cmd = cmd, .domain = (domid_t)domid };
    return xc__domctl(xch, &domctl, what);
}

int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
                     struct xen_domctl_createdomain *config)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_createdomain,
        .domain = (domid_t)*pdomid,
        .u.createdomain = *config,
    };
    if (xc__domctl(xch, &domctl, "xc_domain_create") < 0)
        return -1;
    *pdomid = domctl.domain;
    *config = domctl.u.createdomain;
    return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
    /* Destruction is long; a hypervisor may answer EAGAIN until done. */
    struct xen_domctl domctl;
    int rc;
    do {
        memset(&domctl, 0, sizeof(domctl));
        domctl.cmd = XEN_DOMCTL_destroydomain;
        domctl.domain = (domid_t)domid;
        rc = xc__domctl(xch, &domctl, NULL);
    } while (rc < 0 && errno == EAGAIN);
    if (rc < 0 && errno != EACCES)
        XC_PERROR(xch, "xc_domain_destroy: domain %u", domid);
    return rc;
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    return simple_domctl(xch, XEN_DOMCTL_pausedomain, domid, "xc_domain_pause");
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    return simple_domctl(xch, XEN_DOMCTL_unpausedomain, domid, "xc_domain_unpause");
}

int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
    struct sched_remote_shutdown arg = {
        .domain_id = (domid_t)domid,
        .reason = (unsigned int)reason,
    };
    struct xc_bounce b = XC_BOUNCE(&arg, sizeof(arg), XC_BOUNCE_IN);

    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    long rc = xc__hypercall(xch, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                            (uint64_t)(uintptr_t)b.hbuf, 0, 0, 0);
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        XC_PERROR(xch, "xc_domain_shutdown: SCHEDOP_remote_shutdown of domain %u",
                  domid);
        return -1;
    }
    return 0;
}

int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_max_vcpus,
        .domain = (domid_t)domid,
        .u.max_vcpus.max = max,
    };
    return xc__domctl(xch, &domctl, "xc_domain_max_vcpus");
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_max_mem,
        .domain = (domid_t)domid,
        .u.max_mem.max_memkb = max_memkb,
    };
    return xc__domctl(xch, &domctl, "xc_domain_setmaxmem");
}

int xc_domain_sethandle(xc_interface *xch, uint32_t domid,
                        xen_domain_handle_t handle)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_setdomainhandle,
        .domain = (domid_t)domid,
    };
    memcpy(domctl.u.setdomainhandle.handle, handle, sizeof(xen_domain_handle_t));
    return xc__domctl(xch, &domctl, "xc_domain_sethandle");
}

int xc_domain_set_time_offset(xc_interface *xch, uint32_t domid,
                              int32_t time_offset_seconds)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_settimeoffset,
        .domain = (domid_t)domid,
        .u.settimeoffset.time_offset_seconds = time_offset_seconds,
    };
    return xc__domctl(xch, &domctl, "xc_domain_set_time_offset");
}

/* xc_dominfo_t, the unpacked form of one xen_domctl_getdomaininfo. */
static void unpack_dominfo(xc_dominfo_t *out, const xc_domaininfo_t *in)
{
    uint32_t f = in->flags;

    memset(out, 0, sizeof(*out));
    out->domid = in->domain;
    out->ssidref = in->ssidref;
    out->dying = !!(f & XEN_DOMINF_dying);
    out->shutdown = !!(f & XEN_DOMINF_shutdown);
    out->paused = !!(f & XEN_DOMINF_paused);
    out->blocked = !!(f & XEN_DOMINF_blocked);
    out->running = !!(f & XEN_DOMINF_running);
    out->hvm = !!(f & XEN_DOMINF_hvm_guest);
    out->debugged = !!(f & XEN_DOMINF_debugged);
    out->xenstore = !!(f & XEN_DOMINF_xs_domain);
    out->hap = !!(f & XEN_DOMINF_hap);
    out->shutdown_reason = (f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    out->crashed = out->shutdown && out->shutdown_reason == SHUTDOWN_crash;
    out->nr_pages = in->tot_pages;
    out->nr_outstanding_pages = in->outstanding_pages;
    out->nr_shared_pages = in->shr_pages;
    out->nr_paged_pages = in->paged_pages;
    out->max_memkb = in->max_pages << (XC_PAGE_SHIFT - 10);
    out->shared_info_frame = in->shared_info_frame;
    out->cpu_time = in->cpu_time;
    out->nr_online_vcpus = in->nr_online_vcpus;
    out->max_vcpu_id = in->max_vcpu_id;
    memcpy(out->handle, in->handle, sizeof(xen_domain_handle_t));
    out->cpupool = in->cpupool;
    out->gpaddr_bits = in->gpaddr_bits;
    out->arch_config = in->arch_config;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
                      unsigned int max_doms, xc_dominfo_t *info)
{
    unsigned int n;
    uint32_t next = first_domid;
    int rc = 0;

    for (n = 0; n < max_doms && next < DOMID_FIRST_RESERVED; n++) {
        struct xen_domctl domctl = {
            .cmd = XEN_DOMCTL_getdomaininfo,
            .domain = (domid_t)next,
        };
        /* Xen 4.17 answers for the first domain at or above the id, and
         * ESRCH past the last one: the end of the list, not an error. */
        rc = xc__domctl(xch, &domctl, NULL);
        if (rc < 0)
            break;
        unpack_dominfo(&info[n], &domctl.u.getdomaininfo);
        info[n].domid = domctl.domain;
        next = (uint32_t)domctl.domain + 1;
    }
    if (n == 0 && rc < 0) {
        if (errno != ESRCH && errno != EACCES)
            XC_PERROR(xch, "xc_domain_getinfo: from domain %u", first_domid);
        return -1;
    }
    return (int)n;
}

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
                             xc_domaininfo_t *info)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_getdomaininfo,
        .domain = (domid_t)domid,
    };
    if (xc__domctl(xch, &domctl, NULL) < 0)
        return -1;
    if (domctl.domain != domid) {
        errno = ESRCH;      /* 4.17 moved on to the next domain up */
        return -1;
    }
    if (info)
        *info = domctl.u.getdomaininfo;
    return 0;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info)
{
    struct xc_bounce b = XC_BOUNCE(info, xc__array_size(max_domains, sizeof(*info)),
                                   XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_getdomaininfolist,
        .u.getdomaininfolist.first_domain = (domid_t)first_domain,
        .u.getdomaininfolist.max_domains = max_domains,
    };
    int rc;

    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    set_xen_guest_handle_raw(sysctl.u.getdomaininfolist.buffer,
                             (xc_domaininfo_t *)b.hbuf);
    rc = xc__sysctl(xch, &sysctl, "xc_domain_getinfolist");
    xc__bounce_post(xch, &b);
    if (rc < 0)
        return -1;
    if (sysctl.u.getdomaininfolist.num_domains > max_domains) {
        errno = EOVERFLOW;
        XC_PERROR(xch, "xc_domain_getinfolist: %u domains returned for room for %u",
                  sysctl.u.getdomaininfolist.num_domains, max_domains);
        return -1;
    }
    return (int)sysctl.u.getdomaininfolist.num_domains;
}

long xc_get_tot_pages(xc_interface *xch, uint32_t domid)
{
    xc_domaininfo_t info;
    if (xc_domain_getinfo_single(xch, domid, &info) < 0) {
        XC_PERROR(xch, "xc_get_tot_pages: domain %u", domid);
        return -1;
    }
    return (long)info.tot_pages;
}

/* ---- vCPUs ---- */

static int vcpu_affinity(xc_interface *xch, uint32_t cmd, uint32_t domid,
                         int vcpu, xc_cpumap_t hard, xc_cpumap_t soft,
                         uint32_t flags, const char *what)
{
    int size = xc_get_cpumap_size(xch);
    if (size <= 0) {
        XC_ERROR(xch, "%s: cannot learn the size of a CPU map", what);
        return -1;
    }
    /* A set call reads the maps and writes back what took effect. */
    int dir = cmd == XEN_DOMCTL_setvcpuaffinity ? XC_BOUNCE_BOTH : XC_BOUNCE_OUT;
    struct xc_bounce bh = XC_BOUNCE((flags & XEN_VCPUAFFINITY_HARD) ? hard : NULL,
                                    (size_t)size, dir);
    struct xc_bounce bs = XC_BOUNCE((flags & XEN_VCPUAFFINITY_SOFT) ? soft : NULL,
                                    (size_t)size, dir);
    struct xen_domctl domctl = {
        .cmd = cmd,
        .domain = (domid_t)domid,
        .u.vcpuaffinity.vcpu = (uint32_t)vcpu,
        .u.vcpuaffinity.flags = flags,
    };
    int rc = -1;

    if (xc__bounce_pre(xch, &bh) < 0)
        return -1;
    if (xc__bounce_pre(xch, &bs) < 0)
        goto out;
    set_xen_guest_handle_raw(domctl.u.vcpuaffinity.cpumap_hard.bitmap,
                             (uint8_t *)bh.hbuf);
    domctl.u.vcpuaffinity.cpumap_hard.nr_bits = bh.hbuf ? (uint32_t)size * 8 : 0;
    set_xen_guest_handle_raw(domctl.u.vcpuaffinity.cpumap_soft.bitmap,
                             (uint8_t *)bs.hbuf);
    domctl.u.vcpuaffinity.cpumap_soft.nr_bits = bs.hbuf ? (uint32_t)size * 8 : 0;
    rc = xc__domctl(xch, &domctl, what);
    xc__bounce_post(xch, &bs);
out:
    xc__bounce_post(xch, &bh);
    return rc;
}

int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard_inout,
                        xc_cpumap_t cpumap_soft_inout, uint32_t flags)
{
    return vcpu_affinity(xch, XEN_DOMCTL_setvcpuaffinity, domid, vcpu,
                         cpumap_hard_inout, cpumap_soft_inout, flags,
                         "xc_vcpu_setaffinity");
}

int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
                        uint32_t flags)
{
    return vcpu_affinity(xch, XEN_DOMCTL_getvcpuaffinity, domid, vcpu,
                         cpumap_hard, cpumap_soft, flags, "xc_vcpu_getaffinity");
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_getvcpuinfo,
        .domain = (domid_t)domid,
        .u.getvcpuinfo.vcpu = vcpu,
    };
    if (xc__domctl(xch, &domctl, "xc_vcpu_getinfo") < 0)
        return -1;
    *info = domctl.u.getvcpuinfo;
    return 0;
}

static int vcpu_context(xc_interface *xch, uint32_t cmd, uint32_t domid,
                        uint32_t vcpu, vcpu_guest_context_any_t *ctxt,
                        int dir, const char *what)
{
    struct xc_bounce b = XC_BOUNCE(ctxt, sizeof(*ctxt), dir);
    struct xen_domctl domctl = {
        .cmd = cmd,
        .domain = (domid_t)domid,
        .u.vcpucontext.vcpu = vcpu,
    };
    if (!ctxt) {
        errno = EINVAL;
        XC_PERROR(xch, "%s: no context given", what);
        return -1;
    }
    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    set_xen_guest_handle_raw(domctl.u.vcpucontext.ctxt,
                             (vcpu_guest_context_t *)b.hbuf);
    int rc = xc__domctl(xch, &domctl, what);
    xc__bounce_post(xch, &b);
    return rc;
}

int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt)
{
    return vcpu_context(xch, XEN_DOMCTL_getvcpucontext, domid, vcpu, ctxt,
                        XC_BOUNCE_OUT, "xc_vcpu_getcontext");
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt)
{
    return vcpu_context(xch, XEN_DOMCTL_setvcpucontext, domid, vcpu, ctxt,
                        XC_BOUNCE_IN, "xc_vcpu_setcontext");
}
