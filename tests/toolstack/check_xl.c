/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl's logic without a hypervisor: sizes, names and ids against a fake
 * domain list and xenstore, and the exact text of the list, vcpu-list,
 * uptime, info and JSON outputs (Xen 4.17 xl's, as printed in dom0).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "../check_main.h"

struct xl_ctx xl;

/* ---- a fake hypervisor domain list and xenstore ---- */
#define MAX_FAKE 600
static xc_domaininfo_t fake_doms[MAX_FAKE];
static int fake_nr;
static int fake_list_calls;
static struct { char path[96]; char value[64]; } fake_xs[MAX_FAKE * 2];
static int fake_xs_nr;
static int fake_xs_fail_after = -1;     /* writes that succeed; -1: all */

static int fake_domain_list(void *priv, uint32_t first, unsigned max,
                            xc_domaininfo_t *out)
{
    (void)priv;
    fake_list_calls++;
    int n = 0;
    for (int i = 0; i < fake_nr && (unsigned)n < max; i++)
        if (fake_doms[i].domain >= first)
            out[n++] = fake_doms[i];
    return n;
}

static char *fake_xs_read(void *priv, const char *path)
{
    (void)priv;
    for (int i = 0; i < fake_xs_nr; i++)
        if (!strcmp(fake_xs[i].path, path))
            return strdup(fake_xs[i].value);
    errno = ENOENT;
    return NULL;
}

static bool fake_xs_write(void *priv, const char *path, const char *value)
{
    (void)priv;
    if (fake_xs_fail_after == 0) {
        errno = EACCES;
        return false;
    }
    if (fake_xs_fail_after > 0)
        fake_xs_fail_after--;
    for (int i = 0; i < fake_xs_nr; i++)
        if (!strcmp(fake_xs[i].path, path)) {
            snprintf(fake_xs[i].value, sizeof(fake_xs[i].value), "%s", value);
            return true;
        }
    snprintf(fake_xs[fake_xs_nr].path, sizeof(fake_xs[0].path), "%s", path);
    snprintf(fake_xs[fake_xs_nr].value, sizeof(fake_xs[0].value), "%s", value);
    fake_xs_nr++;
    return true;
}

static const struct xl_ops fake_ops = {
    .domain_list = fake_domain_list,
    .xs_read = fake_xs_read,
    .xs_write = fake_xs_write,
};

static void add_domain(uint32_t domid, const char *name)
{
    xc_domaininfo_t *d = &fake_doms[fake_nr++];
    memset(d, 0, sizeof(*d));
    d->domain = (domid_t)domid;
    d->flags = XEN_DOMINF_blocked;
    d->tot_pages = 131072;
    d->max_pages = 131072;
    d->nr_online_vcpus = 1;
    if (name) {
        char path[64];
        snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
        fake_xs_write(NULL, path, name);
    }
}

static void setup(void)
{
    fake_nr = fake_xs_nr = fake_list_calls = 0;
    fake_xs_fail_after = -1;
    xl.xch = NULL;
    xl.ops = &fake_ops;
    xl.priv = NULL;
    add_domain(0, "Domain-0");
    add_domain(3, "web");
    add_domain(7, NULL);    /* a domain without a name (being built) */
}

/* Captures what a printing function writes. */
static char captured[8192];
#define CAPTURE(stmt) do { \
        memset(captured, 0, sizeof(captured)); \
        FILE *f_ = fmemopen(captured, sizeof(captured), "w"); \
        ck_assert_ptr_nonnull(f_); \
        FILE *f = f_; \
        stmt; \
        fclose(f_); \
        (void)f; \
    } while (0)

