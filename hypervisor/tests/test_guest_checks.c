/*
 * Host tests of the checkers every way of setting a vCPU's entry points,
 * segment bases and kernel selectors shares (pv/guest_checks.h): the
 * hypercalls that set one piece and VCPUOP_initialise.
 */
#include <check.h>
#include "check_main.h"
#include "pv/guest_checks.h"

START_TEST(entry_points)
{
    ck_assert(pv_entry_point_ok(0));                       /* none */
    ck_assert(pv_entry_point_ok(0x7fffffffffffull));
    ck_assert(pv_entry_point_ok(0xffffffff80001000ull));
    ck_assert(pv_entry_point_ok(0xffff880000000000ull));   /* just past the hole */
    ck_assert(!pv_entry_point_ok(0x800000000000ull));      /* not canonical */
    ck_assert(!pv_entry_point_ok(0xdead000000000000ull));
    ck_assert(!pv_entry_point_ok(0xffff800000000000ull));  /* the hypervisor hole */
    ck_assert(!pv_entry_point_ok(0xffff87ffffffffffull));
}
END_TEST

START_TEST(segment_bases_and_stacks)
{
    ck_assert(pv_segment_base_ok(0));
    ck_assert(pv_segment_base_ok(0x7fffffffffffull));
    ck_assert(pv_segment_base_ok(0xffff800000000000ull));  /* canonical: WRMSR takes it */
    ck_assert(!pv_segment_base_ok(0x800000000000ull));
    ck_assert(!pv_segment_base_ok(0x8000000000000000ull));
    ck_assert(pv_stack_pointer_ok(0xffffffff80010000ull));
    ck_assert(!pv_stack_pointer_ok(0x800000000000ull));
}
END_TEST

START_TEST(kernel_selectors_get_rpl_3)
{
    ck_assert_uint_eq(pv_guest_kernel_selector(0x18), 0x1b);   /* Linux's __KERNEL_DS */
    ck_assert_uint_eq(pv_guest_kernel_selector(0xe029), 0xe02b);
    ck_assert_uint_eq(pv_guest_kernel_selector(0xe032), 0xe033);
    ck_assert_uint_eq(pv_guest_kernel_selector(0xe033), 0xe033);
    ck_assert_uint_eq(pv_guest_kernel_selector(0x10000 | 0xe030), 0xe033);  /* 16 bits */
}
END_TEST

START_TEST(trap_entries)
{
    struct trap_info ti = { .vector = 14, .cs = 0xe030, .address = 0xffffffff80002000ull };

    ck_assert(pv_trap_info_accept(&ti));
    ck_assert_uint_eq(ti.cs, 0xe033);
    ck_assert_uint_eq(ti.address, 0xffffffff80002000ull);
    struct trap_info bad = { .vector = 6, .cs = 0xe030, .address = 0x800000000000ull };
    ck_assert(!pv_trap_info_accept(&bad));
    ck_assert_uint_eq(bad.cs, 0xe030);                      /* unchanged */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("guest_checks");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, entry_points);
    tcase_add_test(tc, segment_bases_and_stacks);
    tcase_add_test(tc, kernel_selectors_get_rpl_3);
    tcase_add_test(tc, trap_entries);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
