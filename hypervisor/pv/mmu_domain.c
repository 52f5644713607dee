/*
 * Wiring the PV MMU logic (page_type.h, pv_mmu.h) into the hypervisor:
 * frames are reached through the frame table and the direct map, the
 * pv_mm_ops act on this one CPU, and the hypercalls run the PV MMU's
 * batch loop on the guest's array, which it reads through the checked
 * guest accessor one entry at a time, so a batch of any length needs no
 * hypervisor buffer.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/paging.h"
#include "arch/x86/platform_mmio.h"
#include "arch/x86/tlbflush.h"
#include "common/continuation.h"
#include "common/hypercall.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"
#include "public/errno.h"
#include "pv/iomem_policy.h"
#include "pv/pv_desc.h"
#include "pv/mmu_domain.h"

struct page_info *frame_info(uint64_t mfn)
{
    return mfn < frame_table_nr_frames() ? &frame_table[mfn] : NULL;
}

void *frame_map(uint64_t mfn)
{
    return phys_to_virt(mfn << PAGE_SHIFT);
}

void frame_unmap(void *va)
{
    (void)va;       /* the direct map is permanent */
}

static struct vcpu *vcpu_of(struct pv_mm_vcpu *v)
{
    return v->owner;
}

/* Slot 256 is the read-only M2P, 257-271 the hypervisor's own
 * supervisor-only mappings, shared with every guest L4 (the same L3s). */
static void hole_entries(const struct pv_mm_domain *d, uint64_t l4_mfn, uint64_t slots[16])
{
    const uint64_t *hv = paging_hypervisor_l4();

    (void)d;
    (void)l4_mfn;
    slots[0] = m2p_guest_l4_entry();
    for (unsigned int s = 257; s <= 271; s++)
        slots[s - 256] = hv[s];
}

/* The platform's MMIO as Xen keeps it from dom0 (pv/iomem_policy.h);
 * set once, when the first domain is set up. */
static struct iomem_policy iomem;

/* Frames outside the frame table, or given to DOMID_IO, are device
 * memory: only a domain with I/O privileges may map them, and not the
 * ranges the hypervisor keeps. */
static enum iomem_access iomem_access(const struct pv_mm_domain *d, uint64_t mfn)
{
    return d->io_privileged ? iomem_policy_lookup(&iomem, mfn) : IOMEM_DENIED;
}

/* The CPUs that may still hold the frame writable or as a table: those
 * that have not flushed since its stamp (arch/x86/tlbflush.h).  A CR3
 * reload is a complete flush because CR4.PGE is off (head.S): enabling
 * global pages means revisiting every flush here. */
static void flush_before_retype(const struct pv_mm_domain *owner, uint64_t mfn)
{
    (void)owner;
    tlbflush_since(frame_table[mfn].tlbflush_stamp);
}

uint64_t frame_tlb_clock_stamp(void)
{
    return tlbflush_stamp();
}

void pv_mm_load_cr3(struct vcpu *v)
{
    uint64_t l4 = v->kernel_mode ? v->mm.guest_table : v->mm.guest_table_user;

    if (v != current_vcpu())
        return;
    /* Never keep the tables loaded before (another vCPU's): with none of
     * its own the vCPU gets the hypervisor's, where it can only fault. */
    tlbflush_load_cr3(l4 ? l4 << PAGE_SHIFT : paging_hypervisor_cr3());
}

static void load_cr3(struct pv_mm_vcpu *mv)
{
    struct vcpu *v = vcpu_of(mv);

    /* new_baseptr dropped the LDT pages: unmap them before anything
     * can load a selector through the stale shadow entries. */
    pv_ldt_shadow_sync(v);
    pv_mm_load_cr3(v);
}

static void load_ldt(struct pv_mm_vcpu *mv)
{
    pv_ldt_load(vcpu_of(mv));
}

static void flush_tlb_local(struct pv_mm_vcpu *v)
{
    (void)v;
    tlbflush_local();
}

static void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static void invlpg_local(struct pv_mm_vcpu *v, uint64_t va)
{
    (void)v;
    invlpg(va);
}

static void flush_tlb_domain(struct pv_mm_domain *d)
{
    (void)d;
    tlbflush_all_cpus();
}

static void invlpg_domain(struct pv_mm_domain *d, uint64_t va)
{
    (void)d;
    invlpg(va);
    /* Other CPUs: a whole flush (one request kind keeps it simple). */
    tlbflush_all_cpus();
}

/* The mask must be readable (Xen reads it); any non-empty mask flushes
 * this CPU and every other CPU running a guest. */
static int flush_vcpumask(struct pv_mm_domain *d, guest_ptr_t vcpumask, bool do_invlpg, uint64_t va)
{
    uint64_t mask;

    (void)d;
    if (copy_from_guest(&mask, vcpumask, sizeof(mask)))
        return -XEN_EFAULT;
    if (!mask)
        return 0;
    if (do_invlpg)
        invlpg(va);
    /* vCPUs on other CPUs: flushed whole, whichever the mask names. */
    tlbflush_all_cpus();
    return 0;
}