/* ---- sizes ---- */
START_TEST(test_sizes)
{
    ck_assert_int_eq(xl_parse_mem_size_kb("512"), 512 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("512m"), 512 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("512M"), 512 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("2g"), 2 * 1024 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("1T"), 1024LL * 1024 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("500000k"), 500000);
    ck_assert_int_eq(xl_parse_mem_size_kb("536870912b"), 524288);
    ck_assert_int_eq(xl_parse_mem_size_kb("1023b"), 0);
    /* Not sizes: Xen's "invalid memory size". */
    ck_assert_int_eq(xl_parse_mem_size_kb("12Q"), -1);
    ck_assert_int_eq(xl_parse_mem_size_kb("5x"), -1);
    ck_assert_int_eq(xl_parse_mem_size_kb("1.5g"), -1);
    ck_assert_int_eq(xl_parse_mem_size_kb("12mb"), -1);
    /* What strtoll takes passes, to fail later as Xen's xl fails. */
    ck_assert_int_eq(xl_parse_mem_size_kb(""), 0);
    ck_assert_int_eq(xl_parse_mem_size_kb("-5"), -5 * 1024);
    ck_assert_int_eq(xl_parse_mem_size_kb("abc"), -1);
    ck_assert_int_eq(xl_parse_mem_size_kb("m"), 0);
}
END_TEST

/* ---- names and ids ---- */
START_TEST(test_qualifiers)
{
    uint32_t id = 99;
    ck_assert_int_eq(xl_qualifier_to_domid("Domain-0", &id), 0);
    ck_assert_uint_eq(id, 0);
    ck_assert_int_eq(xl_qualifier_to_domid("web", &id), 0);
    ck_assert_uint_eq(id, 3);
    /* Digits are an id, whether or not the domain exists. */
    ck_assert_int_eq(xl_qualifier_to_domid("42", &id), 0);
    ck_assert_uint_eq(id, 42);
    ck_assert_int_eq(xl_qualifier_to_domid("007", &id), 0);
    ck_assert_uint_eq(id, 7);
    ck_assert_int_eq(xl_qualifier_to_domid("", &id), 0);
    ck_assert_uint_eq(id, 0);
    ck_assert_int_eq(xl_qualifier_to_domid("nosuch", &id), XL_ERROR_INVAL);
    ck_assert_int_eq(xl_qualifier_to_domid("3x", &id), XL_ERROR_INVAL);
    /* A name left in xenstore for a domain that is gone names nothing. */
    fake_xs_write(NULL, "/local/domain/12/name", "ghost");
    ck_assert_int_eq(xl_name_to_domid("ghost", &id), XL_ERROR_INVAL);

    char *name = xl_domid_to_name(3);
    ck_assert_str_eq(name, "web");
    free(name);
    ck_assert_ptr_null(xl_domid_to_name(7));

    struct xl_dom d;
    ck_assert_int_eq(xl_domain_info(3, &d), 0);
    ck_assert_uint_eq(d.domid, 3);
    ck_assert_int_eq(xl_domain_info(4, &d), XL_ERROR_DOMAIN_NOTFOUND);
    ck_assert_int_eq(xl_domain_info(8, &d), XL_ERROR_DOMAIN_NOTFOUND);
}
END_TEST

START_TEST(test_list_pages)
{
    /* More domains than one sysctl answers: the list is asked for in
     * pieces and comes back whole, in order. */
    for (uint32_t id = 10; id < 10 + 500; id++)
        add_domain(id, NULL);
    int n = 0;
    struct xl_dom *doms = xl_list_domains(&n);
    ck_assert_ptr_nonnull(doms);
    ck_assert_int_eq(n, 503);
    ck_assert_int_gt(fake_list_calls, 1);
    for (int i = 1; i < n; i++)
        ck_assert_uint_lt(doms[i - 1].domid, doms[i].domid);
    free(doms);
    add_domain(600, "last");
    uint32_t id;
    ck_assert_int_eq(xl_name_to_domid("last", &id), 0);
    ck_assert_uint_eq(id, 600);
}
END_TEST

/* ---- output formats ---- */
static struct xl_dom sample_dom0(void)
{
    struct xl_dom d = {
        .domid = 0, .running = true, .current_memkb = 524288,
        .vcpu_online = 2, .cpu_time_ns = 10800000000ULL,
    };
    return d;
}

