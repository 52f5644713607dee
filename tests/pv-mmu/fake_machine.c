#include "fake_machine.h"

#include <stdlib.h>
#include <string.h>
#include "arch/x86/tlbflush.h"
#include "public/errno.h"
#include "public/xen.h"

static uint8_t fm_mem[FM_FRAMES][4096] __attribute__((aligned(4096)));
static struct page_info fm_pages[FM_FRAMES];

struct fm_calls fm_calls;
uint64_t fm_m2p[FM_FRAMES];
int fm_maps_outstanding;
int fm_desc_result;
int fm_mask_result;
int fm_iomem_domid;
uint64_t fm_iomem_ro_mfn;
struct pv_mm_domain fm_guest, fm_other, fm_dom0;
struct pv_mm_vcpu fm_vcpu;
uint64_t fm_clock;
uint64_t fm_cpu_flushed[FM_CPUS];
unsigned int fm_cpus_flushed;

uint64_t frame_tlb_clock_stamp(void)
{
    return ++fm_clock;
}

struct page_info *frame_info(uint64_t mfn)
{
    return mfn < FM_FRAMES ? &fm_pages[mfn] : NULL;
}

void *frame_map(uint64_t mfn)
{
    /* The logic must never map a frame outside the table. */
    if (mfn >= FM_FRAMES)
        abort();
    fm_maps_outstanding++;
    return fm_mem[mfn];
}

void frame_unmap(void *va)
{
    if (!va)
        abort();
    fm_maps_outstanding--;
}

static void hole_entries(const struct pv_mm_domain *d, uint64_t l4_mfn, uint64_t slots[16])
{
    (void)d;
    (void)l4_mfn;
    for (unsigned int i = 0; i < 16; i++)
        slots[i] = FM_HOLE_ENTRY(i);
}

static enum iomem_access iomem_access(const struct pv_mm_domain *d, uint64_t mfn)
{
    if (fm_iomem_domid < 0 || d->domid != (uint16_t)fm_iomem_domid)
        return IOMEM_DENIED;
    return mfn == fm_iomem_ro_mfn ? IOMEM_READ_ONLY : IOMEM_READ_WRITE;
}

static int check_desc_page(const struct pv_mm_domain *d, void *page)
{
    (void)d;
    (void)page;
    fm_calls.desc_checks++;
    return fm_desc_result;
}

static void flush_before_retype(const struct pv_mm_domain *d, uint64_t mfn)
{
    uint64_t stamp = frame_info(mfn)->tlbflush_stamp;
    bool flushed = false;

    (void)d;
    fm_calls.retype_checks++;
    for (unsigned int c = 0; c < FM_CPUS; c++) {
        if (!tlbflush_may_cache(fm_cpu_flushed[c], stamp))
            continue;
        fm_cpus_flushed |= 1u << c;
        fm_cpu_flushed[c] = fm_clock;
        flushed = true;
    }
    if (flushed) {
        fm_calls.flush_before_retype++;
        fm_calls.last_retype_mfn = mfn;
        fm_calls.last_retype_stamp = stamp;
    }
}

static void load_cr3(struct pv_mm_vcpu *v) { (void)v; fm_calls.load_cr3++; }
static void load_ldt(struct pv_mm_vcpu *v) { (void)v; fm_calls.load_ldt++; }
static void flush_local(struct pv_mm_vcpu *v) { (void)v; fm_calls.flush_local++; }

static void invlpg_local(struct pv_mm_vcpu *v, uint64_t va)
{
    (void)v;
    fm_calls.invlpg_local++;
    fm_calls.last_va = va;
}

static void flush_domain(struct pv_mm_domain *d) { (void)d; fm_calls.flush_domain++; }

static void invlpg_domain(struct pv_mm_domain *d, uint64_t va)
{
    (void)d;
    fm_calls.invlpg_domain++;
    fm_calls.last_va = va;
}

