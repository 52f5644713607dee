/*
 * Host tests of the dom0 builder's pure parts: dom0_mem= parsing and
 * sizing, the initial virtual layout, the hypercall page stubs and the
 * pvclock scale.
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include "common/vtime.h"
#include "pv/dom0_layout.h"
#include "pv/dom0_mem.h"
#include "pv/hypercall_page.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define PAGES(bytes) ((bytes) / 4096)
#define VIRT_BASE 0xffffffff80000000ull

static struct dom0_mem_spec spec;
static const char *why;

START_TEST(mem_plain_sizes)
{
    ck_assert_int_eq(dom0_mem_parse("256M", &spec, &why), 0);
    ck_assert(spec.have_amount && !spec.amount_negative);
    ck_assert_uint_eq(spec.amount, 256 * MiB);
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(256 * MiB));
    ck_assert_int_eq(dom0_mem_parse("1G", &spec, &why), 0);
    ck_assert_uint_eq(spec.amount, GiB);
    /* No suffix: KiB, as Xen reads it. */
    ck_assert_int_eq(dom0_mem_parse("65536", &spec, &why), 0);
    ck_assert_uint_eq(spec.amount, 64 * MiB);
}
END_TEST

START_TEST(mem_negative_min_max)
{
    ck_assert_int_eq(dom0_mem_parse("-128M", &spec, &why), 0);
    ck_assert(spec.amount_negative);
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(GiB - 128 * MiB));
    ck_assert_int_eq(dom0_mem_parse("min:512M,max:768M,256M", &spec, &why), 0);
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(512 * MiB));
    ck_assert_int_eq(dom0_mem_parse("max:128M", &spec, &why), 0);
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(128 * MiB));
    /* More than there is: all there is. */
    ck_assert_int_eq(dom0_mem_parse("4G", &spec, &why), 0);
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(GiB));
}
END_TEST

START_TEST(mem_default_keeps_a_reserve)
{
    ck_assert_int_eq(dom0_mem_parse(NULL, &spec, &why), 0);
    ck_assert(!spec.have_amount);
    /* 1/16 of 1 GiB = 64 MiB. */
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(GiB)), PAGES(GiB - 64 * MiB));
    /* At most 128 MiB. */
    ck_assert_uint_eq(dom0_mem_pages(&spec, PAGES(16 * GiB)), PAGES(16 * GiB - 128 * MiB));
}
END_TEST

START_TEST(mem_bad_values_named)
{
    const char *bad[] = { "", "abc", "12Q", "min:", "max:x", "1G,2G", "256M,", "min:1G,max:512M",
                          "99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        if (!bad[i][0])
            continue;   /* empty value: the default (no field set) */
        ck_assert_msg(dom0_mem_parse(bad[i], &spec, &why) == -1, "'%s' accepted", bad[i]);
        ck_assert_ptr_nonnull(why);
    }
    ck_assert_int_eq(dom0_mem_parse("", &spec, &why), 0);
    ck_assert(!spec.have_amount && !spec.have_min && !spec.have_max);
}
END_TEST

START_TEST(layout_linux_like)
{
    struct dom0_layout l;
    /* Debian 6.1's image: paddr 0x1000000..0x4a00000, 256 MiB. */
    ck_assert_int_eq(dom0_layout_compute(&l, VIRT_BASE, VIRT_BASE + 0x1000000,
                                         VIRT_BASE + 0x4a00000, 0, PAGES(256 * MiB), &why), 0);
    ck_assert_uint_eq(l.kernel_start, VIRT_BASE + 0x1000000);
    ck_assert_uint_eq(l.p2m_start, VIRT_BASE + 0x4a00000);
    ck_assert_uint_eq(l.start_info, l.p2m_start + PAGES(256 * MiB) * 8);
    ck_assert_uint_eq(l.pt_start, l.start_info + 4096);
    ck_assert_uint_eq(l.nr_l3, 1);
    ck_assert_uint_eq(l.nr_l2, 1);
    /* Every 2 MiB of the area has its L1, and the tables cover the end. */
    ck_assert_uint_eq(l.nr_l1, (l.end - VIRT_BASE) >> 21);
    ck_assert_uint_eq(l.nr_pt_frames, 1 + l.nr_l3 + l.nr_l2 + l.nr_l1);
    ck_assert_uint_eq(l.stack_start, l.pt_start + l.nr_pt_frames * 4096);
    ck_assert_uint_eq(l.end % (4 * MiB), 0);
    ck_assert(l.end >= l.stack_start + 4096 + 512 * 1024);
}
END_TEST

