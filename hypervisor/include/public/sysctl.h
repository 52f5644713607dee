/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_sysctl, the toolstack's view of the
 * whole machine (Xen 4.17, interface version 0x15).
 *
 * Called as sysctl(struct xen_sysctl *); privileged domains only
 * (-EPERM), another interface version -EACCES; 0 or a negated errno,
 * with OUT fields copied back.
 */
#ifndef SUBFLOOR_PUBLIC_SYSCTL_H
#define SUBFLOOR_PUBLIC_SYSCTL_H

#include "public/xen.h"
#include "public/domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/* XEN_SYSCTL_readconsole: the hypervisor's log ring. */
struct xen_sysctl_readconsole {
    uint8_t clear;          /* empty the ring after reading */
    uint8_t incremental;    /* start at `index`, not at the oldest byte */
    uint8_t pad0, pad1;
    uint32_t index;         /* in: where to start (incremental); out: where
                             * the next incremental read starts */
    XEN_GUEST_HANDLE_64(char) buffer;
    uint32_t count;         /* in: the buffer's size; out: bytes written */
};

/* XEN_SYSCTL_physinfo: the machine's CPUs and memory. */
#define XEN_SYSCTL_PHYSCAP_hvm                (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv                 (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio           (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap                (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow             (1u << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1u << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace            (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu               (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1          (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2          (1u << 9)
#define XEN_SYSCTL_PHYSCAP_MAX                XEN_SYSCTL_PHYSCAP_gnttab_v2
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;           /* online */
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;      /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_aligned_t total_pages;
    uint64_aligned_t free_pages;
    uint64_aligned_t scrub_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t max_mfn;
    uint32_t hw_cap[8];         /* CPUID feature words, as Xen lists them */
};

/* XEN_SYSCTL_sched_id: XEN_SCHEDULER_* of the default pool. */
struct xen_sysctl_sched_id {
    uint32_t sched_id;
};

/* XEN_SYSCTL_getdomaininfolist: up to max_domains domains with id >=
 * first_domain, in id order. */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain;
    uint32_t max_domains;
    XEN_GUEST_HANDLE_64(xen_domctl_getdomaininfo_t) buffer;
    uint32_t num_domains;       /* out: how many were written */
};

/* XEN_SYSCTL_getcpuinfo: idle time of each CPU. */
struct xen_sysctl_cpuinfo {
    uint64_aligned_t idletime;  /* ns */
};
typedef struct xen_sysctl_cpuinfo xen_sysctl_cpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_cpuinfo_t);
struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;
    XEN_GUEST_HANDLE_64(xen_sysctl_cpuinfo_t) info;
    uint32_t nr_cpus;           /* out */
};

/* XEN_SYSCTL_cputopoinfo: core, socket and node of each CPU.  A NULL
 * cputopo asks only for the number of CPUs. */
#define XEN_INVALID_CORE_ID   (~0U)
#define XEN_INVALID_SOCKET_ID (~0U)
#define XEN_INVALID_NODE_ID   (~0U)
struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
typedef struct xen_sysctl_cputopo xen_sysctl_cputopo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_cputopo_t);
struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus;          /* in: the array's length; out: CPUs there are */
    XEN_GUEST_HANDLE_64(xen_sysctl_cputopo_t) cputopo;
};

/* XEN_SYSCTL_numainfo: memory of each node and the distances between
 * them (i * nodes + j).  NULL arrays ask only for the count. */
#define XEN_INVALID_MEM_SZ    (~0U)
#define XEN_INVALID_NODE_DIST (~0U)
struct xen_sysctl_meminfo {
    uint64_t memsize;
    uint64_t memfree;
};
typedef struct xen_sysctl_meminfo xen_sysctl_meminfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_meminfo_t);
struct xen_sysctl_numainfo {
    uint32_t num_nodes;
    XEN_GUEST_HANDLE_64(xen_sysctl_meminfo_t) meminfo;
    XEN_GUEST_HANDLE_64(uint32) distance;
};

