/*
 * GNTTABOP_copy: grant to grant, own frame to grant and back, bounds,
 * and the error paths, with the pins and references every copy must give
 * back.
 *
 * Domain 1 grants a source page (read-only) and domain 3 a destination
 * page, both to domain 2, which copies.
 */
#include <check.h>
#include <string.h>
#include "check_main.h"
#include "fake_machine.h"
#include "mmu/page_type.h"
#include "public/errno.h"

static struct grant_table *d1, *d2, *d3;
static uint64_t src_page, dst_page, own_page;

#define SRC_REF 5
#define DST_REF 6

static void setup(void)
{
    fake_machine_reset();
    d1 = fake_domain_create(1, false, -1, -1, NULL);
    d2 = fake_domain_create(2, false, -1, -1, NULL);
    d3 = fake_domain_create(3, false, -1, -1, NULL);
    src_page = fake_alloc_frame(1);
    dst_page = fake_alloc_frame(3);
    own_page = fake_alloc_frame(2);
    for (int i = 0; i < 4096; i++) {
        fake_frame_bytes(src_page)[i] = (uint8_t)(i * 7 + 1);
        fake_frame_bytes(own_page)[i] = (uint8_t)(i * 3 + 2);
    }
    fake_grant(d1, SRC_REF, 2, src_page, GTF_permit_access | GTF_readonly);
    fake_grant(d3, DST_REF, 2, dst_page, GTF_permit_access);
}

static void assert_released(void)
{
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 0);
    ck_assert_uint_eq(grant_list_active(d3, NULL, NULL), 0);
    ck_assert_uint_eq(fake_grant_flags(d1, SRC_REF), GTF_permit_access | GTF_readonly);
    ck_assert_uint_eq(fake_grant_flags(d3, DST_REF), GTF_permit_access);
    ck_assert_uint_eq(page_ref_count(src_page), 1);
    ck_assert_uint_eq(page_ref_count(dst_page), 1);
    ck_assert_uint_eq(page_ref_count(own_page), 1);
    ck_assert_uint_eq(page_type_count(dst_page), 0);
    ck_assert_uint_eq(page_type_count(own_page), 0);
    ck_assert_int_eq(fake_frame_maps_outstanding(), 0);
}

static void teardown(void)
{
    assert_released();
    ck_assert_int_eq(fake_destroy_domains(), 0);
    ck_assert_int_eq(fake_live_allocations(), 0);
}

static struct gnttab_copy gref_copy(uint16_t sdom, uint32_t sref, uint16_t soff,
                                    uint16_t ddom, uint32_t dref, uint16_t doff,
                                    uint16_t len, uint16_t flags)
{
    struct gnttab_copy op = {
        .source = { .domid = sdom, .offset = soff },
        .dest = { .domid = ddom, .offset = doff },
        .len = len, .flags = flags, .status = 99,
    };
    if (flags & GNTCOPY_source_gref)
        op.source.u.ref = sref;
    else
        op.source.u.gmfn = sref;
    if (flags & GNTCOPY_dest_gref)
        op.dest.u.ref = dref;
    else
        op.dest.u.gmfn = dref;
    return op;
}

static int16_t do_copy(struct grant_table *caller, struct gnttab_copy op)
{
    grant_copy_one(caller, &op);
    return op.status;
}

#define BOTH (GNTCOPY_source_gref | GNTCOPY_dest_gref)

START_TEST(copy_grant_to_grant)
{
    int16_t st = do_copy(d2, gref_copy(1, SRC_REF, 100, 3, DST_REF, 2000, 300, BOTH));
    ck_assert_int_eq(st, GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(dst_page) + 2000, fake_frame_bytes(src_page) + 100, 300);
    ck_assert_uint_eq(fake_frame_bytes(dst_page)[1999], 0);
    ck_assert_uint_eq(fake_frame_bytes(dst_page)[2300], 0);
}
END_TEST

