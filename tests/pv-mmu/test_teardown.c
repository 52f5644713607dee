/*
 * Domain teardown (mmu/teardown.h): whatever a domain did to its page
 * tables, tearing it down returns every frame it owned with count and
 * type count 0, and the audit says so; a planted leak and a planted
 * double drop are both reported, with the frame and what still maps it.
 */
#include <check.h>
#include <string.h>
#include "check_main.h"
#include "fake_machine.h"
#include "mmu/teardown.h"
#include "public/errno.h"

#define GUEST_FRAMES (FM_OTHER_FIRST - FM_GUEST_FIRST)
#define DOM0_FRAMES  (FM_FREE_FIRST - FM_DOM0_FIRST)

struct audit {
    unsigned int nr_left;
    struct pv_mm_leftover left[16];
    unsigned int nr_drops;
    uint64_t drop_mfn[16];
    bool drop_type[16];
};

static void on_leftover(void *ctx, const struct pv_mm_leftover *l)
{
    struct audit *a = ctx;

    if (a->nr_left < 16)
        a->left[a->nr_left] = *l;
    a->nr_left++;
}

static void on_double_drop(void *ctx, uint64_t mfn, bool type)
{
    struct audit *a = ctx;

    if (a->nr_drops < 16) {
        a->drop_mfn[a->nr_drops] = mfn;
        a->drop_type[a->nr_drops] = type;
    }
    a->nr_drops++;
}

/* The order the hypervisor follows (pv/domain_teardown.c), for the part
 * the PV MMU holds: census, vCPUs' base pointers and LDTs, tables,
 * allocations. */
static struct pv_mm_teardown tear_down(struct pv_mm_domain *d, struct pv_mm_vcpu *v,
                                       struct audit *a)
{
    struct pv_mm_teardown t = {
        .d = d,
        .nr_frames = FM_FRAMES,
        .report_leftover = on_leftover,
        .report_double_drop = on_double_drop,
        .ctx = a,
    };

    memset(a, 0, sizeof(*a));
    pv_mm_teardown_begin(&t);
    if (v)
        pv_mm_vcpu_release(v);
    pv_mm_teardown_tables(&t);
    pv_mm_teardown_finish(&t);
    ck_assert_int_eq(fm_maps_outstanding, 0);
    return t;
}

static bool all_free(uint64_t first, uint64_t end)
{
    for (uint64_t m = first; m < end; m++) {
        const struct page_info *pg = frame_info(m);
        if (!(pg->count_info & PGC_free) || pg->owner != FRAME_OWNER_NONE ||
            (pg->type_info & PGT_COUNT_MASK))
            return false;
    }
    return true;
}

static void assert_balanced(const struct pv_mm_teardown *t, const struct audit *a,
                            uint64_t frames)
{
    ck_assert_uint_eq(t->owned, frames);
    ck_assert_uint_eq(t->returned, frames);
    ck_assert_uint_eq(t->left, 0);
    ck_assert_uint_eq(t->double_drops, 0);
    ck_assert_uint_eq(pv_mm_teardown_unbalanced(t), 0);
    ck_assert_uint_eq(a->nr_left, 0);
    ck_assert_uint_eq(a->nr_drops, 0);
}

static struct fm_guest_tables g;

static void setup(void)
{
    fm_reset();
    fm_build_guest(&g);
}

static void teardown(void) { ck_assert_int_eq(fm_maps_outstanding, 0); }

static int ext(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner, unsigned int cmd,
               uint64_t arg1)
{
    struct mmuext_op op = { .cmd = cmd };
    op.arg1.mfn = arg1;
    return pv_mmuext_op(v, pg_owner, &op);
}

static int set_ldt(struct pv_mm_vcpu *v, uint64_t base, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    op.arg1.linear_addr = base;
    op.arg2.nr_ents = ents;
    return pv_mmuext_op(v, v->d, &op);
}

static int update(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                  struct pv_mm_domain *pg_owner, uint64_t table, unsigned int slot,
                  uint64_t val)
{
    struct mmu_update req = { .ptr = (table << 12) | (slot * 8u), .val = val };
    return pv_mmu_update(v, pt_owner, pg_owner, &req);
}

