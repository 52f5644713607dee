/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The scheduler: one domain's Credit2 weight and cap (domctl
 * scheduler_op), a pool's Credit2 rate limit (sysctl scheduler_op) and
 * the pools themselves (cpupool_op INFO), with Xen 4.17's calls.  The
 * hypervisor checks the values; these only carry them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

static int credit2_domain_op(xc_interface *xch, uint32_t domid, uint32_t cmd,
                             struct xen_domctl_sched_credit2 *sdom, const char *what)
{
    struct xen_domctl domctl = {
        .cmd = XEN_DOMCTL_scheduler_op,
        .domain = (domid_t)domid,
        .u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2,
        .u.scheduler_op.cmd = cmd,
    };
    if (!sdom) {
        errno = EINVAL;
        XC_PERROR(xch, "%s: no parameters given", what);
        return -1;
    }
    if (cmd == XEN_DOMCTL_SCHEDOP_putinfo)
        domctl.u.scheduler_op.u.credit2 = *sdom;
    if (xc__domctl(xch, &domctl, what) < 0)
        return -1;
    if (cmd == XEN_DOMCTL_SCHEDOP_getinfo)
        *sdom = domctl.u.scheduler_op.u.credit2;
    return 0;
}

int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom)
{
    return credit2_domain_op(xch, domid, XEN_DOMCTL_SCHEDOP_putinfo, sdom,
                             "xc_sched_credit2_domain_set");
}

int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom)
{
    return credit2_domain_op(xch, domid, XEN_DOMCTL_SCHEDOP_getinfo, sdom,
                             "xc_sched_credit2_domain_get");
}

/* Both directions give back what the hypervisor holds afterwards. */
static int credit2_pool_op(xc_interface *xch, uint32_t cpupool_id, uint32_t cmd,
                           struct xen_sysctl_credit2_schedule *schedule,
                           const char *what)
{
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_scheduler_op,
        .u.scheduler_op.cpupool_id = cpupool_id,
        .u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2,
        .u.scheduler_op.cmd = cmd,
    };
    if (!schedule) {
        errno = EINVAL;
        XC_PERROR(xch, "%s: no parameters given", what);
        return -1;
    }
    if (cmd == XEN_SYSCTL_SCHEDOP_putinfo)
        sysctl.u.scheduler_op.u.sched_credit2 = *schedule;
    if (xc__sysctl(xch, &sysctl, what) < 0)
        return -1;
    *schedule = sysctl.u.scheduler_op.u.sched_credit2;
    return 0;
}

int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule)
{
    return credit2_pool_op(xch, cpupool_id, XEN_SYSCTL_SCHEDOP_putinfo, schedule,
                           "xc_sched_credit2_params_set");
}

int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule)
{
    return credit2_pool_op(xch, cpupool_id, XEN_SYSCTL_SCHEDOP_getinfo, schedule,
                           "xc_sched_credit2_params_get");
}

xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid)
{
    int size = xc_get_cpumap_size(xch);
    if (size <= 0) {
        XC_ERROR(xch, "xc_cpupool_getinfo: cannot learn the map's size");
        return NULL;
    }
    xc_cpupoolinfo_t *info = calloc(1, sizeof(*info));
    xc_cpumap_t map = calloc(1, (size_t)size);
    if (!info || !map) {
        XC_PERROR(xch, "xc_cpupool_getinfo");
        goto fail;
    }
    struct xc_bounce b = XC_BOUNCE(map, (size_t)size, XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_cpupool_op,
        .u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO,
        .u.cpupool_op.cpupool_id = poolid,
        .u.cpupool_op.cpumap.nr_bits = (uint32_t)size * 8,
    };
    if (xc__bounce_pre(xch, &b) < 0)
        goto fail;
    set_xen_guest_handle_raw(sysctl.u.cpupool_op.cpumap.bitmap, (uint8_t *)b.hbuf);
    /* ENOENT past the last pool is how callers find the end of the list:
     * not worth a message. */
    int rc = xc__sysctl(xch, &sysctl, NULL);
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        if (errno != ENOENT)
            XC_PERROR(xch, "xc_cpupool_getinfo: pool %u", poolid);
        goto fail;
    }
    info->cpupool_id = sysctl.u.cpupool_op.cpupool_id;
    info->sched_id = sysctl.u.cpupool_op.sched_id;
    info->n_dom = sysctl.u.cpupool_op.n_dom;
    info->cpumap = map;
    return info;

fail: {
        int saved = errno;
        free(map);
        free(info);
        errno = saved;
        return NULL;
    }
}

void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info)
{
    (void)xch;
    if (!info)
        return;
    free(info->cpumap);
    free(info);
}