START_TEST(layout_with_initrd)
{
    struct dom0_layout l;
    ck_assert_int_eq(dom0_layout_compute(&l, VIRT_BASE, VIRT_BASE + 0x200000,
                                         VIRT_BASE + 0x212345, 10000, PAGES(64 * MiB), &why), 0);
    ck_assert_uint_eq(l.initrd_start, VIRT_BASE + 0x213000);
    ck_assert_uint_eq(l.p2m_start, l.initrd_start + 3 * 4096);
}
END_TEST

START_TEST(layout_refusals)
{
    struct dom0_layout l;
    /* Kernel below VIRT_BASE. */
    ck_assert_int_eq(dom0_layout_compute(&l, VIRT_BASE, VIRT_BASE - 4096, VIRT_BASE + 4096, 0,
                                         PAGES(64 * MiB), &why), -1);
    ck_assert_ptr_nonnull(why);
    /* Too little memory for the area. */
    ck_assert_int_eq(dom0_layout_compute(&l, VIRT_BASE, VIRT_BASE + 0x1000000,
                                         VIRT_BASE + 0x4a00000, 0, PAGES(64 * MiB), &why), -1);
    ck_assert(strstr(why, "dom0_mem"));
    /* An initrd that cannot fit in 1 GiB. */
    ck_assert_int_eq(dom0_layout_compute(&l, VIRT_BASE, VIRT_BASE + 0x1000000,
                                         VIRT_BASE + 0x4a00000, 1000 * MiB, PAGES(2 * GiB), &why), -1);
}
END_TEST

START_TEST(hypercall_page_stubs)
{
    static unsigned char page[4096];
    static const unsigned char stub17[] = { 0x51, 0x41, 0x53, 0xb8, 17, 0, 0, 0, 0x0f, 0x05,
                                            0x41, 0x5b, 0x59, 0xc3 };
    static const unsigned char stub23[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };

    hypercall_page_fill(page);
    ck_assert_mem_eq(page + 17 * 32, stub17, sizeof(stub17));
    ck_assert_mem_eq(page + 23 * 32, stub23, sizeof(stub23));
    /* The rest of each stub traps. */
    for (size_t i = sizeof(stub17); i < 32; i++)
        ck_assert_uint_eq(page[17 * 32 + i], 0xcc);
    ck_assert_uint_eq(page[127 * 32 + 4], 127);
}
END_TEST

static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    delta = shift < 0 ? delta >> -shift : delta << shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* The pvclock scale every domain's clock uses (common/vtime.c). */
START_TEST(tsc_scale)
{
    const uint64_t rates[] = { 1000000ull, 999999999ull, 1000000000ull, 2400000000ull,
                               3000000000ull, 5000000000ull };
    for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
        struct vtime_scale sc;
        ck_assert_int_eq(vtime_scale_from_hz(rates[i], &sc), 0);
        ck_assert_uint_ge(sc.mul, 1u << 31);
        /* One second of ticks is one second of ns, to within 1 ppm. */
        uint64_t ns = scale(rates[i], sc.mul, sc.shift);
        ck_assert_msg(ns > 999999000ull && ns <= 1000000000ull, "rate %lu gives %lu ns",
                      (unsigned long)rates[i], (unsigned long)ns);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dom0_build");
    TCase *tc = tcase_create("pure");

    tcase_add_test(tc, mem_plain_sizes);
    tcase_add_test(tc, mem_negative_min_max);
    tcase_add_test(tc, mem_default_keeps_a_reserve);
    tcase_add_test(tc, mem_bad_values_named);
    tcase_add_test(tc, layout_linux_like);
    tcase_add_test(tc, layout_with_initrd);
    tcase_add_test(tc, layout_refusals);
    tcase_add_test(tc, hypercall_page_stubs);
    tcase_add_test(tc, tsc_scale);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
