/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_memory_op (Xen 4.17 numbering).
 *
 * Called as memory_op(cmd, argument).  For the reservation commands the
 * return value is the number of extents done; a short count means the
 * rest failed.
 */
#ifndef SUBFLOOR_PUBLIC_MEMORY_H
#define SUBFLOOR_PUBLIC_MEMORY_H

#include "public/xen.h"

/*
 * Give the domain more memory, return some, or populate pseudo-physical
 * frames (extent_start lists the gpfns to fill; for PV it receives the
 * machine frames allocated).  Argument: struct xen_memory_reservation.
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* mem_flags: the low byte limits the address width (0: no limit). */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
/* NUMA node + 1 in bits 8-15 (0: any node). */
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;  /* frames in or out */
    xen_ulong_t nr_extents;
    unsigned int extent_order;   /* each extent is 2^order pages */
    unsigned int mem_flags;      /* XENMEMF_* */
    domid_t domid;               /* DOMID_SELF, or a domain dom0 builds */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);

/*
 * Trade the frames in `in` for freshly allocated ones described by `out`
 * (e.g. to get memory below 4 GiB).  nr_exchanged says how far it got.
 */
#define XENMEM_exchange 11
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);

/* Highest machine frame in the system; no argument. */
#define XENMEM_maximum_ram_page 2

/* Argument: a domid_t (DOMID_SELF allowed); result in pages or a frame. */
struct xen_memory_domain {
    domid_t domid;
};
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_maximum_gpfn        14

/*
 * The machine frames holding the m2p table, 2 MiB each, so that dom0 can
 * map it.  In: max_extents.  Out: nr_extents.
 */
#define XENMEM_machphys_mfn_list 5
struct xen_machphys_mfn_list {
    unsigned int max_extents;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    unsigned int nr_extents;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);

#define XENMEM_machphys_compat_mfn_list 25

/* Where the read-only m2p table is mapped in the guest, and its size. */
#define XENMEM_machphys_mapping 12
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;  /* virtual range of the table */
    xen_ulong_t max_mfn;         /* highest frame it covers */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);

/* What XENMEM_add_to_physmap maps: xen_add_to_physmap.space. */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5

/* Map a hypervisor-owned or guest page at pseudo-physical frame gpfn. */
#define XENMEM_add_to_physmap 7
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;             /* pages, for XENMAPSPACE_gmfn_range */
    unsigned int space;        /* XENMAPSPACE_* */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;           /* which page of that space */
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

/* The same for `size` pages at once, with a per-page error array. */
#define XENMEM_add_to_physmap_batch 23
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    union xen_add_to_physmap_batch_extra {
        domid_t foreign_domid; /* for XENMAPSPACE_gmfn_foreign */
        uint16_t res0;         /* otherwise 0 */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

#define XENMEM_remove_from_physmap 15
struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

/*
 * E820-style memory maps.  In: nr_entries = room in buffer.  Out: entries
 * written.  memory_map is the caller's pseudo-physical map;
 * machine_memory_map (dom0) is the host's firmware map; set_memory_map
 * (toolstack) sets a domain's.
 */
#define XENMEM_memory_map 9
struct xen_memory_map {
    unsigned int nr_entries;
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);

#define XENMEM_machine_memory_map 10

#define XENMEM_set_memory_map 13
struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);

/* Populate-on-demand target of an HVM domain. */
#define XENMEM_set_pod_target 16
#define XENMEM_get_pod_target 17
struct xen_pod_target {
    uint64_t target_pages;     /* in (set) */
    uint64_t tot_pages;        /* out */
    uint64_t pod_cache_pages;  /* out */
    uint64_t pod_entries;      /* out */
    domid_t domid;             /* in */
};
typedef struct xen_pod_target xen_pod_target_t;

/* Let a domain count on this many pages later (toolstack; 0 cancels). */
#define XENMEM_claim_pages 24

/* Map hypervisor resources of a domain (grant table, ioreq pages). */
#define XENMEM_acquire_resource 28
struct xen_mem_acquire_resource {
    domid_t domid;
    uint16_t type;             /* XENMEM_resource_* */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
    uint32_t id;
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
    uint32_t nr_frames;        /* in: wanted; out: mapped (or available) */
    uint32_t pad;
    uint64_t frame;            /* first frame of the resource */
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);

/* Virtual NUMA layout of the caller. */
#define XENMEM_get_vnumainfo 26
struct xen_vmemrange {
    uint64_t start, end;
    unsigned int flags;
    unsigned int nid;
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);

/* The unions pin each handle to 8 bytes for 32-bit callers too. */
struct xen_vnuma_topology_info {
    domid_t domid;
    uint16_t pad;
    unsigned int nr_vnodes;
    unsigned int nr_vcpus;
    unsigned int nr_vmemranges;
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vdistance;
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vcpu_to_vnode;
    union {
        XEN_GUEST_HANDLE(xen_vmemrange_t) h;
        uint64_t pad;
    } vmemrange;
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);

#endif /* SUBFLOOR_PUBLIC_MEMORY_H */
