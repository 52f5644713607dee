/*
 * Reference and type counting: get_page/put_page, type changes only at a
 * zero type count, validation on the first type reference, pinning, and
 * descriptor pages.
 */
#include <check.h>
#include "check_main.h"
#include "fake_machine.h"
#include "public/errno.h"

static void setup(void) { fm_reset(); }
static void teardown(void) { ck_assert_int_eq(fm_maps_outstanding, 0); }


START_TEST(get_page_checks_owner)
{
    ck_assert(get_page(&fm_guest, G(0)));
    ck_assert_uint_eq(page_ref_count(G(0)), 2);
    put_page(G(0));
    ck_assert_uint_eq(page_ref_count(G(0)), 1);
    ck_assert(!get_page(&fm_guest, FM_OTHER_FIRST));    /* another domain's */
    ck_assert(!get_page(&fm_guest, 3));                 /* DOMID_IO's */
    ck_assert(!get_page(&fm_guest, FM_FREE_FIRST));     /* free */
    ck_assert(!get_page(&fm_guest, FM_FRAMES + 5));     /* not a frame */
    ck_assert(!get_page(&fm_guest, ~0ull));
    ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
}
END_TEST

START_TEST(get_page_refuses_overflow)
{
    struct page_info *pg = frame_info(G(1));
    pg->count_info = PGC_allocated | (PGC_COUNT_MASK - 1);
    ck_assert(get_page(&fm_guest, G(1)));
    ck_assert(!get_page(&fm_guest, G(1)));
    ck_assert_uint_eq(pg->count_info & PGC_COUNT_MASK, PGC_COUNT_MASK);
}
END_TEST

START_TEST(put_page_never_wraps)
{
    struct page_info *pg = frame_info(G(2));
    pg->count_info = PGC_allocated;
    put_page(G(2));
    ck_assert_uint_eq(pg->count_info, PGC_allocated);
}
END_TEST

START_TEST(writable_type_counts)
{
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_writable_page), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_writable_page), 0);
    ck_assert_uint_eq(page_type_count(G(3)), 2);
    ck_assert_uint_eq(page_type_in_use(G(3)), PGT_writable_page);
    /* In use as writable: no other type. */
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_seg_desc_page), -XEN_EINVAL);
    put_page_type(G(3));
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_l1_page_table), -XEN_EINVAL);
    put_page_type(G(3));
    ck_assert_uint_eq(page_type_count(G(3)), 0);
    ck_assert_uint_eq(page_type_in_use(G(3)), PGT_none);
    /* Now free to become a table; the stale writable TLB entries must be
     * flushed first. */
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_l1_page_table), 0);
    ck_assert_int_eq(fm_calls.flush_before_retype, 1);
    ck_assert_uint_eq(fm_calls.last_retype_mfn, G(3));
    ck_assert_int_eq(get_page_type(&fm_guest, G(3), PGT_writable_page), -XEN_EINVAL);
    put_page_type(G(3));
    put_page_type(G(3));        /* unbalanced: ignored */
    ck_assert_uint_eq(page_type_count(G(3)), 0);
}
END_TEST

START_TEST(flush_only_on_type_change)
{
    ck_assert_int_eq(get_page_type(&fm_guest, G(4), PGT_l1_page_table), 0);
    put_page_type(G(4));
    ck_assert_int_eq(get_page_type(&fm_guest, G(4), PGT_l1_page_table), 0);
    put_page_type(G(4));
    ck_assert_int_eq(fm_calls.flush_before_retype, 0);
    /* A former L1 may still be cached as a paging structure. */
    ck_assert_int_eq(get_page_type(&fm_guest, G(4), PGT_l2_page_table), 0);
    put_page_type(G(4));
    ck_assert_int_eq(fm_calls.flush_before_retype, 1);
    ck_assert_int_eq(get_page_type(&fm_guest, G(4), PGT_writable_page), 0);
    ck_assert_int_eq(fm_calls.flush_before_retype, 2);
    ck_assert_uint_eq(fm_calls.last_retype_mfn, G(4));
    put_page_type(G(4));
}
END_TEST