static void flush_cache(struct pv_mm_domain *d, bool global)
{
    (void)d;
    (void)global;
    __asm__ volatile("wbinvd" ::: "memory");
}

/* A torn-down domain's frame with nothing left on it: back to the
 * allocator, which stamps it, so nobody gets it while a CPU may still
 * cache it (arch/x86/tlbflush.h). */
static void free_frame(struct pv_mm_domain *d, uint64_t mfn)
{
    struct page_info *pg = &frame_table[mfn];

    (void)d;
    pg->count_info = 0;
    pg->type_info = 0;
    m2p_set(mfn, M2P_INVALID);
    free_frames(mfn << PAGE_SHIFT, 0);
}

static struct pv_mm_ops mm_ops = {
    .l4_hole_entries = hole_entries,
    .iomem_access = iomem_access,
    .check_desc_page = pv_check_desc_page,
    .flush_before_retype = flush_before_retype,
    .load_cr3 = load_cr3,
    .load_ldt = load_ldt,
    .flush_tlb_local = flush_tlb_local,
    .invlpg_local = invlpg_local,
    .flush_tlb_domain = flush_tlb_domain,
    .invlpg_domain = invlpg_domain,
    .flush_vcpumask = flush_vcpumask,
    .flush_cache = flush_cache,
    .free_frame = free_frame,
};

static void log_iomem_policy(const struct platform_mmio *m)
{
    printk(LOG_INFO, "dom0 I/O memory: up to %u address bits; denied: local APIC %#lx, "
           "MSI range 0xfee00000-0xfeefffff", m->paddr_bits, m->lapic_madt ? m->lapic_madt
                                                                          : m->lapic_msr);
    for (unsigned int i = 0; i < m->nr_ioapics; i++)
        printk(LOG_INFO, "dom0 I/O memory: IO-APIC %u at %#lx read-only", i, m->ioapic[i]);
    if (m->hpet)
        printk(LOG_INFO, "dom0 I/O memory: HPET at %#lx %s", m->hpet,
               (m->hpet_flags & HPET_PAGE_PROTECT_MASK) == HPET_PAGE_PROTECT4 ? "denied (4 KiB)"
               : (m->hpet_flags & HPET_PAGE_PROTECT_MASK) == HPET_PAGE_PROTECT64
                   ? "denied (64 KiB)" : "read-only");
}

/*
 * The first MiB is device memory to guests, as in Xen (BIOS tables, the
 * VGA hole, option ROMs): Linux's dom0 maps it to scan for DMI and MP
 * tables.  Frames there that nothing else owns go to DOMID_IO, which
 * only a domain with I/O privileges may map.
 */
static void give_low_memory_to_io(void)
{
    uint64_t end = frame_table_nr_frames() < 256 ? frame_table_nr_frames() : 256;

    for (uint64_t mfn = 0; mfn < end; mfn++) {
        struct page_info *pg = &frame_table[mfn];
        if (pg->count_info == PGC_reserved && pg->owner == FRAME_OWNER_NONE)
            pg->owner = DOMID_IO;
    }
}

/* Once, before the first domain: who owns the low MiB, and what of the
 * platform's MMIO the hypervisor keeps. */
static void setup_io_memory(void)
{
    static bool done;
    struct platform_mmio m;

    if (done)
        return;
    done = true;
    give_low_memory_to_io();
    platform_mmio_probe(&m);
    iomem_policy_init(&iomem, &m);
    log_iomem_policy(&m);
}

void pv_mm_setup_domain(struct domain *d)
{
    setup_io_memory();
    /* The M2P exists once the first domain is built (m2p_init). */
    mm_ops.m2p = m2p_table();
    mm_ops.m2p_entries = m2p_entries();
    d->mm.domid = d->domid;
    d->mm.io_privileged = d->privileged;
    d->mm.cpu_has_nx = paging_nx_mask() != 0;
    d->mm.ops = &mm_ops;
    d->mm.owner = d;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        d->vcpus[i]->mm.d = &d->mm;
        d->vcpus[i]->mm.owner = d->vcpus[i];
    }
}

/*
 * foreigndom's low half names the owner of the frames mapped (pg_owner),
 * its high half, plus one, the owner of the tables written (pt_owner).
 * Acting on another domain needs privilege, as in Xen.  The frames'
 * owner is ourselves only as DOMID_SELF: Xen 4.17 refuses a domain that
 * names itself by its id as the foreign one with -ESRCH (by_id false);
 * the tables' owner may be named either way.
 */
static long resolve_owner(struct domain *self, uint32_t domid, bool self_by_id,
                          struct domain **out)
{
    if (domid == DOMID_SELF || (self_by_id && domid == self->domid)) {
        *out = self;
        return 0;
    }
    if (domid == self->domid)
        return -XEN_ESRCH;
    struct domain *d = domain_find(domid);
    if (!d)
        return -XEN_ESRCH;
    if (!self->privileged)
        return -XEN_EPERM;
    *out = d;
    return 0;
}

/* A batch's entries, read from the guest's array one at a time. */
static int read_guest_entry(void *ctx, unsigned int i, void *entry, size_t size)
{
    const guest_ptr_t *list = ctx;

    return copy_from_guest(entry, guest_ptr_add(*list, (uint64_t)i * size), size) ? -XEN_EFAULT
                                                                                   : 0;
}

