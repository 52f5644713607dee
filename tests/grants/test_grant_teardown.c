/*
 * Domain death with grants in use: a mapping domain that dies lets go of
 * everything it mapped; a granting domain that dies while others still
 * map its pages cannot be freed, and the bookkeeping says who holds what.
 *
 * Domain 1 grants, domains 2 and 3 map.
 */
#include <check.h>
#include "check_main.h"
#include "fake_machine.h"
#include "mmu/page_type.h"
#include "mmu/teardown.h"
#include "public/errno.h"

static struct grant_table *d1, *d2, *d3;
static uint64_t pages[4];

#define VA(n) (FAKE_L1_LO + (uint64_t)(n) * 0x1000)

static void setup(void)
{
    fake_machine_reset();
    d1 = fake_domain_create(1, false, -1, -1, NULL);
    d2 = fake_domain_create(2, false, -1, -1, NULL);
    d3 = fake_domain_create(3, false, -1, -1, NULL);
    for (int i = 0; i < 4; i++) {
        pages[i] = fake_alloc_frame(1);
        fake_grant(d1, (grant_ref_t)(20 + i), i == 3 ? 3 : 2, pages[i], GTF_permit_access);
    }
}

static void teardown(void)
{
    ck_assert_int_eq(fake_destroy_domains(), 0);
    ck_assert_int_eq(fake_live_allocations(), 0);
}

/* Domain 2 maps refs 20-22 in every way; domain 3 maps ref 23. */
static void map_everything(void)
{
    ck_assert_int_eq(fake_map(d2, 1, 20, GNTMAP_host_map, VA(0)).status, GNTST_okay);
    ck_assert_int_eq(fake_map(d2, 1, 20, GNTMAP_host_map | GNTMAP_readonly, VA(1)).status,
                     GNTST_okay);
    ck_assert_int_eq(fake_map(d2, 1, 21, GNTMAP_device_map, 0).status, GNTST_okay);
    ck_assert_int_eq(fake_map(d2, 1, 22, GNTMAP_device_map | GNTMAP_host_map, VA(2)).status,
                     GNTST_okay);
    ck_assert_int_eq(fake_map(d3, 1, 23, GNTMAP_host_map, VA(0)).status, GNTST_okay);
}

START_TEST(mapper_dies_and_lets_go)
{
    map_everything();
    ck_assert_uint_eq(page_ref_count(pages[0]), 3);
    ck_assert_uint_eq(page_ref_count(pages[2]), 3);
    ck_assert_uint_eq(page_type_count(pages[2]), 2);

    /* Still mapping: it cannot be freed yet. */
    ck_assert_int_eq(grant_table_destroy(d2), -XEN_EBUSY);

    grant_release_mappings(d2);
    ck_assert_uint_eq(grant_list_mappings(d2, NULL, NULL), 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(fake_grant_flags(d1, (grant_ref_t)(20 + i)), GTF_permit_access);
        ck_assert(grant_pins_zero(grant_active_entry(d1, (grant_ref_t)(20 + i))->pins));
    }
    /* The device mapping's references went with it; the host mappings'
     * belong to the PTEs until the page tables go. */
    ck_assert_uint_eq(page_ref_count(pages[1]), 1);
    ck_assert_uint_eq(page_type_count(pages[1]), 0);
    ck_assert_uint_eq(page_ref_count(pages[0]), 3);
    ck_assert_uint_eq(page_ref_count(pages[2]), 2);
    ck_assert_uint_eq(page_type_count(pages[2]), 1);

    fake_teardown_pagetables(d2);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(page_ref_count(pages[i]), 1);
        ck_assert_uint_eq(page_type_count(pages[i]), 0);
    }
    ck_assert_int_eq(grant_table_destroy(d2), 0);
    fake_domain_remove(2);

    /* Domain 3's mapping is untouched. */
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 1);
    ck_assert_uint_eq(fake_grant_flags(d1, 23), GTF_permit_access | GTF_reading | GTF_writing);
}
END_TEST

struct holders {
    unsigned int n;
    struct grant_active_info seen[8];
};

static bool collect(const struct grant_active_info *info, void *ctx)
{
    struct holders *h = ctx;
    if (h->n < 8)
        h->seen[h->n++] = *info;
    return true;
}

START_TEST(granter_dies_while_mapped)
{
    map_everything();
    grant_release_mappings(d1);     /* it mapped nothing itself */

    unsigned int free_before = fake_free_frames();
    ck_assert_int_eq(grant_table_destroy(d1), -XEN_EBUSY);
    ck_assert_uint_eq(fake_free_frames(), free_before);
    ck_assert_uint_eq(d1->nr_frames, 1);

    /* Who holds what. */
    struct holders h = { 0 };
    ck_assert_uint_eq(grant_list_active(d1, collect, &h), 4);
    ck_assert_uint_eq(h.seen[0].ref, 20);
    ck_assert_uint_eq(h.seen[0].holder, 2);
    ck_assert_uint_eq(h.seen[0].mfn, pages[0]);
    ck_assert_uint_eq(h.seen[0].pins.host_rw, 1);
    ck_assert_uint_eq(h.seen[0].pins.host_ro, 1);
    ck_assert_uint_eq(h.seen[1].ref, 21);
    ck_assert_uint_eq(h.seen[1].pins.dev_rw, 1);
    ck_assert_uint_eq(h.seen[2].pins.dev_rw, 1);
    ck_assert_uint_eq(h.seen[2].pins.host_rw, 1);
    ck_assert_uint_eq(h.seen[3].ref, 23);
    ck_assert_uint_eq(h.seen[3].holder, 3);

    /* The mappers can still unmap from the dying domain. */
    ck_assert_int_eq(fake_unmap(d3, 0, VA(0), 0), GNTST_okay);
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 3);
    ck_assert_int_eq(grant_table_destroy(d1), -XEN_EBUSY);

    /* Domain 2 dies too: now nothing holds domain 1's grants. */
    grant_release_mappings(d2);
    fake_teardown_pagetables(d2);
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 0);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(page_ref_count(pages[i]), 1);
    ck_assert_int_eq(grant_table_destroy(d1), 0);
    ck_assert_uint_eq(fake_free_frames(), free_before + 1);
    fake_domain_remove(1);
}
END_TEST