START_TEST(linux_shape_balanced)
{
    struct audit a;

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_BASEPTR, g.l4), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_USER_BASEPTR, g.l4), 0);
    struct pv_mm_teardown t = tear_down(&fm_guest, &fm_vcpu, &a);
    assert_balanced(&t, &a, GUEST_FRAMES);
    ck_assert_uint_eq(t.unpinned, 1);
    ck_assert_uint_eq(t.devalidated, 0);
    ck_assert(all_free(FM_GUEST_FIRST, FM_OTHER_FIRST));
    ck_assert_int_eq(fm_calls.frames_freed, GUEST_FRAMES);
    /* Nobody else's frames moved. */
    ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
    ck_assert_uint_eq(fm_total_refs(), 0);
    /* Every frame given back carries a fresh stamp for the flush clock. */
    ck_assert_uint_ge(frame_info(g.l1)->tlbflush_stamp, 2);
}
END_TEST

/* Tables shared by several parents, pinned at several levels, two
 * vCPU base pointers on different L4s, an LDT page in use, and every
 * table mapped read-only by an L1 (the "linear" shape the rules allow). */
START_TEST(shared_tables_balanced)
{
    struct audit a;
    uint64_t l4b = G(40), l3b = G(41), l2b = G(42), l1b = G(43);

    fm_set(l4b, 511, fm_pte(g.l3, KERN));           /* a second L4 on the same L3 */
    fm_set(l4b, 0, fm_pte(l3b, KERN));
    fm_set(l3b, 0, fm_pte(g.l2, KERN));             /* the L2 under two L3s */
    fm_set(l3b, 1, fm_pte(l2b, KERN));
    fm_set(l2b, 0, fm_pte(g.l1, KERN));             /* the L1 under two L2s */
    fm_set(l2b, 1, fm_pte(l1b, KERN));
    fm_set(l2b, 2, fm_pte(l1b, KERN));              /* twice in one table */
    fm_set(l1b, 0, fm_pte(l4b, RO));
    fm_set(l1b, 1, fm_pte(l1b, RO));                /* itself, read-only */
    fm_set(l1b, 2, fm_pte(g.data[0], KERN));        /* a second writable mapping */
    fm_set(l1b, 3, fm_pte(G(50), RO));              /* the LDT page */

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, l4b), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L2_TABLE, l2b), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L1_TABLE, g.l1), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_BASEPTR, l4b), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_USER_BASEPTR, g.l4), 0);
    ck_assert_uint_eq(page_type_count(g.l1), 3);
    ck_assert_uint_eq(page_type_count(g.data[0]), 2);

    /* LDT at va 0 (l4b 0 -> l3b 0 -> l2 0 -> L1 g.l1) is data[0]: writable,
     * refused; at l3b 1 -> l2b 1 -> l1b slot 3 it is G(50), read-only. */
    uint64_t ldt_va = (1ull << 30) | (1ull << 21) | (3ull << 12);
    uint64_t pte;
    ck_assert_int_eq(set_ldt(&fm_vcpu, ldt_va, 512), 0);
    ck_assert(pv_ldt_map_page(&fm_vcpu, 0, &pte));
    ck_assert_uint_eq(page_type_in_use(G(50)), PGT_seg_desc_page);

    struct pv_mm_teardown t = tear_down(&fm_guest, &fm_vcpu, &a);
    assert_balanced(&t, &a, GUEST_FRAMES);
    ck_assert_uint_eq(t.unpinned, 4);
    ck_assert(all_free(FM_GUEST_FIRST, FM_OTHER_FIRST));
}
END_TEST

/* An extra general reference on a data frame: that frame alone is left,
 * reported with its counts and the entries that still map it (none: the
 * tables are gone). */
START_TEST(planted_leak_reported)
{
    struct audit a;

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    ck_assert(get_page(&fm_guest, g.data[2]));
    struct pv_mm_teardown t = tear_down(&fm_guest, NULL, &a);
    ck_assert_uint_eq(t.left, 1);
    ck_assert_uint_eq(t.double_drops, 0);
    ck_assert_uint_eq(pv_mm_teardown_unbalanced(&t), 1);
    ck_assert_uint_eq(t.returned, GUEST_FRAMES - 1);
    ck_assert_uint_eq(a.nr_left, 1);
    ck_assert_uint_eq(a.left[0].mfn, g.data[2]);
    ck_assert_uint_eq(a.left[0].count_info & PGC_COUNT_MASK, 1);
    ck_assert(!(a.left[0].count_info & PGC_allocated));
    ck_assert(!a.left[0].double_drop);
    ck_assert_uint_eq(a.left[0].nr_referrers, 0);
    /* Still referenced, so still the domain's: never handed out again. */
    ck_assert_uint_eq(frame_info(g.data[2])->owner, FM_GUEST_DOMID);
    ck_assert(!(frame_info(g.data[2])->count_info & PGC_free));
}
END_TEST

/* A leaked type reference on an L2: the L2 is devalidated in place (its
 * L1 and everything below go back) and is the one frame reported. */
