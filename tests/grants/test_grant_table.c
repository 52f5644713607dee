/*
 * The table and its frames: init limits, setup_table growth and limit,
 * query_size, set_version/get_version, the op argument checks, and
 * destruction of an idle table.
 */
#include <check.h>
#include "check_main.h"
#include "fake_machine.h"
#include "mmu/page_type.h"
#include "public/errno.h"

static struct grant_table *d1, *d2, *d0;

static void setup(void)
{
    fake_machine_reset();
    d0 = fake_domain_create(0, true, -1, -1, NULL);
    d1 = fake_domain_create(1, false, -1, -1, NULL);
    d2 = fake_domain_create(2, false, 8, -1, NULL);
    ck_assert_ptr_nonnull(d0);
    ck_assert_ptr_nonnull(d1);
    ck_assert_ptr_nonnull(d2);
}

static void teardown(void)
{
    for (int i = 0; i < FAKE_MAX_DOMAINS; i++)
        if (fake_domains[i].exists)
            ck_assert_int_eq(grant_table_destroy(&fake_domains[i].gt), 0);
    ck_assert_int_eq(fake_live_allocations(), 0);
    ck_assert_int_eq(fake_frame_maps_outstanding(), 0);
}

/* Collects setup_table's frame_list; fails at index fail_at if set. */
struct sink_buf {
    uint64_t mfn[80];
    int fail_at;
    unsigned int calls;
};

static bool sink_put(void *ctx, uint32_t i, uint64_t mfn)
{
    struct sink_buf *b = ctx;
    b->calls++;
    if ((int)i == b->fail_at)
        return false;
    b->mfn[i] = mfn;
    return true;
}

static int16_t setup_table(struct grant_table *caller, uint16_t dom, uint32_t nr,
                           struct sink_buf *b)
{
    struct grant_frame_sink sink = { .put = sink_put, .ctx = b };
    struct gnttab_setup_table op = { .dom = dom, .nr_frames = nr, .status = 99 };
    grant_op_setup_table(caller, &op, &sink);
    return op.status;
}

START_TEST(init_defaults_match_xen)
{
    ck_assert_uint_eq(d1->nr_frames, GRANT_INITIAL_FRAMES);
    ck_assert_uint_eq(d1->max_frames, 64);
    ck_assert_uint_eq(d1->max_maptrack_frames, 1024);
    ck_assert_uint_eq(d1->version, 1);
    ck_assert_uint_eq(grant_nr_entries(d1), 512);

    /* The shared frame is the domain's, writable, and starts empty. */
    uint64_t mfn = d1->frame_mfn[0];
    ck_assert_uint_eq(frame_info(mfn)->owner, 1);
    ck_assert_uint_eq(page_type_in_use(mfn), PGT_writable_page);
    ck_assert_uint_eq(grant_shared_entry(d1, 0)->flags, 0);
    ck_assert_ptr_eq(grant_shared_entry(d1, 0), (void *)fake_frame_bytes(mfn));
    ck_assert_ptr_eq(grant_shared_entry(d1, 511), (struct grant_entry_v1 *)fake_frame_bytes(mfn) + 511);
}
END_TEST

START_TEST(init_refuses_bad_limits)
{
    int rc = 0;
    unsigned int free_before = fake_free_frames();

    ck_assert_ptr_null(fake_domain_create(3, false, 0, -1, &rc));
    ck_assert_int_eq(rc, -XEN_EINVAL);
    ck_assert_ptr_null(fake_domain_create(3, false, 65, -1, &rc));
    ck_assert_int_eq(rc, -XEN_EINVAL);
    ck_assert_ptr_null(fake_domain_create(3, false, 4, 1025, &rc));
    ck_assert_int_eq(rc, -XEN_EINVAL);
    ck_assert_uint_eq(fake_free_frames(), free_before);

    struct grant_table *gt = fake_domain_create(3, false, 1, 0, &rc);
    ck_assert_ptr_nonnull(gt);
    ck_assert_uint_eq(gt->max_frames, 1);
    ck_assert_uint_eq(gt->max_maptrack_frames, 0);
}
END_TEST

START_TEST(init_out_of_memory_leaves_nothing)
{
    unsigned int free_before = fake_free_frames();
    int rc = 0;

    /* Every allocation step in turn fails: the arrays, the first active
     * array, the first shared frame. */
    for (unsigned int at = 1; at <= 5; at++) {
        fake_fail_zalloc_at = at;
        ck_assert_ptr_null(fake_domain_create(3, false, -1, -1, &rc));
        ck_assert_int_eq(rc, -XEN_ENOMEM);
        ck_assert_uint_eq(fake_free_frames(), free_before);
    }
    fake_fail_zalloc_at = 0;
    fake_fail_shared_frame_at = 1;
    ck_assert_ptr_null(fake_domain_create(3, false, -1, -1, &rc));
    ck_assert_int_eq(rc, -XEN_ENOMEM);
    ck_assert_uint_eq(fake_free_frames(), free_before);
}
END_TEST