static int flush_mask(struct pv_mm_domain *d, guest_ptr_t mask, bool invlpg, uint64_t va)
{
    (void)d;
    fm_calls.flush_mask++;
    fm_calls.last_mask = mask.va;
    fm_calls.last_mask_invlpg = invlpg;
    fm_calls.last_va = va;
    return fm_mask_result;
}

static void flush_cache(struct pv_mm_domain *d, bool global)
{
    (void)d;
    (void)global;
    fm_calls.flush_cache++;
}

/* Back to the allocator: free, owned by nobody, stamped as the real
 * allocator stamps what it takes back. */
static void free_frame(struct pv_mm_domain *d, uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    (void)d;
    pg->owner = FRAME_OWNER_NONE;
    pg->count_info = PGC_free;
    pg->type_info = 0;
    pg->tlbflush_stamp = frame_tlb_clock_stamp();
    fm_calls.frames_freed++;
}

struct pv_mm_ops fm_ops = {
    .m2p = fm_m2p,
    .m2p_entries = FM_FRAMES,
    .l4_hole_entries = hole_entries,
    .iomem_access = iomem_access,
    .check_desc_page = check_desc_page,
    .flush_before_retype = flush_before_retype,
    .load_cr3 = load_cr3,
    .load_ldt = load_ldt,
    .flush_tlb_local = flush_local,
    .invlpg_local = invlpg_local,
    .flush_tlb_domain = flush_domain,
    .invlpg_domain = invlpg_domain,
    .flush_vcpumask = flush_mask,
    .flush_cache = flush_cache,
    .free_frame = free_frame,
};

static int read_array(void *ctx, unsigned int i, void *entry, size_t size)
{
    const struct fm_array *a = ctx;

    if (i == a->bad)
        return -XEN_EFAULT;
    memcpy(entry, (const char *)a->entries + (size_t)i * size, size);
    return 0;
}

struct pv_mmu_source fm_array_source(struct fm_array *a)
{
    return (struct pv_mmu_source){ read_array, a, NULL };
}

static void give(uint64_t first, uint64_t end, uint32_t owner)
{
    for (uint64_t m = first; m < end; m++) {
        fm_pages[m].owner = owner;
        fm_pages[m].count_info = PGC_allocated | 1;
        fm_pages[m].type_info = PGT_none;
    }
}

static void domain_init(struct pv_mm_domain *d, uint16_t domid, bool priv)
{
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->io_privileged = priv;
    d->cpu_has_nx = true;
    d->ops = &fm_ops;
}

void fm_reset(void)
{
    memset(fm_mem, 0, sizeof(fm_mem));
    memset(fm_pages, 0, sizeof(fm_pages));
    memset(&fm_calls, 0, sizeof(fm_calls));
    memset(fm_m2p, 0xff, sizeof(fm_m2p));
    fm_maps_outstanding = 0;
    fm_desc_result = 0;
    fm_mask_result = 0;
    fm_iomem_domid = -1;
    fm_clock = 1;
    memset(fm_cpu_flushed, 0, sizeof(fm_cpu_flushed));
    fm_cpus_flushed = 0;
    fm_iomem_ro_mfn = ~0ull;

    give(0, FM_GUEST_FIRST, DOMID_IO);
    give(FM_GUEST_FIRST, FM_OTHER_FIRST, FM_GUEST_DOMID);
    give(FM_OTHER_FIRST, FM_DOM0_FIRST, FM_OTHER_DOMID);
    give(FM_DOM0_FIRST, FM_FREE_FIRST, 0);
    for (uint64_t m = FM_FREE_FIRST; m < FM_FRAMES; m++) {
        fm_pages[m].owner = FRAME_OWNER_NONE;
        fm_pages[m].count_info = PGC_free;
    }

    domain_init(&fm_guest, FM_GUEST_DOMID, false);
    domain_init(&fm_other, FM_OTHER_DOMID, false);
    domain_init(&fm_dom0, 0, true);
    memset(&fm_vcpu, 0, sizeof(fm_vcpu));
    fm_vcpu.d = &fm_guest;
}

