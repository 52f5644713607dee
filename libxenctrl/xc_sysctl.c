/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The machine: the sysctl wrappers under Xen's names (physinfo, the CPU
 * and NUMA topology, CPU idle times, the scheduler, the console ring)
 * and the CPU/node map helpers sized from physinfo.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    struct xen_sysctl sysctl = { .cmd = XEN_SYSCTL_physinfo };
    if (xc__sysctl(xch, &sysctl, "xc_physinfo") < 0)
        return -1;
    *info = sysctl.u.physinfo;
    return 0;
}

int xc_sched_id(xc_interface *xch, int *sched_id)
{
    struct xen_sysctl sysctl = { .cmd = XEN_SYSCTL_sched_id };
    if (xc__sysctl(xch, &sysctl, "xc_sched_id") < 0)
        return -1;
    *sched_id = (int)sysctl.u.sched_id.sched_id;
    return 0;
}

int xc_cputopoinfo(xc_interface *xch, unsigned *max_cpus, xc_cputopo_t *cputopo)
{
    struct xc_bounce b = XC_BOUNCE(cputopo, xc__array_size(*max_cpus, sizeof(*cputopo)),
                                   XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_cputopoinfo,
        .u.cputopoinfo.num_cpus = *max_cpus,
    };
    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    set_xen_guest_handle_raw(sysctl.u.cputopoinfo.cputopo, (xc_cputopo_t *)b.hbuf);
    int rc = xc__sysctl(xch, &sysctl, "xc_cputopoinfo");
    xc__bounce_post(xch, &b);
    if (rc < 0)
        return -1;
    *max_cpus = sysctl.u.cputopoinfo.num_cpus;
    return 0;
}

int xc_numainfo(xc_interface *xch, unsigned *max_nodes,
                xc_meminfo_t *meminfo, uint32_t *distance)
{
    size_t n = *max_nodes;
    struct xc_bounce bm = XC_BOUNCE(meminfo, xc__array_size(n, sizeof(*meminfo)),
                                    XC_BOUNCE_OUT);
    struct xc_bounce bd = XC_BOUNCE(distance,
                                    xc__array_size(xc__array_size(n, n), sizeof(*distance)),
                                    XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_numainfo,
        .u.numainfo.num_nodes = *max_nodes,
    };
    int rc = -1;

    if (xc__bounce_pre(xch, &bm) < 0)
        return -1;
    if (xc__bounce_pre(xch, &bd) < 0)
        goto out;
    set_xen_guest_handle_raw(sysctl.u.numainfo.meminfo, (xc_meminfo_t *)bm.hbuf);
    set_xen_guest_handle_raw(sysctl.u.numainfo.distance, (uint32_t *)bd.hbuf);
    rc = xc__sysctl(xch, &sysctl, "xc_numainfo");
    xc__bounce_post(xch, &bd);
    if (rc == 0)
        *max_nodes = sysctl.u.numainfo.num_nodes;
out:
    xc__bounce_post(xch, &bm);
    return rc < 0 ? -1 : 0;
}

int xc_getcpuinfo(xc_interface *xch, int max_cpus, xc_cpuinfo_t *info,
                  int *nr_cpus)
{
    if (max_cpus < 0) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_getcpuinfo: max_cpus %d", max_cpus);
        return -1;
    }
    struct xc_bounce b = XC_BOUNCE(info, xc__array_size((size_t)max_cpus, sizeof(*info)),
                                   XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_getcpuinfo,
        .u.getcpuinfo.max_cpus = (uint32_t)max_cpus,
    };
    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    set_xen_guest_handle_raw(sysctl.u.getcpuinfo.info, (xc_cpuinfo_t *)b.hbuf);
    int rc = xc__sysctl(xch, &sysctl, "xc_getcpuinfo");
    xc__bounce_post(xch, &b);
    if (rc < 0)
        return -1;
    if (nr_cpus)
        *nr_cpus = (int)sysctl.u.getcpuinfo.nr_cpus;
    return 0;
}