START_TEST(copy_own_frame_both_directions)
{
    /* Own frame to a grant... */
    int16_t st = do_copy(d2, gref_copy(DOMID_SELF, (uint32_t)own_page, 0,
                                       3, DST_REF, 0, 4096, GNTCOPY_dest_gref));
    ck_assert_int_eq(st, GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(dst_page), fake_frame_bytes(own_page), 4096);

    /* ...and a grant to an own frame. */
    st = do_copy(d2, gref_copy(1, SRC_REF, 4000, DOMID_SELF, (uint32_t)own_page, 10,
                               96, GNTCOPY_source_gref));
    ck_assert_int_eq(st, GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(own_page) + 10, fake_frame_bytes(src_page) + 4000, 96);

    /* Frames on both sides: a plain copy within the caller. */
    uint64_t second = fake_alloc_frame(2);
    st = do_copy(d2, gref_copy(DOMID_SELF, (uint32_t)own_page, 1, DOMID_SELF,
                               (uint32_t)second, 2, 50, 0));
    ck_assert_int_eq(st, GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(second) + 2, fake_frame_bytes(own_page) + 1, 50);
}
END_TEST

START_TEST(copy_within_one_frame_overlapping)
{
    uint8_t expect[4096];
    memcpy(expect, fake_frame_bytes(own_page), 4096);
    memmove(expect + 8, expect, 1000);

    int16_t st = do_copy(d2, gref_copy(DOMID_SELF, (uint32_t)own_page, 0, DOMID_SELF,
                                       (uint32_t)own_page, 8, 1000, 0));
    ck_assert_int_eq(st, GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(own_page), expect, 4096);
}
END_TEST

START_TEST(copy_bounds)
{
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 4095, 3, DST_REF, 0, 1, BOTH)), GNTST_okay);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, DST_REF, 4095, 1, BOTH)), GNTST_okay);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, DST_REF, 0, 0, BOTH)), GNTST_okay);

    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 4095, 3, DST_REF, 0, 2, BOTH)),
                     GNTST_bad_copy_arg);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, DST_REF, 4000, 97, BOTH)),
                     GNTST_bad_copy_arg);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, DST_REF, 0, 0xffff, BOTH)),
                     GNTST_bad_copy_arg);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0xffff, 3, DST_REF, 0xffff, 0xffff, BOTH)),
                     GNTST_bad_copy_arg);
    /* Nothing was written by the refused ones. */
    ck_assert_uint_eq(fake_frame_bytes(dst_page)[4000], 0);
    ck_assert_uint_eq(fake_frame_bytes(dst_page)[1], 0);

    /* As in Xen the grants are checked before the offsets. */
    ck_assert_int_eq(do_copy(d2, gref_copy(1, 9999, 4095, 3, DST_REF, 0, 2, BOTH)),
                     GNTST_bad_gntref);
}
END_TEST

START_TEST(copy_domains_and_frames)
{
    /* Frames may only be named for DOMID_SELF, even one's own id. */
    ck_assert_int_eq(do_copy(d2, gref_copy(2, (uint32_t)own_page, 0, 3, DST_REF, 0, 8,
                                           GNTCOPY_dest_gref)), GNTST_permission_denied);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, (uint32_t)dst_page, 0, 8,
                                           GNTCOPY_source_gref)), GNTST_permission_denied);
    ck_assert_int_eq(do_copy(d2, gref_copy(7, SRC_REF, 0, 3, DST_REF, 0, 8, BOTH)),
                     GNTST_bad_domain);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 7, DST_REF, 0, 8, BOTH)),
                     GNTST_bad_domain);
    /* An own frame the caller does not own. */
    ck_assert_int_eq(do_copy(d2, gref_copy(DOMID_SELF, (uint32_t)src_page, 0, 3, DST_REF, 0, 8,
                                           GNTCOPY_dest_gref)), GNTST_bad_page);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, DOMID_SELF, 0x7fffffff, 0, 8,
                                           GNTCOPY_source_gref)), GNTST_bad_page);
}
END_TEST

