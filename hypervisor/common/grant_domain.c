/*
 * What the grant-table logic needs from the hypervisor (struct
 * grant_ops, docs/grants.md): memory, the shared frames the guest
 * writes its entries into, domain lookup, and the PTE writes of host
 * mappings, done in the mapper's PV page tables under the PV MMU's
 * reference rules.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "arch/x86/tlbflush.h"
#include "common/domain.h"
#include "common/grant.h"
#include "common/grant_domain.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"
#include "mm/xmalloc.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"
#include "public/errno.h"

static struct domain *domain_of(const struct grant_table *gt)
{
    return gt->owner;
}

static void *grant_zalloc(size_t bytes)
{
    return xzalloc(bytes);
}

static void grant_free(void *p)
{
    xfree(p);
}

/*
 * As Xen's share_xen_page_with_guest (frame_share_with_guest): the frame
 * belongs to the domain (so the guest may map it) with PGC_allocated and
 * a writable type reference held, so it can never become a page table
 * or be given back by decrease_reservation.  It is not part of the
 * domain's tot_pages and has no pfn: its M2P entry is invalid.
 */
static int alloc_shared_frame(struct grant_table *gt, uint64_t *mfn_out, void **va)
{
    struct domain *d = domain_of(gt);
    uint64_t phys = alloc_frames(0);

    if (!phys)
        return -XEN_ENOMEM;
    uint64_t mfn = phys >> PAGE_SHIFT;
    memset(phys_to_virt(phys), 0, PAGE_SIZE);
    frame_share_with_guest(&d->mm, mfn);
    m2p_set(mfn, M2P_INVALID);
    *mfn_out = mfn;
    *va = phys_to_virt(phys);
    return 0;
}

/* The table only shrinks when the domain goes: drop the type and the
 * allocation reference; the frame returns to the allocator once nothing
 * else (a guest mapping) references it. */
static void free_shared_frame(struct grant_table *gt, uint64_t mfn, void *va)
{
    (void)gt;
    (void)va;

    if (frame_unshare(mfn)) {
        frame_table[mfn].count_info = 0;
        free_frames(mfn << PAGE_SHIFT, 0);
    } else {
        printk(LOG_WARNING, "grant frame %#lx still referenced after its table went: leaked",
               mfn);
    }
}

static struct grant_table *find_domain(uint16_t domid)
{
    struct domain *d = domain_find(domid);

    return d && d->grant.initialised ? &d->grant : NULL;
}

/*
 * The L1 slot a host mapping writes: the L1 entry mapping host_addr in
 * the running vCPU's kernel tables, or with GNTMAP_contains_pte the entry
 * at machine address host_addr, which must be in one of the mapper's own
 * L1 tables in use.  Mappings are made by the running vCPU for its own
 * domain only.
 */
static bool find_slot(struct grant_table *mapper, uint64_t host_addr, uint32_t flags,
                      uint64_t **entry)
{
    struct vcpu *v = current_vcpu();
    uint64_t l1;
    unsigned int slot;

    if (!v || v->domain != domain_of(mapper))
        return false;
    if (flags & GNTMAP_contains_pte) {
        l1 = host_addr >> PAGE_SHIFT;
        const struct page_info *pg = frame_info(l1);
        if (!pg || pg->owner != mapper->domid || page_type_in_use(l1) != PGT_l1_page_table)
            return false;
        slot = (unsigned int)((host_addr & (PAGE_SIZE - 1)) / sizeof(uint64_t));
    } else if (pv_find_l1_slot(&v->mm, host_addr, &l1, &slot)) {
        return false;
    }
    *entry = (uint64_t *)frame_map(l1) + slot;
    return true;
}

/* A new mapping replaced an entry of the mapper's own: this CPU's view
 * is refreshed now; the old frame's references went with the entry, and
 * its retype or reuse waits for every other CPU (the TLB-flush clock). */
