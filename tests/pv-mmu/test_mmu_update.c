/*
 * HYPERVISOR_mmu_update per request: entry updates at every level,
 * reference hand-over, preserve-A/D, plain writes to pages not in use as
 * tables, the M2P, batches, foreign mappings, and the writable page-table
 * emulation core.
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
    ck_assert_int_eq(pin_table(&fm_guest, g.l4, PGT_l4_page_table), 0);
}

static void teardown(void) { ck_assert_int_eq(fm_maps_outstanding, 0); }

static uint64_t entry_ptr(uint64_t mfn, unsigned int slot, unsigned int cmd)
{
    return (mfn << 12) | (slot * 8) | cmd;
}

static int update(uint64_t mfn, unsigned int slot, uint64_t val, unsigned int cmd)
{
    struct mmu_update req = { entry_ptr(mfn, slot, cmd), val };
    return pv_mmu_update(&fm_vcpu, &fm_guest, &fm_guest, &req);
}

/* Tear the guest down and check that nothing is left referenced. */
static void check_clean_teardown(void)
{
    ck_assert_int_eq(unpin_table(&fm_guest, g.l4), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}

START_TEST(l1_update_hands_references_over)
{
    uint64_t a = g.data[0], b = G(60);
    ck_assert_uint_eq(page_type_count(a), 1);
    ck_assert_int_eq(update(g.l1, 0, fm_pte(b, KERN), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_count(a), 0);
    ck_assert_uint_eq(page_ref_count(a), 1);
    ck_assert_uint_eq(page_type_in_use(b), PGT_writable_page);
    ck_assert_uint_eq(page_ref_count(b), 2);
    ck_assert_uint_eq(fm_get(g.l1, 0), fm_pte(b, KERN | PTE_USER | PTE_GUEST_KERNEL));
    /* Read-only now: the writable type goes, the reference stays. */
    ck_assert_int_eq(update(g.l1, 0, fm_pte(b, RO), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_count(b), 0);
    ck_assert_uint_eq(page_ref_count(b), 2);
    /* Cleared. */
    ck_assert_int_eq(update(g.l1, 0, 0, MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_ref_count(b), 1);
    check_clean_teardown();
}
END_TEST

START_TEST(same_frame_flag_change_keeps_references)
{
    uint64_t a = g.data[1];
    ck_assert_int_eq(update(g.l1, 1, fm_pte(a, KERN | PTE_NX | PTE_USER), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_count(a), 1);
    ck_assert_uint_eq(page_ref_count(a), 2);
    ck_assert_uint_eq(fm_get(g.l1, 1), fm_pte(a, KERN | PTE_NX | PTE_USER));
    /* Even a same-frame update must pass the flag rules. */
    ck_assert_int_eq(update(g.l1, 1, fm_pte(a, KERN | PTE_PCD), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    check_clean_teardown();
}
END_TEST

START_TEST(refused_updates_change_nothing)
{
    struct fm_snapshot *s = fm_snapshot_take();
    /* Writable mapping of the L2 table. */
    ck_assert_int_eq(update(g.l1, 0, fm_pte(g.l2, KERN), MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    /* Another domain's frame. */
    ck_assert_int_eq(update(g.l1, 0, fm_pte(FM_OTHER_FIRST, RO), MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    /* MMIO without permission. */
    ck_assert_int_eq(update(g.l1, 0, fm_pte(FM_FRAMES + 9, RO), MMU_NORMAL_PT_UPDATE), -XEN_EPERM);
    /* Superpage. */
    ck_assert_int_eq(update(g.l2, 3, fm_pte(G(61), KERN | PTE_PSE), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    /* An L2 entry at something that is not an L1 (the L2 itself). */
    ck_assert_int_eq(update(g.l2, 3, fm_pte(g.l2, KERN), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    /* An L3 entry at a frame mapped writable. */
    ck_assert_int_eq(update(g.l3, 3, fm_pte(g.data[2], KERN), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    /* The hypervisor's L4 slots. */
    ck_assert_int_eq(update(g.l4, 256, 0, MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    ck_assert_int_eq(update(g.l4, 271, fm_pte(G(62), KERN), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    /* A table the domain does not own. */
    ck_assert_int_eq(update(FM_OTHER_FIRST, 0, 0, MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    ck_assert_int_eq(update(FM_FRAMES + 3, 0, 0, MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    /* Commands 4-7 do not exist. */
    for (unsigned int cmd = 4; cmd < 8; cmd++)
        ck_assert_int_eq(update(g.l1, 0, 0, cmd), -XEN_ENOSYS);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    check_clean_teardown();
}
END_TEST

START_TEST(upper_level_updates)
{
    /* Hook a fresh L1 into the L2, then a fresh L2 into the L3. */
    uint64_t l1b = G(63), l2b = G(64), l3b = G(65);
    fm_set(l1b, 0, fm_pte(G(66), KERN));
    ck_assert_int_eq(update(g.l2, 1, fm_pte(l1b, KERN), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_in_use(l1b), PGT_l1_page_table);
    ck_assert_uint_eq(page_type_in_use(G(66)), PGT_writable_page);
    ck_assert_uint_eq(fm_get(l1b, 0), fm_pte(G(66), KERN | PTE_USER | PTE_GUEST_KERNEL));
    ck_assert_int_eq(update(g.l3, 1, fm_pte(l2b, KERN), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_in_use(l2b), PGT_l2_page_table);
    ck_assert_int_eq(update(g.l4, 1, fm_pte(l3b, KERN), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_in_use(l3b), PGT_l3_page_table);
    ck_assert_uint_eq(fm_get(g.l4, 1), fm_pte(l3b, KERN | PTE_USER));
    /* Unhook: the whole subtree is released. */
    ck_assert_int_eq(update(g.l2, 1, 0, MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_count(l1b), 0);
    ck_assert_uint_eq(page_type_count(G(66)), 0);
    check_clean_teardown();
}
END_TEST

START_TEST(deep_refusal_changes_nothing)
{
    /* Hook a whole new L3 -> L2 -> L1 subtree into the L4; the last entry
     * of the L1 maps the new L2 writable, so it all fails at the bottom. */
    uint64_t l3b = G(63), l2b = G(64), l1b = G(65);
    fm_set(l3b, 0, fm_pte(l2b, KERN));
    fm_set(l2b, 0, fm_pte(l1b, KERN));
    for (unsigned int i = 0; i < 8; i++)
        fm_set(l1b, i, fm_pte(G(70 + i), KERN));
    fm_set(l1b, 511, fm_pte(l2b, KERN));
    struct fm_snapshot *s = fm_snapshot_take();
    ck_assert_int_eq(update(g.l4, 2, fm_pte(l3b, KERN), MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    /* Read-only, the same subtree is fine. */
    fm_set(l1b, 511, fm_pte(l2b, RO));
    ck_assert_int_eq(update(g.l4, 2, fm_pte(l3b, KERN), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(page_type_in_use(l2b), PGT_l2_page_table);
    ck_assert_uint_eq(page_type_in_use(G(77)), PGT_writable_page);
    check_clean_teardown();
}
END_TEST

START_TEST(preserve_ad)
{
    uint64_t a = g.data[2];
    fm_set(g.l1, 2, fm_get(g.l1, 2) | PTE_ACCESSED | PTE_DIRTY);
    ck_assert_int_eq(update(g.l1, 2, fm_pte(a, PTE_PRESENT | PTE_RW | PTE_USER), MMU_PT_UPDATE_PRESERVE_AD), 0);
    ck_assert_uint_eq(fm_get(g.l1, 2), fm_pte(a, PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY));
    ck_assert_int_eq(update(g.l1, 2, fm_pte(a, PTE_PRESENT | PTE_RW | PTE_USER), MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(fm_get(g.l1, 2), fm_pte(a, PTE_PRESENT | PTE_RW | PTE_USER));
    /* NO_TRANSLATE is a normal update for a PV guest. */
    ck_assert_int_eq(update(g.l1, 2, 0, MMU_PT_UPDATE_NO_TRANSLATE), 0);
    ck_assert_uint_eq(fm_get(g.l1, 2), 0);
    check_clean_teardown();
}
END_TEST

START_TEST(plain_writes_to_untyped_pages)
{
    /* Linux fills a fresh table through mmu_update before hooking it in:
     * nothing is validated yet, the value is stored as given. */
    uint64_t fresh = G(67);
    uint64_t odd = fm_pte(FM_OTHER_FIRST, PTE_PRESENT | PTE_PSE);
    ck_assert_int_eq(update(fresh, 7, odd, MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(fm_get(fresh, 7), odd);
    ck_assert_uint_eq(page_type_count(fresh), 0);
    /* A data page mapped writable is written the same way. */
    ck_assert_int_eq(update(g.data[3], 1, 42, MMU_NORMAL_PT_UPDATE), 0);
    ck_assert_uint_eq(fm_get(g.data[3], 1), 42);
    ck_assert_uint_eq(page_type_count(g.data[3]), 1);
    /* ...but a descriptor page in use is not. */
    ck_assert_int_eq(get_page_and_type(&fm_guest, G(68), PGT_seg_desc_page), 0);
    ck_assert_int_eq(update(G(68), 0, 1, MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    put_page_and_type(G(68));
    /* Hooking the badly filled page in then fails validation: bit 7 is
     * PAT in an L1 entry, refused to a domain without I/O resources. */
    ck_assert_int_eq(update(g.l2, 2, fm_pte(fresh, KERN), MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    ck_assert_uint_eq(fm_get(g.l2, 2), 0);
    /* With only the foreign frame left, the error is the L1 one. */
    fm_set(fresh, 7, fm_pte(FM_OTHER_FIRST, PTE_PRESENT));
    ck_assert_int_eq(update(g.l2, 2, fm_pte(fresh, KERN), MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    ck_assert_uint_eq(fm_get(g.l2, 2), 0);
    ck_assert_uint_eq(page_type_count(fresh), 0);
    check_clean_teardown();
}
END_TEST

START_TEST(machphys_update)
{
    struct mmu_update req = { (g.data[0] << 12) | MMU_MACHPHYS_UPDATE, 0x1234 };
    ck_assert_int_eq(pv_mmu_update(&fm_vcpu, &fm_guest, &fm_guest, &req), 0);
    ck_assert_uint_eq(fm_m2p[g.data[0]], 0x1234);
    ck_assert_uint_eq(page_ref_count(g.data[0]), 2);
    /* Not the domain's frame. */
    req.ptr = ((uint64_t)FM_OTHER_FIRST << 12) | MMU_MACHPHYS_UPDATE;
    ck_assert_int_eq(pv_mmu_update(&fm_vcpu, &fm_guest, &fm_guest, &req), -XEN_EINVAL);
    ck_assert_uint_eq(fm_m2p[FM_OTHER_FIRST], ~0ull);
    req.ptr = ((uint64_t)(FM_FRAMES + 1) << 12) | MMU_MACHPHYS_UPDATE;
    ck_assert_int_eq(pv_mmu_update(&fm_vcpu, &fm_guest, &fm_guest, &req), -XEN_EINVAL);
    /* Page tables of another domain (PFD): refused. */
    req.ptr = (g.data[0] << 12) | MMU_MACHPHYS_UPDATE;
    ck_assert_int_eq(pv_mmu_update(&fm_vcpu, &fm_other, &fm_guest, &req), -XEN_EPERM);
    /* A privileged domain sets the M2P of a frame of its target. */
    struct pv_mm_vcpu v0 = { .d = &fm_dom0 };
    req.ptr = ((uint64_t)FM_OTHER_FIRST << 12) | MMU_MACHPHYS_UPDATE;
    ck_assert_int_eq(pv_mmu_update(&v0, &fm_dom0, &fm_other, &req), 0);
    ck_assert_uint_eq(fm_m2p[FM_OTHER_FIRST], 0x1234);
    check_clean_teardown();
}
END_TEST

START_TEST(batches_report_progress)
{
    struct mmu_update reqs[4] = {
        { entry_ptr(g.l1, 8, 0), fm_pte(G(70), KERN) },
        { entry_ptr(g.l1, 9, 0), fm_pte(G(71), RO) },
        { entry_ptr(g.l1, 10, 0), fm_pte(g.l1, KERN) },   /* refused */
        { entry_ptr(g.l1, 11, 0), fm_pte(G(72), RO) },
    };
    struct fm_array a = { reqs, -1u };
    struct pv_mmu_source src = fm_array_source(&a);
    unsigned int done = 99;
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src, 4, &done), -XEN_EBUSY);
    ck_assert_uint_eq(done, 2);
    ck_assert_uint_eq(page_type_in_use(G(70)), PGT_writable_page);
    ck_assert_uint_eq(fm_get(g.l1, 10), 0);
    ck_assert_uint_eq(fm_get(g.l1, 11), 0);
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src, 2, &done), 0);
    ck_assert_uint_eq(done, 2);
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src, 0, &done), 0);
    ck_assert_uint_eq(done, 0);
    check_clean_teardown();
}
END_TEST

/* An entry the guest's pointer does not reach ends the batch there, with
 * the entries before it done, as the hypercall reports them. */
START_TEST(batch_stops_at_an_unreadable_entry)
{
    struct mmu_update reqs[3] = {
        { entry_ptr(g.l1, 8, 0), fm_pte(G(70), KERN) },
        { entry_ptr(g.l1, 9, 0), fm_pte(G(71), RO) },
        { entry_ptr(g.l1, 10, 0), fm_pte(G(72), RO) },
    };
    struct fm_array a = { reqs, 1 };
    struct pv_mmu_source src = fm_array_source(&a);
    unsigned int done = 99;

    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src, 3, &done),
                     -XEN_EFAULT);
    ck_assert_uint_eq(done, 1);
    ck_assert_uint_eq(page_type_in_use(G(70)), PGT_writable_page);
    ck_assert_uint_ne(fm_get(g.l1, 8), 0);
    ck_assert_uint_eq(fm_get(g.l1, 9), 0);
    ck_assert_uint_eq(fm_get(g.l1, 10), 0);
    check_clean_teardown();
}
END_TEST

/* The hypervisor's slices: a batch asks after each entry whether to stop,
 * never before the first, and a stopped batch resumes where it stopped. */
static unsigned int preempt_asked;
static bool stop_after_two(void)
{
    return ++preempt_asked == 2;
}
static bool always_stop(void)
{
    preempt_asked++;
    return true;
}

START_TEST(batch_stops_for_its_slice_and_resumes)
{
    struct mmu_update reqs[4] = {
        { entry_ptr(g.l1, 8, 0), fm_pte(G(70), KERN) },
        { entry_ptr(g.l1, 9, 0), fm_pte(G(71), RO) },
        { entry_ptr(g.l1, 10, 0), fm_pte(G(72), RO) },
        { entry_ptr(g.l1, 11, 0), fm_pte(G(73), RO) },
    };
    struct fm_array a = { reqs, -1u };
    struct pv_mmu_source src = fm_array_source(&a);
    unsigned int done = 99;

    src.preempt = stop_after_two;
    preempt_asked = 0;
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src, 4, &done),
                     -PV_MMU_PREEMPTED);
    ck_assert_uint_eq(done, 2);
    ck_assert_uint_ne(fm_get(g.l1, 9), 0);
    ck_assert_uint_eq(fm_get(g.l1, 10), 0);

    /* The rest, as a continuation names it: always preempted, it still
     * does one entry per call. */
    struct fm_array rest = { reqs + 2, -1u };
    struct pv_mmu_source src_rest = fm_array_source(&rest);
    src_rest.preempt = always_stop;
    preempt_asked = 0;
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src_rest, 2, &done),
                     -PV_MMU_PREEMPTED);
    ck_assert_uint_eq(done, 1);
    ck_assert_uint_eq(preempt_asked, 1);
    struct fm_array last = { reqs + 3, -1u };
    struct pv_mmu_source src_last = fm_array_source(&last);
    src_last.preempt = always_stop;
    preempt_asked = 0;
    ck_assert_int_eq(pv_mmu_update_batch(&fm_vcpu, &fm_guest, &fm_guest, &src_last, 1, &done), 0);
    ck_assert_uint_eq(done, 1);
    ck_assert_uint_eq(preempt_asked, 0);
    for (unsigned int slot = 8; slot < 12; slot++)
        ck_assert_uint_ne(fm_get(g.l1, slot), 0);
    check_clean_teardown();
}
END_TEST

START_TEST(foreign_mappings_by_privileged_domain)
{
    /* dom0 maps a frame of domain 2 through one of its own L1s (privcmd);
     * the caller has checked that dom0 may. */
    uint64_t l1 = FM_DOM0_FIRST + 1, target = FM_OTHER_FIRST + 5;
    ck_assert_int_eq(pin_table(&fm_dom0, l1, PGT_l1_page_table), 0);
    struct pv_mm_vcpu v0 = { .d = &fm_dom0 };
    struct mmu_update req = { entry_ptr(l1, 3, 0), fm_pte(target, KERN | PTE_USER) };
    ck_assert_int_eq(pv_mmu_update(&v0, &fm_dom0, &fm_other, &req), 0);
    ck_assert_uint_eq(page_ref_count(target), 2);
    ck_assert_uint_eq(page_type_in_use(target), PGT_writable_page);
    /* Without naming domain 2 as the page owner: refused. */
    req.ptr = entry_ptr(l1, 4, 0);
    ck_assert_int_eq(pv_mmu_update(&v0, &fm_dom0, &fm_dom0, &req), -XEN_EBUSY);
    /* Only L1 entries may point at the foreign domain. */
    uint64_t l2 = FM_DOM0_FIRST + 2;
    ck_assert_int_eq(pin_table(&fm_dom0, l2, PGT_l2_page_table), 0);
    req.ptr = entry_ptr(l2, 0, 0);
    req.val = fm_pte(FM_OTHER_FIRST + 6, KERN);
    ck_assert_int_eq(pv_mmu_update(&v0, &fm_dom0, &fm_other, &req), -XEN_EINVAL);
    ck_assert_int_eq(unpin_table(&fm_dom0, l1), 0);
    ck_assert_uint_eq(page_ref_count(target), 1);
    ck_assert_uint_eq(page_type_count(target), 0);
    ck_assert_int_eq(unpin_table(&fm_dom0, l2), 0);
    check_clean_teardown();
}
END_TEST

START_TEST(ptwr_emulation)
{
    uint64_t at_slot12 = 0xffffffff80007000ull + 12 * 8;
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l1, fm_pte(G(75), KERN), false, NULL), 0);
    ck_assert_uint_eq(fm_get(g.l1, 12), fm_pte(G(75), KERN | PTE_USER | PTE_GUEST_KERNEL));
    ck_assert_uint_eq(page_type_in_use(G(75)), PGT_writable_page);
    struct fm_snapshot *s = fm_snapshot_take();
    /* Invalid entry, misaligned store, not an L1, not the guest's. */
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l1, fm_pte(g.l2, KERN), false, NULL), -XEN_EBUSY);
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12 + 4, g.l1, 0, false, NULL), -XEN_EINVAL);
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l2, 0, false, NULL), -XEN_EINVAL);
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.data[0], 0, false, NULL), -XEN_EINVAL);
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, FM_OTHER_FIRST, 0, false, NULL), -XEN_EINVAL);
    /* cmpxchg that loses: reports the current value, writes nothing. */
    uint64_t expected = 0;
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l1, 0, true, &expected), 1);
    ck_assert_uint_eq(expected, fm_get(g.l1, 12));
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l1, 0, true, NULL), -XEN_EINVAL);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    /* cmpxchg that wins. */
    ck_assert_int_eq(pv_ptwr_emulate(&fm_vcpu, at_slot12, g.l1, 0, true, &expected), 0);
    ck_assert_uint_eq(fm_get(g.l1, 12), 0);
    ck_assert_uint_eq(page_type_count(G(75)), 0);
    check_clean_teardown();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmu_update");
    TCase *tc = tcase_create("mmu_update");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, l1_update_hands_references_over);
    tcase_add_test(tc, same_frame_flag_change_keeps_references);
    tcase_add_test(tc, refused_updates_change_nothing);
    tcase_add_test(tc, upper_level_updates);
    tcase_add_test(tc, deep_refusal_changes_nothing);
    tcase_add_test(tc, preserve_ad);
    tcase_add_test(tc, plain_writes_to_untyped_pages);
    tcase_add_test(tc, machphys_update);
    tcase_add_test(tc, batches_report_progress);
    tcase_add_test(tc, batch_stops_at_an_unreadable_entry);
    tcase_add_test(tc, batch_stops_for_its_slice_and_resumes);
    tcase_add_test(tc, foreign_mappings_by_privileged_domain);
    tcase_add_test(tc, ptwr_emulation);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
