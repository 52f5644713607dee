/*
 * The x86-64 PV page-table rules as validation applies them: a whole
 * guest built and pinned, every rule accepted and refused, adjustments
 * made to stored entries, and all-or-nothing failure.
 */
#include <check.h>
#include "check_main.h"
#include "fake_machine.h"
#include "public/errno.h"


static struct fm_guest_tables g;

static void setup(void)
{
    fm_reset();
    fm_build_guest(&g);
}

static void teardown(void) { ck_assert_int_eq(fm_maps_outstanding, 0); }

/* Pin f as an L1 whose slot 0 holds e, and return the result. */
static int pin_l1_with(uint64_t f, uint64_t e)
{
    fm_set(f, 0, e);
    return pin_table(&fm_guest, f, PGT_l1_page_table);
}

START_TEST(whole_guest_pins_and_tears_down)
{
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    ck_assert_uint_eq(page_type_in_use(g.l4), PGT_l4_page_table);
    ck_assert_uint_eq(page_type_in_use(g.l3), PGT_l3_page_table);
    ck_assert_uint_eq(page_type_in_use(g.l2), PGT_l2_page_table);
    ck_assert_uint_eq(page_type_in_use(g.l1), PGT_l1_page_table);
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(page_type_in_use(g.data[i]), PGT_writable_page);
        ck_assert_uint_eq(page_ref_count(g.data[i]), 2);
    }
    /* L4: pin + RO mapping from the L1; L3: L4 entry + RO mapping. */
    ck_assert_uint_eq(page_ref_count(g.l4), 3);
    ck_assert_uint_eq(page_ref_count(g.l3), 3);
    ck_assert_uint_eq(page_type_count(g.l3), 1);
    /* The L1 maps itself read-only: allowed, a general reference. */
    ck_assert_uint_eq(page_ref_count(g.l1), 3);

    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
    ck_assert_uint_eq(page_type_in_use(g.l1), PGT_none);
}
END_TEST

START_TEST(entries_are_adjusted)
{
    fm_set(g.l1, 8, fm_pte(g.data[0], PTE_PRESENT | PTE_USER));           /* user */
    fm_set(g.l1, 9, fm_pte(g.data[1], PTE_PRESENT | PTE_GLOBAL));         /* kernel, G */
    fm_set(g.l1, 10, fm_pte(g.data[2], PTE_PRESENT | PTE_USER | PTE_GLOBAL));
    fm_set(g.l1, 11, 0x1234ull << 12);      /* not present: left alone */
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);

    ck_assert_uint_eq(fm_get(g.l1, 0), fm_pte(g.data[0], KERN | PTE_NX | PTE_USER | PTE_GUEST_KERNEL));
    ck_assert_uint_eq(fm_get(g.l1, 8), fm_pte(g.data[0], PTE_PRESENT | PTE_USER));
    ck_assert_uint_eq(fm_get(g.l1, 9), fm_pte(g.data[1], PTE_PRESENT | PTE_USER | PTE_GUEST_KERNEL));
    ck_assert_uint_eq(fm_get(g.l1, 10), fm_pte(g.data[2], PTE_PRESENT | PTE_USER | PTE_GLOBAL));
    ck_assert_uint_eq(fm_get(g.l1, 11), 0x1234ull << 12);
    ck_assert_uint_eq(fm_get(g.l2, 0), fm_pte(g.l1, KERN | PTE_USER));
    ck_assert_uint_eq(fm_get(g.l3, 510), fm_pte(g.l2, KERN | PTE_USER));
    ck_assert_uint_eq(fm_get(g.l4, 511), fm_pte(g.l3, KERN | PTE_USER));
}
END_TEST

START_TEST(l4_gets_accessed)
{
    fm_set(g.l4, 511, fm_pte(g.l3, PTE_PRESENT | PTE_RW));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    ck_assert_uint_eq(fm_get(g.l4, 511), fm_pte(g.l3, PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED));
}
END_TEST

START_TEST(hole_slots_replaced_not_validated)
{
    /* The garbage fm_build_guest left there would fail every rule. */
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    for (unsigned int i = 0; i < 16; i++)
        ck_assert_uint_eq(fm_get(g.l4, 256 + i), FM_HOLE_ENTRY(i));
    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
    /* Slot 255 and 272 are the guest's and are checked. */
    fm_set(g.l4, 272, fm_pte(g.l3, PTE_PRESENT | PTE_PSE));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
    fm_set(g.l4, 272, 0);
    fm_set(g.l4, 255, fm_pte(FM_OTHER_FIRST, PTE_PRESENT));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
}
END_TEST