START_TEST(setup_table_grows_and_returns_frames)
{
    struct sink_buf b = { .fail_at = -1 };

    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 4, &b), GNTST_okay);
    ck_assert_uint_eq(d1->nr_frames, 4);
    ck_assert_uint_eq(grant_nr_entries(d1), 2048);
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(b.mfn[i], d1->frame_mfn[i]);
        ck_assert_uint_eq(frame_info(b.mfn[i])->owner, 1);
        for (int j = 0; j < i; j++)
            ck_assert_uint_ne(b.mfn[i], b.mfn[j]);
    }
    /* Entries in the new frames are usable. */
    ck_assert_ptr_eq(grant_shared_entry(d1, 1536), (void *)fake_frame_bytes(b.mfn[3]));

    /* Asking for fewer never shrinks, and returns the first frames. */
    struct sink_buf c = { .fail_at = -1 };
    ck_assert_int_eq(setup_table(d1, 1, 2, &c), GNTST_okay);
    ck_assert_uint_eq(d1->nr_frames, 4);
    ck_assert_uint_eq(c.calls, 2);
    ck_assert_uint_eq(c.mfn[1], b.mfn[1]);

    struct sink_buf z = { .fail_at = -1 };
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 0, &z), GNTST_okay);
    ck_assert_uint_eq(z.calls, 0);
}
END_TEST

START_TEST(setup_table_limit)
{
    struct sink_buf b = { .fail_at = -1 };

    ck_assert_int_eq(setup_table(d2, DOMID_SELF, 9, &b), GNTST_general_error);
    ck_assert_uint_eq(d2->nr_frames, 1);
    ck_assert_uint_eq(b.calls, 0);
    ck_assert_int_eq(setup_table(d2, DOMID_SELF, 8, &b), GNTST_okay);
    ck_assert_uint_eq(d2->nr_frames, 8);

    /* The default limit, 64 frames = 32768 entries, is reachable. */
    struct sink_buf c = { .fail_at = -1 };
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 64, &c), GNTST_okay);
    ck_assert_uint_eq(grant_nr_entries(d1), 32768);
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 65, &c), GNTST_general_error);
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 0xffffffffu, &c), GNTST_general_error);
}
END_TEST

START_TEST(setup_table_out_of_memory_changes_nothing)
{
    unsigned int free_before = fake_free_frames();
    struct sink_buf b = { .fail_at = -1 };

    /* The third new shared frame cannot be had. */
    fake_fail_shared_frame_at = 3;
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 5, &b), GNTST_general_error);
    ck_assert_uint_eq(d1->nr_frames, 1);
    ck_assert_uint_eq(fake_free_frames(), free_before);
    ck_assert_uint_eq(b.calls, 0);

    fake_fail_shared_frame_at = 0;
    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 5, &b), GNTST_okay);
    ck_assert_uint_eq(fake_free_frames(), free_before - 4);
}
END_TEST

START_TEST(setup_table_bad_frame_list)
{
    struct sink_buf b = { .fail_at = 1 };

    ck_assert_int_eq(setup_table(d1, DOMID_SELF, 3, &b), GNTST_bad_virt_addr);
    /* As in Xen the table grew and the other elements were written. */
    ck_assert_uint_eq(d1->nr_frames, 3);
    ck_assert_uint_eq(b.calls, 3);
    ck_assert_uint_eq(b.mfn[2], d1->frame_mfn[2]);

    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
    grant_op_setup_table(d1, &op, NULL);
    ck_assert_int_eq(op.status, GNTST_bad_virt_addr);
}
END_TEST

START_TEST(setup_table_other_domains)
{
    struct sink_buf b = { .fail_at = -1 };

    ck_assert_int_eq(setup_table(d1, 7, 1, &b), GNTST_bad_domain);
    ck_assert_int_eq(setup_table(d1, 2, 2, &b), GNTST_permission_denied);
    ck_assert_uint_eq(d2->nr_frames, 1);
    /* dom0 may set up another domain's table (the toolstack does). */
    ck_assert_int_eq(setup_table(d0, 2, 2, &b), GNTST_okay);
    ck_assert_uint_eq(d2->nr_frames, 2);
    ck_assert_uint_eq(b.mfn[1], d2->frame_mfn[1]);
    /* Naming oneself by number is the same as DOMID_SELF. */
    ck_assert_int_eq(setup_table(d1, 1, 2, &b), GNTST_okay);
}
END_TEST

