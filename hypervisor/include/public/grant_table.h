/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: grant tables (Xen 4.17 numbering and layout).
 *
 * A domain grants another access to one of its pages by filling an entry
 * of its grant table (shared with the hypervisor) and passing the entry's
 * index, the grant reference, to the other domain, which then maps or
 * copies through HYPERVISOR_grant_table_op(cmd, array, count).
 */
#ifndef SUBFLOOR_PUBLIC_GRANT_TABLE_H
#define SUBFLOOR_PUBLIC_GRANT_TABLE_H

#include "public/xen.h"

typedef uint32_t grant_ref_t;

/*
 * Version 1 entry.  The granting domain writes domid and frame, then sets
 * flags last (with a write barrier between); the hypervisor sets the
 * GTF_reading/GTF_writing bits while a mapping or copy is in use.
 */
struct grant_entry_v1 {
    uint16_t flags;            /* GTF_* */
    domid_t domid;             /* who may use the grant */
    uint32_t frame;            /* granted frame, or transfer destination */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* The first entries are set up by the toolstack for these rings. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type, in the low two bits of flags. */
#define GTF_invalid         (0U << 0)
#define GTF_permit_access   (1U << 0)
#define GTF_accept_transfer (2U << 0)
#define GTF_transitive      (3U << 0)
#define GTF_type_mask       (3U << 0)

/* Set by the granter for GTF_permit_access. */
#define _GTF_readonly (2)
#define GTF_readonly  (1U << _GTF_readonly)
/* Set by the hypervisor while the page is mapped or being copied. */
#define _GTF_reading  (3)
#define GTF_reading   (1U << _GTF_reading)
#define _GTF_writing  (4)
#define GTF_writing   (1U << _GTF_writing)
/* Cache attributes for the grantee's mapping. */
#define _GTF_PWT      (5)
#define GTF_PWT       (1U << _GTF_PWT)
#define _GTF_PCD      (6)
#define GTF_PCD       (1U << _GTF_PCD)
#define _GTF_PAT      (7)
#define GTF_PAT       (1U << _GTF_PAT)
/* Version 2 only: grants part of a page. */
#define _GTF_sub_page (8)
#define GTF_sub_page  (1U << _GTF_sub_page)

/* For GTF_accept_transfer: progress of a page transfer. */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/*
 * Version 2 entries: the status bits move to a separate array of
 * grant_status_t so the granter can read them without racing.
 */
struct grant_entry_header {
    uint16_t flags;
    domid_t domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
    grant_entry_header_t hdr;
    struct {
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {                   /* GTF_sub_page */
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {                   /* GTF_transitive: re-grant another grant */
        grant_entry_header_t hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];      /* fixes the entry at 16 bytes */
};
typedef union grant_entry_v2 grant_entry_v2_t;

typedef uint16_t grant_status_t;

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11
#define GNTTABOP_cache_flush         12

/* Names a mapping for the later unmap. */
typedef uint32_t grant_handle_t;

/*
 * Map grant `ref` of domain `dom`.  With GNTMAP_host_map, host_addr is the
 * virtual address to map at (or, with GNTMAP_contains_pte, the machine
 * address of the PTE to write).
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;        /* in */
    uint32_t flags;            /* in: GNTMAP_* */
    grant_ref_t ref;           /* in */
    domid_t dom;               /* in */
    int16_t status;            /* out: GNTST_* */
    grant_handle_t handle;     /* out */
    uint64_t dev_bus_addr;     /* out: with GNTMAP_device_map */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;        /* in */
    uint64_t dev_bus_addr;     /* in */
    grant_handle_t handle;     /* in */
    int16_t status;            /* out: GNTST_* */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/*
 * Grow the grant table of `dom` to nr_frames pages and return their
 * machine frames (PV maps them itself).
 */
struct gnttab_setup_table {
    domid_t dom;                           /* in */
    uint32_t nr_frames;                    /* in */
    int16_t status;                        /* out: GNTST_* */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* Print the table of `dom` on the hypervisor console (debugging). */
struct gnttab_dump_table {
    domid_t dom;               /* in */
    int16_t status;            /* out */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* Give page `mfn` away to the domain that offered `ref`. */
struct gnttab_transfer {
    xen_pfn_t mfn;             /* in */
    domid_t domid;             /* in */
    grant_ref_t ref;           /* in */
    int16_t status;            /* out */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/*
 * Copy bytes between granted and/or own pages without mapping them; each
 * side is a grant reference or a frame of the caller, per flags.
 */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;
            xen_pfn_t gmfn;
        } u;
        domid_t domid;
        uint16_t offset;
    } source, dest;            /* in */
    uint16_t len;              /* in: must not cross a page */
    uint16_t flags;            /* in: GNTCOPY_* */
    int16_t status;            /* out */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/* Current and maximum size of the grant table of `dom`, in frames. */
struct gnttab_query_size {
    domid_t dom;               /* in */
    uint32_t nr_frames;        /* out */
    uint32_t max_nr_frames;    /* out */
    int16_t status;            /* out */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/* Unmap host_addr and move the mapping of new_addr there. */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;        /* in */
    uint64_t new_addr;         /* in */
    grant_handle_t handle;     /* in */
    int16_t status;            /* out */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/* Choose entry format 1 or 2; returns the version in force. */
struct gnttab_set_version {
    uint32_t version;          /* in/out */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* Version 2: the frames of the status array. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;        /* in */
    domid_t dom;               /* in */
    int16_t status;            /* out */
    XEN_GUEST_HANDLE(uint64_t) frame_list;
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

struct gnttab_get_version {
    domid_t dom;               /* in */
    uint16_t pad;
    uint32_t version;          /* out */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/* Exchange two entries of the caller's own table. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;         /* in */
    grant_ref_t ref_b;         /* in */
    int16_t status;            /* out */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* Clean or invalidate caches for a granted range (Arm). */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      (0)   /* for device DMA: dev_bus_addr */
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        (1)   /* into the CPU's page tables */
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)   /* user-accessible mapping */
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    (4)   /* host_addr is a PTE's address */
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/* Bits the guest keeps for itself (XENFEAT_gnttab_map_avail_bits). */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes. */
#define GNTST_okay              (0)
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)  /* copy would cross a page */
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)  /* paged out: retry */
#define GNTST_no_space          (-13)

#endif /* SUBFLOOR_PUBLIC_GRANT_TABLE_H */