START_TEST(test_list_format)
{
    struct xl_dom d = sample_dom0();
    CAPTURE(xl_print_list_header(f, 0); xl_print_list_line(f, &d, "Domain-0", 0, NULL, NULL));
    ck_assert_str_eq(captured,
        "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
        "Domain-0                                     0   512     2     r-----      10.8\n");

    CAPTURE(xl_print_list_header(f, XL_LIST_VERBOSE);
            xl_print_list_line(f, &d, "Domain-0", XL_LIST_VERBOSE, NULL, NULL));
    ck_assert_str_eq(captured,
        "Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label\n"
        "Domain-0                                     0   512     2     r-----      10.8 00000000-0000-0000-0000-000000000000        -                -\n");

    CAPTURE(xl_print_list_header(f, XL_LIST_CONTEXT | XL_LIST_CPUPOOL | XL_LIST_NUMA);
            xl_print_list_line(f, &d, NULL, XL_LIST_CONTEXT | XL_LIST_CPUPOOL | XL_LIST_NUMA,
                               "Pool-0", "all"));
    ck_assert_str_eq(captured,
        "Name                                        ID   Mem VCPUs\tState\tTime(s)   Security Label         Cpupool NODE Affinity\n"
        "(null)                                       0   512     2     r-----      10.8                -          Pool-0 all\n");

    /* Every state letter: blocked, paused, shut down by crash, dying. */
    struct xl_dom s = { .domid = 12, .blocked = true, .paused = true,
                        .shutdown = true, .shutdown_reason = 3, .dying = true,
                        .current_memkb = 1023 * 1024, .outstanding_memkb = 1024,
                        .vcpu_online = 4, .cpu_time_ns = 123456789012ULL,
                        .uuid = { 0xde, 0xad, 0xbe, 0xef, [15] = 1 } };
    CAPTURE(xl_print_list_line(f, &s, "a-very-long-domain-name-that-is-wider-than-forty",
                               XL_LIST_VERBOSE, NULL, NULL));
    ck_assert_str_eq(captured,
        "a-very-long-domain-name-that-is-wider-than-forty    12  1024     4     -bpscd     123.5"
        " deadbeef-0000-0000-0000-000000000001        3                -\n");
    s.shutdown_reason = 9;
    CAPTURE(xl_print_list_line(f, &s, "x", 0, NULL, NULL));
    ck_assert_ptr_nonnull(strstr(captured, "-bps?d"));
}
END_TEST

START_TEST(test_vcpu_format)
{
    char hard[64], soft[64];
    uint8_t map[2] = { 0x03, 0 };
    xl_format_bitmap(hard, sizeof(hard), map, 2);
    ck_assert_str_eq(hard, "all");
    map[0] = 0x02;
    xl_format_bitmap(hard, sizeof(hard), map, 2);
    ck_assert_str_eq(hard, "1");
    map[0] = 0;
    xl_format_bitmap(soft, sizeof(soft), map, 2);
    ck_assert_str_eq(soft, "none");
    uint8_t wide[2] = { 0xed, 0x01 };   /* 0, 2-3, 5-8 */
    xl_format_bitmap(hard, sizeof(hard), wide, 16);
    ck_assert_str_eq(hard, "0,2-3,5-8");
    uint8_t tail[2] = { 0xfe, 0xff };   /* 1-15 of 16 */
    xl_format_bitmap(hard, sizeof(hard), tail, 16);
    ck_assert_str_eq(hard, "1-15");

    struct xl_vcpu v0 = { .vcpuid = 0, .cpu = 0, .online = true, .blocked = true,
                          .cpu_time_ns = 10100000000ULL };
    struct xl_vcpu v1 = { .vcpuid = 1, .cpu = 1, .online = true, .running = true,
                          .cpu_time_ns = 7300000000ULL };
    struct xl_vcpu v2 = { .vcpuid = 2, .online = false };
    CAPTURE(xl_print_vcpu_header(f);
            xl_print_vcpu_line(f, "Domain-0", 0, &v0, "all", "all");
            xl_print_vcpu_line(f, "Domain-0", 0, &v1, "1", "all");
            xl_print_vcpu_line(f, "Domain-0", 0, &v2, "all", "all"));
    ck_assert_str_eq(captured,
        "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"
        "Domain-0                             0     0    0   -b-      10.1  all / all\n"
        "Domain-0                             0     1    1   r--       7.3  1 / all\n"
        "Domain-0                             0     2    -   --p       0.0  all / all\n");
}
END_TEST

