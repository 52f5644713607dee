/* Unit tests of the memory map (hypervisor/arch/x86/memmap.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "arch/x86/memmap.h"

/* A multiboot v1 map being written, entry by entry. */
struct mbmap {
    unsigned char buf[8192];
    size_t len;
};

static void put(struct mbmap *mb, const void *p, size_t n)
{
    ck_assert_uint_le(mb->len + n, sizeof(mb->buf));
    memcpy(mb->buf + mb->len, p, n);
    mb->len += n;
}

/* An entry with an explicit size field; bytes beyond the 20 that matter
 * are zero padding, as a bootloader with larger entries would leave. */
static void add_sized(struct mbmap *mb, uint32_t size, uint64_t base,
                      uint64_t len, uint32_t type)
{
    unsigned char body[64] = { 0 };
    ck_assert_uint_le(size, sizeof(body));
    memcpy(body, &base, 8);
    memcpy(body + 8, &len, 8);
    memcpy(body + 16, &type, 4);
    put(mb, &size, 4);
    put(mb, body, size);
}

static void add(struct mbmap *mb, uint64_t base, uint64_t len, uint32_t type)
{
    add_sized(mb, 20, base, len, type);
}

static struct memmap m;
static const char *why;

static void parse_ok(const struct mbmap *mb)
{
    why = NULL;
    ck_assert_int_eq(memmap_parse_multiboot(&m, mb->buf, mb->len, &why), 0);
    ck_assert_ptr_null(why);
}

static void sanitize_ok(void)
{
    why = NULL;
    ck_assert_int_eq(memmap_sanitize(&m, &why), 0);
}

static void expect(unsigned int i, uint64_t base, uint64_t len, uint32_t type)
{
    ck_assert_uint_lt(i, m.n);
    ck_assert_uint_eq(m.e[i].base, base);
    ck_assert_uint_eq(m.e[i].len, len);
    ck_assert_uint_eq(m.e[i].type, type);
}

/* The map SeaBIOS gives a 512 MiB QEMU guest. */
static void qemu_512m(struct mbmap *mb)
{
    add(mb, 0x0, 0x9fc00, MEMMAP_RAM);
    add(mb, 0x9fc00, 0x400, MEMMAP_RESERVED);
    add(mb, 0xf0000, 0x10000, MEMMAP_RESERVED);
    add(mb, 0x100000, 0x1fee0000, MEMMAP_RAM);
    add(mb, 0x1ffe0000, 0x20000, MEMMAP_RESERVED);
    add(mb, 0xfeffc000, 0x4000, MEMMAP_RESERVED);
    add(mb, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
}

START_TEST(qemu_map_parses_unchanged)
{
    struct mbmap mb = { .len = 0 };
    qemu_512m(&mb);
    parse_ok(&mb);
    ck_assert_uint_eq(m.n, 7);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 7);
    expect(0, 0, 0x9fc00, MEMMAP_RAM);
    expect(3, 0x100000, 0x1fee0000, MEMMAP_RAM);
    expect(6, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x9fc00 + 0x1fee0000);
    ck_assert_uint_eq(memmap_ram_end(&m), 0x20000000 - 0x20000);
}
END_TEST

START_TEST(qemu_map_above_4g)
{
    /* 6 GiB: QEMU puts 3 GiB low and the rest above 4 GiB. */
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x9fc00, MEMMAP_RAM);
    add(&mb, 0x9fc00, 0x400, MEMMAP_RESERVED);
    add(&mb, 0xf0000, 0x10000, MEMMAP_RESERVED);
    add(&mb, 0x100000, 0xbfee0000, MEMMAP_RAM);
    add(&mb, 0xbffe0000, 0x20000, MEMMAP_RESERVED);
    add(&mb, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
    add(&mb, 0x100000000ull, 0xc0000000ull, MEMMAP_RAM);
    parse_ok(&mb);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 7);
    ck_assert_uint_eq(memmap_ram_end(&m), 0x1c0000000ull);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x9fc00 + 0xbfee0000ull + 0xc0000000ull);
}
END_TEST

