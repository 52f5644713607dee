/*
 * HYPERVISOR_mmuext_op per operation: pin/unpin, base pointers, flushes,
 * SET_LDT, page clear/copy, the error codes, and Linux's boot-time switch
 * from the builder's tables to its own.
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

static int ext(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
    struct mmuext_op op = { .cmd = cmd };
    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    return pv_mmuext_op(&fm_vcpu, &fm_guest, &op);
}

static int ext_as(struct pv_mm_domain *pg_owner, unsigned int cmd, uint64_t arg1)
{
    struct mmuext_op op = { .cmd = cmd };
    op.arg1.mfn = arg1;
    return pv_mmuext_op(&fm_vcpu, pg_owner, &op);
}

START_TEST(pin_ops)
{
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, g.l4, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, g.l4, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, g.l1, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, g.l1, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, g.l3, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, FM_OTHER_FIRST, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l2, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l4, 0), 0);
    /* The separately pinned L1 and L3 stay typed. */
    ck_assert_uint_eq(page_type_in_use(g.l1), PGT_l1_page_table);
    ck_assert_uint_eq(page_type_in_use(g.l3), PGT_l3_page_table);
    ck_assert_uint_eq(page_type_count(g.l2), 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l3, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l1, 0), 0);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

START_TEST(pin_in_foreign_domain)
{
    /* The domain builder in dom0 pins the new guest's tables. */
    struct pv_mm_vcpu v0 = { .d = &fm_dom0 };
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };
    op.arg1.mfn = g.l4;
    ck_assert_int_eq(pv_mmuext_op(&v0, &fm_guest, &op), 0);
    ck_assert(frame_info(g.l4)->type_info & PGT_pinned);
    /* ...but with itself as page owner it cannot. */
    op.cmd = MMUEXT_UNPIN_TABLE;
    ck_assert_int_eq(pv_mmuext_op(&v0, &fm_dom0, &op), -XEN_EINVAL);
    ck_assert_int_eq(pv_mmuext_op(&v0, &fm_guest, &op), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

START_TEST(new_baseptr)
{
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, g.l4, 0), 0);
    ck_assert_uint_eq(fm_vcpu.guest_table, g.l4);
    ck_assert_uint_eq(page_type_in_use(g.l4), PGT_l4_page_table);
    ck_assert_uint_eq(page_type_count(g.l4), 1);
    ck_assert_int_eq(fm_calls.load_cr3, 1);
    /* The same again: reload only. */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, g.l4, 0), 0);
    ck_assert_int_eq(fm_calls.load_cr3, 2);
    ck_assert_uint_eq(page_type_count(g.l4), 1);
    /* Refused: not an L4, not ours, foreign caller; nothing changes. */
    struct fm_snapshot *s = fm_snapshot_take();
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, g.l3, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, FM_OTHER_FIRST, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext_as(&fm_other, MMUEXT_NEW_BASEPTR, g.l4), -XEN_EPERM);
    ck_assert_int_eq(ext_as(&fm_other, MMUEXT_NEW_USER_BASEPTR, g.l4), -XEN_EPERM);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    ck_assert_int_eq(fm_calls.load_cr3, 2);
    /* A second L4 sharing the L3: switching drops the first one's type. */
    uint64_t l4b = G(80);
    fm_set(l4b, 511, fm_pte(g.l3, KERN));
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, l4b, 0), 0);
    ck_assert_uint_eq(page_type_count(g.l4), 0);
    ck_assert_uint_eq(page_type_count(g.l3), 1);
    ck_assert_uint_eq(fm_get(l4b, 256), FM_HOLE_ENTRY(0));
    pv_mm_vcpu_release(&fm_vcpu);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

