/*
 * Grant tables, version 1 (Xen 4.17 semantics): how one domain lets another
 * map or copy one of its pages.
 *
 * Each domain embeds one struct grant_table.  It has two halves:
 *
 *  - the granting side: the shared frames the guest writes grant entries
 *    into, and one active entry per reference that records who has the
 *    grant pinned (mapped, or in the middle of a copy), how often, and the
 *    machine frame it resolved to;
 *  - the mapping side: the maptrack, a table of handles naming what this
 *    domain mapped from others (granting domain, ref, GNTMAP_* flags).
 *
 * The logic never touches hardware: frames are reached through
 * frame_access.h, references and types through page_type.h, and whatever
 * only the hypervisor can do (allocate memory, find a domain, write a guest
 * page-table entry) through struct grant_ops.  That keeps it testable
 * on the host (tests/grants).
 *
 * Callers serialise: every function here expects the caller to hold the
 * lock that protects grant tables and frame reference counts (the PV MMU
 * lock is enough to start with).  The only concurrent writer this code
 * copes with is the guest itself, which may rewrite its shared entries at
 * any moment: those are only changed with atomic operations.
 *
 * Op functions take argument structs the hypercall layer has already
 * copied in, fill in their outputs and status (GNTST_*), and return
 * nothing or a negated Xen errno where Xen fails the whole hypercall.
 */
#ifndef SUBFLOOR_GRANT_H
#define SUBFLOOR_GRANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mmu/frame_access.h"
#include "public/grant_table.h"

/* Xen 4.17's defaults (gnttab_max_frames, gnttab_max_maptrack_frames),
 * used when the domain builder asks for no specific limit.  They are also
 * the upper bounds a domain may be given. */
#define GRANT_DEFAULT_MAX_FRAMES           64u
#define GRANT_DEFAULT_MAX_MAPTRACK_FRAMES  1024u
/* Xen starts every table with one frame; setup_table grows it. */
#define GRANT_INITIAL_FRAMES               1u

#define GRANT_PAGE_SIZE          4096u
#define GRANT_ENTRIES_PER_FRAME  (GRANT_PAGE_SIZE / sizeof(struct grant_entry_v1))
/* Xen sizes maptrack in pages of 16-byte entries; the limits above count
 * those pages, so the handle capacity is the same as Xen's. */
#define GRANT_MAPTRACK_PER_FRAME 256u

/* Pin counters saturate where Xen's 8-bit ones would overflow: the map or
 * copy that would overflow one fails with GNTST_general_error. */
#define GRANT_PIN_MAX 255u

struct grant_table;

/* What the hypervisor provides.  One instance for the whole machine. */
struct grant_ops {
    /* Zeroed hypervisor memory for the table's own bookkeeping; NULL when
     * out of memory. */
    void *(*zalloc)(size_t bytes);
    void (*free)(void *ptr);

    /*
     * A zeroed frame shared writable with the domain gt belongs to, as
     * Xen's share_xen_page_with_guest does: owned by the domain, allocated,
     * one general reference and a writable type reference held so it can
     * never become a page table.  *va is a hypervisor pointer valid until
     * free_shared_frame.  Returns 0 or a negated Xen errno.
     */
    int (*alloc_shared_frame)(struct grant_table *gt, uint64_t *mfn, void **va);
    void (*free_shared_frame)(struct grant_table *gt, uint64_t mfn, void *va);

    /* The grant table of domain domid (never DOMID_SELF), also while the
     * domain is dying; NULL when no such domain exists. */
    struct grant_table *(*find_domain)(uint16_t domid);

    /*
     * Write the PTE a GNTMAP_host_map mapping needs into the mapper's page
     * tables: at linear address host_addr, or, with GNTMAP_contains_pte,
     * into the L1 entry at machine address host_addr.  The PTE holds the
     * references the grant code took (one general reference, plus a
     * writable type reference unless GNTMAP_readonly), as any L1 entry
     * does, so the mapper's page-table teardown drops them.  Returns
     * GNTST_okay or GNTST_general_error (no L1 there, not the mapper's own
     * page table).
     */
    int (*create_host_mapping)(struct grant_table *mapper, uint64_t host_addr,
                               uint64_t mfn, uint32_t gntmap_flags,
                               uint16_t cache_flags);
    /*
     * Clear that PTE again without dropping its references (the grant code
     * drops them).  Must check that the entry still maps mfn, present and
     * with the same writability, and leave it alone otherwise.  Returns
     * GNTST_okay or GNTST_general_error.
     */
    int (*destroy_host_mapping)(struct grant_table *mapper, uint64_t host_addr,
                                uint64_t mfn, uint32_t gntmap_flags);

