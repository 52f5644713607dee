/* Unit tests of the boot command line (hypervisor/lib/cmdline.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "lib/cmdline.h"

static bool flag;
static uint64_t number;
static uint64_t size;
static char text[8];
static int custom_calls;
static char custom_seen[32];

/* Accepts "a" or "b" and records what it was given. */
static int parse_letter(const char *value, void *var)
{
    custom_calls++;
    snprintf(custom_seen, sizeof(custom_seen), "%s", value);
    if (strcmp(value, "a") && strcmp(value, "b"))
        return -1;
    *(char *)var = value[0];
    return 0;
}

static char letter;

static const struct cmdline_option table[] = {
    { "flag", CMDLINE_BOOL, &flag, 0, NULL },
    { "num", CMDLINE_UINT, &number, 0, NULL },
    { "dom0_mem", CMDLINE_SIZE, &size, 0, NULL },
    { "console", CMDLINE_STRING, text, sizeof(text), NULL },
    { "letter", CMDLINE_CUSTOM, &letter, 0, parse_letter },
};
#define NOPTS (sizeof(table) / sizeof(table[0]))

/* Every report, "name: msg; " appended. */
static char reports[1024];
static int nr_reports;

static void record(void *ctx, const char *name, const char *msg)
{
    ck_assert_ptr_eq(ctx, reports);
    size_t used = strlen(reports);
    snprintf(reports + used, sizeof(reports) - used, "%s: %s; ", name, msg);
    nr_reports++;
}

static void setup(void)
{
    flag = false;
    number = 7;
    size = 7;
    strcpy(text, "orig");
    letter = '?';
    custom_calls = 0;
    custom_seen[0] = '\0';
    reports[0] = '\0';
    nr_reports = 0;
}

static int parse(const char *line)
{
    int before = nr_reports;
    int n = cmdline_parse(line, table, NOPTS, record, reports);
    ck_assert_int_eq(n, nr_reports - before);
    return n;
}

START_TEST(booleans)
{
    ck_assert_int_eq(parse("flag"), 0);
    ck_assert(flag);
    ck_assert_int_eq(parse("no-flag"), 0);
    ck_assert(!flag);
    static const char *const yes[] = { "flag=1", "flag=yes", "flag=on", "flag=true", "flag=enable" };
    static const char *const no[] = { "flag=0", "flag=no", "flag=off", "flag=false", "flag=disable" };
    for (int i = 0; i < 5; i++) {
        flag = false;
        ck_assert_int_eq(parse(yes[i]), 0);
        ck_assert(flag);
        ck_assert_int_eq(parse(no[i]), 0);
        ck_assert(!flag);
    }
}
END_TEST

START_TEST(bad_booleans)
{
    flag = true;
    ck_assert_int_eq(parse("flag=maybe flag=2 flag= no-flag=1"), 4);
    ck_assert(flag);      /* unchanged */
    ck_assert_str_eq(reports,
        "flag: not a boolean (use 1/0, yes/no, on/off, true/false); "
        "flag: not a boolean (use 1/0, yes/no, on/off, true/false); "
        "flag: not a boolean (use 1/0, yes/no, on/off, true/false); "
        "no-flag: no- form of a boolean takes no value; ");
}
END_TEST

START_TEST(numbers)
{
    ck_assert_int_eq(parse("num=42"), 0);
    ck_assert_uint_eq(number, 42);
    ck_assert_int_eq(parse("num=0x2A"), 0);
    ck_assert_uint_eq(number, 42);
    ck_assert_int_eq(parse("num=0Xffffffffffffffff"), 0);
    ck_assert_uint_eq(number, UINT64_MAX);
    ck_assert_int_eq(parse("num=18446744073709551615"), 0);
    ck_assert_uint_eq(number, UINT64_MAX);
    ck_assert_int_eq(parse("num=007"), 0);
    ck_assert_uint_eq(number, 7);
}
END_TEST

START_TEST(bad_numbers)
{
    ck_assert_int_eq(parse("num=18446744073709551616 num=0x10000000000000000 "
                           "num=12a num=-1 num=0x num num= num=1.5"), 8);
    ck_assert_uint_eq(number, 7);
    ck_assert_str_eq(reports,
        "num: number too large; num: number too large; "
        "num: not a number (decimal or 0x hex); num: not a number (decimal or 0x hex); "
        "num: not a number (decimal or 0x hex); num: needs a value; num: needs a value; "
        "num: not a number (decimal or 0x hex); ");
}
END_TEST

START_TEST(sizes)
{
    static const struct { const char *s; uint64_t v; } cases[] = {
        { "4096", 4096ull << 10 }, { "100B", 100 }, { "100b", 100 },
        { "16k", 16384 }, { "16K", 16384 }, { "512M", 512ull << 20 },
        { "512m", 512ull << 20 }, { "1G", 1ull << 30 }, { "3g", 3ull << 30 },
        { "2T", 2ull << 40 }, { "0x10M", 16ull << 20 }, { "0", 0 },
        { "16777215T", 16777215ull << 40 }, { "1048576", 1ull << 30 },
    };
    char line[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(line, sizeof(line), "dom0_mem=%s", cases[i].s);
        ck_assert_int_eq(parse(line), 0);
        ck_assert_uint_eq(size, cases[i].v);
        uint64_t direct = 1;
        ck_assert_int_eq(parse_size(cases[i].s, &direct), 0);
        ck_assert_uint_eq(direct, cases[i].v);
    }
}
END_TEST