START_TEST(query_size)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF, .status = 99 };

    grant_op_query_size(d2, &q);
    ck_assert_int_eq(q.status, GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 1);
    ck_assert_uint_eq(q.max_nr_frames, 8);

    struct sink_buf b = { .fail_at = -1 };
    ck_assert_int_eq(setup_table(d2, DOMID_SELF, 3, &b), GNTST_okay);
    grant_op_query_size(d2, &q);
    ck_assert_uint_eq(q.nr_frames, 3);

    q = (struct gnttab_query_size){ .dom = 2, .status = 99 };
    grant_op_query_size(d1, &q);
    ck_assert_int_eq(q.status, GNTST_permission_denied);
    q = (struct gnttab_query_size){ .dom = 2, .status = 99 };
    grant_op_query_size(d0, &q);
    ck_assert_int_eq(q.status, GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 3);
    q = (struct gnttab_query_size){ .dom = 9, .status = 99 };
    grant_op_query_size(d0, &q);
    ck_assert_int_eq(q.status, GNTST_bad_domain);
}
END_TEST

START_TEST(versions)
{
    struct gnttab_set_version sv = { .version = 1 };
    ck_assert_int_eq(grant_op_set_version(d1, &sv), 0);
    ck_assert_uint_eq(sv.version, 1);

    sv.version = 2;
    ck_assert_int_eq(grant_op_set_version(d1, &sv), -XEN_ENOSYS);
    ck_assert_uint_eq(sv.version, 1);

    sv.version = 0;
    ck_assert_int_eq(grant_op_set_version(d1, &sv), -XEN_EINVAL);
    ck_assert_uint_eq(sv.version, 1);
    sv.version = 3;
    ck_assert_int_eq(grant_op_set_version(d1, &sv), -XEN_EINVAL);
    ck_assert_uint_eq(d1->version, 1);

    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    ck_assert_int_eq(grant_op_get_version(d1, &gv), 0);
    ck_assert_uint_eq(gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = 2 };
    ck_assert_int_eq(grant_op_get_version(d1, &gv), -XEN_EPERM);
    ck_assert_int_eq(grant_op_get_version(d0, &gv), 0);
    ck_assert_uint_eq(gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = 5 };
    ck_assert_int_eq(grant_op_get_version(d0, &gv), -XEN_ESRCH);
}
END_TEST

START_TEST(op_argument_checks)
{
    ck_assert_int_eq(grant_op_check(GNTTABOP_map_grant_ref, 0), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_map_grant_ref, 1000), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_unmap_grant_ref, 3), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_copy, 3), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_set_version, 1), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_get_version, 1), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_setup_table, 1), 0);
    ck_assert_int_eq(grant_op_check(GNTTABOP_setup_table, 2), -XEN_EINVAL);
    ck_assert_int_eq(grant_op_check(GNTTABOP_query_size, 0), -XEN_EINVAL);
    ck_assert_int_eq(grant_op_check(GNTTABOP_map_grant_ref, 0x80000000u), -XEN_EINVAL);
    ck_assert_int_eq(grant_op_check(GNTTABOP_map_grant_ref | 0x1000, 1), -XEN_EINVAL);
    ck_assert_int_eq(grant_op_check(GNTTABOP_transfer, 1), -XEN_ENOSYS);
    ck_assert_int_eq(grant_op_check(GNTTABOP_swap_grant_ref, 1), -XEN_ENOSYS);
    ck_assert_int_eq(grant_op_check(GNTTABOP_get_status_frames, 1), -XEN_ENOSYS);
    ck_assert_int_eq(grant_op_check(GNTTABOP_cache_flush | 0x1000, 1), -XEN_ENOSYS);
    ck_assert_int_eq(grant_op_check(13, 1), -XEN_ENOSYS);
}
END_TEST

START_TEST(destroy_returns_frames)
{
    unsigned int free_before = fake_free_frames();
    struct sink_buf b = { .fail_at = -1 };

    ck_assert_int_eq(setup_table(d2, DOMID_SELF, 6, &b), GNTST_okay);
    ck_assert_uint_eq(fake_free_frames(), free_before - 5);
    ck_assert_int_eq(grant_table_destroy(d2), 0);
    ck_assert_uint_eq(fake_free_frames(), free_before + 1);
    for (int i = 0; i < 6; i++)
        ck_assert(fake_frame_is_free(b.mfn[i]));
    /* A second destroy is harmless. */
    ck_assert_int_eq(grant_table_destroy(d2), 0);
    fake_domain_remove(2);
}
END_TEST

static Suite *grant_table_suite(void)
{
    Suite *s = suite_create("grant_table");
    TCase *tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, init_defaults_match_xen);
    tcase_add_test(tc, init_refuses_bad_limits);
    tcase_add_test(tc, init_out_of_memory_leaves_nothing);
    tcase_add_test(tc, setup_table_grows_and_returns_frames);
    tcase_add_test(tc, setup_table_limit);
    tcase_add_test(tc, setup_table_out_of_memory_changes_nothing);
    tcase_add_test(tc, setup_table_bad_frame_list);
    tcase_add_test(tc, setup_table_other_domains);
    tcase_add_test(tc, query_size);
    tcase_add_test(tc, versions);
    tcase_add_test(tc, op_argument_checks);
    tcase_add_test(tc, destroy_returns_frames);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(grant_table_suite());
}