START_TEST(planted_table_leak_reported)
{
    struct audit a;

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    ck_assert_int_eq(get_page_and_type(&fm_guest, g.l2, PGT_l2_page_table), 0);
    struct pv_mm_teardown t = tear_down(&fm_guest, NULL, &a);
    ck_assert_uint_eq(t.devalidated, 1);
    ck_assert_uint_eq(t.left, 1);
    ck_assert_uint_eq(t.double_drops, 0);
    ck_assert_uint_eq(a.left[0].mfn, g.l2);
    ck_assert_uint_eq(a.left[0].type_info & PGT_COUNT_MASK, 1);
    ck_assert_uint_eq(a.left[0].type_info & PGT_TYPE_MASK, PGT_l2_page_table);
    ck_assert(!(a.left[0].type_info & PGT_validated));
    ck_assert(all_free(g.l1, g.l1 + 1));
    for (unsigned int i = 0; i < 4; i++)
        ck_assert(all_free(g.data[i], g.data[i] + 1));
}
END_TEST

/* One general reference dropped too many: the allocation reference finds
 * nothing left, reported as a double drop; the frame is kept. */
START_TEST(planted_double_put_reported)
{
    struct audit a;

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    put_page(g.data[1]);
    struct pv_mm_teardown t = tear_down(&fm_guest, NULL, &a);
    ck_assert_uint_eq(t.double_drops, 1);
    ck_assert_uint_eq(t.left, 0);
    ck_assert_uint_eq(pv_mm_teardown_unbalanced(&t), 1);
    ck_assert_uint_eq(a.nr_left, 1);
    ck_assert(a.left[0].double_drop);
    ck_assert_uint_eq(a.left[0].mfn, g.data[1]);
    ck_assert_uint_eq(frame_info(g.data[1])->owner, FM_GUEST_DOMID);
}
END_TEST

/* A type reference dropped too many: the L1's release finds the type
 * count of its writable mapping already 0, refused and reported. */
START_TEST(planted_double_type_put_reported)
{
    struct audit a;

    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);
    put_page_type(g.data[3]);
    struct pv_mm_teardown t = tear_down(&fm_guest, NULL, &a);
    ck_assert_uint_eq(t.double_drops, 1);
    ck_assert_uint_eq(pv_mm_teardown_unbalanced(&t), 1);
    ck_assert_uint_eq(a.nr_drops, 1);
    ck_assert_uint_eq(a.drop_mfn[0], g.data[3]);
    ck_assert(a.drop_type[0]);
    ck_assert_uint_eq(page_type_count(g.data[3]), 0);
}
END_TEST

/* dom0 maps a guest frame (a foreign mapping holds what a grant mapping
 * holds: a general and a writable type reference in dom0's L1).  While
 * it does, the guest's frame is left and the report names dom0's entry;
 * once dom0 is torn down too, the mapping's references are gone. */
START_TEST(frame_mapped_by_another_domain)
{
    struct audit a;
    struct pv_mm_vcpu v0 = { .d = &fm_dom0 };
    uint64_t d0_l1 = FM_DOM0_FIRST + 1;

    ck_assert_int_eq(ext(&v0, &fm_dom0, MMUEXT_PIN_L1_TABLE, d0_l1), 0);
    ck_assert_int_eq(update(&v0, &fm_dom0, &fm_guest, d0_l1, 7, fm_pte(g.data[0], KERN)), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, g.l4), 0);

    struct pv_mm_teardown t = tear_down(&fm_guest, NULL, &a);
    ck_assert_uint_eq(t.left, 1);
    ck_assert_uint_eq(a.left[0].mfn, g.data[0]);
    ck_assert_uint_eq(a.left[0].nr_referrers, 1);
    ck_assert_uint_eq(a.left[0].referrers[0].table_mfn, d0_l1);
    ck_assert_uint_eq(a.left[0].referrers[0].table_owner, 0);
    ck_assert_uint_eq(a.left[0].referrers[0].level, 1);
    ck_assert_uint_eq(a.left[0].referrers[0].slot, 7);
    ck_assert_uint_eq(page_type_count(g.data[0]), 1);

    t = tear_down(&fm_dom0, &v0, &a);
    assert_balanced(&t, &a, DOM0_FRAMES);
    ck_assert_uint_eq(page_ref_count(g.data[0]), 0);
    ck_assert_uint_eq(page_type_count(g.data[0]), 0);
}
END_TEST

/* The domain torn down is the mapper: the other domain's frames are back
 * to their allocation reference alone. */