/*
 * Issue 12: a frame whose writable mapping went away, then went back to
 * the allocator and came out again (type 0, as memory_op leaves it),
 * may still be writable through another CPU's TLB: it must not become a
 * table without a flush of the CPUs that may cache it.
 */
START_TEST(retype_after_reuse_flushes)
{
    struct page_info *pg = frame_info(G(8));

    ck_assert_int_eq(get_page_type(&fm_guest, G(8), PGT_writable_page), 0);
    put_page_type(G(8));
    /* decrease_reservation gives it back, populate_physmap hands it out. */
    pg->count_info = 0;
    pg->type_info = 0;
    pg->count_info = PGC_allocated | 1;
    ck_assert_int_eq(pin_table(&fm_guest, G(8), PGT_l1_page_table), 0);
    ck_assert_int_eq(fm_calls.flush_before_retype, 1);
    ck_assert_uint_eq(fm_calls.last_retype_mfn, G(8));
    ck_assert_int_eq(unpin_table(&fm_guest, G(8)), 0);
}
END_TEST

/* The TLB-flush clock: the last use in a type stamps the frame. */
START_TEST(type_drop_stamps_the_frame)
{
    const struct page_info *pg = frame_info(G(9));

    ck_assert_int_eq(get_page_type(&fm_guest, G(9), PGT_writable_page), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, G(9), PGT_writable_page), 0);
    put_page_type(G(9));
    ck_assert_uint_eq(pg->tlbflush_stamp, 0);       /* still mapped */
    put_page_type(G(9));
    uint64_t first = pg->tlbflush_stamp;
    ck_assert_uint_eq(first, fm_clock);
    ck_assert_uint_gt(first, 1);
    /* A table's teardown stamps it and what its entries held. */
    fm_set(G(11), 0, fm_pte(G(12), KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(11), PGT_l1_page_table), 0);
    ck_assert_int_eq(unpin_table(&fm_guest, G(11)), 0);
    ck_assert_uint_gt(frame_info(G(11))->tlbflush_stamp, first);
    ck_assert_uint_gt(frame_info(G(12))->tlbflush_stamp, first);
    ck_assert_uint_eq(pg->tlbflush_stamp, first);   /* untouched since */
}
END_TEST

/* Only the CPUs whose last flush started before the stamp are flushed. */
START_TEST(retype_flushes_only_cpus_that_may_cache)
{
    ck_assert_int_eq(get_page_type(&fm_guest, G(10), PGT_writable_page), 0);
    put_page_type(G(10));
    uint64_t stamp = frame_info(G(10))->tlbflush_stamp;
    fm_cpu_flushed[0] = stamp - 1;      /* flushed just before: may cache */
    fm_cpu_flushed[1] = stamp;          /* started at the stamp: clean */
    fm_cpu_flushed[2] = 0;              /* never flushed */
    fm_cpu_flushed[3] = stamp + 5;
    fm_clock += 10;
    ck_assert_int_eq(pin_table(&fm_guest, G(10), PGT_l1_page_table), 0);
    ck_assert_uint_eq(fm_cpus_flushed, (1u << 0) | (1u << 2));
    ck_assert_uint_eq(fm_calls.last_retype_stamp, stamp);

    /* Unpinned, the L1 gets a new stamp; CPU 3's flush starts with it
     * (the same clock value), the others' started before. */
    fm_cpus_flushed = 0;
    fm_cpu_flushed[3] = fm_clock + 1;
    ck_assert_int_eq(unpin_table(&fm_guest, G(10)), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, G(10), PGT_writable_page), 0);
    ck_assert_uint_eq(fm_cpus_flushed, 0x7);
    put_page_type(G(10));
}
END_TEST

