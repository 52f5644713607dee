/* The fake machine behind the grant-table tests (see fake_machine.h). */
#include "fake_machine.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "mmu/page_type.h"

static uint8_t frames[FAKE_NR_FRAMES][4096] __attribute__((aligned(4096)));
static struct page_info frame_table[FAKE_NR_FRAMES];
static int frame_maps_outstanding;
static unsigned int zalloc_calls, shared_frame_calls;
static int live_allocations;

struct fake_domain fake_domains[FAKE_MAX_DOMAINS];
unsigned int fake_fail_zalloc_at;
unsigned int fake_fail_shared_frame_at;
bool fake_l1_anywhere;

struct page_info *frame_info(uint64_t mfn)
{
    if (mfn < FAKE_FIRST_MFN || mfn >= FAKE_FIRST_MFN + FAKE_NR_FRAMES)
        return NULL;
    return &frame_table[mfn - FAKE_FIRST_MFN];
}

void *frame_map(uint64_t mfn)
{
    if (!frame_info(mfn))
        abort();    /* the grant code must only map frames it checked */
    frame_maps_outstanding++;
    return frames[mfn - FAKE_FIRST_MFN];
}

void frame_unmap(void *va)
{
    (void)va;
    frame_maps_outstanding--;
}

static uint64_t fake_clock = 1;

uint64_t frame_tlb_clock_stamp(void)
{
    return ++fake_clock;
}

int fake_frame_maps_outstanding(void)
{
    return frame_maps_outstanding;
}

void fake_machine_reset(void)
{
    memset(frames, 0, sizeof(frames));
    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++)
        frame_table[i] = (struct page_info){ .count_info = PGC_free,
                                             .owner = FRAME_OWNER_NONE };
    memset(fake_domains, 0, sizeof(fake_domains));
    fake_fail_zalloc_at = 0;
    fake_fail_shared_frame_at = 0;
    fake_l1_anywhere = false;
    frame_maps_outstanding = 0;
    live_allocations = 0;
}

static int take_free_frame(uint64_t *mfn)
{
    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++)
        if (frame_table[i].count_info & PGC_free) {
            *mfn = FAKE_FIRST_MFN + i;
            memset(frames[i], 0, 4096);
            return 0;
        }
    return -1;
}

uint64_t fake_alloc_frame(uint16_t domid)
{
    uint64_t mfn;

    if (take_free_frame(&mfn))
        abort();
    *frame_info(mfn) = (struct page_info){ .count_info = PGC_allocated | 1,
                                           .owner = domid };
    return mfn;
}

bool fake_frame_is_free(uint64_t mfn)
{
    const struct page_info *pg = frame_info(mfn);
    return pg && (pg->count_info & PGC_free);
}

unsigned int fake_free_frames(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++)
        n += !!(frame_table[i].count_info & PGC_free);
    return n;
}

uint8_t *fake_frame_bytes(uint64_t mfn)
{
    return frame_info(mfn) ? frames[mfn - FAKE_FIRST_MFN] : NULL;
}

/* --- the platform --- */


int fake_live_allocations(void)
{
    return live_allocations;
}

static void *fake_zalloc(size_t bytes)
{
    if (fake_fail_zalloc_at && ++zalloc_calls == fake_fail_zalloc_at)
        return NULL;
    void *p = calloc(1, bytes);
    if (p)
        live_allocations++;
    return p;
}

static void fake_free(void *p)
{
    if (p)
        live_allocations--;
    free(p);
}

static int fake_alloc_shared_frame(struct grant_table *gt, uint64_t *mfn, void **va)
{
    if (fake_fail_shared_frame_at && ++shared_frame_calls == fake_fail_shared_frame_at)
        return -12;
    if (take_free_frame(mfn))
        return -12;
    /* As the hypervisor's: the domain's, writable, held so. */
    *frame_info(*mfn) = (struct page_info){ .owner = FRAME_OWNER_NONE };
    frame_share_with_guest(gt->mm, *mfn);
    *va = frames[*mfn - FAKE_FIRST_MFN];
    return 0;
}

static void fake_free_shared_frame(struct grant_table *gt, uint64_t mfn, void *va)
{
    (void)gt;
    (void)va;
    /* The tests end every mapping of a table's frames before it goes. */
    if (!frame_unshare(mfn))
        abort();
    *frame_info(mfn) = (struct page_info){ .count_info = PGC_free,
                                           .owner = FRAME_OWNER_NONE };
}

static struct grant_table *fake_find_domain(uint16_t domid)
{
    struct fake_domain *d = &fake_domains[domid % FAKE_MAX_DOMAINS];
    return (d->exists && d->gt.domid == domid) ? &d->gt : NULL;
}

struct fake_domain *fake_domain_of(const struct grant_table *gt)
{
    return (struct fake_domain *)((char *)gt - offsetof(struct fake_domain, gt));
}

static struct fake_pte *pte_slot(struct fake_domain *d, uint64_t key)
{
    for (unsigned int i = 0; i < FAKE_MAX_PTES; i++)
        if (d->ptes[i].used && d->ptes[i].key == key)
            return &d->ptes[i];
    return NULL;
}

static uint64_t pte_key(uint64_t host_addr, uint32_t flags)
{
    return (flags & GNTMAP_contains_pte) ? host_addr : (host_addr & ~0xfffull);
}

/* Like Xen's PV path: an L1 must exist there, and it must be the
 * mapper's own. */
static bool has_l1(struct fake_domain *d, uint64_t host_addr, uint32_t flags)
{
    if (flags & GNTMAP_contains_pte) {
        const struct page_info *pg = frame_info(host_addr >> 12);
        return pg && pg->owner == d->gt.domid;
    }
    return fake_l1_anywhere || (host_addr >= FAKE_L1_LO && host_addr < FAKE_L1_HI);
}