START_TEST(own_and_foreign_frames_in_l1)
{
    ck_assert_int_eq(pin_l1_with(G(50), fm_pte(G(60), RO)), 0);
    ck_assert_int_eq(pin_l1_with(G(51), fm_pte(FM_OTHER_FIRST, RO)), -XEN_EBUSY);
    ck_assert_int_eq(pin_l1_with(G(52), fm_pte(FM_DOM0_FIRST, KERN)), -XEN_EBUSY);
    ck_assert_int_eq(pin_l1_with(G(53), fm_pte(FM_FREE_FIRST, RO)), -XEN_EBUSY);
    ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
    ck_assert_uint_eq(page_ref_count(FM_FREE_FIRST), 0);
}
END_TEST

START_TEST(io_frames)
{
    /* Outside RAM and DOMID_IO's frames: only with I/O permission. */
    ck_assert_int_eq(pin_l1_with(G(50), fm_pte(FM_FRAMES + 100, RO)), -XEN_EPERM);
    ck_assert_int_eq(pin_l1_with(G(51), fm_pte(5, RO)), -XEN_EPERM);
    ck_assert_int_eq(pin_l1_with(G(52), fm_pte(PTE_INVALID_MFN, RO)), -XEN_EINVAL);
    fm_iomem_domid = FM_GUEST_DOMID;
    ck_assert_int_eq(pin_l1_with(G(53), fm_pte(FM_FRAMES + 100, KERN)), 0);
    ck_assert_int_eq(pin_l1_with(G(54), fm_pte(5, KERN)), 0);
    /* No references taken or dropped on I/O frames. */
    ck_assert_uint_eq(page_ref_count(5), 1);
    ck_assert_uint_eq(page_type_count(5), 0);
    ck_assert_int_eq(unpin_table(&fm_guest, G(54)), 0);
    ck_assert_uint_eq(page_ref_count(5), 1);
    /* I/O frames only ever through L1 entries. */
    fm_set(G(55), 0, fm_pte(5, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(55), PGT_l2_page_table), -XEN_EINVAL);
}
END_TEST

/* Xen's read-only MMIO ranges (an IO-APIC, the HPET): a writable entry
 * is accepted and stored without RW, by every path that stores one. */
START_TEST(read_only_io_frames)
{
    const uint64_t ro = FM_FRAMES + 7, rw = FM_FRAMES + 8;

    fm_iomem_domid = FM_GUEST_DOMID;
    fm_iomem_ro_mfn = ro;
    /* Validation of a whole table. */
    fm_set(G(56), 0, fm_pte(ro, KERN));
    fm_set(G(56), 1, fm_pte(rw, KERN));
    fm_set(G(56), 2, fm_pte(ro, RO));
    ck_assert_int_eq(pin_table(&fm_guest, G(56), PGT_l1_page_table), 0);
    ck_assert_uint_eq(fm_get(G(56), 0) & (PTE_PRESENT | PTE_RW), PTE_PRESENT);
    ck_assert_uint_eq(pte_mfn(fm_get(G(56), 0)), ro);
    ck_assert_uint_eq(fm_get(G(56), 1) & PTE_RW, PTE_RW);
    ck_assert_uint_eq(fm_get(G(56), 2) & (PTE_PRESENT | PTE_RW), PTE_PRESENT);
    /* One entry of a table in use, also over the read-only one. */
    ck_assert_int_eq(pv_mod_entry(&fm_vcpu, &fm_guest, &fm_guest, G(56), 1, 3,
                                  fm_pte(ro, KERN), false), 0);
    ck_assert_uint_eq(fm_get(G(56), 3) & (PTE_PRESENT | PTE_RW), PTE_PRESENT);
    ck_assert_int_eq(pv_mod_entry(&fm_vcpu, &fm_guest, &fm_guest, G(56), 1, 2,
                                  fm_pte(ro, KERN), false), 0);
    ck_assert_uint_eq(fm_get(G(56), 2) & (PTE_PRESENT | PTE_RW), PTE_PRESENT);
    ck_assert_int_eq(pv_mod_entry(&fm_vcpu, &fm_guest, &fm_guest, G(56), 1, 1,
                                  fm_pte(ro, KERN), false), 0);
    ck_assert_uint_eq(fm_get(G(56), 1) & (PTE_PRESENT | PTE_RW), PTE_PRESENT);
    ck_assert_int_eq(unpin_table(&fm_guest, G(56)), 0);
    /* A refused table is left as written: RW not taken away there. */
    fm_set(G(57), 0, fm_pte(ro, KERN));
    fm_set(G(57), 1, fm_pte(FM_OTHER_FIRST, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(57), PGT_l1_page_table), -XEN_EBUSY);
    ck_assert_uint_eq(fm_get(G(57), 0), fm_pte(ro, KERN));
    /* Another domain still may not map it at all. */
    ck_assert_int_eq(pin_table(&fm_other, FM_OTHER_FIRST + 1, PGT_l1_page_table), 0);
    ck_assert_int_eq(pv_mod_entry(&fm_vcpu, &fm_other, &fm_other, FM_OTHER_FIRST + 1, 1, 0,
                                  fm_pte(ro, RO), false), -XEN_EPERM);
}
END_TEST

