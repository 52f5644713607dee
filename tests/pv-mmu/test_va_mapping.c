/*
 * update_va_mapping through the current base pointer, its UVMF_* flush
 * flags, and the lazy mapping of LDT pages as descriptor pages.
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
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
    op.arg1.mfn = g.l4;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
}

static void teardown(void)
{
    pv_mm_vcpu_release(&fm_vcpu);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
    ck_assert_int_eq(fm_maps_outstanding, 0);
}

static int uvm(uint64_t va, uint64_t val, uint64_t flags)
{
    return pv_update_va_mapping(&fm_vcpu, &fm_guest, va, val, flags);
}

START_TEST(finds_the_l1_entry)
{
    uint64_t l1;
    unsigned int slot;
    ck_assert_int_eq(pv_find_l1_slot(&fm_vcpu, FM_KVA + 3 * 4096 + 17, &l1, &slot), 0);
    ck_assert_uint_eq(l1, g.l1);
    ck_assert_uint_eq(slot, 3);
    ck_assert_int_eq(uvm(FM_KVA + 9 * 4096, fm_pte(G(60), KERN), UVMF_NONE), 0);
    ck_assert_uint_eq(fm_get(g.l1, 9), fm_pte(G(60), KERN | PTE_USER | PTE_GUEST_KERNEL));
    ck_assert_uint_eq(page_type_in_use(G(60)), PGT_writable_page);
    ck_assert_int_eq(uvm(FM_KVA + 9 * 4096, 0, UVMF_NONE), 0);
    ck_assert_uint_eq(page_ref_count(G(60)), 1);
}
END_TEST

START_TEST(refusals)
{
    struct fm_snapshot *s = fm_snapshot_take();
    /* No L1 maps these addresses. */
    ck_assert_int_eq(uvm(0x400000, 0, UVMF_INVLPG), -XEN_EINVAL);
    ck_assert_int_eq(uvm(FM_KVA + 512 * 4096, 0, UVMF_INVLPG), -XEN_EINVAL);
    /* Hypervisor hole and non-canonical addresses. */
    ck_assert_int_eq(uvm(0xffff800000000000ull, 0, UVMF_INVLPG), -XEN_EINVAL);
    ck_assert_int_eq(uvm(0xffff87ffffffffffull, 0, UVMF_INVLPG), -XEN_EINVAL);
    ck_assert_int_eq(uvm(0x0000800000000000ull, 0, UVMF_INVLPG), -XEN_EINVAL);
    /* Entries the rules refuse. */
    ck_assert_int_eq(uvm(FM_KVA + 4 * 4096, fm_pte(g.l4, KERN), UVMF_INVLPG), -XEN_EBUSY);
    ck_assert_int_eq(uvm(FM_KVA, fm_pte(FM_OTHER_FIRST, KERN), UVMF_INVLPG), -XEN_EBUSY);
    ck_assert_int_eq(uvm(FM_KVA, fm_pte(G(60), KERN | PTE_PCD), UVMF_INVLPG), -XEN_EINVAL);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    /* A refused update flushes nothing. */
    ck_assert_int_eq(fm_calls.invlpg_local + fm_calls.flush_local, 0);
    /* No base pointer at all. */
    struct pv_mm_vcpu bare = { .d = &fm_guest };
    ck_assert_int_eq(pv_update_va_mapping(&bare, &fm_guest, FM_KVA, 0, 0), -XEN_EINVAL);
}
END_TEST

START_TEST(flush_flags)
{
    uint64_t va = FM_KVA + 10 * 4096;
    uint64_t pte = fm_pte(G(61), RO);
    ck_assert_int_eq(uvm(va, pte, UVMF_INVLPG | UVMF_LOCAL), 0);
    ck_assert_int_eq(fm_calls.invlpg_local, 1);
    ck_assert_uint_eq(fm_calls.last_va, va);
    ck_assert_int_eq(uvm(va, pte, UVMF_TLB_FLUSH | UVMF_LOCAL), 0);
    ck_assert_int_eq(fm_calls.flush_local, 1);
    ck_assert_int_eq(uvm(va, pte, UVMF_INVLPG | UVMF_ALL), 0);
    ck_assert_int_eq(fm_calls.invlpg_domain, 1);
    ck_assert_int_eq(uvm(va, pte, UVMF_TLB_FLUSH | UVMF_ALL), 0);
    ck_assert_int_eq(fm_calls.flush_domain, 1);
    /* Anything else above the flush type is a vCPU mask pointer. */
    ck_assert_int_eq(uvm(va, pte, UVMF_INVLPG | 0x5000), 0);
    ck_assert_int_eq(fm_calls.flush_mask, 1);
    ck_assert_uint_eq(fm_calls.last_mask, 0x5000);
    ck_assert(fm_calls.last_mask_invlpg);
    fm_mask_result = -XEN_EFAULT;
    ck_assert_int_eq(uvm(va, pte, UVMF_TLB_FLUSH | 0x5000), -XEN_EFAULT);
    /* No flush requested (and type 3 means none either). */
    ck_assert_int_eq(uvm(va, pte, UVMF_NONE), 0);
    ck_assert_int_eq(uvm(va, pte, 3), 0);
    ck_assert_int_eq(fm_calls.flush_mask, 2);
    ck_assert_int_eq(fm_calls.invlpg_local + fm_calls.flush_local, 2);
    ck_assert_int_eq(uvm(va, 0, UVMF_NONE), 0);
}
END_TEST

