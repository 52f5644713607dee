/*
 * Operations that name a guest linear address: update_va_mapping and the
 * lazy mapping of LDT pages, both found through the vCPU's current kernel
 * page tables.  Frame 0 never belongs to a guest (the low 1 MiB is the
 * I/O domain's), so 0 serves as "none" for base pointers and LDT frames,
 * as in Xen.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"
#include "public/errno.h"

static uint64_t read_entry(uint64_t table_mfn, unsigned int slot)
{
    const uint64_t *table = frame_map(table_mfn);
    uint64_t e = table[slot];
    frame_unmap((void *)table);
    return e;
}

int pv_find_l1_slot(const struct pv_mm_vcpu *v, uint64_t va,
                    uint64_t *l1_mfn, unsigned int *slot)
{
    uint64_t mfn = v->guest_table;

    if (!guest_va_ok(va) || !mfn)
        return -XEN_EINVAL;
    /* Each level was validated when it was typed, so every present entry
     * leads to a table of the next level; the type check is a guard
     * against a caller that hands in a stale base pointer. */
    for (unsigned int level = 4; level > 1; level--) {
        if (page_type_in_use(mfn) != pgt_of_level(level))
            return -XEN_EINVAL;
        uint64_t e = read_entry(mfn, pt_slot(va, level));
        if (!pte_present(e) || (level < 4 && (e & PTE_PSE)))
            return -XEN_EINVAL;
        mfn = pte_mfn(e);
    }
    if (page_type_in_use(mfn) != PGT_l1_page_table)
        return -XEN_EINVAL;
    *l1_mfn = mfn;
    *slot = pt_slot(va, 1);
    return 0;
}

/* The flush part of UVMF_* flags: the bits above the flush type are
 * UVMF_LOCAL (0), UVMF_ALL, or a guest pointer to a vCPU mask. */
static int uvmf_flush(struct pv_mm_vcpu *v, uint64_t va, uint64_t flags)
{
    const struct pv_mm_ops *p = v->d->ops;
    uint64_t type = flags & UVMF_FLUSHTYPE_MASK;
    uint64_t target = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK;
    bool invlpg = type == UVMF_INVLPG;

    if (!p || (type != UVMF_TLB_FLUSH && type != UVMF_INVLPG))
        return 0;
    if (target == UVMF_LOCAL) {
        if (invlpg && p->invlpg_local)
            p->invlpg_local(v, va);
        else if (!invlpg && p->flush_tlb_local)
            p->flush_tlb_local(v);
        return 0;
    }
    if (target == UVMF_ALL) {
        if (invlpg && p->invlpg_domain)
            p->invlpg_domain(v->d, va);
        else if (!invlpg && p->flush_tlb_domain)
            p->flush_tlb_domain(v->d);
        return 0;
    }
    return p->flush_vcpumask ? p->flush_vcpumask(v->d, guest_ptr(target), invlpg, va) : 0;
}

int pv_update_va_mapping(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                         uint64_t va, uint64_t val, uint64_t flags)
{
    uint64_t l1;
    unsigned int slot;
    int rc = pv_find_l1_slot(v, va, &l1, &slot);

    if (rc)
        return rc;
    if (!get_page(v->d, l1))
        return -XEN_EINVAL;
    rc = pv_mod_entry(v, v->d, pg_owner, l1, 1, slot, val, false);
    put_page(l1);
    /* A refused update changed nothing: no flush. */
    if (rc)
        return rc;
    return uvmf_flush(v, va, flags);
}

bool pv_ldt_release(struct pv_mm_vcpu *v)
{
    bool any = false;

    for (unsigned int i = 0; i < PV_LDT_MAX_PAGES; i++) {
        if (!v->ldt_frames[i])
            continue;
        put_page_and_type(v->ldt_frames[i]);
        v->ldt_frames[i] = 0;
        any = true;
    }
    return any;
}

bool pv_ldt_map_page(struct pv_mm_vcpu *v, uint32_t offset, uint64_t *pte)
{
    if ((uint64_t)offset >= (uint64_t)v->ldt_ents * 8)
        return false;

    unsigned int page = offset >> PT_PAGE_SHIFT;
    uint64_t linear = v->ldt_base + ((uint64_t)page << PT_PAGE_SHIFT);
    uint64_t l1;
    unsigned int slot;

    if (pv_find_l1_slot(v, linear, &l1, &slot))
        return false;
    uint64_t gl1e = read_entry(l1, slot);
    if (!pte_present(gl1e))
        return false;

    uint64_t mfn = pte_mfn(gl1e);
    if (v->ldt_frames[page] != mfn) {
        /* get_page_type fails while any writable mapping exists. */
        if (get_page_and_type(v->d, mfn, PGT_seg_desc_page))
            return false;
        if (v->ldt_frames[page])
            put_page_and_type(v->ldt_frames[page]);
        v->ldt_frames[page] = mfn;
    }
    *pte = gl1e & ~(PTE_RW | PTE_GUEST_KERNEL);
    return true;
}

void pv_mm_vcpu_release(struct pv_mm_vcpu *v)
{
    pv_ldt_release(v);
    if (v->guest_table)
        put_page_and_type(v->guest_table);
    if (v->guest_table_user)
        put_page_and_type(v->guest_table_user);
    v->guest_table = 0;
    v->guest_table_user = 0;
}