START_TEST(bad_sizes)
{
    ck_assert_int_eq(parse("dom0_mem=16777216T dom0_mem=17179869184G "
                           "dom0_mem=99999999999999999999 dom0_mem=5X dom0_mem=5MM "
                           "dom0_mem=M dom0_mem= dom0_mem"), 8);
    ck_assert_uint_eq(size, 7);
    ck_assert_str_eq(reports,
        "dom0_mem: size too large; dom0_mem: size too large; dom0_mem: size too large; "
        "dom0_mem: not a size (a number with an optional B, K, M, G or T suffix); "
        "dom0_mem: not a size (a number with an optional B, K, M, G or T suffix); "
        "dom0_mem: not a size (a number with an optional B, K, M, G or T suffix); "
        "dom0_mem: needs a value; dom0_mem: needs a value; ");
    uint64_t v = 5;
    ck_assert_int_eq(parse_size("", &v), -1);
    ck_assert_int_eq(parse_size("1 G", &v), -1);
    ck_assert_int_eq(parse_size("16777216T", &v), -1);
    ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(parse_uint_direct)
{
    uint64_t v = 5;
    ck_assert_int_eq(parse_uint("123", &v), 0);
    ck_assert_uint_eq(v, 123);
    ck_assert_int_eq(parse_uint("0xdeadBEEF", &v), 0);
    ck_assert_uint_eq(v, 0xdeadbeef);
    v = 5;
    ck_assert_int_eq(parse_uint("", &v), -1);
    ck_assert_int_eq(parse_uint("0x", &v), -1);
    ck_assert_int_eq(parse_uint("12 ", &v), -1);
    ck_assert_int_eq(parse_uint("+1", &v), -1);
    ck_assert_int_eq(parse_uint("99999999999999999999", &v), -1);
    ck_assert_int_eq(parse_uint("0xg", &v), -1);
    ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(strings)
{
    ck_assert_int_eq(parse("console=com1"), 0);
    ck_assert_str_eq(text, "com1");
    ck_assert_int_eq(parse("console=1234567"), 0);      /* exactly fits */
    ck_assert_str_eq(text, "1234567");
    ck_assert_int_eq(parse("console=12345678"), 1);     /* one too many */
    ck_assert_str_eq(text, "1234567");
    ck_assert_str_eq(reports, "console: value too long; ");
    ck_assert_int_eq(parse("console="), 0);
    ck_assert_str_eq(text, "");
    ck_assert_int_eq(parse("console=a=b"), 0);          /* first '=' splits */
    ck_assert_str_eq(text, "a=b");
}
END_TEST

START_TEST(custom_parser)
{
    ck_assert_int_eq(parse("letter=b"), 0);
    ck_assert_int_eq(letter, 'b');
    ck_assert_int_eq(parse("letter=zz"), 1);
    ck_assert_int_eq(letter, 'b');
    ck_assert_str_eq(custom_seen, "zz");
    ck_assert_int_eq(parse("letter"), 1);               /* given "" */
    ck_assert_str_eq(custom_seen, "");
    ck_assert_int_eq(custom_calls, 3);
    ck_assert_str_eq(reports, "letter: invalid value; letter: invalid value; ");
}
END_TEST

START_TEST(later_overrides_earlier)
{
    ck_assert_int_eq(parse("num=1 flag num=2 no-flag dom0_mem=1G flag dom0_mem=2G"), 0);
    ck_assert_uint_eq(number, 2);
    ck_assert(flag);
    ck_assert_uint_eq(size, 2ull << 30);
}
END_TEST

START_TEST(unknown_options_reported_rest_applied)
{
    ck_assert_int_eq(parse("foo num=3 bar=1 no-num =5 no- flag"), 5);
    ck_assert_uint_eq(number, 3);
    ck_assert(flag);
    ck_assert_str_eq(reports,
        "foo: unknown option; bar: unknown option; no-num: unknown option; "
        ": unknown option; no-: unknown option; ");
}
END_TEST

START_TEST(separators_and_name_spelling)
{
    ck_assert_int_eq(parse("  \tdom0-mem=1M \n\n  num=9\t"), 0);
    ck_assert_uint_eq(size, 1ull << 20);
    ck_assert_uint_eq(number, 9);
    ck_assert_int_eq(parse("no_flag"), 0);
    ck_assert(!flag);
    ck_assert_int_eq(parse(""), 0);
    ck_assert_int_eq(parse("   "), 0);
    ck_assert_int_eq(cmdline_parse(NULL, table, NOPTS, record, reports), 0);
    /* A prefix of a name is not the name. */
    ck_assert_int_eq(parse("nu=1 numb=1 fla"), 3);
    /* Problems still counted without a reporter. */
    ck_assert_int_eq(cmdline_parse("zzz num=x", table, NOPTS, NULL, NULL), 2);
}
END_TEST

START_TEST(long_tokens)
{
    char line[1024];
    memset(line, 'x', 100);
    strcpy(line + 100, " num=5");
    ck_assert_int_eq(parse(line), 1);
    ck_assert_uint_eq(number, 5);
    ck_assert_int_eq(strncmp(reports, "xxxxxxxx", 8), 0);
    ck_assert(strstr(reports, ": option name too long; ") != NULL);

    setup();
    strcpy(line, "console=");
    memset(line + 8, 'y', 600);
    line[608] = '\0';
    ck_assert_int_eq(parse(line), 1);
    ck_assert_str_eq(reports, "console: value too long; ");
    ck_assert_str_eq(text, "orig");
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, booleans);
    tcase_add_test(tc, bad_booleans);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, bad_numbers);
    tcase_add_test(tc, sizes);
    tcase_add_test(tc, bad_sizes);
    tcase_add_test(tc, parse_uint_direct);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, custom_parser);
    tcase_add_test(tc, later_overrides_earlier);
    tcase_add_test(tc, unknown_options_reported_rest_applied);
    tcase_add_test(tc, separators_and_name_spelling);
    tcase_add_test(tc, long_tokens);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(cmdline_suite());
}
