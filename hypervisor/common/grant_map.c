/*
 * GNTTABOP_map_grant_ref and GNTTABOP_unmap_grant_ref, and the release of
 * a dying domain's mappings.
 *
 * Reference accounting follows Xen for PV guests.  Every mapping holds one
 * general reference on the granted frame per kind of mapping (host, device)
 * and, unless read-only, one writable type reference per kind: a frame
 * somebody maps writable can then never become a page table, and it stays
 * allocated while mapped even if its owner frees or dies.  The active
 * entry's pin counts say how many mappings of each kind exist; the shared
 * entry's GTF_reading/GTF_writing tell the granter whether it may revoke.
 * Status codes and the order of the checks are Xen 4.17's.
 */
#include "arch/x86/pte.h"
#include "common/grant.h"
#include "mmu/page_type.h"
#include "public/errno.h"

/* Xen finds no L1 entry for such an address, or corrupts nothing: both
 * end as GNTST_general_error. */
static bool host_addr_usable(uint64_t host_addr, uint32_t flags)
{
    if (flags & GNTMAP_contains_pte)
        return (host_addr & (sizeof(uint64_t) - 1)) == 0;
    return guest_va_ok(host_addr);
}

/* What one map request took, so a failure can give it all back. */
struct map_undo {
    unsigned int refs;
    unsigned int types;
    bool host_created;
};

static void undo_refs(uint64_t mfn, const struct map_undo *u)
{
    for (unsigned int i = 0; i < u->types; i++)
        put_page_type(mfn);
    for (unsigned int i = 0; i < u->refs; i++)
        put_page(mfn);
}

static bool would_overflow(const struct grant_active *act, uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    const struct grant_pins *p = &act->pins;

    if ((flags & GNTMAP_host_map) && (ro ? p->host_ro : p->host_rw) >= GRANT_PIN_MAX)
        return true;
    return (flags & GNTMAP_device_map) && (ro ? p->dev_ro : p->dev_rw) >= GRANT_PIN_MAX;
}

static void pins_change(struct grant_active *act, uint32_t flags, bool add)
{
    bool ro = flags & GNTMAP_readonly;

    if (flags & GNTMAP_device_map) {
        if (add)
            grant_pin_add(act, GRANT_PIN_DEV, ro);
        else
            grant_pin_sub(act, GRANT_PIN_DEV, ro);
    }
    if (flags & GNTMAP_host_map) {
        if (add)
            grant_pin_add(act, GRANT_PIN_HOST, ro);
        else
            grant_pin_sub(act, GRANT_PIN_HOST, ro);
    }
}

/*
 * Pin the entry for the caller: the handshake on first use (or on the
 * first writable use), and the frame resolved and referenced.  On success
 * one general reference on *mfn is held for the caller.
 */
static int pin_entry(struct grant_table *rd, grant_ref_t ref, uint16_t ldomid,
                     uint32_t flags, uint64_t *mfn)
{
    struct grant_entry_v1 *shared = grant_shared_entry(rd, ref);
    struct grant_active *act = grant_active_entry(rd, ref);
    bool ro = flags & GNTMAP_readonly;
    bool first = grant_pins_zero(act->pins);

    if (!first && (act->domid != ldomid || would_overflow(act, flags)))
        return GNTST_general_error;

    if (first || (!ro && !grant_pins_writable(act->pins))) {
        int rc = grant_entry_claim(shared, act, ldomid, ro);
        if (rc != GNTST_okay)
            return rc;
    }

    if (first) {
        uint64_t frame = __atomic_load_n(&shared->frame, __ATOMIC_ACQUIRE);
        /* PV grants name machine frames; the granter must own it. */
        if (!get_page(rd->mm, frame)) {
            grant_entry_settle(shared, act, ro);
            return GNTST_bad_page;
        }
        act->domid = ldomid;
        act->mfn = frame;
    } else if (!get_page(rd->mm, act->mfn)) {
        /* The frame changed hands under a live pin: the owner is dying. */
        grant_entry_settle(shared, act, ro);
        return GNTST_general_error;
    }

    pins_change(act, flags, true);
    *mfn = act->mfn;
    return GNTST_okay;
}

/* The type and extra references each kind of mapping needs, then the PTE. */
static int take_frame(struct grant_table *ld, const struct grant_table *rd,
                      const struct gnttab_map_grant_ref *op, uint64_t mfn,
                      struct map_undo *u)
{
    bool ro = op->flags & GNTMAP_readonly;

    if ((op->flags & GNTMAP_device_map) && !ro) {
        if (get_page_type(rd->mm, mfn, PGT_writable_page))
            return GNTST_general_error;
        u->types++;
    }
    if (!(op->flags & GNTMAP_host_map))
        return GNTST_okay;

    /* The reference pin_entry took belongs to the device mapping then. */
    if (op->flags & GNTMAP_device_map) {
        if (!get_page(rd->mm, mfn))
            return GNTST_general_error;
        u->refs++;
    }
    if (!ro) {
        if (get_page_type(rd->mm, mfn, PGT_writable_page))
            return GNTST_general_error;
        u->types++;
    }
    if (!host_addr_usable(op->host_addr, op->flags) || !ld->ops->create_host_mapping)
        return GNTST_general_error;
    int rc = ld->ops->create_host_mapping(ld, op->host_addr, mfn, op->flags, 0);
    if (rc != GNTST_okay)
        return rc;
    u->host_created = true;
    return GNTST_okay;
}