uint64_t *fm_table(uint64_t mfn)
{
    return (uint64_t *)fm_mem[mfn];
}

void fm_set(uint64_t mfn, unsigned int slot, uint64_t val)
{
    fm_table(mfn)[slot] = val;
}

uint64_t fm_get(uint64_t mfn, unsigned int slot)
{
    return fm_table(mfn)[slot];
}

void fm_build_guest(struct fm_guest_tables *g)
{
    g->l4 = 20;
    g->l3 = 21;
    g->l2 = 22;
    g->l1 = 23;
    for (unsigned int i = 0; i < 4; i++)
        g->data[i] = 30 + i;

    const uint64_t kern = PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY;
    const uint64_t ro = PTE_PRESENT | PTE_ACCESSED | PTE_NX;
    fm_set(g->l4, 511, fm_pte(g->l3, kern));
    fm_set(g->l3, 510, fm_pte(g->l2, kern));
    fm_set(g->l2, 0, fm_pte(g->l1, kern));
    for (unsigned int i = 0; i < 4; i++)
        fm_set(g->l1, i, fm_pte(g->data[i], kern | PTE_NX));
    fm_set(g->l1, 4, fm_pte(g->l4, ro));
    fm_set(g->l1, 5, fm_pte(g->l3, ro));
    fm_set(g->l1, 6, fm_pte(g->l2, ro));
    fm_set(g->l1, 7, fm_pte(g->l1, ro));
    for (unsigned int i = L4_HOLE_FIRST; i <= L4_HOLE_LAST; i++)
        fm_set(g->l4, i, 0xdeadbeef000ull | PTE_PRESENT | PTE_PSE | PTE_PCD);
}

struct fm_snapshot {
    uint8_t mem[FM_FRAMES][4096];
    struct page_info pages[FM_FRAMES];
    uint64_t m2p[FM_FRAMES];
    struct pv_mm_vcpu vcpu;
};

struct fm_snapshot *fm_snapshot_take(void)
{
    struct fm_snapshot *s = malloc(sizeof(*s));
    if (!s)
        abort();
    memcpy(s->mem, fm_mem, sizeof(fm_mem));
    memcpy(s->pages, fm_pages, sizeof(fm_pages));
    memcpy(s->m2p, fm_m2p, sizeof(fm_m2p));
    s->vcpu = fm_vcpu;
    return s;
}

/* A frame whose type count is zero only remembers its last type (which
 * decides whether taking a new one needs a TLB flush): that memory may
 * change, everything a guest or the hypervisor relies on may not. */
static bool page_state_equal(const struct page_info *a, const struct page_info *b)
{
    if (a->count_info != b->count_info || a->owner != b->owner)
        return false;
    if ((a->type_info & PGT_COUNT_MASK) || (b->type_info & PGT_COUNT_MASK))
        return a->type_info == b->type_info;
    return true;
}

bool fm_snapshot_equal(const struct fm_snapshot *s)
{
    for (unsigned int m = 0; m < FM_FRAMES; m++)
        if (!page_state_equal(&s->pages[m], &fm_pages[m]))
            return false;
    return memcmp(s->mem, fm_mem, sizeof(fm_mem)) == 0 &&
           memcmp(s->m2p, fm_m2p, sizeof(fm_m2p)) == 0 &&
           memcmp(&s->vcpu, &fm_vcpu, sizeof(fm_vcpu)) == 0;
}

void fm_snapshot_free(struct fm_snapshot *s)
{
    free(s);
}

uint64_t fm_total_type_refs(void)
{
    uint64_t n = 0;
    for (uint64_t m = 0; m < FM_FRAMES; m++)
        n += fm_pages[m].type_info & PGT_COUNT_MASK;
    return n;
}

uint64_t fm_total_refs(void)
{
    uint64_t n = 0;
    for (uint64_t m = 0; m < FM_FRAMES; m++) {
        uint64_t c = fm_pages[m].count_info & PGC_COUNT_MASK;
        if (c > 1)
            n += c - 1;
    }
    return n;
}