START_TEST(larger_entry_size_is_skipped_correctly)
{
    struct mbmap mb = { .len = 0 };
    add_sized(&mb, 24, 0x0, 0x1000, MEMMAP_RAM);
    add_sized(&mb, 40, 0x2000, 0x1000, MEMMAP_ACPI);
    add(&mb, 0x4000, 0x1000, MEMMAP_NVS);
    parse_ok(&mb);
    ck_assert_uint_eq(m.n, 3);
    expect(1, 0x2000, 0x1000, MEMMAP_ACPI);
    expect(2, 0x4000, 0x1000, MEMMAP_NVS);
}
END_TEST

START_TEST(unsorted_is_sorted_and_merged)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x300000, 0x100000, MEMMAP_RAM);
    add(&mb, 0x0, 0x100000, MEMMAP_RAM);
    add(&mb, 0x100000, 0x100000, MEMMAP_RAM);     /* touches both neighbours */
    add(&mb, 0x200000, 0x100000, MEMMAP_RESERVED);
    add(&mb, 0x10000000, 0x1000, MEMMAP_RAM);
    parse_ok(&mb);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 4);
    expect(0, 0x0, 0x200000, MEMMAP_RAM);
    expect(1, 0x200000, 0x100000, MEMMAP_RESERVED);
    expect(2, 0x300000, 0x100000, MEMMAP_RAM);
    expect(3, 0x10000000, 0x1000, MEMMAP_RAM);
}
END_TEST

START_TEST(reserved_wins_over_ram)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x10000, MEMMAP_RAM);
    add(&mb, 0x8000, 0x1000, MEMMAP_RESERVED);     /* inside */
    add(&mb, 0xf000, 0x2000, MEMMAP_ACPI);         /* over the end */
    add(&mb, 0x20000, 0x1000, MEMMAP_RAM);
    add(&mb, 0x1f000, 0x3000, MEMMAP_UNUSABLE);    /* covers it whole */
    parse_ok(&mb);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 5);
    expect(0, 0x0, 0x8000, MEMMAP_RAM);
    expect(1, 0x8000, 0x1000, MEMMAP_RESERVED);
    expect(2, 0x9000, 0x6000, MEMMAP_RAM);
    expect(3, 0xf000, 0x2000, MEMMAP_ACPI);
    expect(4, 0x1f000, 0x3000, MEMMAP_UNUSABLE);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0xe000);
}
END_TEST

START_TEST(overlapping_same_type_merges)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x1000, 0x5000, MEMMAP_RAM);
    add(&mb, 0x3000, 0x5000, MEMMAP_RAM);
    add(&mb, 0x2000, 0x1000, MEMMAP_RAM);
    parse_ok(&mb);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 1);
    expect(0, 0x1000, 0x7000, MEMMAP_RAM);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x7000);  /* not counted twice */
}
END_TEST

START_TEST(non_ram_overlaps_higher_type_wins)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x4000, MEMMAP_RESERVED);
    add(&mb, 0x2000, 0x4000, MEMMAP_NVS);
    parse_ok(&mb);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 2);
    expect(0, 0x0, 0x2000, MEMMAP_RESERVED);
    expect(1, 0x2000, 0x4000, MEMMAP_NVS);
}
END_TEST

START_TEST(zero_length_dropped)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x1000, MEMMAP_RAM);
    add(&mb, 0x5000, 0, MEMMAP_RESERVED);
    add(&mb, UINT64_MAX, 0, MEMMAP_RAM);
    parse_ok(&mb);
    ck_assert_uint_eq(m.n, 1);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 1);
    /* Entries of length 0 written by hand are ignored by sanitize too. */
    m.e[1] = (struct memmap_entry){ 0x800, 0, MEMMAP_RESERVED };
    m.n = 2;
    sanitize_ok();
    ck_assert_uint_eq(m.n, 1);
    expect(0, 0, 0x1000, MEMMAP_RAM);
}
END_TEST

START_TEST(empty_map)
{
    parse_ok(&(struct mbmap){ .len = 0 });
    ck_assert_uint_eq(m.n, 0);
    sanitize_ok();
    ck_assert_uint_eq(m.n, 0);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0);
    ck_assert_uint_eq(memmap_ram_end(&m), 0);
}
END_TEST

static void parse_fails(const void *buf, size_t len, const char *msg)
{
    why = NULL;
    ck_assert_int_eq(memmap_parse_multiboot(&m, buf, len, &why), -1);
    ck_assert_str_eq(why, msg);
}