START_TEST(new_user_baseptr)
{
    uint64_t ul4 = G(81);
    fm_set(ul4, 511, fm_pte(g.l3, KERN));
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, ul4, 0), 0);
    ck_assert_uint_eq(fm_vcpu.guest_table_user, ul4);
    ck_assert_uint_eq(page_type_in_use(ul4), PGT_l4_page_table);
    /* 0 means none, and is accepted (Linux's cpu_init). */
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    ck_assert_uint_eq(fm_vcpu.guest_table_user, 0);
    ck_assert_uint_eq(page_type_count(ul4), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, g.l1, 0), -XEN_EINVAL);
    ck_assert_uint_eq(fm_vcpu.guest_table_user, 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

START_TEST(flushes)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.flush_local, 1);
    op.cmd = MMUEXT_INVLPG_LOCAL;
    op.arg1.linear_addr = 0x400000;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.invlpg_local, 1);
    ck_assert_uint_eq(fm_calls.last_va, 0x400000);
    /* A non-canonical or hypervisor address: accepted, nothing done. */
    op.arg1.linear_addr = 0xffff800000001000ull;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    op.arg1.linear_addr = 0x0000800000000000ull;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.invlpg_local, 1);
    op.cmd = MMUEXT_TLB_FLUSH_ALL;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.flush_domain, 1);
    op.cmd = MMUEXT_INVLPG_ALL;
    op.arg1.linear_addr = 0xffffffff80001000ull;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.invlpg_domain, 1);
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg2.vcpumask.p = (const void *)(uintptr_t)0x7000;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.flush_mask, 1);
    ck_assert(fm_calls.last_mask_invlpg);
    ck_assert_uint_eq(fm_calls.last_mask, 0x7000);
    op.cmd = MMUEXT_TLB_FLUSH_MULTI;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert(!fm_calls.last_mask_invlpg);
    /* An unreadable vCPU mask is -EINVAL, as in Xen. */
    fm_mask_result = -XEN_EFAULT;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), -XEN_EINVAL);
    /* Flushes on behalf of another domain: -EPERM. */
    for (unsigned int cmd = MMUEXT_TLB_FLUSH_LOCAL; cmd <= MMUEXT_INVLPG_ALL; cmd++) {
        op.cmd = cmd;
        ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_other, &op), -XEN_EPERM);
    }
    ck_assert_int_eq(fm_calls.flush_mask, 3);
}
END_TEST

START_TEST(cache_flush_needs_io)
{
    ck_assert_int_eq(ext(MMUEXT_FLUSH_CACHE, 0, 0), -XEN_EACCES);
    ck_assert_int_eq(ext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), -XEN_EACCES);
    ck_assert_int_eq(fm_calls.flush_cache, 0);
    fm_guest.io_privileged = true;
    ck_assert_int_eq(ext(MMUEXT_FLUSH_CACHE, 0, 0), 0);
    ck_assert_int_eq(fm_calls.flush_cache, 1);
}
END_TEST

START_TEST(set_ldt)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    op.arg1.linear_addr = 0x10000;
    op.arg2.nr_ents = 32;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_uint_eq(fm_vcpu.ldt_base, 0x10000);
    ck_assert_uint_eq(fm_vcpu.ldt_ents, 32);
    ck_assert_int_eq(fm_calls.load_ldt, 1);
    /* Unchanged: nothing reloaded. */
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_int_eq(fm_calls.load_ldt, 1);
    struct pv_mm_vcpu before = fm_vcpu;
    op.arg1.linear_addr = 0x10008;             /* not page aligned */
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), -XEN_EINVAL);
    op.arg1.linear_addr = 0xffff800000000000ull; /* hypervisor hole */
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), -XEN_EINVAL);
    op.arg1.linear_addr = 0x10000;
    op.arg2.nr_ents = 8193;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), -XEN_EINVAL);
    op.arg2.nr_ents = 8192;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_other, &op), -XEN_EPERM);
    ck_assert_mem_eq(&before, &fm_vcpu, sizeof(before));
    /* No entries: any address, the LDT is off. */
    op.arg1.linear_addr = 0x123;
    op.arg2.nr_ents = 0;
    ck_assert_int_eq(pv_mmuext_op(&fm_vcpu, &fm_guest, &op), 0);
    ck_assert_uint_eq(fm_vcpu.ldt_base, 0);
    ck_assert_uint_eq(fm_vcpu.ldt_ents, 0);
}
END_TEST

START_TEST(clear_and_copy_page)
{
    fm_set(G(90), 5, 77);
    ck_assert_int_eq(ext(MMUEXT_COPY_PAGE, G(91), G(90)), 0);
    ck_assert_uint_eq(fm_get(G(91), 5), 77);
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, G(90), 0), 0);
    ck_assert_uint_eq(fm_get(G(90), 5), 0);
    /* Never into a page table, never from or to another domain. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, g.l4, 0), 0);
    struct fm_snapshot *s = fm_snapshot_take();
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, g.l1, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_COPY_PAGE, g.l4, G(91)), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, FM_OTHER_FIRST, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_COPY_PAGE, G(91), FM_OTHER_FIRST), -XEN_EINVAL);
    ck_assert(fm_snapshot_equal(s));
    fm_snapshot_free(s);
    /* Copying out of a table is reading: fine. */
    ck_assert_int_eq(ext(MMUEXT_COPY_PAGE, G(92), g.l1), 0);
    ck_assert_uint_eq(fm_get(G(92), 0), fm_get(g.l1, 0));
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l4, 0), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

