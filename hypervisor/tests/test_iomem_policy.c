/*
 * Host tests of the I/O memory the hardware domain may map (Xen 4.17's
 * dom0 permissions and read-only MMIO ranges), pv/iomem_policy.c.
 */
#include <check.h>
#include "check_main.h"
#include <string.h>
#include "pv/iomem_policy.h"

static struct platform_mmio m;
static struct iomem_policy p;

/* QEMU's pc machine, as the tests boot it. */
static void qemu_pc(void)
{
    memset(&m, 0, sizeof(m));
    m.lapic_msr = m.lapic_madt = 0xfee00000;
    m.ioapic[0] = 0xfec00000;
    m.nr_ioapics = 1;
    m.hpet = 0xfed00000;
    m.paddr_bits = 40;
}

START_TEST(local_apic_and_msi_range_denied)
{
    qemu_pc();
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfee00), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfee01), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfeeff), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfedff), IOMEM_READ_WRITE);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfef00), IOMEM_READ_WRITE);
    /* A local APIC moved elsewhere (IA32_APIC_BASE, the MADT's override). */
    m.lapic_msr = 0xd0000000;
    m.lapic_madt = 0xd0001000;
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xd0000), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xd0001), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xd0002), IOMEM_READ_WRITE);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfee00), IOMEM_DENIED);
}
END_TEST

START_TEST(ioapics_read_only)
{
    qemu_pc();
    m.ioapic[1] = 0xfec01000;
    m.nr_ioapics = 2;
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfec00), IOMEM_READ_ONLY);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfec01), IOMEM_READ_ONLY);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfec02), IOMEM_READ_WRITE);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xe0000), IOMEM_READ_WRITE);
}
END_TEST

START_TEST(hpet_by_its_page_protection)
{
    qemu_pc();
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed00), IOMEM_READ_ONLY);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed01), IOMEM_READ_WRITE);
    m.hpet_flags = HPET_PAGE_PROTECT4 | 0x10;       /* OEM bits do not count */
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed00), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed01), IOMEM_READ_WRITE);
    m.hpet_flags = HPET_PAGE_PROTECT64;
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed00), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed0f), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed10), IOMEM_READ_WRITE);
    m.hpet = 0;                                     /* no HPET table */
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfed00), IOMEM_READ_WRITE);
}
END_TEST

START_TEST(address_width)
{
    qemu_pc();
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, (1ull << 28) - 1), IOMEM_READ_WRITE);
    ck_assert_int_eq(iomem_policy_lookup(&p, 1ull << 28), IOMEM_DENIED);
    ck_assert_int_eq(iomem_policy_lookup(&p, ~0ull >> 12), IOMEM_DENIED);
    m.paddr_bits = 0;                               /* unknown: 36 */
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, (1ull << 24) - 1), IOMEM_READ_WRITE);
    ck_assert_int_eq(iomem_policy_lookup(&p, 1ull << 24), IOMEM_DENIED);
}
END_TEST

START_TEST(a_denied_range_wins)
{
    qemu_pc();
    m.ioapic[0] = 0xfee00000;                       /* nonsense, but never writable */
    iomem_policy_init(&p, &m);
    ck_assert_int_eq(iomem_policy_lookup(&p, 0xfee00), IOMEM_DENIED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("iomem_policy");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, local_apic_and_msi_range_denied);
    tcase_add_test(tc, ioapics_read_only);
    tcase_add_test(tc, hpet_by_its_page_protection);
    tcase_add_test(tc, address_width);
    tcase_add_test(tc, a_denied_range_wins);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