    /* A domain misbehaved in a way Xen answers by crashing it (an unmap
     * naming a granting domain that no longer exists).  May be NULL. */
    void (*crash_domain)(struct grant_table *gt);
};

/* Pin counts of one active entry. */
struct grant_pins {
    uint8_t host_rw, host_ro, dev_rw, dev_ro;
};

/* The hypervisor's record of a granted reference while it is pinned. */
struct grant_active {
    struct grant_pins pins;
    uint16_t domid;      /* the domain holding the pins */
    uint64_t mfn;        /* frame the entry resolved to on first pin */
};

/* One maptrack slot: a mapping this domain holds of another's grant. */
struct grant_mapping {
    uint32_t flags;      /* GNTMAP_* still in force; 0: slot is free */
    grant_ref_t ref;
    uint16_t domid;      /* granting domain */
    uint64_t host_addr;  /* for the listing only */
    uint64_t mfn;
    uint32_t next_free;  /* free-list link while flags == 0 */
};

struct grant_table {
    uint16_t domid;
    bool privileged;                 /* may operate on other domains' tables */
    const struct pv_mm_domain *mm;   /* owner identity for get_page */
    const struct grant_ops *ops;
    void *owner;                     /* the hypervisor's struct domain */

    uint32_t version;                /* always 1 */

    uint32_t nr_frames;
    uint32_t max_frames;
    uint64_t *frame_mfn;             /* [max_frames] */
    struct grant_entry_v1 **frame_va;/* [max_frames] */
    struct grant_active **active;    /* [max_frames] arrays of one frame's worth */

    uint32_t max_maptrack_frames;
    uint32_t maptrack_limit;         /* handles that exist */
    uint32_t maptrack_in_use;
    uint32_t maptrack_free;          /* head of the free list */
    struct grant_mapping **maptrack; /* [max_maptrack_frames] */

    bool initialised;
};

/* Limits requested by the domain builder; a negative value takes the
 * default.  Xen refuses max_frames below one frame or above the default,
 * and more maptrack frames than the default (zero is allowed: such a
 * domain can grant but not map). */
struct grant_config {
    uint16_t domid;
    bool privileged;
    const struct pv_mm_domain *mm;
    const struct grant_ops *ops;
    void *owner;
    int32_t max_frames;
    int32_t max_maptrack_frames;
};

/* --- the table and its frames (grant_table.c) --- */

/* 0, -XEN_EINVAL for limits out of range, -XEN_ENOMEM.  On failure
 * nothing stays allocated. */
int grant_table_init(struct grant_table *gt, const struct grant_config *cfg);

/* Number of entries the current frames hold. */
static inline uint32_t grant_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * (uint32_t)GRANT_ENTRIES_PER_FRAME;
}

/* Grow to nr_frames (never shrinks).  0, -XEN_EINVAL above max_frames,
 * -XEN_ENOMEM (then the table keeps its old size). */
int grant_table_grow(struct grant_table *gt, uint32_t nr_frames);

/* The shared entry and the active entry of ref; ref < grant_nr_entries. */
struct grant_entry_v1 *grant_shared_entry(const struct grant_table *gt, grant_ref_t ref);
struct grant_active *grant_active_entry(const struct grant_table *gt, grant_ref_t ref);

/*
 * Last step of a domain's destruction.  Refuses (-XEN_EBUSY, nothing
 * freed) while another domain still has one of this domain's grants
 * pinned, or while this domain still holds mappings of others (call
 * grant_release_mappings first): the domain has to stay, and
 * grant_list_active says who holds what.  0 when everything was freed.
 */
int grant_table_destroy(struct grant_table *gt);

/* --- active-grant bookkeeping (grant_active.c) --- */

static inline bool grant_pins_zero(struct grant_pins p)
{
    return !(p.host_rw | p.host_ro | p.dev_rw | p.dev_ro);
}

static inline bool grant_pins_writable(struct grant_pins p)
{
    return p.host_rw || p.dev_rw;
}

/*
 * The flags handshake, on the first pin of an entry or when a writable
 * use joins read-only ones: check (on a first pin) that the entry is
 * GTF_permit_access for domid, refuse writable use of a GTF_readonly
 * grant, and set GTF_reading (and GTF_writing) with compare-exchange on
 * the flags and domid together, retrying a few times against a guest
 * rewriting the entry.  GNTST_okay or GNTST_general_error.
 */
int grant_entry_claim(struct grant_entry_v1 *shared, const struct grant_active *act,
                      uint16_t domid, bool readonly);
/* After a pin went away: clear GTF_reading when nothing is pinned any
 * more, GTF_writing when no writable pin is left. */
void grant_entry_settle(struct grant_entry_v1 *shared, const struct grant_active *act,
                        bool readonly_release);

/* Pin counter arithmetic: the host or device counter, read-only or
 * writable.  grant_pin_add returns false when the counter is full. */