static void drop_pte_refs(const struct fake_pte *p)
{
    if (p->rw)
        put_page_type(p->mfn);
    put_page(p->mfn);
}

static int fake_create_host_mapping(struct grant_table *mapper, uint64_t host_addr,
                                    uint64_t mfn, uint32_t flags, uint16_t cache_flags)
{
    struct fake_domain *d = fake_domain_of(mapper);
    (void)cache_flags;

    if (!has_l1(d, host_addr, flags))
        return GNTST_general_error;
    uint64_t key = pte_key(host_addr, flags);
    struct fake_pte *p = pte_slot(d, key);
    if (p) {
        /* Overwriting a present entry releases what it held. */
        drop_pte_refs(p);
    } else {
        for (unsigned int i = 0; i < FAKE_MAX_PTES && !p; i++)
            if (!d->ptes[i].used)
                p = &d->ptes[i];
        if (!p)
            return GNTST_general_error;
    }
    *p = (struct fake_pte){ .used = true, .key = key, .mfn = mfn,
                            .rw = !(flags & GNTMAP_readonly) };
    return GNTST_okay;
}

static int fake_destroy_host_mapping(struct grant_table *mapper, uint64_t host_addr,
                                     uint64_t mfn, uint32_t flags)
{
    struct fake_domain *d = fake_domain_of(mapper);

    if (!has_l1(d, host_addr, flags))
        return GNTST_general_error;
    struct fake_pte *p = pte_slot(d, pte_key(host_addr, flags));
    if (!p || p->mfn != mfn || p->rw != !(flags & GNTMAP_readonly))
        return GNTST_general_error;
    p->used = false;
    return GNTST_okay;
}

static void fake_crash_domain(struct grant_table *gt)
{
    fake_domain_of(gt)->crashed++;
}

const struct grant_ops fake_mm_ops = {
    .zalloc = fake_zalloc,
    .free = fake_free,
    .alloc_shared_frame = fake_alloc_shared_frame,
    .free_shared_frame = fake_free_shared_frame,
    .find_domain = fake_find_domain,
    .create_host_mapping = fake_create_host_mapping,
    .destroy_host_mapping = fake_destroy_host_mapping,
    .crash_domain = fake_crash_domain,
};

struct grant_table *fake_domain_create(uint16_t domid, bool privileged,
                                       int32_t max_frames, int32_t max_maptrack,
                                       int *rc)
{
    struct fake_domain *d = &fake_domains[domid % FAKE_MAX_DOMAINS];

    memset(d, 0, sizeof(*d));
    d->mm.domid = domid;
    d->mm.cpu_has_nx = true;
    zalloc_calls = 0;
    shared_frame_calls = 0;
    struct grant_config cfg = {
        .domid = domid, .privileged = privileged, .mm = &d->mm,
        .ops = &fake_mm_ops, .owner = d,
        .max_frames = max_frames, .max_maptrack_frames = max_maptrack,
    };
    int r = grant_table_init(&d->gt, &cfg);
    if (rc)
        *rc = r;
    if (r)
        return NULL;
    d->exists = true;
    return &d->gt;
}

void fake_domain_remove(uint16_t domid)
{
    fake_domains[domid % FAKE_MAX_DOMAINS].exists = false;
}

void fake_grant(struct grant_table *gt, grant_ref_t ref, uint16_t to, uint64_t mfn,
                uint16_t flags)
{
    struct grant_entry_v1 *e = grant_shared_entry(gt, ref);
    e->domid = to;
    e->frame = (uint32_t)mfn;
    __atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
}

uint16_t fake_grant_flags(struct grant_table *gt, grant_ref_t ref)
{
    return __atomic_load_n(&grant_shared_entry(gt, ref)->flags, __ATOMIC_ACQUIRE);
}

const struct fake_pte *fake_pte_at(const struct grant_table *gt, uint64_t key)
{
    return pte_slot(fake_domain_of(gt), key);
}

unsigned int fake_pte_count(const struct grant_table *gt)
{
    const struct fake_domain *d = fake_domain_of(gt);
    unsigned int n = 0;
    for (unsigned int i = 0; i < FAKE_MAX_PTES; i++)
        n += d->ptes[i].used;
    return n;
}

void fake_teardown_pagetables(struct grant_table *gt)
{
    struct fake_domain *d = fake_domain_of(gt);

    for (unsigned int i = 0; i < FAKE_MAX_PTES; i++)
        if (d->ptes[i].used) {
            drop_pte_refs(&d->ptes[i]);
            d->ptes[i].used = false;
        }
}

int fake_destroy_domains(void)
{
    int rc = 0;

    for (int i = 0; i < FAKE_MAX_DOMAINS; i++)
        if (fake_domains[i].exists) {
            grant_release_mappings(&fake_domains[i].gt);
            fake_teardown_pagetables(&fake_domains[i].gt);
        }
    for (int i = 0; i < FAKE_MAX_DOMAINS; i++) {
        int r = fake_domains[i].exists ? grant_table_destroy(&fake_domains[i].gt) : 0;
        if (r && !rc)
            rc = r;
    }
    return rc;
}

struct gnttab_map_grant_ref fake_map(struct grant_table *ld, uint16_t dom, grant_ref_t ref,
                                     uint32_t flags, uint64_t host_addr)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 99, .handle = 0xdeadbeef,
    };
    grant_map_ref(ld, &op);
    return op;
}

int16_t fake_unmap(struct grant_table *ld, grant_handle_t handle, uint64_t host_addr,
                   uint64_t dev_bus_addr)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .dev_bus_addr = dev_bus_addr, .handle = handle,
        .status = 99,
    };
    grant_unmap_ref(ld, &op);
    return op.status;
}