START_TEST(writable_mapping_of_table_refused)
{
    /* A writable mapping of a frame in use as a table. */
    ck_assert_int_eq(pin_table(&fm_guest, G(40), PGT_l1_page_table), 0);
    ck_assert_int_eq(pin_l1_with(G(41), fm_pte(G(40), KERN)), -XEN_EBUSY);
    ck_assert_int_eq(pin_l1_with(G(41), fm_pte(G(40), RO)), 0);
    ck_assert_int_eq(unpin_table(&fm_guest, G(41)), 0);
    /* And the other way round: a table whose frame is mapped writable. */
    ck_assert_int_eq(pin_l1_with(G(42), fm_pte(G(43), KERN)), 0);
    ck_assert_int_eq(pin_table(&fm_guest, G(43), PGT_l1_page_table), -XEN_EINVAL);
    fm_set(g.l2, 1, fm_pte(G(43), KERN));
    ck_assert_int_eq(pin_table(&fm_guest, g.l2, PGT_l2_page_table), -XEN_EINVAL);
    /* A writable self-map inside the table being validated. */
    ck_assert_int_eq(pin_l1_with(G(44), fm_pte(G(44), KERN)), -XEN_EBUSY);
    /* A descriptor page cannot be mapped writable either. */
    ck_assert_int_eq(get_page_and_type(&fm_guest, G(45), PGT_seg_desc_page), 0);
    ck_assert_int_eq(pin_l1_with(G(46), fm_pte(G(45), KERN)), -XEN_EBUSY);
    ck_assert_int_eq(pin_l1_with(G(46), fm_pte(G(45), RO)), 0);
}
END_TEST

START_TEST(superpages_refused)
{
    fm_set(g.l2, 0, fm_pte(g.l1, KERN | PTE_PSE));
    ck_assert_int_eq(pin_table(&fm_guest, g.l2, PGT_l2_page_table), -XEN_EINVAL);
    fm_set(g.l2, 0, fm_pte(g.l1, KERN));
    fm_set(g.l3, 510, fm_pte(g.l2, KERN | PTE_PSE));
    ck_assert_int_eq(pin_table(&fm_guest, g.l3, PGT_l3_page_table), -XEN_EINVAL);
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
    ck_assert_uint_eq(fm_total_refs(), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
}
END_TEST

START_TEST(flag_rules_per_level)
{
    /* L1: G and software bits fine; cache attributes only with I/O. */
    ck_assert_int_eq(pt_entry_check_flags(1, fm_pte(G(0), RO | PTE_GLOBAL | PTE_AVAIL | PTE_AVAIL_HIGH), &fm_guest), 0);
    ck_assert_int_eq(pt_entry_check_flags(1, fm_pte(G(0), RO | PTE_PCD), &fm_guest), -XEN_EINVAL);
    ck_assert_int_eq(pt_entry_check_flags(1, fm_pte(G(0), RO | PTE_PWT), &fm_guest), -XEN_EINVAL);
    ck_assert_int_eq(pt_entry_check_flags(1, fm_pte(G(0), RO | PTE_PAT), &fm_guest), -XEN_EINVAL);
    ck_assert_int_eq(pt_entry_check_flags(1, fm_pte(G(0), RO | PTE_PCD | PTE_PAT), &fm_dom0), 0);
    for (unsigned int level = 2; level <= 4; level++) {
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), KERN | PTE_USER | PTE_AVAIL_HIGH), &fm_guest), 0);
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), KERN | PTE_GLOBAL), &fm_guest), -XEN_EINVAL);
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), KERN | PTE_PSE), &fm_dom0), -XEN_EINVAL);
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), KERN | PTE_PCD), &fm_dom0), -XEN_EINVAL);
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), KERN | PTE_PWT), &fm_dom0), -XEN_EINVAL);
    }
    ck_assert_int_eq(pt_entry_check_flags(0, 0, &fm_guest), -XEN_EINVAL);
    ck_assert_int_eq(pt_entry_check_flags(5, 0, &fm_guest), -XEN_EINVAL);
}
END_TEST

START_TEST(nx_only_with_cpu_support)
{
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    fm_guest.cpu_has_nx = false;
    /* fm_build_guest put NX in the data entries. */
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
    for (unsigned int level = 1; level <= 4; level++)
        ck_assert_int_eq(pt_entry_check_flags(level, fm_pte(G(0), RO | PTE_NX), &fm_guest), -XEN_EINVAL);
}
END_TEST