enum grant_pin_kind { GRANT_PIN_HOST, GRANT_PIN_DEV };
bool grant_pin_add(struct grant_active *act, enum grant_pin_kind kind, bool readonly);
void grant_pin_sub(struct grant_active *act, enum grant_pin_kind kind, bool readonly);

/* A view of one pinned entry, for debug keys and the toolstack. */
struct grant_active_info {
    uint16_t granter;    /* this table's domain */
    grant_ref_t ref;
    uint16_t holder;     /* domain holding the pins */
    uint64_t mfn;
    struct grant_pins pins;
    uint16_t shared_flags;
};

/* Calls visit for every pinned entry of gt in ref order; visit returns
 * false to stop.  Returns the number of pinned entries visited. */
uint32_t grant_list_active(const struct grant_table *gt,
                           bool (*visit)(const struct grant_active_info *info, void *ctx),
                           void *ctx);

/* --- maptrack (grant_maptrack.c) --- */

#define GRANT_INVALID_HANDLE 0xffffffffu

/* A free handle, growing the maptrack by a frame's worth of slots when
 * needed; GRANT_INVALID_HANDLE when the limit is reached or memory is
 * short.  The slot stays free (flags 0) until the caller fills it. */
grant_handle_t grant_maptrack_get(struct grant_table *gt);
void grant_maptrack_put(struct grant_table *gt, grant_handle_t handle);
/* The slot of handle if it exists (free or not), else NULL. */
struct grant_mapping *grant_maptrack_slot(const struct grant_table *gt,
                                          grant_handle_t handle);
void grant_maptrack_free_all(struct grant_table *gt);

struct grant_mapping_info {
    uint16_t mapper;     /* this table's domain */
    grant_handle_t handle;
    uint16_t granter;
    grant_ref_t ref;
    uint32_t flags;
    uint64_t host_addr;
    uint64_t mfn;
};

/* Every live mapping this domain holds, in handle order. */
uint32_t grant_list_mappings(const struct grant_table *gt,
                             bool (*visit)(const struct grant_mapping_info *info, void *ctx),
                             void *ctx);

/* --- map and unmap (grant_map.c) --- */

/* GNTTABOP_map_grant_ref for one element, on behalf of caller. */
void grant_map_ref(struct grant_table *caller, struct gnttab_map_grant_ref *op);
/* GNTTABOP_unmap_grant_ref for one element. */
void grant_unmap_ref(struct grant_table *caller, struct gnttab_unmap_grant_ref *op);

/*
 * A dying domain lets go of every grant it maps: the granters' pins and
 * GTF_reading/GTF_writing are dropped, and the references device
 * mappings took.  As in Xen for PV guests, the references of host
 * mappings belong to the PTEs and go when the domain's page tables are
 * torn down.
 */
void grant_release_mappings(struct grant_table *gt);

/* --- copy (grant_copy.c) --- */

/* GNTTABOP_copy for one element. */
void grant_copy_one(struct grant_table *caller, struct gnttab_copy *op);

/* --- the other ops (grant_setup.c) --- */

/*
 * What the hypercall layer checks before touching the argument array, as
 * Xen does: count must fit an int, setup_table and query_size (and
 * get_status_frames) take exactly one element, the continuation bits
 * above the command are only valid for cache_flush, commands this table
 * does not implement give -XEN_ENOSYS.  0 or a negated Xen errno.
 */
int grant_op_check(uint32_t cmd, uint32_t count);

/* frame_list of setup_table is written through this, element by element;
 * put returns false when the guest buffer faulted. */
struct grant_frame_sink {
    bool (*put)(void *ctx, uint32_t index, uint64_t mfn);
    void *ctx;
};

void grant_op_setup_table(struct grant_table *caller, struct gnttab_setup_table *op,
                          const struct grant_frame_sink *frames);
void grant_op_query_size(struct grant_table *caller, struct gnttab_query_size *op);
/* op->version is set to the version in force; returns 0 or -XEN_EINVAL
 * (not 1 or 2), -XEN_ENOSYS (2: version 2 is not offered, as Xen with
 * gnttab=max-ver:1). */
int grant_op_set_version(struct grant_table *caller, struct gnttab_set_version *op);
/* 0, -XEN_ESRCH (no such domain), -XEN_EPERM (another domain's table
 * without privilege). */
int grant_op_get_version(struct grant_table *caller, struct gnttab_get_version *op);

/* Resolve a domid as the ops do: DOMID_SELF is the caller. */
struct grant_table *grant_find(struct grant_table *caller, uint16_t domid);
/* Xen's XSM_TARGET rule: a domain may act on its own table, a privileged
 * one on any. */
bool grant_may_control(const struct grant_table *caller, const struct grant_table *target);

#endif