/* A frame nobody ever unmapped has nothing to flush. */
START_TEST(untouched_frame_needs_no_flush)
{
    ck_assert_int_eq(pin_table(&fm_guest, G(13), PGT_l1_page_table), 0);
    ck_assert_int_eq(fm_calls.retype_checks, 1);
    ck_assert_int_eq(fm_calls.flush_before_retype, 0);
    ck_assert_uint_eq(fm_cpus_flushed, 0);
    ck_assert_int_eq(unpin_table(&fm_guest, G(13)), 0);
}
END_TEST

START_TEST(type_none_refused)
{
    ck_assert_int_eq(get_page_type(&fm_guest, G(5), PGT_none), -XEN_EINVAL);
    ck_assert_int_eq(get_page_type(&fm_guest, FM_FRAMES, PGT_writable_page), -XEN_EINVAL);
}
END_TEST

START_TEST(type_count_overflow)
{
    struct page_info *pg = frame_info(G(6));
    pg->type_info = PGT_writable_page | PGT_validated | (PGT_COUNT_MASK - 1);
    ck_assert_int_eq(get_page_type(&fm_guest, G(6), PGT_writable_page), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, G(6), PGT_writable_page), -XEN_EINVAL);
    ck_assert_uint_eq(page_type_count(G(6)), PGT_COUNT_MASK);
}
END_TEST

START_TEST(table_validation_failure_restores_type)
{
    /* An L1 mapping another domain's frame does not validate. */
    fm_set(G(7), 9, fm_pte(FM_OTHER_FIRST, PTE_PRESENT));
    frame_info(G(7))->type_info = PGT_writable_page | PGT_validated;
    struct fm_snapshot *s = fm_snapshot_take();
    ck_assert_int_eq(get_page_type(&fm_guest, G(7), PGT_l1_page_table), -XEN_EBUSY);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
}
END_TEST

START_TEST(get_page_and_type_balances)
{
    ck_assert_int_eq(get_page_and_type(&fm_other, G(8), PGT_writable_page), -XEN_EINVAL);
    ck_assert_uint_eq(page_ref_count(G(8)), 1);
    fm_set(G(8), 0, fm_pte(FM_OTHER_FIRST, PTE_PRESENT));
    ck_assert_int_eq(get_page_and_type(&fm_guest, G(8), PGT_l1_page_table), -XEN_EBUSY);
    ck_assert_uint_eq(page_ref_count(G(8)), 1);
    ck_assert_uint_eq(page_type_count(G(8)), 0);
    ck_assert_int_eq(get_page_and_type(&fm_guest, G(9), PGT_l2_page_table), 0);
    ck_assert_uint_eq(page_ref_count(G(9)), 2);
    put_page_and_type(G(9));
    ck_assert_uint_eq(page_ref_count(G(9)), 1);
    ck_assert_uint_eq(page_type_count(G(9)), 0);
}
END_TEST