/* mmu_update's and mmuext_op's count with this bit set is the rest of a
 * call cut short (Xen's encoding, not in its public headers): the
 * entries done so far are in *pdone. */
#define MMU_UPDATE_PREEMPTED 0x80000000u

static bool slice_spent(void)
{
    return hypercall_preempt_check(1);
}

/*
 * mmu_update and mmuext_op alike: (list, count, pdone, foreigndom), where
 * a count with MMU_UPDATE_PREEMPTED set is the rest of a call cut short,
 * whose entries done so far the guest's *pdone holds (as in Xen, it is
 * updated at each slice, so the guest sees the progress).
 */
struct mmu_batch_call {
    unsigned int nr;
    guest_ptr_t list;
    unsigned int count;
    guest_ptr_t pdone;
    uint32_t foreigndom;
    unsigned int done_before;
    struct pv_mmu_source src;
};

static long batch_begin(struct mmu_batch_call *c, unsigned int nr, uint64_t count)
{
    c->nr = nr;
    c->done_before = 0;
    if (count > UINT32_MAX)
        return -XEN_EINVAL;
    c->count = (unsigned int)count;
    if (c->count & MMU_UPDATE_PREEMPTED) {
        c->count &= ~MMU_UPDATE_PREEMPTED;
        /* What the guest left there is its business: it only counts. */
        if (c->pdone.va)
            (void)copy_from_guest(&c->done_before, c->pdone, sizeof(c->done_before));
    }
    c->src = (struct pv_mmu_source){ read_guest_entry, &c->list, slice_spent };
    return 0;
}

/* The batch ran entries [0, done) with result rc: continue a preempted
 * one, and add the entries done to *pdone. */
static long batch_end(struct mmu_batch_call *c, int rc, unsigned int done, size_t entry_size)
{
    if (rc == -PV_MMU_PREEMPTED) {
        const uint64_t args[4] = { guest_ptr_add(c->list, (uint64_t)done * entry_size).va,
                                   (c->count - done) | MMU_UPDATE_PREEMPTED, c->pdone.va,
                                   c->foreigndom };
        hypercall_continue(c->nr, 4, args);
        rc = 0;
    }
    unsigned int total = c->done_before + done;
    if (c->pdone.va && copy_to_guest(c->pdone, &total, sizeof(total)))
        return rc ? rc : -XEN_EFAULT;
    return rc;
}

long do_mmu_update(guest_ptr_t ureqs, uint64_t count, guest_ptr_t pdone, uint32_t foreigndom)
{
    struct vcpu *v = current_vcpu();
    struct domain *pg_owner, *pt_owner = v->domain;
    struct mmu_batch_call c = { .list = ureqs, .pdone = pdone, .foreigndom = foreigndom };
    unsigned int done = 0;
    long rc = batch_begin(&c, __HYPERVISOR_mmu_update, count);

    if (rc)
        return rc;
    rc = resolve_owner(v->domain, foreigndom & 0xffff, false, &pg_owner);
    if (!rc && (foreigndom >> 16) & 0xffff)
        rc = resolve_owner(v->domain, ((foreigndom >> 16) & 0xffff) - 1, true, &pt_owner);
    if (!rc)
        rc = pv_mmu_update_batch(&v->mm, &pt_owner->mm, &pg_owner->mm, &c.src, c.count, &done);
    return batch_end(&c, (int)rc, done, sizeof(struct mmu_update));
}

long do_mmuext_op(guest_ptr_t uops, uint64_t count, guest_ptr_t pdone, uint32_t foreigndom)
{
    struct vcpu *v = current_vcpu();
    struct domain *pg_owner;
    struct mmu_batch_call c = { .list = uops, .pdone = pdone, .foreigndom = foreigndom };
    unsigned int done = 0;
    long rc = batch_begin(&c, __HYPERVISOR_mmuext_op, count);

    if (rc)
        return rc;
    /* Unlike mmu_update's, an unknown foreign domain leaves *pdone alone
     * (Xen 4.17 returns before its loop). */
    rc = resolve_owner(v->domain, foreigndom & 0xffff, false, &pg_owner);
    if (rc)
        return rc;
    rc = pv_mmuext_op_batch(&v->mm, &pg_owner->mm, &c.src, c.count, &done);
    return batch_end(&c, (int)rc, done, sizeof(struct mmuext_op));
}

long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
    struct vcpu *v = current_vcpu();

    return pv_update_va_mapping(&v->mm, &v->domain->mm, va, pte, flags);
}

long do_update_va_mapping_otherdomain(uint64_t va, uint64_t pte, uint64_t flags,
                                      uint64_t domid)
{
    struct vcpu *v = current_vcpu();
    struct domain *pg_owner;
    long rc = resolve_owner(v->domain, (uint32_t)(domid & 0xffff), false, &pg_owner);

    if (domid > 0xffff)
        return -XEN_ESRCH;
    if (rc)
        return rc;
    return pv_update_va_mapping(&v->mm, &pg_owner->mm, va, pte, flags);
}