int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
                       int clear, int incremental, uint32_t *pindex)
{
    struct xc_bounce b = XC_BOUNCE(buffer, *pnr_chars, XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_readconsole,
        .u.readconsole.count = *pnr_chars,
        .u.readconsole.clear = !!clear,
    };
    /* Without pindex there is nowhere to resume from: a whole read. */
    if (pindex) {
        sysctl.u.readconsole.index = *pindex;
        sysctl.u.readconsole.incremental = !!incremental;
    }
    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    set_xen_guest_handle_raw(sysctl.u.readconsole.buffer, (char *)b.hbuf);
    int rc = xc__sysctl(xch, &sysctl, "xc_readconsolering");
    xc__bounce_post(xch, &b);
    if (rc < 0)
        return -1;
    if (sysctl.u.readconsole.count > *pnr_chars) {
        errno = EOVERFLOW;
        XC_PERROR(xch, "xc_readconsolering: %u bytes returned for a %u-byte buffer",
                  sysctl.u.readconsole.count, *pnr_chars);
        return -1;
    }
    *pnr_chars = sysctl.u.readconsole.count;
    if (pindex)
        *pindex = sysctl.u.readconsole.index;
    return 0;
}

/* ---- CPU and node maps ---- */

int xc_get_max_cpus(xc_interface *xch)
{
    xc_physinfo_t info;
    if (xc_physinfo(xch, &info) < 0)
        return -1;
    return (int)info.max_cpu_id + 1;
}

int xc_get_online_cpus(xc_interface *xch)
{
    xc_physinfo_t info;
    if (xc_physinfo(xch, &info) < 0)
        return -1;
    return (int)info.nr_cpus;
}

int xc_get_max_nodes(xc_interface *xch)
{
    xc_physinfo_t info;
    if (xc_physinfo(xch, &info) < 0)
        return -1;
    return (int)info.max_node_id + 1;
}

int xc_get_cpumap_size(xc_interface *xch)
{
    int max = xc_get_max_cpus(xch);
    return max < 0 ? -1 : (max + 7) / 8;
}

int xc_get_nodemap_size(xc_interface *xch)
{
    int max = xc_get_max_nodes(xch);
    return max < 0 ? -1 : (max + 7) / 8;
}

static uint8_t *map_alloc(xc_interface *xch, int size, const char *what)
{
    if (size <= 0) {
        XC_ERROR(xch, "%s: cannot learn the map's size", what);
        return NULL;
    }
    uint8_t *map = calloc(1, (size_t)size);
    if (!map)
        XC_PERROR(xch, "%s", what);
    return map;
}

xc_cpumap_t xc_cpumap_alloc(xc_interface *xch)
{
    return map_alloc(xch, xc_get_cpumap_size(xch), "xc_cpumap_alloc");
}

xc_nodemap_t xc_nodemap_alloc(xc_interface *xch)
{
    return map_alloc(xch, xc_get_nodemap_size(xch), "xc_nodemap_alloc");
}

void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map)
{
    map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
}

void xc_cpumap_setcpu(int cpu, xc_cpumap_t map)
{
    map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

int xc_cpumap_testcpu(int cpu, xc_cpumap_t map)
{
    return (map[cpu / 8] >> (cpu % 8)) & 1;
}

/* The CPUs that belong to no cpupool (what `xl info` counts as
 * free_cpus): a cpumap the caller frees, or NULL with errno set. */
xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch)
{
    int size = xc_get_cpumap_size(xch);
    if (size <= 0) {
        XC_ERROR(xch, "xc_cpupool_freeinfo: cannot learn the map's size");
        return NULL;
    }
    xc_cpumap_t map = calloc(1, (size_t)size);
    if (!map)
        return NULL;
    struct xc_bounce b = XC_BOUNCE(map, (size_t)size, XC_BOUNCE_OUT);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_cpupool_op,
        .u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO,
        .u.cpupool_op.cpumap.nr_bits = (uint32_t)size * 8,
    };
    if (xc__bounce_pre(xch, &b) < 0) {
        free(map);
        return NULL;
    }
    set_xen_guest_handle_raw(sysctl.u.cpupool_op.cpumap.bitmap, (uint8_t *)b.hbuf);
    int rc = xc__sysctl(xch, &sysctl, "xc_cpupool_freeinfo");
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        int saved = errno;
        free(map);
        errno = saved;
        return NULL;
    }
    return map;
}