START_TEST(truncated_buffers)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x1000, MEMMAP_RAM);
    add(&mb, 0x2000, 0x1000, MEMMAP_RAM);
    /* Every cut inside the second entry is caught, with exact-size copies
     * so that a read past the end would trip AddressSanitizer. */
    for (size_t cut = 25; cut < mb.len; cut++) {
        unsigned char *copy = malloc(cut);
        memcpy(copy, mb.buf, cut);
        why = NULL;
        ck_assert_int_eq(memmap_parse_multiboot(&m, copy, cut, &why), -1);
        ck_assert_ptr_nonnull(why);
        free(copy);
    }
    parse_fails(mb.buf, 24 + 2, "memory map: truncated entry (no room for its size field)");
    parse_fails(mb.buf, 24 + 10, "memory map: entry runs past the end of the buffer");
    parse_fails(mb.buf, 3, "memory map: truncated entry (no room for its size field)");
}
END_TEST

START_TEST(small_size_field)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x1000, MEMMAP_RAM);
    add_sized(&mb, 16, 0x2000, 0x1000, MEMMAP_RAM);
    parse_fails(mb.buf, mb.len, "memory map: entry size too small to hold base, length and type");
    struct mbmap zero = { .len = 0 };
    add_sized(&zero, 0, 0, 0, 0);
    parse_fails(zero.buf, zero.len, "memory map: entry size too small to hold base, length and type");
}
END_TEST

START_TEST(huge_size_field)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0x0, 0x1000, MEMMAP_RAM);
    uint32_t huge = UINT32_MAX;
    memcpy(mb.buf, &huge, 4);
    parse_fails(mb.buf, mb.len, "memory map: entry runs past the end of the buffer");
}
END_TEST

START_TEST(wrap_around)
{
    struct mbmap mb = { .len = 0 };
    add(&mb, 0xfffffffffffff000ull, 0x2000, MEMMAP_RESERVED);
    parse_fails(mb.buf, mb.len, "memory map: entry wraps past the top of the address space");
    /* Hand-made maps get the same check from sanitize. */
    m.n = 1;
    m.e[0] = (struct memmap_entry){ UINT64_MAX - 5, 10, MEMMAP_RAM };
    ck_assert_int_eq(memmap_sanitize(&m, &why), -1);
    ck_assert_str_eq(why, "memory map: entry wraps past the top of the address space");
    /* Up to the last byte is fine. */
    struct mbmap top = { .len = 0 };
    add(&top, 0xfffffffffffff000ull, 0xfff, MEMMAP_RESERVED);
    parse_ok(&top);
    sanitize_ok();
    expect(0, 0xfffffffffffff000ull, 0xfff, MEMMAP_RESERVED);
}
END_TEST

START_TEST(too_many_entries)
{
    struct mbmap mb = { .len = 0 };
    for (int i = 0; i < MEMMAP_MAX; i++)
        add(&mb, (uint64_t)i * 0x2000, 0x1000, MEMMAP_RAM);
    parse_ok(&mb);
    ck_assert_uint_eq(m.n, MEMMAP_MAX);
    sanitize_ok();
    ck_assert_uint_eq(m.n, MEMMAP_MAX);
    add(&mb, 0x10000000, 0x1000, MEMMAP_RAM);
    parse_fails(mb.buf, mb.len, "memory map: too many entries");
}
END_TEST

START_TEST(sanitize_overflow_reported)
{
    /* One big RAM range punched by 127 holes gives 255 pieces. */
    m.n = 0;
    m.e[m.n++] = (struct memmap_entry){ 0, 0x10000000, MEMMAP_RAM };
    for (int i = 0; i < MEMMAP_MAX - 1; i++)
        m.e[m.n++] = (struct memmap_entry){ 0x10000 + (uint64_t)i * 0x20000,
                                            0x1000, MEMMAP_RESERVED };
    ck_assert_int_eq(memmap_sanitize(&m, &why), -1);
    ck_assert_str_eq(why, "memory map: too many entries after resolving overlaps");
}
END_TEST