START_TEST(mapper_torn_down_first)
{
    struct audit a;
    struct pv_mm_vcpu v0 = { .d = &fm_dom0 };
    uint64_t d0_l1 = FM_DOM0_FIRST + 1;

    ck_assert_int_eq(ext(&v0, &fm_dom0, MMUEXT_PIN_L1_TABLE, d0_l1), 0);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(update(&v0, &fm_dom0, &fm_guest, d0_l1, i,
                                fm_pte(g.data[i], i & 1 ? RO : KERN)), 0);
    struct pv_mm_teardown t = tear_down(&fm_dom0, &v0, &a);
    assert_balanced(&t, &a, DOM0_FRAMES);
    for (unsigned int i = 0; i < 4; i++) {
        ck_assert_uint_eq(page_ref_count(g.data[i]), 1);
        ck_assert_uint_eq(page_type_count(g.data[i]), 0);
    }
    t = tear_down(&fm_guest, NULL, &a);
    assert_balanced(&t, &a, GUEST_FRAMES);
}
END_TEST

/* --- random, seeded sequences of PV MMU operations --- */

static uint64_t rng_state;

static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

/* Frame pools: which level each is meant for (the sequences also misuse
 * them on purpose). */
static const uint64_t pool_l4[] = { G(0), G(1), G(2) };
static const uint64_t pool_l3[] = { G(3), G(4), G(5) };
static const uint64_t pool_l2[] = { G(6), G(7), G(8) };
static const uint64_t pool_l1[] = { G(9), G(10), G(11), G(12), G(13) };
#define NR_DATA 16
#define DATA(i) G(14 + (i))
#define D0_L1   (FM_DOM0_FIRST + 1)

static uint64_t pick_table(unsigned int level)
{
    switch (level) {
    case 4: return pool_l4[rnd(3)];
    case 3: return pool_l3[rnd(3)];
    case 2: return pool_l2[rnd(3)];
    default: return pool_l1[rnd(5)];
    }
}

static uint64_t pick_any(void)
{
    switch (rnd(8)) {
    case 0: return pick_table(1 + (unsigned int)rnd(4));
    case 1: return FM_DOM0_FIRST + rnd(8);      /* not the guest's */
    case 2: return rnd(FM_GUEST_FIRST);         /* I/O */
    default: return DATA(rnd(NR_DATA));
    }
}

static unsigned int pick_slot(void)
{
    static const unsigned int slots[] = { 0, 1, 2, 3, 7, 510, 511 };
    return slots[rnd(7)];
}

static uint64_t pick_flags(void)
{
    switch (rnd(4)) {
    case 0: return RO;
    case 1: return RO | PTE_NX;
    case 2: return KERN | PTE_USER;
    default: return KERN;
    }
}

/* Kernel mapping of data page i: L4 511 -> L3 510 -> L2 0 -> L1 slot i. */
static void build_start(void)
{
    fm_set(pool_l4[0], 511, fm_pte(pool_l3[0], KERN));
    fm_set(pool_l3[0], 510, fm_pte(pool_l2[0], KERN));
    fm_set(pool_l2[0], 0, fm_pte(pool_l1[0], KERN));
    for (unsigned int i = 0; i < NR_DATA; i++)
        fm_set(pool_l1[0], i, fm_pte(DATA(i), i % 3 ? KERN : RO));
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L4_TABLE, pool_l4[0]), 0);
    ck_assert_int_eq(ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_BASEPTR, pool_l4[0]), 0);
}

