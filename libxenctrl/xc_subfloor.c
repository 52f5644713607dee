/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Subfloor's own additions to the interface: figures Xen does not keep.
 * On Xen the sysctl is unknown and the call fails with its errno.
 */
#include <string.h>

#include "xc_private.h"

int xc_subfloor_vcpu_sched_stats(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                                 xc_subfloor_vcpu_stats_t *stats)
{
    struct xen_sysctl sysctl = { .cmd = SUBFLOOR_SYSCTL_vcpu_sched_stats };
    xc_subfloor_vcpu_stats_t op = { .domid = domid, .vcpu = vcpu };

    _Static_assert(sizeof(op) <= sizeof(sysctl.u.pad), "the stats fit the sysctl's union");
    memcpy(sysctl.u.pad, &op, sizeof(op));
    if (xc__sysctl(xch, &sysctl, "xc_subfloor_vcpu_sched_stats") < 0)
        return -1;
    memcpy(stats, sysctl.u.pad, sizeof(*stats));
    return 0;
}
