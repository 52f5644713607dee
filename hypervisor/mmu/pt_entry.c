/*
 * The x86-64 PV rules for one page-table entry: which bits a guest may
 * set, what a present entry may point at, which references it holds, and
 * how the hypervisor adjusts it before the hardware sees it.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "public/xen.h"

/* Bits a guest may set at every level (Xen's base set): present, RW, U/S,
 * accessed, dirty, the software bits 9-11 and 52-62, and NX when the CPU
 * has it.  Everything else is refused: PWT/PCD/PSE/G above L1, so no
 * superpages and no cache games in the upper levels. */
static uint64_t allowed_flags(unsigned int level, const struct pv_mm_domain *d)
{
    uint64_t ok = PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY |
                  PTE_AVAIL | PTE_AVAIL_HIGH;

    if (d->cpu_has_nx)
        ok |= PTE_NX;
    if (level == 1) {
        ok |= PTE_GLOBAL;
        /* Cache attributes only for domains that own I/O resources. */
        if (d->io_privileged)
            ok |= PTE_CACHE_ATTRS;
    }
    return ok;
}

int pt_entry_check_flags(unsigned int level, uint64_t entry,
                         const struct pv_mm_domain *pt_owner)
{
    if (level < 1 || level > 4)
        return -XEN_EINVAL;
    uint64_t flags = entry & PTE_FLAGS_MASK;
    return (flags & ~allowed_flags(level, pt_owner)) ? -XEN_EINVAL : 0;
}

/*
 * The guest kernel runs in ring 3, so every present entry needs U/S.  An
 * L1 entry the kernel meant to be supervisor-only is remembered in
 * PTE_GUEST_KERNEL; such an entry must not be global either, or its
 * translation would survive the switch to the user page tables.
 */
uint64_t pt_entry_adjust(unsigned int level, uint64_t entry)
{
    if (!pte_present(entry))
        return entry;
    if (level == 1 && !(entry & PTE_USER))
        entry |= PTE_GUEST_KERNEL;
    if (level == 1 && (entry & PTE_GUEST_KERNEL))
        entry &= ~PTE_GLOBAL;
    if (level == 4)
        entry |= PTE_ACCESSED;
    return entry | PTE_USER;
}

bool pt_frame_is_iomem(uint64_t mfn)
{
    const struct page_info *pg = frame_info(mfn);
    return !pg || pg->owner == DOMID_IO;
}

enum iomem_access pt_iomem_access(const struct pv_mm_domain *d, uint64_t mfn)
{
    const struct pv_mm_ops *p = d->ops;

    return p && p->iomem_access ? p->iomem_access(d, mfn) : IOMEM_DENIED;
}

/*
 * A frame outside RAM (or DOMID_IO's): no references, only permission,
 * from both the page owner and the table owner.  Where either allows
 * only reading, a writable entry is stored read-only, as Xen does with
 * its read-only MMIO ranges (the IO-APICs, the HPET).
 */
static int acquire_iomem(uint64_t *entry, const struct pv_mm_domain *pt_owner,
                         const struct pv_mm_domain *pg_owner)
{
    uint64_t mfn = pte_mfn(*entry);
    enum iomem_access a = pt_iomem_access(pg_owner, mfn);

    if (a != IOMEM_DENIED && pg_owner != pt_owner) {
        enum iomem_access b = pt_iomem_access(pt_owner, mfn);
        a = b < a ? b : a;
    }
    if (a == IOMEM_DENIED)
        /* Xen tells the all-ones "no frame" value apart from a real MMIO
         * frame the domain may not map. */
        return mfn == PTE_INVALID_MFN ? -XEN_EINVAL : -XEN_EPERM;
    if (a == IOMEM_READ_ONLY)
        *entry &= ~PTE_RW;
    return 0;
}

static int acquire_l1(uint64_t *entry, const struct pv_mm_domain *pt_owner,
                      const struct pv_mm_domain *pg_owner)
{
    uint64_t mfn = pte_mfn(*entry);

    if (pt_frame_is_iomem(mfn))
        return acquire_iomem(entry, pt_owner, pg_owner);
    if (!get_page(pg_owner, mfn))
        return -XEN_EBUSY;
    if ((*entry & PTE_RW) && get_page_type(pg_owner, mfn, PGT_writable_page)) {
        put_page(mfn);
        return -XEN_EBUSY;
    }
    return 0;
}

int pt_entry_acquire(unsigned int level, uint64_t *entry,
                     const struct pv_mm_domain *pt_owner,
                     const struct pv_mm_domain *pg_owner)
{
    uint64_t e = *entry;

    if (!pte_present(e))
        return 0;
    int rc = pt_entry_check_flags(level, e, pt_owner);
    if (rc)
        return rc;
    e = pt_entry_adjust(level, e);

    if (level == 1)
        rc = acquire_l1(&e, pt_owner, pg_owner);
    else
        /* The next level must be the table owner's own and validate as
         * the level below.  A table of the same level (a linear, or
         * recursive, mapping) fails the type check: refused. */
        rc = get_page_and_type(pt_owner, pte_mfn(e), pgt_of_level(level - 1));
    if (rc)
        return rc;
    *entry = e;
    return 0;
}

void pt_entry_release(unsigned int level, uint64_t entry)
{
    if (!pte_present(entry))
        return;
    uint64_t mfn = pte_mfn(entry);

    if (level == 1) {
        if (pt_frame_is_iomem(mfn))
            return;
        if (entry & PTE_RW)
            put_page_type(mfn);
        put_page(mfn);
        return;
    }
    put_page_and_type(mfn);
}