static void random_step(struct pv_mm_vcpu *v0)
{
    uint64_t r = rnd(100), pte;
    unsigned int level = 1 + (unsigned int)rnd(4);

    if (r < 40) {
        uint64_t table = rnd(8) ? pick_table(level) : pick_any();
        uint64_t val = 0;
        if (rnd(4)) {
            uint64_t target = level > 1 && rnd(5) ? pick_table(level - 1) : pick_any();
            val = fm_pte(target, level > 1 ? (rnd(4) ? KERN : RO) : pick_flags());
        }
        unsigned int slot = pick_slot();
        if (level == 1 && rnd(3) == 0) {
            /* The same write as a trapped store of the guest kernel
             * (writable page tables), plain or as a cmpxchg. */
            uint64_t expected = rnd(2) ? fm_get(table, slot) : val;
            (void)pv_ptwr_emulate(&fm_vcpu, slot * 8u, table, val, rnd(2), &expected);
        } else {
            struct mmu_update req = {
                .ptr = (table << 12) | (slot * 8u) |
                       (rnd(4) ? MMU_NORMAL_PT_UPDATE : MMU_PT_UPDATE_PRESERVE_AD),
                .val = val,
            };
            (void)pv_mmu_update(&fm_vcpu, &fm_guest, &fm_guest, &req);
        }
    } else if (r < 50) {
        (void)ext(&fm_vcpu, &fm_guest, MMUEXT_PIN_L1_TABLE + level - 1,
                  rnd(6) ? pick_table(level) : pick_any());
    } else if (r < 58) {
        (void)ext(&fm_vcpu, &fm_guest, MMUEXT_UNPIN_TABLE, pick_table(level));
    } else if (r < 63) {
        (void)ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_BASEPTR, pick_table(4));
    } else if (r < 67) {
        (void)ext(&fm_vcpu, &fm_guest, MMUEXT_NEW_USER_BASEPTR, rnd(3) ? pick_table(4) : 0);
    } else if (r < 73) {
        (void)set_ldt(&fm_vcpu, FM_KVA + rnd(NR_DATA) * 4096, (unsigned int)rnd(1024));
        (void)pv_ldt_map_page(&fm_vcpu, (uint32_t)rnd(8192), &pte);
    } else if (r < 85) {
        uint64_t val = rnd(5) ? fm_pte(pick_any(), pick_flags()) : 0;
        (void)pv_update_va_mapping(&fm_vcpu, &fm_guest, FM_KVA + rnd(NR_DATA + 4) * 4096,
                                   val, 0);
    } else if (r < 95) {
        /* dom0 maps guest frames into its own L1, as a grant map would. */
        uint64_t val = rnd(4) ? fm_pte(pick_any(), pick_flags()) : 0;
        (void)update(v0, &fm_dom0, &fm_guest, D0_L1, (unsigned int)rnd(8), val);
    } else {
        struct mmuext_op op = { .cmd = rnd(2) ? MMUEXT_CLEAR_PAGE : MMUEXT_COPY_PAGE };
        op.arg1.mfn = pick_any();
        op.arg2.src_mfn = pick_any();
        (void)pv_mmuext_op(&fm_vcpu, &fm_guest, &op);
    }
    ck_assert_int_eq(fm_maps_outstanding, 0);
}

#define SEEDS 300
#define STEPS 250

START_TEST(random_sequences_balanced)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct audit a;
        struct pv_mm_vcpu v0 = { .d = &fm_dom0 };

        fm_reset();
        rng_state = seed * 0x9e3779b97f4a7c15ull;
        build_start();
        ck_assert_int_eq(ext(&v0, &fm_dom0, MMUEXT_PIN_L1_TABLE, D0_L1), 0);
        for (unsigned int i = 0; i < STEPS; i++)
            random_step(&v0);

        /* The mapper first, then the guest: each balances. */
        struct pv_mm_teardown t = tear_down(&fm_dom0, &v0, &a);
        if (pv_mm_teardown_unbalanced(&t))
            ck_abort_msg("seed %lu: dom0 unbalanced %lu", (unsigned long)seed,
                         (unsigned long)pv_mm_teardown_unbalanced(&t));
        assert_balanced(&t, &a, DOM0_FRAMES);
        t = tear_down(&fm_guest, &fm_vcpu, &a);
        if (pv_mm_teardown_unbalanced(&t))
            ck_abort_msg("seed %lu: guest unbalanced %lu (first mfn %#lx count %#lx type %#lx)",
                         (unsigned long)seed, (unsigned long)pv_mm_teardown_unbalanced(&t),
                         (unsigned long)a.left[0].mfn, (unsigned long)a.left[0].count_info,
                         (unsigned long)a.left[0].type_info);
        assert_balanced(&t, &a, GUEST_FRAMES);
        ck_assert(all_free(FM_GUEST_FIRST, FM_OTHER_FIRST));
        ck_assert(all_free(FM_DOM0_FIRST, FM_FREE_FIRST));
        /* Domain 2 and the I/O frames are untouched. */
        ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
        ck_assert_uint_eq(page_ref_count(3), 1);
    }
}
END_TEST

static Suite *teardown_suite(void)
{
    Suite *s = suite_create("teardown");
    TCase *tc = tcase_create("teardown");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, linux_shape_balanced);
    tcase_add_test(tc, shared_tables_balanced);
    tcase_add_test(tc, planted_leak_reported);
    tcase_add_test(tc, planted_table_leak_reported);
    tcase_add_test(tc, planted_double_put_reported);
    tcase_add_test(tc, planted_double_type_put_reported);
    tcase_add_test(tc, frame_mapped_by_another_domain);
    tcase_add_test(tc, mapper_torn_down_first);
    tcase_add_test(tc, random_sequences_balanced);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(teardown_suite());
}
