/* Host tests of the guest descriptor rules (pv/desc_check.c). */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include "check_main.h"
#include "public/errno.h"
#include "pv/pv_desc.h"

#define CODE64_DPL0   0x00af9a000000ffffull
#define CODE64_DPL3   0x00affa000000ffffull
#define DATA_DPL0     0x00cf92000000ffffull
#define DATA_DPL3     0x00cff2000000ffffull
#define DATA_ABSENT   (DATA_DPL0 & ~(1ull << 47))
#define TSS64         0x0000890000000067ull
#define LDT_DESC      0x0000820000000fffull
#define CALL_GATE     0x00008c0000100000ull
#define SYS_TYPE0     0x0000800000000000ull   /* present, system, type 0 */

START_TEST(dpl_zero_segments_are_raised_to_three)
{
    uint64_t d = CODE64_DPL0;
    ck_assert(pv_check_descriptor(&d));
    ck_assert_uint_eq(d, CODE64_DPL3);
    d = DATA_DPL0;
    ck_assert(pv_check_descriptor(&d));
    ck_assert_uint_eq(d, DATA_DPL3);
}
END_TEST

START_TEST(dpl_three_segments_are_kept)
{
    uint64_t d = DATA_DPL3;
    ck_assert(pv_check_descriptor(&d));
    ck_assert_uint_eq(d, DATA_DPL3);
}
END_TEST

START_TEST(not_present_descriptors_are_kept_as_they_are)
{
    uint64_t d = DATA_ABSENT;
    ck_assert(pv_check_descriptor(&d));
    ck_assert_uint_eq(d, DATA_ABSENT);
    d = TSS64 & ~(1ull << 47);
    ck_assert(pv_check_descriptor(&d));
}
END_TEST

START_TEST(system_descriptors_are_refused)
{
    uint64_t tss = TSS64, ldt = LDT_DESC, gate = CALL_GATE, zero = SYS_TYPE0;
    ck_assert(!pv_check_descriptor(&tss));
    ck_assert(!pv_check_descriptor(&ldt));
    ck_assert(!pv_check_descriptor(&gate));
    ck_assert(pv_check_descriptor(&zero));
}
END_TEST

START_TEST(a_refused_page_is_left_unchanged)
{
    static uint64_t page[512];
    memset(page, 0, sizeof(page));
    page[1] = CODE64_DPL0;
    page[7] = TSS64;
    ck_assert_int_eq(pv_check_desc_page(NULL, page), -XEN_EINVAL);
    ck_assert_uint_eq(page[1], CODE64_DPL0);
    ck_assert_uint_eq(page[7], TSS64);
}
END_TEST

START_TEST(an_accepted_page_is_fixed_up)
{
    static uint64_t page[512];
    memset(page, 0, sizeof(page));
    page[2] = CODE64_DPL0;
    page[3] = DATA_DPL0;
    page[511] = DATA_DPL3;
    ck_assert_int_eq(pv_check_desc_page(NULL, page), 0);
    ck_assert_uint_eq(page[2], CODE64_DPL3);
    ck_assert_uint_eq(page[3], DATA_DPL3);
    ck_assert_uint_eq(page[511], DATA_DPL3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("desc_check");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, dpl_zero_segments_are_raised_to_three);
    tcase_add_test(tc, dpl_three_segments_are_kept);
    tcase_add_test(tc, not_present_descriptors_are_kept_as_they_are);
    tcase_add_test(tc, system_descriptors_are_refused);
    tcase_add_test(tc, a_refused_page_is_left_unchanged);
    tcase_add_test(tc, an_accepted_page_is_fixed_up);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
