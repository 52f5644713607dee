/*
 * HYPERVISOR_mmuext_op: pinning, base pointers, TLB and cache flushes,
 * the LDT, and page clearing/copying, one operation at a time.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"
#include "public/errno.h"

static const struct pv_mm_ops *mm_ops_of(const struct pv_mm_vcpu *v)
{
    return v->d->ops;
}

static int new_baseptr(struct pv_mm_vcpu *v, uint64_t mfn)
{
    const struct pv_mm_ops *p = mm_ops_of(v);
    uint64_t old = v->guest_table;

    if (old == mfn) {
        if (p && p->load_cr3)
            p->load_cr3(v);
        return 0;
    }
    int rc = get_page_and_type(v->d, mfn, PGT_l4_page_table);
    if (rc)
        return rc;
    /* The LDT was found through the old tables. */
    pv_ldt_release(v);
    v->guest_table = mfn;
    if (p && p->load_cr3)
        p->load_cr3(v);
    if (old)
        put_page_and_type(old);
    return 0;
}

/* mfn 0 means "no user page tables" (Linux passes it in cpu_init). */
static int new_user_baseptr(struct pv_mm_vcpu *v, uint64_t mfn)
{
    uint64_t old = v->guest_table_user;

    if (old == mfn)
        return 0;
    if (mfn) {
        int rc = get_page_and_type(v->d, mfn, PGT_l4_page_table);
        if (rc)
            return rc;
    }
    v->guest_table_user = mfn;
    if (old)
        put_page_and_type(old);
    return 0;
}

static int set_ldt(struct pv_mm_vcpu *v, uint64_t base, uint32_t ents)
{
    const struct pv_mm_ops *p = mm_ops_of(v);

    if (ents > PV_LDT_MAX_ENTS)
        return -XEN_EINVAL;
    if (ents && ((base & (PT_PAGE_SIZE - 1)) || !guest_va_ok(base)))
        return -XEN_EINVAL;
    if (!ents)
        base = 0;
    if (v->ldt_ents == ents && v->ldt_base == base)
        return 0;
    if (pv_ldt_release(v) && p && p->flush_tlb_local)
        p->flush_tlb_local(v);
    v->ldt_base = base;
    v->ldt_ents = ents;
    if (p && p->load_ldt)
        p->load_ldt(v);
    return 0;
}

static int clear_page(struct pv_mm_domain *pg_owner, uint64_t mfn)
{
    if (get_page_and_type(pg_owner, mfn, PGT_writable_page))
        return -XEN_EINVAL;
    void *page = frame_map(mfn);
    __builtin_memset(page, 0, PT_PAGE_SIZE);
    frame_unmap(page);
    put_page_and_type(mfn);
    return 0;
}

static int copy_page(struct pv_mm_domain *pg_owner, uint64_t dst, uint64_t src)
{
    if (!get_page(pg_owner, src))
        return -XEN_EINVAL;
    if (get_page_and_type(pg_owner, dst, PGT_writable_page)) {
        put_page(src);
        return -XEN_EINVAL;
    }
    void *to = frame_map(dst);
    const void *from = frame_map(src);
    __builtin_memcpy(to, from, PT_PAGE_SIZE);
    frame_unmap((void *)from);
    frame_unmap(to);
    put_page_and_type(dst);
    put_page(src);
    return 0;
}

static int flush_op(struct pv_mm_vcpu *v, const struct mmuext_op *op)
{
    const struct pv_mm_ops *p = mm_ops_of(v);
    uint64_t va = op->arg1.linear_addr;

    if (!p)
        return 0;
    switch (op->cmd) {
    case MMUEXT_TLB_FLUSH_LOCAL:
        if (p->flush_tlb_local)
            p->flush_tlb_local(v);
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (guest_va_ok(va) && p->invlpg_local)
            p->invlpg_local(v, va);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI: {
        bool invlpg = op->cmd == MMUEXT_INVLPG_MULTI;
        guest_ptr_t mask = guest_handle_ptr(op->arg2.vcpumask);
        /* Nothing to invalidate at an address the guest cannot use. */
        if (invlpg && !guest_va_ok(va))
            return 0;
        if (p->flush_vcpumask && p->flush_vcpumask(v->d, mask, invlpg, va))
            return -XEN_EINVAL;
        return 0;
    }
    case MMUEXT_TLB_FLUSH_ALL:
        if (p->flush_tlb_domain)
            p->flush_tlb_domain(v->d);
        return 0;
    case MMUEXT_INVLPG_ALL:
        if (guest_va_ok(va) && p->invlpg_domain)
            p->invlpg_domain(v->d, va);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

int pv_mmuext_op(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                 const struct mmuext_op *op)
{
    bool foreign = pg_owner != v->d;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pin_table(pg_owner, op->arg1.mfn,
                         pgt_of_level(op->cmd - MMUEXT_PIN_L1_TABLE + 1));
    case MMUEXT_UNPIN_TABLE:
        return unpin_table(pg_owner, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        return foreign ? -XEN_EPERM : new_baseptr(v, op->arg1.mfn);
    case MMUEXT_NEW_USER_BASEPTR:
        return foreign ? -XEN_EPERM : new_user_baseptr(v, op->arg1.mfn);
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        return foreign ? -XEN_EPERM : flush_op(v, op);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if (foreign)
            return -XEN_EPERM;
        if (!v->d->io_privileged)
            return -XEN_EACCES;
        if (v->d->ops && v->d->ops->flush_cache)
            v->d->ops->flush_cache(v->d, op->cmd == MMUEXT_FLUSH_CACHE_GLOBAL);
        return 0;
    case MMUEXT_SET_LDT:
        return foreign ? -XEN_EPERM
                       : set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_CLEAR_PAGE:
        return clear_page(pg_owner, op->arg1.mfn);
    case MMUEXT_COPY_PAGE:
        return copy_page(pg_owner, op->arg1.mfn, op->arg2.src_mfn);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP;     /* superpages were removed in Xen 4.x */
    default:
        return -XEN_ENOSYS;
    }
}

int pv_mmuext_op_batch(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                       const struct pv_mmu_source *ops, unsigned int count,
                       unsigned int *done)
{
    unsigned int i;
    int rc = 0;

    for (i = 0; i < count; i++) {
        struct mmuext_op op;

        if (i && ops->preempt && ops->preempt()) {
            rc = -PV_MMU_PREEMPTED;
            break;
        }
        rc = ops->read(ops->ctx, i, &op, sizeof(op));
        if (!rc)
            rc = pv_mmuext_op(v, pg_owner, &op);
        if (rc)
            break;
    }
    if (done)
        *done = i;
    return rc;
}