static void flush_replaced(uint64_t host_addr, uint32_t flags)
{
    if (flags & GNTMAP_contains_pte)
        tlbflush_local();       /* the address it maps is not known */
    else
        __asm__ volatile("invlpg (%0)" : : "r"(host_addr) : "memory");
}

/* An unmapped grant: no CPU may still reach the granted frame once the
 * grant code drops its references and tells the granter (GTF_reading,
 * GTF_writing), as Xen flushes the mapper's CPUs before it does. */
static void flush_unmapped(void)
{
    tlbflush_all_cpus();
}

/* Xen's grant PTE: present, accessed, dirty, no-execute; writable unless
 * read-only; user-accessible only for GNTMAP_application_map, otherwise
 * a guest-kernel entry (pt_entry_adjust marks it so). */
static uint64_t grant_pte(uint64_t mfn, uint32_t flags, const struct domain *d)
{
    uint64_t pte = (mfn << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY;

    if (!(flags & GNTMAP_readonly))
        pte |= PTE_RW;
    if (flags & GNTMAP_application_map)
        pte |= PTE_USER;
    if (d->mm.cpu_has_nx)
        pte |= PTE_NX;
    return pt_entry_adjust(1, pte);
}

/* The references the new entry holds were taken by the grant code; the
 * entry it replaces gives its own back, as any L1 update does. */
static int create_host_mapping(struct grant_table *mapper, uint64_t host_addr, uint64_t mfn,
                               uint32_t flags, uint16_t cache_flags)
{
    uint64_t *entry;

    (void)cache_flags;          /* cache attributes: not offered (no I/O grants) */
    if (!find_slot(mapper, host_addr, flags, &entry))
        return GNTST_general_error;
    uint64_t old = *entry;
    *entry = grant_pte(mfn, flags, domain_of(mapper));
    frame_unmap(entry);
    flush_replaced(host_addr, flags);
    pt_entry_release(1, old);
    return GNTST_okay;
}

static int destroy_host_mapping(struct grant_table *mapper, uint64_t host_addr, uint64_t mfn,
                                uint32_t flags)
{
    uint64_t *entry;

    if (!find_slot(mapper, host_addr, flags, &entry))
        return GNTST_general_error;
    uint64_t e = *entry;
    bool writable = !(flags & GNTMAP_readonly);
    if (!pte_present(e) || pte_mfn(e) != mfn || !!(e & PTE_RW) != writable) {
        frame_unmap(entry);
        return GNTST_general_error;
    }
    *entry = 0;
    frame_unmap(entry);
    flush_unmapped();
    return GNTST_okay;
}

static void crash_domain(struct grant_table *gt)
{
    struct vcpu *v = current_vcpu();

    if (v && v->domain == domain_of(gt))
        domain_crash(v, "grant table misuse (unmap naming a domain that is gone)");
    printk(LOG_ERR, "d%u: grant table misuse (unmap naming a domain that is gone)", gt->domid);
}

static const struct grant_ops grant_glue_ops = {
    .zalloc = grant_zalloc,
    .free = grant_free,
    .alloc_shared_frame = alloc_shared_frame,
    .free_shared_frame = free_shared_frame,
    .find_domain = find_domain,
    .create_host_mapping = create_host_mapping,
    .destroy_host_mapping = destroy_host_mapping,
    .crash_domain = crash_domain,
};

int grant_domain_init(struct domain *d, int32_t max_frames, int32_t max_maptrack_frames)
{
    struct grant_config cfg = {
        .domid = d->domid,
        .privileged = d->privileged,
        .mm = &d->mm,
        .ops = &grant_glue_ops,
        .owner = d,
        .max_frames = max_frames,
        .max_maptrack_frames = max_maptrack_frames,
    };
    int rc = grant_table_init(&d->grant, &cfg);

    if (rc)
        printk(LOG_ERR, "d%u: no grant table (error %d)", d->domid, rc);
    return rc;
}