void grant_map_ref(struct grant_table *ld, struct gnttab_map_grant_ref *op)
{
    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
        op->status = GNTST_bad_gntref;
        return;
    }

    struct grant_table *rd = op->dom == DOMID_SELF ? NULL
                             : ld->ops->find_domain(op->dom);
    if (!rd) {
        op->status = GNTST_bad_domain;
        return;
    }

    grant_handle_t handle = grant_maptrack_get(ld);
    if (handle == GRANT_INVALID_HANDLE) {
        op->status = GNTST_no_space;
        return;
    }

    int rc = GNTST_bad_gntref;
    uint64_t mfn = 0;
    if (op->ref < grant_nr_entries(rd))
        rc = pin_entry(rd, op->ref, ld->domid, op->flags, &mfn);
    if (rc != GNTST_okay) {
        grant_maptrack_put(ld, handle);
        op->status = (int16_t)rc;
        return;
    }

    struct map_undo undo = { .refs = 1 };
    rc = take_frame(ld, rd, op, mfn, &undo);
    if (rc != GNTST_okay) {
        if (undo.host_created)
            ld->ops->destroy_host_mapping(ld, op->host_addr, mfn, op->flags);
        undo_refs(mfn, &undo);
        struct grant_active *act = grant_active_entry(rd, op->ref);
        pins_change(act, op->flags, false);
        grant_entry_settle(grant_shared_entry(rd, op->ref), act, op->flags & GNTMAP_readonly);
        grant_maptrack_put(ld, handle);
        op->status = (int16_t)rc;
        return;
    }

    struct grant_mapping *m = grant_maptrack_slot(ld, handle);
    m->domid = op->dom;
    m->ref = op->ref;
    m->host_addr = op->host_addr;
    m->mfn = mfn;
    m->flags = op->flags;

    op->dev_bus_addr = mfn << 12;
    op->handle = handle;
    op->status = GNTST_okay;
}

/* Give back what the mapping kinds in `done` held, and their pins. */
static void release_kinds(struct grant_table *rd, grant_ref_t ref, uint32_t done,
                          bool drop_host_refs)
{
    struct grant_active *act = grant_active_entry(rd, ref);
    bool ro = done & GNTMAP_readonly;
    uint64_t mfn = act->mfn;

    if (done & GNTMAP_device_map) {
        if (!ro)
            put_page_type(mfn);
        put_page(mfn);
    }
    if ((done & GNTMAP_host_map) && drop_host_refs) {
        if (!ro)
            put_page_type(mfn);
        put_page(mfn);
    }
    pins_change(act, done, false);
    grant_entry_settle(grant_shared_entry(rd, ref), act, ro);
}

void grant_unmap_ref(struct grant_table *ld, struct gnttab_unmap_grant_ref *op)
{
    struct grant_mapping *m = grant_maptrack_slot(ld, op->handle);

    if (!m || !m->flags) {
        op->status = GNTST_bad_handle;
        return;
    }

    struct grant_table *rd = ld->ops->find_domain(m->domid);
    if (!rd) {
        /* Only possible if the hypervisor freed a granter's table while
         * it was still mapped; Xen crashes the caller here. */
        if (ld->ops->crash_domain)
            ld->ops->crash_domain(ld);
        op->status = GNTST_general_error;
        return;
    }
    if (m->ref >= grant_nr_entries(rd)) {
        op->status = GNTST_bad_handle;
        return;
    }

    uint64_t mfn = grant_active_entry(rd, m->ref)->mfn;
    uint32_t flags = m->flags;

    if (op->dev_bus_addr && (flags & GNTMAP_device_map) && op->dev_bus_addr != (mfn << 12)) {
        op->status = GNTST_bad_dev_addr;
        return;
    }

    uint32_t done = 0;
    if (op->host_addr && (flags & GNTMAP_host_map)) {
        int rc = ld->ops->destroy_host_mapping
                 ? ld->ops->destroy_host_mapping(ld, op->host_addr, mfn, flags)
                 : GNTST_general_error;
        if (rc != GNTST_okay) {
            op->status = (int16_t)rc;
            return;
        }
        m->flags &= ~(uint32_t)GNTMAP_host_map;
        done |= GNTMAP_host_map;
    }
    if (op->dev_bus_addr && (flags & GNTMAP_device_map)) {
        m->flags &= ~(uint32_t)GNTMAP_device_map;
        done |= GNTMAP_device_map;
    }

    grant_ref_t ref = m->ref;
    if (!(m->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        grant_maptrack_put(ld, op->handle);
    if (done)
        release_kinds(rd, ref, done | (flags & GNTMAP_readonly), true);
    op->status = GNTST_okay;
}

void grant_release_mappings(struct grant_table *gt)
{
    for (grant_handle_t h = 0; h < gt->maptrack_limit; h++) {
        struct grant_mapping *m = grant_maptrack_slot(gt, h);
        uint32_t flags = m->flags & (GNTMAP_host_map | GNTMAP_device_map);

        if (!flags)
            continue;
        struct grant_table *rd = gt->ops->find_domain(m->domid);
        if (rd && m->ref < grant_nr_entries(rd))
            release_kinds(rd, m->ref, m->flags, false);
        grant_maptrack_put(gt, h);
    }
}