START_TEST(wrong_level_and_foreign_tables)
{
    /* L2 entry at a frame in use as an L2: that is a linear mapping. */
    ck_assert_int_eq(pin_table(&fm_guest, G(40), PGT_l2_page_table), 0);
    fm_set(G(41), 0, fm_pte(G(40), KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(41), PGT_l2_page_table), -XEN_EINVAL);
    /* Upper-level entries may only name the domain's own tables. */
    fm_set(G(42), 0, fm_pte(FM_OTHER_FIRST, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(42), PGT_l3_page_table), -XEN_EINVAL);
    fm_set(G(42), 0, fm_pte(FM_FREE_FIRST, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(42), PGT_l3_page_table), -XEN_EINVAL);
    fm_set(G(42), 0, fm_pte(FM_FRAMES + 1, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, G(42), PGT_l3_page_table), -XEN_EINVAL);
    ck_assert_uint_eq(page_ref_count(FM_OTHER_FIRST), 1);
}
END_TEST

START_TEST(recursive_mappings_refused)
{
    /* L4 slot pointing back at the L4 itself. */
    fm_set(g.l4, 0, fm_pte(g.l4, RO));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
    fm_set(g.l4, 0, 0);
    /* A longer loop: L3 -> L2 -> (L3 frame as L1). */
    fm_set(g.l2, 5, fm_pte(g.l3, RO));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EINVAL);
    ck_assert_uint_eq(fm_total_refs(), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    fm_set(g.l2, 5, 0);
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
}
END_TEST

START_TEST(partial_failure_changes_nothing)
{
    /* The last entry of the L1 is bad, after seven good ones took
     * references and after the whole upper tree was typed. */
    fm_set(g.l1, 511, fm_pte(FM_OTHER_FIRST, RO));
    fm_set(g.l4, 0, fm_pte(G(70), KERN));   /* an extra good L3 first */
    struct fm_snapshot *s = fm_snapshot_take();
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), -XEN_EBUSY);
    ck_assert(fm_snapshot_equal(s));
    ck_assert_uint_eq(fm_calls.flush_before_retype, 0);
    fm_snapshot_free(s);
}
END_TEST

START_TEST(shared_tables)
{
    /* Two L4s share the L3 (Linux's vsyscall L3); two L2 slots share
     * an L1 (level2_ident_pgt and level2_kernel_pgt). */
    uint64_t l4b = G(80);
    fm_set(l4b, 511, fm_pte(g.l3, KERN));
    fm_set(g.l2, 1, fm_pte(g.l1, KERN));
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    ck_assert_int_eq(pin_table(&fm_guest, l4b, PGT_l4_page_table), 0);
    ck_assert_uint_eq(page_type_count(g.l3), 2);
    ck_assert_uint_eq(page_type_count(g.l1), 2);
    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    ck_assert_uint_eq(page_type_in_use(g.l1), PGT_l1_page_table);
    ck_assert_uint_eq(page_type_count(g.l3), 1);
    ck_assert_int_eq(unpin_table(&fm_guest, l4b), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
}
END_TEST

START_TEST(unpinned_l1_retyped_after_teardown)
{
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
    ck_assert_int_eq(get_page_type(&fm_guest, g.l1, PGT_writable_page), -XEN_EINVAL);
    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    /* Linux makes its old tables RW again after unpinning. */
    ck_assert_int_eq(fm_calls.flush_before_retype, 0);
    ck_assert_int_eq(get_page_type(&fm_guest, g.l1, PGT_writable_page), 0);
    /* The CPU may still hold the old L2 -> L1 link: flushed first. */
    ck_assert_int_eq(fm_calls.flush_before_retype, 1);
    ck_assert_uint_eq(fm_calls.last_retype_mfn, g.l1);
    put_page_type(g.l1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pt_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, whole_guest_pins_and_tears_down);
    tcase_add_test(tc, entries_are_adjusted);
    tcase_add_test(tc, l4_gets_accessed);
    tcase_add_test(tc, hole_slots_replaced_not_validated);
    tcase_add_test(tc, own_and_foreign_frames_in_l1);
    tcase_add_test(tc, io_frames);
    tcase_add_test(tc, read_only_io_frames);
    tcase_add_test(tc, writable_mapping_of_table_refused);
    tcase_add_test(tc, superpages_refused);
    tcase_add_test(tc, flag_rules_per_level);
    tcase_add_test(tc, nx_only_with_cpu_support);
    tcase_add_test(tc, wrong_level_and_foreign_tables);
    tcase_add_test(tc, recursive_mappings_refused);
    tcase_add_test(tc, partial_failure_changes_nothing);
    tcase_add_test(tc, shared_tables);
    tcase_add_test(tc, unpinned_l1_retyped_after_teardown);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
