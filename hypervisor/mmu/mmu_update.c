/*
 * HYPERVISOR_mmu_update and the writable page-table emulation that shares
 * its entry update: new references are taken before the old ones are
 * dropped, and a refused update changes nothing.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"
#include "public/errno.h"

/* Bits whose change needs new references: the frame, present, and (in L1
 * entries) RW, which decides the writable type. */
static bool refs_unchanged(unsigned int level, uint64_t old, uint64_t new)
{
    uint64_t mask = PTE_ADDR_MASK | PTE_PRESENT | (level == 1 ? PTE_RW : 0);
    return pte_present(old) && ((old ^ new) & mask) == 0;
}

int pv_mod_entry(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                 struct pv_mm_domain *pg_owner, uint64_t table_mfn,
                 unsigned int level, unsigned int slot, uint64_t val,
                 bool preserve_ad)
{
    (void)v;
    if (level < 1 || level > 4 || slot >= PT_ENTRIES)
        return -XEN_EINVAL;
    if (level == 4 && !l4_slot_is_guest(slot))
        return -XEN_EINVAL;
    /* Only L1 entries may map another domain's frames. */
    if (level > 1 && pg_owner != pt_owner)
        return -XEN_EINVAL;

    uint64_t *table = frame_map(table_mfn);
    uint64_t old = table[slot];
    uint64_t new = val;
    int rc = 0;

    if (pte_present(new)) {
        rc = pt_entry_check_flags(level, new, pt_owner);
        if (rc)
            goto out;
        if (refs_unchanged(level, old, pt_entry_adjust(level, new))) {
            new = pt_entry_adjust(level, new);
        } else {
            rc = pt_entry_acquire(level, &new, pt_owner, pg_owner);
            if (rc)
                goto out;
        }
    }
    if (preserve_ad)
        new |= old & (PTE_ACCESSED | PTE_DIRTY);
    table[slot] = new;
    if (!(pte_present(new) && refs_unchanged(level, old, new)))
        pt_entry_release(level, old);
out:
    frame_unmap(table);
    return rc;
}

static int write_untyped_page(struct pv_mm_domain *pt_owner, uint64_t mfn,
                              unsigned int slot, uint64_t val)
{
    /* A page not in use as anything is written as a writable page, the
     * way Linux fills fresh tables before it hooks them in. */
    int rc = get_page_type(pt_owner, mfn, PGT_writable_page);
    if (rc)
        return -XEN_EINVAL;
    uint64_t *page = frame_map(mfn);
    page[slot] = val;
    frame_unmap(page);
    put_page_type(mfn);
    return 0;
}

static int normal_pt_update(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                            struct pv_mm_domain *pg_owner, uint64_t ptr,
                            uint64_t val, bool preserve_ad)
{
    uint64_t mfn = ptr >> PT_PAGE_SHIFT;
    unsigned int slot = (unsigned int)(ptr & (PT_PAGE_SIZE - 1)) / 8;

    if (!get_page(pt_owner, mfn))
        return -XEN_EINVAL;

    int rc;
    uint64_t type = page_type_in_use(mfn);
    unsigned int level = pgt_level(type);

    if (level)
        rc = pv_mod_entry(v, pt_owner, pg_owner, mfn, level, slot, val, preserve_ad);
    else if (type == PGT_writable_page || type == PGT_none)
        rc = write_untyped_page(pt_owner, mfn, slot, val);
    else
        rc = -XEN_EINVAL;       /* a descriptor page in use */
    put_page(mfn);
    return rc;
}

static int machphys_update(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                           struct pv_mm_domain *pg_owner, uint64_t ptr, uint64_t val)
{
    if (pt_owner != v->d)
        return -XEN_EPERM;

    uint64_t mfn = ptr >> PT_PAGE_SHIFT;
    const struct pv_mm_ops *p = pg_owner->ops;

    if (!get_page(pg_owner, mfn))
        return -XEN_EINVAL;
    int rc = -XEN_EINVAL;
    if (p && p->m2p && mfn < p->m2p_entries) {
        p->m2p[mfn] = val;
        rc = 0;
    }
    put_page(mfn);
    return rc;
}

int pv_mmu_update(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                  struct pv_mm_domain *pg_owner, const struct mmu_update *req)
{
    unsigned int cmd = (unsigned int)(req->ptr & 7);
    uint64_t ptr = req->ptr - cmd;

    switch (cmd) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_NO_TRANSLATE:    /* PV guests never translate */
        return normal_pt_update(v, pt_owner, pg_owner, ptr, req->val, false);
    case MMU_PT_UPDATE_PRESERVE_AD:
        return normal_pt_update(v, pt_owner, pg_owner, ptr, req->val, true);
    case MMU_MACHPHYS_UPDATE:
        return machphys_update(v, pt_owner, pg_owner, ptr, req->val);
    default:
        return -XEN_ENOSYS;
    }
}

int pv_mmu_update_batch(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                        struct pv_mm_domain *pg_owner,
                        const struct pv_mmu_source *reqs, unsigned int count,
                        unsigned int *done)
{
    unsigned int i;
    int rc = 0;

    for (i = 0; i < count; i++) {
        struct mmu_update req;

        if (i && reqs->preempt && reqs->preempt()) {
            rc = -PV_MMU_PREEMPTED;
            break;
        }
        rc = reqs->read(reqs->ctx, i, &req, sizeof(req));
        if (!rc)
            rc = pv_mmu_update(v, pt_owner, pg_owner, &req);
        if (rc)
            break;
    }
    if (done)
        *done = i;
    return rc;
}

int pv_ptwr_emulate(struct pv_mm_vcpu *v, uint64_t linear, uint64_t l1_mfn,
                    uint64_t val, bool cmpxchg, uint64_t *expected)
{
    struct pv_mm_domain *d = v->d;

    /* Only whole, aligned 8-byte entries are emulated. */
    if (linear & 7)
        return -XEN_EINVAL;
    if (!get_page(d, l1_mfn))
        return -XEN_EINVAL;
    int rc = -XEN_EINVAL;
    if (page_type_in_use(l1_mfn) != PGT_l1_page_table)
        goto out;

    unsigned int slot = (unsigned int)(linear & (PT_PAGE_SIZE - 1)) / 8;
    if (cmpxchg) {
        uint64_t *table = frame_map(l1_mfn);
        uint64_t cur = table[slot];
        frame_unmap(table);
        if (!expected) {
            rc = -XEN_EINVAL;
            goto out;
        }
        if (cur != *expected) {
            *expected = cur;
            rc = 1;
            goto out;
        }
    }
    rc = pv_mod_entry(v, d, d, l1_mfn, 1, slot, val, false);
out:
    put_page(l1_mfn);
    return rc;
}