static int set_ldt(uint64_t base, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    op.arg1.linear_addr = base;
    op.arg2.nr_ents = ents;
    return pv_mmuext_op(&fm_vcpu, &fm_guest, &op);
}

START_TEST(ldt_pages)
{
    uint64_t ldt_va = FM_KVA + 12 * 4096;
    uint64_t ldt = G(62);
    /* The guest maps its LDT page read-only first, as Linux does. */
    ck_assert_int_eq(uvm(ldt_va, fm_pte(ldt, RO), UVMF_NONE), 0);
    ck_assert_int_eq(set_ldt(ldt_va, 600), 0);      /* two pages */
    uint64_t pte = 0;
    ck_assert(pv_ldt_map_page(&fm_vcpu, 8, &pte));
    ck_assert_uint_eq(page_type_in_use(ldt), PGT_seg_desc_page);
    ck_assert_uint_eq(pte_mfn(pte), ldt);
    ck_assert(!(pte & PTE_RW));
    ck_assert_int_eq(fm_calls.desc_checks, 1);
    /* Mapping it again holds no second reference. */
    ck_assert(pv_ldt_map_page(&fm_vcpu, 100, &pte));
    ck_assert_uint_eq(page_type_count(ldt), 1);
    /* While it is an LDT page, no writable mapping of it. */
    ck_assert_int_eq(uvm(ldt_va, fm_pte(ldt, KERN), UVMF_NONE), -XEN_EBUSY);
    /* The second page is not mapped at all; beyond the limit is refused. */
    ck_assert(!pv_ldt_map_page(&fm_vcpu, 4096, &pte));
    ck_assert(!pv_ldt_map_page(&fm_vcpu, 600 * 8, &pte));
    /* A new LDT drops the old pages. */
    ck_assert_int_eq(set_ldt(0, 0), 0);
    ck_assert_uint_eq(page_type_count(ldt), 0);
    ck_assert_int_eq(fm_calls.flush_local, 1);
    ck_assert_int_eq(uvm(ldt_va, fm_pte(ldt, KERN), UVMF_NONE), 0);
    /* Now writable: it cannot become an LDT page. */
    ck_assert_int_eq(set_ldt(ldt_va, 16), 0);
    ck_assert(!pv_ldt_map_page(&fm_vcpu, 0, &pte));
    ck_assert_uint_eq(page_type_in_use(ldt), PGT_writable_page);
    ck_assert_int_eq(uvm(ldt_va, 0, UVMF_NONE), 0);
}
END_TEST

START_TEST(ldt_dropped_on_new_baseptr)
{
    uint64_t ldt_va = FM_KVA + 13 * 4096;
    ck_assert_int_eq(uvm(ldt_va, fm_pte(G(63), RO), UVMF_NONE), 0);
    ck_assert_int_eq(set_ldt(ldt_va, 8), 0);
    uint64_t pte;
    ck_assert(pv_ldt_map_page(&fm_vcpu, 0, &pte));
    ck_assert_uint_eq(page_type_count(G(63)), 1);
    uint64_t l4b = G(80);
    fm_set(l4b, 511, fm_pte(g.l3, KERN));
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
    op.arg1.mfn = l4b;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_uint_eq(page_type_count(G(63)), 0);
    /* Descriptor checks that fail keep the page out. */
    fm_desc_result = -XEN_EINVAL;
    ck_assert(!pv_ldt_map_page(&fm_vcpu, 0, &pte));
    ck_assert_uint_eq(page_type_count(G(63)), 0);
    ck_assert_int_eq(uvm(ldt_va, 0, UVMF_NONE), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("va_mapping");
    TCase *tc = tcase_create("va_mapping");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, finds_the_l1_entry);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, flush_flags);
    tcase_add_test(tc, ldt_pages);
    tcase_add_test(tc, ldt_dropped_on_new_baseptr);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