START_TEST(test_uptime_format)
{
    char s[64];
    xl_format_uptime(s, sizeof(s), 12, false);
    ck_assert_str_eq(s, " 0:00:12");
    xl_format_uptime(s, sizeof(s), 12, true);
    ck_assert_str_eq(s, " 0:00");
    xl_format_uptime(s, sizeof(s), 86400 + 3600 * 2 + 60 * 3 + 4, false);
    ck_assert_str_eq(s, "1 day,  2:03:04");
    xl_format_uptime(s, sizeof(s), 3 * 86400 + 11 * 3600 + 5 * 60, true);
    ck_assert_str_eq(s, "3 days, 11:05");
}
END_TEST

START_TEST(test_info_filter)
{
    CAPTURE(xl_info_set_filter(NULL);
            xl_info_printf(f, "xen_major              : %d\n", 4);
            xl_info_printf(f, "xen_minor              : %d\n", 17));
    ck_assert_str_eq(captured, "xen_major              : 4\nxen_minor              : 17\n");
    CAPTURE(xl_info_set_filter("xen_mi");
            xl_info_printf(f, "xen_major              : %d\n", 4);
            xl_info_printf(f, "xen_minor              : %d\n", 17));
    ck_assert_str_eq(captured, "17\n");
    CAPTURE(xl_info_set_filter("nosuch");
            xl_info_printf(f, "xen_major              : %d\n", 4));
    ck_assert_str_eq(captured, "");
    xl_info_set_filter(NULL);
}
END_TEST

START_TEST(test_json_shape)
{
    struct xl_dom d = sample_dom0();
    d.max_memkb = 524288;
    fake_xs_write(NULL, "/local/domain/0/memory/target", "409600");
    char *name = "Domain-0";
    char *json = xl_list_json(&d, &name, 1);
    ck_assert_ptr_nonnull(json);
    ck_assert_str_eq(json,
        "[\n"
        "    {\n"
        "        \"domid\": 0,\n"
        "        \"config\": {\n"
        "            \"c_info\": {\n"
        "                \"type\": \"pv\",\n"
        "                \"name\": \"Domain-0\"\n"
        "            },\n"
        "            \"b_info\": {\n"
        "                \"max_memkb\": 524288,\n"
        "                \"target_memkb\": 409600,\n"
        "                \"sched_params\": {\n"
        "\n"
        "                },\n"
        "                \"type.pv\": {\n"
        "\n"
        "                },\n"
        "                \"arch_arm\": {\n"
        "\n"
        "                },\n"
        "                \"arch_x86\": {\n"
        "\n"
        "                }\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "]\n");
    free(json);

    /* A handle that is set shows as the UUID; no domain, an empty array. */
    d.uuid[0] = 0xab;
    json = xl_list_json(&d, &name, 1);
    ck_assert_ptr_nonnull(strstr(json, "\"uuid\": \"ab000000-0000-0000-0000-000000000000\""));
    free(json);
    json = xl_list_json(NULL, NULL, 0);
    ck_assert_str_eq(json, "[\n\n]\n");
    free(json);
}
END_TEST

/* ---- scheduling ---- */

static uint8_t parsed[2];
static int parse(const char *text)
{
    memset(parsed, 0, sizeof(parsed));
    return xl_parse_cpurange(text, parsed, sizeof(parsed));
}