START_TEST(pin_and_unpin)
{
    ck_assert_int_eq(pin_table(&fm_guest, G(10), PGT_l1_page_table), 0);
    struct page_info *pg = frame_info(G(10));
    ck_assert(pg->type_info & PGT_pinned);
    ck_assert(pg->type_info & PGT_validated);
    ck_assert_uint_eq(page_type_count(G(10)), 1);
    ck_assert_uint_eq(page_ref_count(G(10)), 2);
    /* Pinned twice: refused, counts unchanged. */
    ck_assert_int_eq(pin_table(&fm_guest, G(10), PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_uint_eq(page_type_count(G(10)), 1);
    ck_assert_uint_eq(page_ref_count(G(10)), 2);
    /* As another level: type in use. */
    ck_assert_int_eq(pin_table(&fm_guest, G(10), PGT_l2_page_table), -XEN_EINVAL);
    /* Someone else's table: neither pin nor unpin. */
    ck_assert_int_eq(unpin_table(&fm_other, G(10)), -XEN_EINVAL);
    ck_assert_int_eq(pin_table(&fm_other, G(11), PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_int_eq(unpin_table(&fm_guest, G(10)), 0);
    ck_assert(!(pg->type_info & PGT_pinned));
    ck_assert_uint_eq(page_type_count(G(10)), 0);
    ck_assert_uint_eq(page_ref_count(G(10)), 1);
    ck_assert_int_eq(unpin_table(&fm_guest, G(10)), -XEN_EINVAL);
    ck_assert_uint_eq(page_ref_count(G(10)), 1);
    /* Only page-table types can be pinned. */
    ck_assert_int_eq(pin_table(&fm_guest, G(11), PGT_writable_page), -XEN_EINVAL);
    ck_assert_int_eq(pin_table(&fm_guest, G(11), PGT_seg_desc_page), -XEN_EINVAL);
    ck_assert_int_eq(pin_table(&fm_guest, FM_FREE_FIRST, PGT_l1_page_table), -XEN_EINVAL);
}
END_TEST

START_TEST(pinned_table_survives_other_users)
{
    ck_assert_int_eq(pin_table(&fm_guest, G(12), PGT_l1_page_table), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, G(12), PGT_l1_page_table), 0);
    put_page_type(G(12));
    ck_assert(frame_info(G(12))->type_info & PGT_pinned);
    ck_assert_uint_eq(page_type_count(G(12)), 1);
    ck_assert_int_eq(unpin_table(&fm_guest, G(12)), 0);
}
END_TEST

START_TEST(descriptor_pages)
{
    ck_assert_int_eq(get_page_type(&fm_guest, G(13), PGT_seg_desc_page), 0);
    ck_assert_int_eq(fm_calls.desc_checks, 1);
    /* Shared use needs no second check; a writable use is refused. */
    ck_assert_int_eq(get_page_type(&fm_guest, G(13), PGT_seg_desc_page), 0);
    ck_assert_int_eq(fm_calls.desc_checks, 1);
    ck_assert_int_eq(get_page_type(&fm_guest, G(13), PGT_writable_page), -XEN_EINVAL);
    put_page_type(G(13));
    put_page_type(G(13));
    /* Contents are checked again on the next use. */
    ck_assert_int_eq(get_page_type(&fm_guest, G(13), PGT_seg_desc_page), 0);
    ck_assert_int_eq(fm_calls.desc_checks, 2);
    put_page_type(G(13));
    fm_desc_result = -XEN_EINVAL;
    ck_assert_int_eq(get_page_type(&fm_guest, G(13), PGT_seg_desc_page), -XEN_EINVAL);
    ck_assert_uint_eq(page_type_count(G(13)), 0);
}
END_TEST

START_TEST(descriptor_pages_fail_closed)
{
    int (*saved)(const struct pv_mm_domain *, void *) = fm_ops.check_desc_page;
    fm_ops.check_desc_page = NULL;
    int rc = get_page_type(&fm_guest, G(14), PGT_seg_desc_page);
    fm_ops.check_desc_page = saved;
    ck_assert_int_eq(rc, -XEN_EINVAL);
    ck_assert_uint_eq(page_type_count(G(14)), 0);
}
END_TEST

/* Frames the hypervisor writes on a guest's behalf (issue 12): whatever
 * the guest maps, unmaps or pins, they never become tables. */
START_TEST(shared_frame_never_becomes_a_table)
{
    uint64_t mfn = FM_FREE_FIRST;
    struct page_info *pg = frame_info(mfn);

    pg->count_info = 0;         /* as alloc_frames hands it out */
    frame_share_with_guest(&fm_guest, mfn);
    ck_assert_uint_eq(pg->owner, FM_GUEST_DOMID);
    ck_assert_uint_eq(page_ref_count(mfn), 1);
    ck_assert_uint_eq(page_type_in_use(mfn), PGT_writable_page);
    /* The guest maps it writable and drops the mapping again. */
    ck_assert_int_eq(get_page_and_type(&fm_guest, mfn, PGT_writable_page), 0);
    put_page_and_type(mfn);
    for (unsigned int level = 1; level <= 4; level++) {
        ck_assert_int_eq(pin_table(&fm_guest, mfn, pgt_of_level(level)), -XEN_EINVAL);
        ck_assert_int_eq(get_page_type(&fm_guest, mfn, pgt_of_level(level)), -XEN_EINVAL);
    }
    ck_assert_int_eq(get_page_type(&fm_guest, mfn, PGT_seg_desc_page), -XEN_EINVAL);
    uint64_t l2e = fm_pte(mfn, KERN);
    ck_assert_int_eq(pt_entry_acquire(2, &l2e, &fm_guest, &fm_guest), -XEN_EINVAL);
    ck_assert_uint_eq(page_type_count(mfn), 1);
    ck_assert_uint_eq(page_ref_count(mfn), 1);
    ck_assert_int_eq(fm_calls.flush_before_retype, 0);

    /* Unshared while a guest mapping holds it: not free yet. */
    ck_assert(get_page(&fm_guest, mfn));
    ck_assert(!frame_unshare(mfn));
    ck_assert_uint_eq(page_type_count(mfn), 0);
    put_page(mfn);
    ck_assert_uint_eq(page_ref_count(mfn), 0);
    ck_assert(!(pg->count_info & PGC_allocated));
}
END_TEST

START_TEST(unshared_frame_is_released)
{
    uint64_t mfn = FM_FREE_FIRST + 1;

    frame_info(mfn)->count_info = 0;
    frame_share_with_guest(&fm_other, mfn);
    ck_assert(frame_unshare(mfn));
    ck_assert_uint_eq(page_ref_count(mfn), 0);
    ck_assert_uint_eq(page_type_count(mfn), 0);
}
END_TEST

START_TEST(held_frame_never_becomes_a_table)
{
    ck_assert_int_eq(frame_hold_for_hv_writes(&fm_guest, G(5)), 0);
    ck_assert_uint_eq(page_ref_count(G(5)), 2);
    ck_assert_int_eq(pin_table(&fm_guest, G(5), PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_int_eq(get_page_type(&fm_guest, G(5), PGT_seg_desc_page), -XEN_EINVAL);
    frame_release_hv_writes(G(5));
    ck_assert_uint_eq(page_ref_count(G(5)), 1);
    ck_assert_uint_eq(page_type_count(G(5)), 0);
    /* Released: the guest's frame is its own again (all zero: a valid L1). */
    ck_assert_int_eq(pin_table(&fm_guest, G(5), PGT_l1_page_table), 0);
    /* And a table can never be held for the hypervisor's writes. */
    ck_assert_int_eq(frame_hold_for_hv_writes(&fm_guest, G(5)), -XEN_EINVAL);
    ck_assert_uint_eq(page_ref_count(G(5)), 2);     /* the pin's */
    ck_assert_int_eq(unpin_table(&fm_guest, G(5)), 0);
    /* Nor can another domain's frame. */
    ck_assert_int_eq(frame_hold_for_hv_writes(&fm_guest, FM_OTHER_FIRST), -XEN_EINVAL);
    ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("page_type");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, get_page_checks_owner);
    tcase_add_test(tc, get_page_refuses_overflow);
    tcase_add_test(tc, put_page_never_wraps);
    tcase_add_test(tc, writable_type_counts);
    tcase_add_test(tc, flush_only_on_type_change);
    tcase_add_test(tc, retype_after_reuse_flushes);
    tcase_add_test(tc, type_drop_stamps_the_frame);
    tcase_add_test(tc, retype_flushes_only_cpus_that_may_cache);
    tcase_add_test(tc, untouched_frame_needs_no_flush);
    tcase_add_test(tc, type_none_refused);
    tcase_add_test(tc, type_count_overflow);
    tcase_add_test(tc, table_validation_failure_restores_type);
    tcase_add_test(tc, get_page_and_type_balances);
    tcase_add_test(tc, pin_and_unpin);
    tcase_add_test(tc, pinned_table_survives_other_users);
    tcase_add_test(tc, descriptor_pages);
    tcase_add_test(tc, descriptor_pages_fail_closed);
    tcase_add_test(tc, shared_frame_never_becomes_a_table);
    tcase_add_test(tc, unshared_frame_is_released);
    tcase_add_test(tc, held_frame_never_becomes_a_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