START_TEST(unknown_and_unsupported)
{
    ck_assert_int_eq(ext(MMUEXT_MARK_SUPER, G(0), 0), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(ext(MMUEXT_UNMARK_SUPER, G(0), 0), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(ext(14, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(ext(21, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(ext(0xffffffffu, 0, 0), -XEN_ENOSYS);
}
END_TEST

START_TEST(batch_reports_progress)
{
    struct mmuext_op ops[3] = { { .cmd = MMUEXT_PIN_L4_TABLE }, { .cmd = MMUEXT_PIN_L4_TABLE },
                                { .cmd = MMUEXT_TLB_FLUSH_LOCAL } };
    ops[0].arg1.mfn = g.l4;
    ops[1].arg1.mfn = g.l4;
    struct fm_array all = { ops, -1u }, last = { ops + 2, -1u };
    struct pv_mmu_source src = fm_array_source(&all), src_last = fm_array_source(&last);
    unsigned int done = 99;
    ck_assert_int_eq(pv_mmuext_op_batch(&fm_vcpu, &fm_guest, &src, 3, &done), -XEN_EINVAL);
    ck_assert_uint_eq(done, 1);
    ck_assert_int_eq(fm_calls.flush_local, 0);
    ck_assert_int_eq(pv_mmuext_op_batch(&fm_vcpu, &fm_guest, &src_last, 1, &done), 0);
    ck_assert_uint_eq(done, 1);
    /* An unreadable entry ends the batch as a refused one does. */
    struct fm_array faulting = { ops + 2, 0 };
    struct pv_mmu_source src_fault = fm_array_source(&faulting);
    ck_assert_int_eq(pv_mmuext_op_batch(&fm_vcpu, &fm_guest, &src_fault, 1, &done), -XEN_EFAULT);
    ck_assert_uint_eq(done, 0);
    ck_assert_int_eq(fm_calls.flush_local, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l4, 0), 0);
}
END_TEST

/* Linux's xen_setup_kernel_pagetable, in miniature: the builder's L4 is
 * pinned and current; Linux pins its own L4 (sharing the L3), unpins the
 * old one, switches, then makes the old L4 page writable again. */
START_TEST(linux_switches_to_its_own_tables)
{
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, g.l4, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, g.l4, 0), 0);
    uint64_t init_top = G(82);
    fm_set(init_top, 511, fm_pte(g.l3, KERN));
    for (unsigned int i = 256; i <= 271; i++)       /* copied junk */
        fm_set(init_top, i, fm_get(g.l4, i));
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, init_top, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, g.l4, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, init_top, 0), 0);
    ck_assert_uint_eq(page_type_count(g.l4), 0);
    /* The old L4 is mapped read-only at L1 slot 4: make it writable. */
    ck_assert_int_eq(pv_update_va_mapping(&fm_vcpu, &fm_guest, FM_KVA + 4 * 4096,
                                          fm_pte(g.l4, KERN), UVMF_INVLPG), 0);
    ck_assert_uint_eq(page_type_in_use(g.l4), PGT_writable_page);
    ck_assert_int_eq(fm_calls.invlpg_local, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, init_top, 0), 0);
    pv_mm_vcpu_release(&fm_vcpu);
    ck_assert_uint_eq(fm_total_type_refs(), 0);
    ck_assert_uint_eq(fm_total_refs(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmuext");
    TCase *tc = tcase_create("mmuext");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pin_ops);
    tcase_add_test(tc, pin_in_foreign_domain);
    tcase_add_test(tc, new_baseptr);
    tcase_add_test(tc, new_user_baseptr);
    tcase_add_test(tc, flushes);
    tcase_add_test(tc, cache_flush_needs_io);
    tcase_add_test(tc, set_ldt);
    tcase_add_test(tc, clear_and_copy_page);
    tcase_add_test(tc, unknown_and_unsupported);
    tcase_add_test(tc, batch_reports_progress);
    tcase_add_test(tc, linux_switches_to_its_own_tables);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