START_TEST(test_cpurange)
{
    ck_assert_int_eq(parse("3"), 0);
    ck_assert_uint_eq(parsed[0], 0x08);
    ck_assert_int_eq(parse("0-3,^2"), 0);
    ck_assert_uint_eq(parsed[0], 0x0b);
    ck_assert_int_eq(parse("all"), 0);
    ck_assert_uint_eq(parsed[0], 0xff);
    ck_assert_uint_eq(parsed[1], 0xff);
    ck_assert_int_eq(parse("all,^0-1,^9"), 0);
    ck_assert_uint_eq(parsed[0], 0xfc);
    ck_assert_uint_eq(parsed[1], 0xfd);
    /* Left to right: a CPU taken out can come back. */
    ck_assert_int_eq(parse("^1,1"), 0);
    ck_assert_uint_eq(parsed[0], 0x02);
    /* Past the map: dropped, as libxl's bitmaps drop them. */
    ck_assert_int_eq(parse("15-40"), 0);
    ck_assert_uint_eq(parsed[1], 0x80);
    ck_assert_int_eq(parse("1,,2,"), 0);
    ck_assert_uint_eq(parsed[0], 0x06);
    /* Refused: junk, reversed ranges, signs, ^all, NUMA nodes. */
    ck_assert_int_eq(parse("x"), -1);
    ck_assert_int_eq(parse("1x"), -1);
    ck_assert_int_eq(parse("3-1"), -1);
    ck_assert_int_eq(parse("1-"), -1);
    ck_assert_int_eq(parse("-1"), -1);
    ck_assert_int_eq(parse("1--2"), -1);
    ck_assert_int_eq(parse("^all"), -1);
    ck_assert_int_eq(parse("nodes:0"), -1);
    ck_assert_int_eq(parse("^node:0"), -1);
    ck_assert_int_eq(parse("99999999999999999999999"), -1);
    ck_assert_int_eq(parse(""), 0);
    ck_assert_uint_eq(parsed[0], 0);
}
END_TEST

START_TEST(test_vcpu_availability)
{
    ck_assert_int_eq(xl_write_vcpu_availability(3, 2, 3), 0);
    char *v = fake_xs_read(NULL, "/local/domain/3/cpu/0/availability");
    ck_assert_str_eq(v, "online");
    free(v);
    v = fake_xs_read(NULL, "/local/domain/3/cpu/1/availability");
    ck_assert_str_eq(v, "online");
    free(v);
    v = fake_xs_read(NULL, "/local/domain/3/cpu/2/availability");
    ck_assert_str_eq(v, "offline");
    free(v);
    v = fake_xs_read(NULL, "/local/domain/3/cpu/3/availability");
    ck_assert_str_eq(v, "offline");
    free(v);
    ck_assert_ptr_null(fake_xs_read(NULL, "/local/domain/3/cpu/4/availability"));
    /* A write that fails stops the walk and says so. */
    fake_xs_fail_after = 1;
    ck_assert_int_eq(xl_write_vcpu_availability(0, 1, 1), -1);
    ck_assert_int_eq(errno, EACCES);
}
END_TEST

START_TEST(test_credit2_format)
{
    CAPTURE(xl_print_credit2_pool(f, "Pool-0", 1000);
            xl_print_credit2_header(f);
            xl_print_credit2_line(f, "Domain-0", 0, 256, 0);
            xl_print_credit2_line(f, NULL, 12, 65535, 400);
            xl_print_credit2_pool(f, NULL, -1));
    ck_assert_str_eq(captured,
        "Cpupool Pool-0: ratelimit=1000us\n"
        "Name                                ID Weight  Cap\n"
        "Domain-0                             0    256    0\n"
        "(null)                              12  65535  400\n"
        "Cpupool (null): [sched params unavailable]\n");
}
END_TEST

static Suite *xl_suite(void)
{
    Suite *s = suite_create("xl");
    TCase *tc = tcase_create("logic");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_sizes);
    tcase_add_test(tc, test_qualifiers);
    tcase_add_test(tc, test_list_pages);
    tcase_add_test(tc, test_list_format);
    tcase_add_test(tc, test_vcpu_format);
    tcase_add_test(tc, test_uptime_format);
    tcase_add_test(tc, test_info_filter);
    tcase_add_test(tc, test_json_shape);
    tcase_add_test(tc, test_cpurange);
    tcase_add_test(tc, test_vcpu_availability);
    tcase_add_test(tc, test_credit2_format);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(xl_suite());
}