/* XEN_SYSCTL_cpupool_op: CPU pools.  There is one pool, 0, with every
 * CPU and every domain. */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE     1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY    2
#define XEN_SYSCTL_CPUPOOL_OP_INFO       3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU     4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU      5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO   7
#define XEN_SYSCTL_CPUPOOL_PAR_ANY       0xFFFFFFFF
struct xen_sysctl_cpupool_op {
    uint32_t op;                /* XEN_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;        /* INFO: the first pool >= this; out: its id */
    uint32_t sched_id;          /* INFO out */
    uint32_t domid;
    uint32_t cpu;
    uint32_t n_dom;             /* INFO out: domains in the pool */
    struct xenctl_bitmap cpumap;    /* INFO: its CPUs; FREEINFO: CPUs in none */
};

/* XEN_SYSCTL_scheduler_op: a pool's scheduler-wide parameters.
 * sched_id must name the pool's scheduler. */
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000   /* us; 0 turns it off */
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100
#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
struct xen_sysctl_credit_schedule {
    uint32_t tslice_ms;
    uint32_t ratelimit_us;
    uint32_t vcpu_migr_delay_us;
};
struct xen_sysctl_credit2_schedule {
    uint32_t ratelimit_us;      /* least time a vCPU runs before preemption */
};
struct xen_sysctl_scheduler_op {
    uint32_t cpupool_id;
    uint32_t sched_id;          /* XEN_SCHEDULER_* */
    uint32_t cmd;               /* XEN_SYSCTL_SCHEDOP_* */
    union {
        /* ARINC653's schedule (not implemented): its handle gives the
         * union 8-byte alignment, so u sits at offset 16. */
        struct xen_sysctl_sched_arinc653 {
            XEN_GUEST_HANDLE_64(uint8) schedule;
        } sched_arinc653;
        struct xen_sysctl_credit_schedule sched_credit;
        struct xen_sysctl_credit2_schedule sched_credit2;
    } u;
};

/*
 * SUBFLOOR_SYSCTL_vcpu_sched_stats: Subfloor's own (Xen has no such
 * command; its number is far from Xen's).  One vCPU's wake-to-run
 * latency and runnable-but-waiting time, in ns, which the guest cannot
 * see for itself.  It sits in xen_sysctl's union (u.pad), not named
 * there, so that the union stays member for member Xen's.
 */
#define SUBFLOOR_SYSCTL_vcpu_sched_stats 0x5346
struct subfloor_sysctl_vcpu_sched_stats {
    uint32_t domid;                     /* IN */
    uint32_t vcpu;                      /* IN */
    uint32_t state;                     /* 0 offline, 1 runnable, 2 running, 3 blocked */
    uint32_t cpu;
    int64_aligned_t credit;
    uint64_aligned_t run_ns;
    uint64_aligned_t wake_count, wake_p50_ns, wake_p99_ns, wake_max_ns;
    uint64_aligned_t wait_count, wait_total_ns, wait_p50_ns, wait_p99_ns, wait_max_ns;
};

struct xen_sysctl {
#define XEN_SYSCTL_readconsole       1
#define XEN_SYSCTL_physinfo          3
#define XEN_SYSCTL_sched_id          4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_getcpuinfo        8
#define XEN_SYSCTL_cputopoinfo      16
#define XEN_SYSCTL_numainfo         17
#define XEN_SYSCTL_cpupool_op       18
#define XEN_SYSCTL_scheduler_op     19
    uint32_t cmd;
    uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_getcpuinfo getcpuinfo;
        struct xen_sysctl_cputopoinfo cputopoinfo;
        struct xen_sysctl_numainfo numainfo;
        struct xen_sysctl_cpupool_op cpupool_op;
        struct xen_sysctl_scheduler_op scheduler_op;
        uint8_t pad[128];           /* the union's size in Xen's ABI */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

#endif