START_TEST(self_mappings_on_death)
{
    /* A domain mapping its own grant holds itself up until it lets go. */
    fake_grant(d1, 30, 1, pages[0], GTF_permit_access);
    ck_assert_int_eq(fake_map(d1, 1, 30, GNTMAP_host_map, VA(7)).status, GNTST_okay);
    ck_assert_int_eq(grant_table_destroy(d1), -XEN_EBUSY);
    grant_release_mappings(d1);
    fake_teardown_pagetables(d1);
    ck_assert_uint_eq(fake_grant_flags(d1, 30), GTF_permit_access);
    ck_assert_uint_eq(page_ref_count(pages[0]), 1);
    ck_assert_int_eq(grant_table_destroy(d1), 0);
    fake_domain_remove(1);
}
END_TEST

START_TEST(granter_vanished)
{
    /* If the hypervisor ever freed a granter still mapped (it must not),
     * an unmap crashes the caller as Xen does, and release copes. */
    struct gnttab_map_grant_ref m = fake_map(d2, 1, 20, GNTMAP_host_map, VA(0));
    ck_assert_int_eq(m.status, GNTST_okay);
    fake_domain_remove(1);
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(0), 0), GNTST_general_error);
    ck_assert_uint_eq(fake_domain_of(d2)->crashed, 1);

    grant_release_mappings(d2);
    ck_assert_uint_eq(d2->maptrack_in_use, 0);
    fake_teardown_pagetables(d2);
    ck_assert_uint_eq(page_ref_count(pages[0]), 1);

    /* Tidy the granter up by hand: its pin is stale. */
    __builtin_memset(&grant_active_entry(d1, 20)->pins, 0, sizeof(struct grant_pins));
    fake_domains[1].exists = true;
}
END_TEST


/* --- the whole teardown of a domain with grants, audited (mmu/teardown.h) --- */

static void free_frame(struct pv_mm_domain *d, uint64_t mfn)
{
    (void)d;
    *frame_info(mfn) = (struct page_info){ .count_info = PGC_free, .owner = FRAME_OWNER_NONE };
}

static const struct pv_mm_ops audit_ops = { .free_frame = free_frame };

/* The order pv/domain_teardown.c follows, with the fake machine's toy
 * page tables in place of the PV MMU's. */
static struct pv_mm_teardown die(struct grant_table *gt, int *destroy_rc)
{
    struct fake_domain *d = fake_domain_of(gt);
    struct pv_mm_teardown t = {
        .d = &d->mm,
        .nr_frames = FAKE_FIRST_MFN + FAKE_NR_FRAMES,
    };

    d->mm.ops = &audit_ops;
    pv_mm_teardown_begin(&t);
    grant_release_mappings(gt);
    fake_teardown_pagetables(gt);
    pv_mm_teardown_tables(&t);
    *destroy_rc = grant_table_destroy(gt);
    pv_mm_teardown_finish(&t);
    return t;
}

START_TEST(deaths_audited_balanced)
{
    int rc;
    uint64_t own2 = fake_alloc_frame(2);

    map_everything();
    /* The mapper dies first: its own frame and grant frame go back, and
     * the granter's frames hold their allocation reference alone. */
    struct pv_mm_teardown t = die(d2, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(t.owned, 2);
    ck_assert_uint_eq(t.returned, 2);
    ck_assert_uint_eq(pv_mm_teardown_unbalanced(&t), 0);
    ck_assert(fake_frame_is_free(own2));
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(page_ref_count(pages[i]), 1);
        ck_assert_uint_eq(page_type_count(pages[i]), 0);
    }
    fake_domain_remove(2);

    /* The granter dies while domain 3 still maps ref 23: its table must
     * stay, and the audit reports the mapped frame and the grant frame. */
    t = die(d1, &rc);
    ck_assert_int_eq(rc, -XEN_EBUSY);
    ck_assert_uint_eq(t.owned, 5);
    ck_assert_uint_eq(t.left, 2);
    ck_assert_uint_eq(t.double_drops, 0);
    ck_assert(!fake_frame_is_free(pages[3]));
    ck_assert(fake_frame_is_free(pages[0]));

    /* Once domain 3 lets go, what is left balances. */
    ck_assert_int_eq(fake_unmap(d3, 0, VA(0), 0), GNTST_okay);
    ck_assert_uint_eq(page_ref_count(pages[3]), 0);
    ck_assert_int_eq(grant_table_destroy(d1), 0);
    fake_domain_remove(1);
}
END_TEST

static Suite *grant_teardown_suite(void)
{
    Suite *s = suite_create("grant_teardown");
    TCase *tc = tcase_create("teardown");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mapper_dies_and_lets_go);
    tcase_add_test(tc, granter_dies_while_mapped);
    tcase_add_test(tc, self_mappings_on_death);
    tcase_add_test(tc, granter_vanished);
    tcase_add_test(tc, deaths_audited_balanced);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(grant_teardown_suite());
}