START_TEST(copy_grant_errors)
{
    ck_assert_int_eq(do_copy(d2, gref_copy(1, 512, 0, 3, DST_REF, 0, 8, BOTH)), GNTST_bad_gntref);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, 512, 0, 8, BOTH)), GNTST_bad_gntref);
    /* The source grant is read-only: it cannot be a destination. */
    ck_assert_int_eq(do_copy(d2, gref_copy(3, DST_REF, 0, 1, SRC_REF, 0, 8, BOTH)),
                     GNTST_general_error);
    /* Not granted to the caller. */
    ck_assert_int_eq(do_copy(d1, gref_copy(3, DST_REF, 0, DOMID_SELF, (uint32_t)own_page, 0, 8,
                                           GNTCOPY_source_gref)), GNTST_general_error);
    uint64_t d1_own = fake_alloc_frame(1);
    ck_assert_int_eq(do_copy(d1, gref_copy(3, DST_REF, 0, DOMID_SELF, (uint32_t)d1_own, 0, 8,
                                           GNTCOPY_source_gref)), GNTST_general_error);
    /* A granted frame the granter does not own. */
    fake_grant(d1, 7, 2, dst_page, GTF_permit_access);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, 7, 0, 3, DST_REF, 0, 8, BOTH)), GNTST_bad_page);
    ck_assert_uint_eq(fake_grant_flags(d1, 7), GTF_permit_access);
    fake_grant(d1, 7, 0, 0, 0);
    ck_assert_uint_eq(fake_frame_bytes(dst_page)[0], 0);
}
END_TEST

START_TEST(copy_into_page_table_refused)
{
    struct page_info *pg = frame_info(own_page);
    pg->type_info = PGT_l1_page_table | PGT_validated | 1;
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, DOMID_SELF, (uint32_t)own_page, 0, 8,
                                           GNTCOPY_source_gref)), GNTST_general_error);
    ck_assert_uint_eq(page_type_count(own_page), 1);
    /* Reading from it is fine. */
    ck_assert_int_eq(do_copy(d2, gref_copy(DOMID_SELF, (uint32_t)own_page, 0, 3, DST_REF, 0, 8,
                                           GNTCOPY_dest_gref)), GNTST_okay);
    pg->type_info = 0;
}
END_TEST

START_TEST(copy_while_mapped)
{
    /* The destination is mapped read-only by the caller: the copy adds
     * its writable pin for the duration, then the map's state remains. */
    struct gnttab_map_grant_ref m =
        fake_map(d2, 3, DST_REF, GNTMAP_host_map | GNTMAP_readonly, FAKE_L1_LO);
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_int_eq(do_copy(d2, gref_copy(1, SRC_REF, 0, 3, DST_REF, 0, 16, BOTH)), GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d3, DST_REF), GTF_permit_access | GTF_reading);
    struct grant_pins p = grant_active_entry(d3, DST_REF)->pins;
    ck_assert_uint_eq(p.host_ro, 1);
    ck_assert_uint_eq(p.host_rw, 0);

    /* Another domain cannot copy through a grant pinned for domain 2. */
    grant_shared_entry(d3, DST_REF)->domid = 1;
    ck_assert_int_eq(do_copy(d1, gref_copy(DOMID_SELF, (uint32_t)src_page, 0, 3, DST_REF, 0, 16,
                                           GNTCOPY_dest_gref)), GNTST_general_error);
    grant_shared_entry(d3, DST_REF)->domid = 2;

    ck_assert_int_eq(fake_unmap(d2, m.handle, FAKE_L1_LO, 0), GNTST_okay);
}
END_TEST

START_TEST(copy_self_grant)
{
    /* A domain copying through its own grant, as the test guests do. */
    fake_grant(d2, 3, 2, own_page, GTF_permit_access);
    uint64_t scratch = fake_alloc_frame(2);
    ck_assert_int_eq(do_copy(d2, gref_copy(2, 3, 64, DOMID_SELF, (uint32_t)scratch, 0, 64,
                                           GNTCOPY_source_gref)), GNTST_okay);
    ck_assert_mem_eq(fake_frame_bytes(scratch), fake_frame_bytes(own_page) + 64, 64);
    ck_assert_uint_eq(fake_grant_flags(d2, 3), GTF_permit_access);
}
END_TEST

static Suite *grant_copy_suite(void)
{
    Suite *s = suite_create("grant_copy");
    TCase *tc = tcase_create("copy");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, copy_grant_to_grant);
    tcase_add_test(tc, copy_own_frame_both_directions);
    tcase_add_test(tc, copy_within_one_frame_overlapping);
    tcase_add_test(tc, copy_bounds);
    tcase_add_test(tc, copy_domains_and_frames);
    tcase_add_test(tc, copy_grant_errors);
    tcase_add_test(tc, copy_into_page_table_refused);
    tcase_add_test(tc, copy_while_mapped);
    tcase_add_test(tc, copy_self_grant);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(grant_copy_suite());
}