START_TEST(clip_to_limit)
{
    struct mbmap mb = { .len = 0 };
    qemu_512m(&mb);
    parse_ok(&mb);
    sanitize_ok();
    memmap_clip(&m, 0x10000000);    /* mem=256M */
    ck_assert_uint_eq(memmap_ram_end(&m), 0x10000000);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x9fc00 + 0x10000000 - 0x100000);
    /* Reserved ranges above the limit stay: they are not RAM to drop. */
    expect(m.n - 1, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
    ck_assert_uint_eq(m.n, 7);      /* the 0x1ffe0000 reserved range kept */

    memmap_clip(&m, 0x50000);       /* inside the first range */
    ck_assert_uint_eq(m.n, 6);      /* the second RAM range is gone */
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x50000);
    ck_assert_uint_eq(memmap_ram_end(&m), 0x50000);

    unsigned int n = m.n;
    memmap_clip(&m, 0);              /* no limit */
    ck_assert_uint_eq(m.n, n);
    ck_assert_uint_eq(memmap_ram_bytes(&m), 0x50000);
}
END_TEST

START_TEST(type_names)
{
    ck_assert_str_eq(memmap_type_name(MEMMAP_RAM), "RAM");
    ck_assert_str_eq(memmap_type_name(MEMMAP_RESERVED), "reserved");
    ck_assert_str_eq(memmap_type_name(MEMMAP_ACPI), "ACPI data");
    ck_assert_str_eq(memmap_type_name(MEMMAP_NVS), "ACPI NVS");
    ck_assert_str_eq(memmap_type_name(MEMMAP_UNUSABLE), "unusable");
    ck_assert_str_eq(memmap_type_name(12), "unknown");
    ck_assert_str_eq(memmap_type_name(0), "unknown");
}
END_TEST

/* Random maps: sanitize gives sorted, disjoint, non-touching-same-type
 * entries, and every address keeps the type the rules say. */
START_TEST(random_maps_sanitize_correctly)
{
    unsigned int seed = 99;
    for (int round = 0; round < 300; round++) {
        struct memmap orig;
        orig.n = (unsigned int)(rand_r(&seed) % 12);
        for (unsigned int i = 0; i < orig.n; i++) {
            orig.e[i].base = (uint64_t)(rand_r(&seed) % 64) * 0x1000;
            orig.e[i].len = (uint64_t)(rand_r(&seed) % 16) * 0x1000;
            orig.e[i].type = 1 + (uint32_t)(rand_r(&seed) % 5);
        }
        m = orig;
        sanitize_ok();
        for (unsigned int i = 0; i < m.n; i++) {
            ck_assert_uint_gt(m.e[i].len, 0);
            if (i > 0) {
                uint64_t prev_end = m.e[i - 1].base + m.e[i - 1].len;
                ck_assert_uint_le(prev_end, m.e[i].base);
                if (prev_end == m.e[i].base)
                    ck_assert_uint_ne(m.e[i - 1].type, m.e[i].type);
            }
        }
        for (uint64_t a = 0; a < 80 * 0x1000; a += 0x1000) {
            uint32_t want = 0;
            for (unsigned int i = 0; i < orig.n; i++) {
                const struct memmap_entry *e = &orig.e[i];
                if (a < e->base || a >= e->base + e->len)
                    continue;
                if (want == 0 || want == MEMMAP_RAM)
                    want = e->type;
                else if (e->type != MEMMAP_RAM && e->type > want)
                    want = e->type;
            }
            uint32_t got = 0;
            for (unsigned int i = 0; i < m.n; i++)
                if (a >= m.e[i].base && a < m.e[i].base + m.e[i].len)
                    got = m.e[i].type;
            ck_assert_uint_eq(got, want);
        }
    }
}
END_TEST

static Suite *memmap_suite(void)
{
    Suite *s = suite_create("memmap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, qemu_map_parses_unchanged);
    tcase_add_test(tc, qemu_map_above_4g);
    tcase_add_test(tc, larger_entry_size_is_skipped_correctly);
    tcase_add_test(tc, unsorted_is_sorted_and_merged);
    tcase_add_test(tc, reserved_wins_over_ram);
    tcase_add_test(tc, overlapping_same_type_merges);
    tcase_add_test(tc, non_ram_overlaps_higher_type_wins);
    tcase_add_test(tc, zero_length_dropped);
    tcase_add_test(tc, empty_map);
    tcase_add_test(tc, truncated_buffers);
    tcase_add_test(tc, small_size_field);
    tcase_add_test(tc, huge_size_field);
    tcase_add_test(tc, wrap_around);
    tcase_add_test(tc, too_many_entries);
    tcase_add_test(tc, sanitize_overflow_reported);
    tcase_add_test(tc, clip_to_limit);
    tcase_add_test(tc, type_names);
    tcase_add_test(tc, random_maps_sanitize_correctly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(memmap_suite());
}
