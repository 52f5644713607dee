/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_domctl, the toolstack's control of one
 * domain (Xen 4.17, interface version 0x15).
 *
 * Called as domctl(struct xen_domctl *).  Only a privileged domain may
 * call it (-EPERM otherwise); a structure of another interface version
 * is refused with -EACCES.  `domain` names the domain acted on; the
 * result is 0 or a negated errno, and OUT fields are copied back.
 */
#ifndef SUBFLOOR_PUBLIC_DOMCTL_H
#define SUBFLOOR_PUBLIC_DOMCTL_H

#include "public/xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/*
 * XEN_DOMCTL_createdomain: `domain` in is the id wanted (0 or a reserved
 * id: the hypervisor picks one); out, the id given.
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;                   /* security label (XSM); 0 */
    xen_domain_handle_t handle;         /* the domain's UUID */
#define XEN_DOMCTL_CDF_hvm          (1U << 0)
#define XEN_DOMCTL_CDF_hap          (1U << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off      (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1U << 4)
#define XEN_DOMCTL_CDF_iommu        (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1U << 6)
#define XEN_DOMCTL_CDF_vpmu         (1U << 7)
#define XEN_DOMCTL_CDF_MAX          XEN_DOMCTL_CDF_vpmu
    uint32_t flags;
#define XEN_DOMCTL_IOMMU_no_sharept (1U << 0)
#define XEN_DOMCTL_IOMMU_MAX        XEN_DOMCTL_IOMMU_no_sharept
    uint32_t iommu_opts;
    /* Limits; for the two frame counts, negative means the default. */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;
    int32_t max_maptrack_frames;
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)
    uint32_t grant_opts;
    uint32_t vmtrace_size;              /* per-vCPU trace buffer; 0 none */
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo (and each element of sysctl
 * getdomaininfolist): a snapshot of one domain. */
struct xen_domctl_getdomaininfo {
    domid_t domain;
    uint16_t pad1;
#define XEN_DOMINF_dying         (1U << 0)   /* being destroyed */
#define XEN_DOMINF_hvm_guest     (1U << 1)
#define XEN_DOMINF_shutdown      (1U << 2)   /* the guest shut itself down */
#define XEN_DOMINF_paused        (1U << 3)   /* paused by the toolstack */
#define XEN_DOMINF_blocked       (1U << 4)   /* every vCPU waits for events */
#define XEN_DOMINF_running       (1U << 5)   /* a vCPU is on a CPU now */
#define XEN_DOMINF_debugged      (1U << 6)
#define XEN_DOMINF_xs_domain     (1U << 7)
#define XEN_DOMINF_hap           (1U << 8)
/* The shutdown reason (SHUTDOWN_*), in bits 16-23 when shutdown is set. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16
    uint32_t flags;
    uint64_aligned_t tot_pages;
    uint64_aligned_t max_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t shr_pages;
    uint64_aligned_t paged_pages;
    uint64_aligned_t shared_info_frame;
    uint64_aligned_t cpu_time;          /* ns run, all vCPUs */
    uint32_t nr_online_vcpus;
#define XEN_INVALID_MAX_VCPU_ID (~0U)
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits;
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);

/* XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity. */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
#define XEN_VCPUAFFINITY_HARD  (1U << 0)
#define XEN_VCPUAFFINITY_SOFT  (1U << 1)
#define XEN_VCPUAFFINITY_FORCE (1U << 2)
    uint32_t flags;
    struct xenctl_bitmap cpumap_hard;   /* set: in and out (what took effect) */
    struct xenctl_bitmap cpumap_soft;
};

/* XEN_DOMCTL_max_mem: the domain's memory limit, in KiB. */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;
};

/* XEN_DOMCTL_setvcpucontext / getvcpucontext. */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    XEN_GUEST_HANDLE_64(vcpu_guest_context_t) ctxt;
};

/* XEN_DOMCTL_getvcpuinfo. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint8_t online;
    uint8_t blocked;
    uint8_t running;
    uint64_aligned_t cpu_time;          /* ns run */
    uint32_t cpu;                       /* the CPU it is on, or last ran on */
};

/* XEN_DOMCTL_max_vcpus. */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* Scheduler ids, as XEN_SYSCTL_sched_id and the scheduler ops name them. */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9    /* one vCPU per CPU, no time sharing */

/* XEN_DOMCTL_scheduler_op: one domain's parameters under its pool's
 * scheduler.  sched_id must name that scheduler (EINVAL otherwise). */
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2    /* per-vCPU: RTDS only */
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_sched_credit {
    uint16_t weight;
    uint16_t cap;
};
struct xen_domctl_sched_credit2 {
    uint16_t weight;                    /* 1..65535; 0 in putinfo: unchanged */
    uint16_t cap;                       /* percent of one CPU, 0 = none */
};
struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
    uint32_t flags;
};
typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t);
struct xen_domctl_scheduler_op {
    uint32_t sched_id;                  /* XEN_SCHEDULER_* */
    uint32_t cmd;                       /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;          /* in: the array's length; out: done */
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle: a new UUID. */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* XEN_DOMCTL_settimeoffset: seconds added to the domain's wallclock. */
struct xen_domctl_settimeoffset {
    int64_aligned_t time_offset_seconds;
};

/* XEN_DOMCTL_hypercall_init: the hypervisor writes its hypercall stubs
 * into the domain's frame gmfn (the PV domain builder's request, from the
 * kernel's XEN_ELFNOTE_HYPERCALL_PAGE). */
struct xen_domctl_hypercall_init {
    uint64_aligned_t gmfn;
};

struct xen_domctl {
#define XEN_DOMCTL_createdomain      1
#define XEN_DOMCTL_destroydomain     2
#define XEN_DOMCTL_pausedomain       3
#define XEN_DOMCTL_unpausedomain     4
#define XEN_DOMCTL_getdomaininfo     5
#define XEN_DOMCTL_setvcpuaffinity   9
#define XEN_DOMCTL_max_mem          11
#define XEN_DOMCTL_setvcpucontext   12
#define XEN_DOMCTL_getvcpucontext   13
#define XEN_DOMCTL_getvcpuinfo      14
#define XEN_DOMCTL_max_vcpus        15
#define XEN_DOMCTL_scheduler_op     16
#define XEN_DOMCTL_setdomainhandle  17
#define XEN_DOMCTL_hypercall_init   22
#define XEN_DOMCTL_settimeoffset    24
#define XEN_DOMCTL_getvcpuaffinity  25
    uint32_t cmd;
    uint32_t interface_version;         /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_settimeoffset settimeoffset;
        struct xen_domctl_hypercall_init hypercall_init;
        uint8_t pad[128];               /* the union's size in Xen's ABI */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

#endif
