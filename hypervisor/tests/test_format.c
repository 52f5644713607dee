/*
 * Host tests of the hypervisor's printf (common/format.c).  The build
 * renames its functions to sf_* so they cannot be confused with libc's.
 */
#include <check.h>
#include "check_main.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/format.h"

static char out[128];

#define FMT(...) sf_snprintf(out, sizeof(out), __VA_ARGS__)

/* Without the format attribute: for formats the compiler would reject. */
static int unchecked_format(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = sf_vsnprintf(out, sizeof(out), fmt, ap);
    va_end(ap);
    return n;
}

START_TEST(integers)
{
    FMT("%d %i %u", -42, 7, 4000000000u);
    ck_assert_str_eq(out, "-42 7 4000000000");
    FMT("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
    ck_assert_str_eq(out, "-9223372036854775808 18446744073709551615");
    FMT("%x %X %o %lx", 0xbeefu, 0xbeefu, 8u, 0xffff82d040000000ul);
    ck_assert_str_eq(out, "beef BEEF 10 ffff82d040000000");
    FMT("%zu", (size_t)123);
    ck_assert_str_eq(out, "123");
}
END_TEST

START_TEST(width_flags_and_alternate_form)
{
    FMT("[%5d][%-5d][%05d][%05d]", 42, 42, 42, -42);
    ck_assert_str_eq(out, "[   42][42   ][00042][-0042]");
    FMT("[%016lx]", 0x1234ul);
    ck_assert_str_eq(out, "[0000000000001234]");
    FMT("[%#x][%#lx][%#X]", 0x10u, 0xfee00000ul, 0xabu);
    ck_assert_str_eq(out, "[0x10][0xfee00000][0XAB]");
    FMT("[%*d]", 4, 7);
    ck_assert_str_eq(out, "[   7]");
}
END_TEST

START_TEST(strings_chars_pointers)
{
    FMT("%s|%5s|%-5s|%c|%%", "ab", "ab", "ab", 'z');
    ck_assert_str_eq(out, "ab|   ab|ab   |z|%");
    FMT("%.*s|%.3s", 2, "linux", "abcdef");
    ck_assert_str_eq(out, "li|abc");
    unchecked_format("%s", (const char *)NULL);
    ck_assert_str_eq(out, "(null)");
    FMT("%p", (void *)0x1000);
    ck_assert_str_eq(out, "0x0000000000001000");
}
END_TEST

START_TEST(truncation_returns_the_full_length)
{
    char small[6];

    ck_assert_int_eq(sf_snprintf(small, sizeof(small), "%s", "hello world"), 11);
    ck_assert_str_eq(small, "hello");
    ck_assert_int_eq(sf_snprintf(small, 0, "abc"), 3);
    ck_assert_int_eq(sf_snprintf(small, 1, "abc"), 3);
    ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(odd_formats_do_not_crash)
{
    unchecked_format("100%");
    ck_assert_str_eq(out, "100");
    unchecked_format("%q");
    ck_assert_str_eq(out, "%q");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, integers);
    tcase_add_test(tc, width_flags_and_alternate_form);
    tcase_add_test(tc, strings_chars_pointers);
    tcase_add_test(tc, truncation_returns_the_full_length);
    tcase_add_test(tc, odd_formats_do_not_crash);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
