/*
 * GNTTABOP_copy: bytes between two pages, each named either by a grant
 * reference of some domain or by a frame of the caller's own, without
 * mapping anything into the guest.
 *
 * A grant side is pinned for the duration of the copy exactly like a host
 * mapping (GTF_reading, and GTF_writing for the destination), so the
 * granter cannot revoke it halfway.  The destination frame is held with a
 * writable type reference, so a page table is never written this way.
 * Xen caches the sides across the elements of one batch; each element
 * here claims and releases its own, with the same outcome.
 */
#include "common/grant.h"
#include "mmu/page_type.h"
#include "public/errno.h"

struct copy_side {
    struct grant_table *domain;
    grant_ref_t ref;
    bool is_gref;
    bool readonly;
    bool have_pin;
    bool have_ref;
    bool have_type;
    uint64_t mfn;
};

static int lock_side(struct grant_table *caller, const struct gnttab_copy_ptr *ptr,
                     bool is_gref, struct copy_side *side)
{
    /* Only the caller's own frames may be named directly. */
    if (ptr->domid != DOMID_SELF && !is_gref)
        return GNTST_permission_denied;
    side->domain = grant_find(caller, ptr->domid);
    if (!side->domain)
        return GNTST_bad_domain;
    side->is_gref = is_gref;
    return GNTST_okay;
}

/* Pin a grant for copying: like a host mapping, without maptrack. */
static int pin_for_copy(struct copy_side *s, uint16_t ldomid)
{
    struct grant_table *rd = s->domain;

    if (s->ref >= grant_nr_entries(rd))
        return GNTST_bad_gntref;

    struct grant_entry_v1 *shared = grant_shared_entry(rd, s->ref);
    struct grant_active *act = grant_active_entry(rd, s->ref);
    struct grant_pins p = act->pins;
    bool first = grant_pins_zero(p);

    if (!first && (act->domid != ldomid ||
                   (s->readonly ? p.host_ro : p.host_rw) >= GRANT_PIN_MAX))
        return GNTST_general_error;

    if (first || (!s->readonly && !grant_pins_writable(p))) {
        int rc = grant_entry_claim(shared, act, ldomid, s->readonly);
        if (rc != GNTST_okay)
            return rc;
        uint64_t frame = __atomic_load_n(&shared->frame, __ATOMIC_ACQUIRE);
        if (!get_page(rd->mm, frame)) {
            grant_entry_settle(shared, act, s->readonly);
            return GNTST_bad_page;
        }
        /* A writable use joining read-only ones must see the same frame. */
        if (!first && frame != act->mfn) {
            put_page(frame);
            grant_entry_settle(shared, act, s->readonly);
            return GNTST_general_error;
        }
        act->domid = ldomid;
        act->mfn = frame;
    } else if (!get_page(rd->mm, act->mfn)) {
        return GNTST_bad_domain;
    }

    grant_pin_add(act, GRANT_PIN_HOST, s->readonly);
    s->mfn = act->mfn;
    s->have_pin = true;
    s->have_ref = true;
    return GNTST_okay;
}

static int claim_side(struct grant_table *caller, const struct gnttab_copy_ptr *ptr,
                      struct copy_side *s)
{
    int rc;

    if (s->is_gref) {
        s->ref = ptr->u.ref;
        rc = pin_for_copy(s, caller->domid);
        if (rc != GNTST_okay)
            return rc;
    } else {
        if (!get_page(s->domain->mm, ptr->u.gmfn))
            return GNTST_bad_page;
        s->mfn = ptr->u.gmfn;
        s->have_ref = true;
    }

    if (!s->readonly) {
        if (get_page_type(s->domain->mm, s->mfn, PGT_writable_page))
            return GNTST_general_error;
        s->have_type = true;
    }
    return GNTST_okay;
}

static void release_side(struct copy_side *s)
{
    if (s->have_type)
        put_page_type(s->mfn);
    if (s->have_ref)
        put_page(s->mfn);
    if (s->have_pin) {
        struct grant_active *act = grant_active_entry(s->domain, s->ref);
        grant_pin_sub(act, GRANT_PIN_HOST, s->readonly);
        grant_entry_settle(grant_shared_entry(s->domain, s->ref), act, s->readonly);
    }
    s->have_type = s->have_ref = s->have_pin = false;
}

static void copy_bytes(const struct gnttab_copy *op, uint64_t dst_mfn, uint64_t src_mfn)
{
    uint8_t *dst = frame_map(dst_mfn);
    const uint8_t *src = frame_map(src_mfn);

    /* The same frame on both sides may overlap: move, not copy. */
    __builtin_memmove(dst + op->dest.offset, src + op->source.offset, op->len);
    frame_unmap((void *)src);
    frame_unmap(dst);
}

static int copy_claimed(struct grant_table *caller, const struct gnttab_copy *op,
                        struct copy_side *src, struct copy_side *dst)
{
    int rc = lock_side(caller, &op->source, op->flags & GNTCOPY_source_gref, src);
    if (rc == GNTST_okay)
        rc = lock_side(caller, &op->dest, op->flags & GNTCOPY_dest_gref, dst);
    if (rc == GNTST_okay)
        rc = claim_side(caller, &op->source, src);
    if (rc == GNTST_okay)
        rc = claim_side(caller, &op->dest, dst);
    if (rc != GNTST_okay)
        return rc;

    /* Checked only once both sides are claimed, as Xen does. */
    if ((uint32_t)op->source.offset + op->len > GRANT_PAGE_SIZE ||
        (uint32_t)op->dest.offset + op->len > GRANT_PAGE_SIZE)
        return GNTST_bad_copy_arg;

    copy_bytes(op, dst->mfn, src->mfn);
    return GNTST_okay;
}

void grant_copy_one(struct grant_table *caller, struct gnttab_copy *op)
{
    struct copy_side src = { .readonly = true };
    struct copy_side dst = { .readonly = false };

    int rc = copy_claimed(caller, op, &src, &dst);
    release_side(&dst);
    release_side(&src);
    op->status = (int16_t)rc;
}
