/*
 * map_grant_ref and unmap_grant_ref: the flags handshake, pin counts,
 * frame references and types, maptrack handles, and every error path.
 *
 * Domain 1 grants; domain 2 maps; domain 3 is a bystander; domain 1 also
 * maps its own grants, as the test guests do.
 */
#define _GNU_SOURCE     /* CPU affinity */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include "check_main.h"
#include "test_cpus.h"
#include "fake_machine.h"
#include "mmu/page_type.h"
#include "public/errno.h"

static struct grant_table *d1, *d2, *d3;
static uint64_t page;      /* a frame of domain 1's */
static uint64_t base_refs; /* its reference count with nothing mapped */

#define VA(n) (FAKE_L1_LO + (uint64_t)(n) * 0x1000)
#define RW_HOST GNTMAP_host_map
#define RO_HOST (GNTMAP_host_map | GNTMAP_readonly)

static void setup(void)
{
    fake_machine_reset();
    d1 = fake_domain_create(1, false, -1, -1, NULL);
    d2 = fake_domain_create(2, false, -1, -1, NULL);
    d3 = fake_domain_create(3, false, -1, -1, NULL);
    page = fake_alloc_frame(1);
    base_refs = page_ref_count(page);
    fake_grant(d1, 10, 2, page, GTF_permit_access);
}

/* Nothing may be left pinned, referenced or tracked after a test. */
static void assert_idle(void)
{
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 0);
    ck_assert_uint_eq(d2->maptrack_in_use, 0);
    ck_assert_uint_eq(page_ref_count(page), base_refs);
    ck_assert_uint_eq(page_type_count(page), 0);
    ck_assert_uint_eq(fake_grant_flags(d1, 10) & (GTF_reading | GTF_writing), 0);
}

static void teardown(void)
{
    ck_assert_int_eq(fake_destroy_domains(), 0);
    ck_assert_int_eq(fake_live_allocations(), 0);
    ck_assert_int_eq(fake_frame_maps_outstanding(), 0);
}

START_TEST(map_writable_and_unmap)
{
    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, VA(5));

    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_uint_eq(m.dev_bus_addr, page << 12);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 1);
    ck_assert_uint_eq(page_type_in_use(page), PGT_writable_page);
    ck_assert_uint_eq(page_type_count(page), 1);

    const struct fake_pte *pte = fake_pte_at(d2, VA(5));
    ck_assert_ptr_nonnull(pte);
    ck_assert_uint_eq(pte->mfn, page);
    ck_assert(pte->rw);

    struct grant_active *act = grant_active_entry(d1, 10);
    ck_assert_uint_eq(act->pins.host_rw, 1);
    ck_assert_uint_eq(act->domid, 2);
    ck_assert_uint_eq(act->mfn, page);
    ck_assert_uint_eq(d2->maptrack_in_use, 1);

    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(5), 0), GNTST_okay);
    ck_assert_ptr_null(fake_pte_at(d2, VA(5)));
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access);
    assert_idle();
}
END_TEST

START_TEST(map_readonly)
{
    fake_grant(d1, 10, 2, page, GTF_permit_access | GTF_readonly);
    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RO_HOST, VA(1));

    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d1, 10),
                      GTF_permit_access | GTF_readonly | GTF_reading);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 1);
    ck_assert_uint_eq(page_type_count(page), 0);
    ck_assert(!fake_pte_at(d2, VA(1))->rw);

    /* A read-only grant cannot be mapped writable, even while pinned. */
    struct gnttab_map_grant_ref w = fake_map(d2, 1, 10, RW_HOST, VA(2));
    ck_assert_int_eq(w.status, GNTST_general_error);
    ck_assert_uint_eq(d2->maptrack_in_use, 1);
    ck_assert_uint_eq(grant_active_entry(d1, 10)->pins.host_rw, 0);
    ck_assert_uint_eq(fake_grant_flags(d1, 10) & GTF_writing, 0);

    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(1), 0), GNTST_okay);
    assert_idle();

    w = fake_map(d2, 1, 10, RW_HOST, VA(2));
    ck_assert_int_eq(w.status, GNTST_general_error);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_readonly);
    assert_idle();
}
END_TEST

START_TEST(readonly_then_writable_pins)
{
    struct gnttab_map_grant_ref r = fake_map(d2, 1, 10, RO_HOST, VA(1));
    ck_assert_int_eq(r.status, GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_reading);

    struct gnttab_map_grant_ref w = fake_map(d2, 1, 10, RW_HOST, VA(2));
    ck_assert_int_eq(w.status, GNTST_okay);
    ck_assert_uint_ne(w.handle, r.handle);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 2);
    ck_assert_uint_eq(page_type_count(page), 1);

    struct grant_pins p = grant_active_entry(d1, 10)->pins;
    ck_assert_uint_eq(p.host_ro, 1);
    ck_assert_uint_eq(p.host_rw, 1);

    /* The writable one goes: GTF_writing clears, GTF_reading stays. */
    ck_assert_int_eq(fake_unmap(d2, w.handle, VA(2), 0), GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_reading);
    ck_assert_uint_eq(page_type_count(page), 0);
    ck_assert_int_eq(fake_unmap(d2, r.handle, VA(1), 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(pins_count_every_mapping)
{
    grant_handle_t h[3];
    for (int i = 0; i < 3; i++) {
        struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, VA(i));
        ck_assert_int_eq(m.status, GNTST_okay);
        h[i] = m.handle;
    }
    ck_assert_uint_eq(grant_active_entry(d1, 10)->pins.host_rw, 3);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 3);
    ck_assert_uint_eq(page_type_count(page), 3);

    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(fake_unmap(d2, h[i], VA(i), 0), GNTST_okay);
        ck_assert_uint_eq(fake_grant_flags(d1, 10),
                          GTF_permit_access | GTF_reading | GTF_writing);
    }
    ck_assert_int_eq(fake_unmap(d2, h[2], VA(2), 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(self_grant)
{
    uint64_t own = fake_alloc_frame(1);
    fake_grant(d1, 20, 1, own, GTF_permit_access);

    struct gnttab_map_grant_ref m = fake_map(d1, 1, 20, RW_HOST, VA(9));
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_uint_eq(grant_active_entry(d1, 20)->domid, 1);
    ck_assert_uint_eq(page_type_count(own), 1);
    ck_assert_int_eq(fake_unmap(d1, m.handle, VA(9), 0), GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d1, 20), GTF_permit_access);
    ck_assert_uint_eq(page_ref_count(own), 1);

    /* DOMID_SELF is not a domain map_grant_ref can find, as in Xen. */
    m = fake_map(d1, DOMID_SELF, 20, RW_HOST, VA(9));
    ck_assert_int_eq(m.status, GNTST_bad_domain);
}
END_TEST

START_TEST(device_maps)
{
    struct gnttab_map_grant_ref m =
        fake_map(d2, 1, 10, GNTMAP_device_map | GNTMAP_host_map, VA(3));
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_uint_eq(m.dev_bus_addr, page << 12);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 2);
    ck_assert_uint_eq(page_type_count(page), 2);
    struct grant_pins p = grant_active_entry(d1, 10)->pins;
    ck_assert_uint_eq(p.dev_rw, 1);
    ck_assert_uint_eq(p.host_rw, 1);

    /* A wrong bus address is refused and changes nothing. */
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(3), (page + 1) << 12), GNTST_bad_dev_addr);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 2);
    ck_assert_ptr_nonnull(fake_pte_at(d2, VA(3)));

    /* Only the device half goes; the handle lives on for the host half. */
    ck_assert_int_eq(fake_unmap(d2, m.handle, 0, page << 12), GNTST_okay);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 1);
    ck_assert_uint_eq(page_type_count(page), 1);
    ck_assert_uint_eq(grant_active_entry(d1, 10)->pins.dev_rw, 0);
    ck_assert_uint_eq(d2->maptrack_in_use, 1);
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(3), 0), GNTST_okay);
    assert_idle();

    /* A read-only device mapping takes a reference and no type. */
    m = fake_map(d2, 1, 10, GNTMAP_device_map | GNTMAP_readonly, 0);
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 1);
    ck_assert_uint_eq(page_type_count(page), 0);
    ck_assert_uint_eq(fake_pte_count(d2), 0);
    ck_assert_int_eq(fake_unmap(d2, m.handle, 0, page << 12), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(map_bad_arguments)
{
    struct gnttab_map_grant_ref m;

    m = fake_map(d2, 1, 10, GNTMAP_readonly, VA(1));
    ck_assert_int_eq(m.status, GNTST_bad_gntref);
    m = fake_map(d2, 7, 10, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_bad_domain);
    m = fake_map(d2, 1, 512, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_bad_gntref);
    m = fake_map(d2, 1, 0xffffffffu, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_bad_gntref);
    assert_idle();
}
END_TEST

START_TEST(map_refused_by_entry)
{
    struct gnttab_map_grant_ref m;

    /* Granted to someone else. */
    m = fake_map(d3, 1, 10, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_general_error);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access);

    /* Not a permit_access entry. */
    static const uint16_t bad[] = { GTF_invalid, GTF_accept_transfer, GTF_transitive,
                                    GTF_permit_access | GTF_sub_page };
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fake_grant(d1, 11, 2, page, bad[i]);
        m = fake_map(d2, 1, 11, RO_HOST, VA(1));
        ck_assert_int_eq(m.status, GNTST_general_error);
        ck_assert_uint_eq(fake_grant_flags(d1, 11), bad[i]);
    }

    /* Pinned by one domain, another cannot join even if the granter has
     * since rewritten the entry for it. */
    m = fake_map(d2, 1, 10, RO_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_okay);
    grant_shared_entry(d1, 10)->domid = 3;
    struct gnttab_map_grant_ref other = fake_map(d3, 1, 10, RO_HOST, VA(1));
    ck_assert_int_eq(other.status, GNTST_general_error);
    ck_assert_uint_eq(d3->maptrack_in_use, 0);
    /* The pinned entry keeps serving its holder. */
    struct gnttab_map_grant_ref again = fake_map(d2, 1, 10, RO_HOST, VA(2));
    ck_assert_int_eq(again.status, GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, again.handle, VA(2), 0), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(1), 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(map_frame_not_granters)
{
    uint64_t foreign = fake_alloc_frame(3);
    fake_grant(d1, 12, 2, foreign, GTF_permit_access);

    struct gnttab_map_grant_ref m = fake_map(d2, 1, 12, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_bad_page);
    /* The handshake was undone. */
    ck_assert_uint_eq(fake_grant_flags(d1, 12), GTF_permit_access);
    ck_assert_uint_eq(page_ref_count(foreign), 1);

    /* A frame outside RAM, or free, is no better. */
    fake_grant(d1, 12, 2, FAKE_FIRST_MFN + FAKE_NR_FRAMES + 5, GTF_permit_access);
    ck_assert_int_eq(fake_map(d2, 1, 12, RO_HOST, VA(1)).status, GNTST_bad_page);
    fake_grant(d1, 12, 2, FAKE_FIRST_MFN + FAKE_NR_FRAMES - 1, GTF_permit_access);
    ck_assert_int_eq(fake_map(d2, 1, 12, RO_HOST, VA(1)).status, GNTST_bad_page);
    ck_assert_uint_eq(fake_grant_flags(d1, 12), GTF_permit_access);
    assert_idle();
}
END_TEST

START_TEST(map_page_table_writable_refused)
{
    /* The granter made the frame a page table: no writable mapping. */
    struct page_info *pg = frame_info(page);
    pg->type_info = PGT_l1_page_table | PGT_validated | 1;

    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_general_error);
    ck_assert_uint_eq(page_ref_count(page), base_refs);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access);
    ck_assert_uint_eq(fake_pte_count(d2), 0);
    ck_assert_uint_eq(d2->maptrack_in_use, 0);

    /* Read-only is fine. */
    m = fake_map(d2, 1, 10, RO_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(1), 0), GNTST_okay);
    ck_assert_uint_eq(page_ref_count(page), base_refs);
    pg->type_info = 0;
}
END_TEST

START_TEST(map_bad_host_addr)
{
    static const uint64_t bad[] = {
        0xffff800000000000ull,          /* hypervisor hole */
        0xffff87fffffff000ull,
        0x0000800000000000ull,          /* not canonical */
    };
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, bad[i]);
        ck_assert_int_eq(m.status, GNTST_general_error);
        assert_idle();
        /* Refused by the grant code itself, whatever the page tables say. */
        fake_l1_anywhere = true;
        m = fake_map(d2, 1, 10, RW_HOST, bad[i]);
        fake_l1_anywhere = false;
        ck_assert_int_eq(m.status, GNTST_general_error);
        ck_assert_uint_eq(fake_pte_count(d2), 0);
        assert_idle();
    }
    /* No L1 there: the page-table callback refuses, and all is undone. */
    ck_assert_int_eq(fake_map(d2, 1, 10, RW_HOST, 0x1000).status, GNTST_general_error);
    assert_idle();

    /* GNTMAP_contains_pte: host_addr is the PTE's machine address, which
     * must be 8-byte aligned and in one of the mapper's frames. */
    uint64_t l1 = fake_alloc_frame(2);
    uint32_t f = RW_HOST | GNTMAP_contains_pte;
    ck_assert_int_eq(fake_map(d2, 1, 10, f, (l1 << 12) + 12).status, GNTST_general_error);
    ck_assert_int_eq(fake_map(d2, 1, 10, f, page << 12).status, GNTST_general_error);
    assert_idle();

    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, f, (l1 << 12) + 16);
    ck_assert_int_eq(m.status, GNTST_okay);
    ck_assert_ptr_nonnull(fake_pte_at(d2, (l1 << 12) + 16));
    ck_assert_int_eq(fake_unmap(d2, m.handle, (l1 << 12) + 16, 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(unmap_errors)
{
    ck_assert_int_eq(fake_unmap(d2, 0, VA(1), 0), GNTST_bad_handle);
    ck_assert_int_eq(fake_unmap(d2, 0xffffffffu, VA(1), 0), GNTST_bad_handle);

    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, VA(1));
    ck_assert_int_eq(m.status, GNTST_okay);
    /* A handle that exists but is free. */
    ck_assert_int_eq(fake_unmap(d2, m.handle + 1, VA(1), 0), GNTST_bad_handle);
    /* Another domain's handle numbers mean nothing here. */
    ck_assert_int_eq(fake_unmap(d3, m.handle, VA(1), 0), GNTST_bad_handle);

    /* Nothing to unmap: okay, and the mapping stays (as in Xen). */
    ck_assert_int_eq(fake_unmap(d2, m.handle, 0, 0), GNTST_okay);
    ck_assert_uint_eq(d2->maptrack_in_use, 1);

    /* The PTE there does not map the grant: refused, nothing changes. */
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(2), 0), GNTST_general_error);
    ck_assert_uint_eq(grant_active_entry(d1, 10)->pins.host_rw, 1);
    ck_assert_ptr_nonnull(fake_pte_at(d2, VA(1)));

    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(1), 0), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(1), 0), GNTST_bad_handle);
    assert_idle();
}
END_TEST

START_TEST(handles_are_reused)
{
    struct gnttab_map_grant_ref a = fake_map(d2, 1, 10, RO_HOST, VA(1));
    struct gnttab_map_grant_ref b = fake_map(d2, 1, 10, RO_HOST, VA(2));
    ck_assert_uint_eq(a.handle, 0);
    ck_assert_uint_eq(b.handle, 1);
    ck_assert_int_eq(fake_unmap(d2, a.handle, VA(1), 0), GNTST_okay);
    struct gnttab_map_grant_ref c = fake_map(d2, 1, 10, RO_HOST, VA(3));
    ck_assert_uint_eq(c.handle, a.handle);
    ck_assert_int_eq(fake_unmap(d2, b.handle, VA(2), 0), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, c.handle, VA(3), 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(maptrack_exhaustion)
{
    /* One maptrack frame: 256 handles. */
    struct grant_table *small = fake_domain_create(0, false, -1, 1, NULL);
    ck_assert_ptr_nonnull(small);
    for (grant_ref_t r = 0; r < 257; r++)
        fake_grant(d1, 100 + r, 0, page, GTF_permit_access | GTF_readonly);

    for (grant_ref_t r = 0; r < 256; r++) {
        struct gnttab_map_grant_ref m = fake_map(small, 1, 100 + r, RO_HOST, VA(r));
        ck_assert_int_eq(m.status, GNTST_okay);
        ck_assert_uint_eq(m.handle, r);
    }
    struct gnttab_map_grant_ref full = fake_map(small, 1, 356, RO_HOST, VA(300));
    ck_assert_int_eq(full.status, GNTST_no_space);
    ck_assert_uint_eq(fake_grant_flags(d1, 356), GTF_permit_access | GTF_readonly);
    ck_assert_uint_eq(small->maptrack_limit, 256);

    /* A freed handle makes room again. */
    ck_assert_int_eq(fake_unmap(small, 7, VA(7), 0), GNTST_okay);
    struct gnttab_map_grant_ref again = fake_map(small, 1, 356, RO_HOST, VA(300));
    ck_assert_int_eq(again.status, GNTST_okay);
    ck_assert_uint_eq(again.handle, 7);

    /* A domain given no maptrack can grant but never map. */
    ck_assert_int_eq(grant_table_destroy(d3), 0);
    struct grant_table *none = fake_domain_create(3, false, -1, 0, NULL);
    fake_grant(d1, 11, 3, page, GTF_permit_access);
    ck_assert_int_eq(fake_map(none, 1, 11, RO_HOST, VA(1)).status, GNTST_no_space);
}
END_TEST

START_TEST(maptrack_grows_by_frames)
{
    for (grant_ref_t r = 0; r < 300; r++)
        fake_grant(d1, 100 + r, 2, page, GTF_permit_access);
    for (grant_ref_t r = 0; r < 300; r++)
        ck_assert_int_eq(fake_map(d2, 1, 100 + r, RO_HOST, VA(r)).status, GNTST_okay);
    ck_assert_uint_eq(d2->maptrack_limit, 512);
    ck_assert_uint_eq(d2->maptrack_in_use, 300);
    ck_assert_uint_eq(grant_list_active(d1, NULL, NULL), 300);
    ck_assert_uint_eq(grant_list_mappings(d2, NULL, NULL), 300);
    ck_assert_uint_eq(page_ref_count(page), base_refs + 300);
    for (grant_handle_t h = 0; h < 300; h++)
        ck_assert_int_eq(fake_unmap(d2, h, VA(h), 0), GNTST_okay);
    assert_idle();
}
END_TEST

START_TEST(pin_counter_overflow)
{
    struct grant_table *big = fake_domain_create(0, false, -1, 2, NULL);
    fake_grant(d1, 11, 0, page, GTF_permit_access);
    for (unsigned int i = 0; i < GRANT_PIN_MAX; i++)
        ck_assert_int_eq(fake_map(big, 1, 11, RO_HOST, VA(i)).status, GNTST_okay);
    ck_assert_uint_eq(grant_active_entry(d1, 11)->pins.host_ro, 255);
    ck_assert_int_eq(fake_map(big, 1, 11, RO_HOST, VA(400)).status, GNTST_general_error);
    ck_assert_uint_eq(big->maptrack_in_use, 255);
    /* Another counter of the same entry still has room. */
    ck_assert_int_eq(fake_map(big, 1, 11, RW_HOST, VA(401)).status, GNTST_okay);
}
END_TEST

START_TEST(pinned_entry_keeps_its_frame)
{
    /* The entry's frame changes after the first pin: later mappings keep
     * using the frame the pin resolved, as in Xen. */
    struct gnttab_map_grant_ref a = fake_map(d2, 1, 10, RO_HOST, VA(1));
    uint64_t other = fake_alloc_frame(1);
    grant_shared_entry(d1, 10)->frame = (uint32_t)other;
    struct gnttab_map_grant_ref b = fake_map(d2, 1, 10, RO_HOST, VA(2));
    ck_assert_int_eq(b.status, GNTST_okay);
    ck_assert_uint_eq(b.dev_bus_addr, page << 12);
    ck_assert_uint_eq(page_ref_count(other), 1);

    /* The guest cannot clear GTF_reading behind our back for good: the
     * last unmap clears only the bits the hypervisor owns. */
    __atomic_fetch_or(&grant_shared_entry(d1, 10)->flags, GTF_PCD, __ATOMIC_RELAXED);
    ck_assert_int_eq(fake_unmap(d2, a.handle, VA(1), 0), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, b.handle, VA(2), 0), GNTST_okay);
    ck_assert_uint_eq(fake_grant_flags(d1, 10), GTF_permit_access | GTF_PCD);
    grant_shared_entry(d1, 10)->frame = (uint32_t)page;
    assert_idle();
}
END_TEST

START_TEST(claim_checks_entry_atomically)
{
    struct grant_entry_v1 e = { .flags = GTF_permit_access, .domid = 2, .frame = 1 };
    struct grant_active idle = { 0 };

    ck_assert_int_eq(grant_entry_claim(&e, &idle, 2, false), GNTST_okay);
    ck_assert_uint_eq(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_uint_eq(e.domid, 2);
    ck_assert_uint_eq(e.frame, 1);

    /* With pins the owner check is skipped, the readonly check is not. */
    struct grant_active pinned = { .pins = { .host_ro = 1 }, .domid = 2 };
    e = (struct grant_entry_v1){ .flags = GTF_invalid, .domid = 9 };
    ck_assert_int_eq(grant_entry_claim(&e, &pinned, 2, true), GNTST_okay);
    e.flags = GTF_permit_access | GTF_readonly;
    ck_assert_int_eq(grant_entry_claim(&e, &pinned, 2, false), GNTST_general_error);
    ck_assert_uint_eq(e.flags, GTF_permit_access | GTF_readonly);

    /* Settling clears only what no pin needs any more. */
    e.flags = GTF_permit_access | GTF_reading | GTF_writing;
    grant_entry_settle(&e, &pinned, false);
    ck_assert_uint_eq(e.flags, GTF_permit_access | GTF_reading);
    grant_entry_settle(&e, &idle, true);
    ck_assert_uint_eq(e.flags, GTF_permit_access);
}
END_TEST

/*
 * A granter revoking and re-granting in a loop, the way Linux ends
 * foreign access: compare-exchange the entry to invalid only while
 * neither GTF_reading nor GTF_writing is set.  Whenever the hypervisor's
 * claim succeeds, the guest must not revoke until the claim is settled;
 * whenever the guest has revoked, a claim must be refused.
 *
 * Bounded by counts, never by the clock, so that a slow or busy machine
 * changes only how long it takes.  The hypervisor side makes at least
 * CLAIM_ROUNDS claims, and goes on until each side has run into the other
 * RACE_EVIDENCE times -- claims refused because the guest had revoked,
 * revokes refused because a claim held the entry -- so the two threads
 * really overlapped, however they were scheduled.  Given two CPUs, each
 * side has its own, so that they act at the same instant whenever both
 * are scheduled (which is what catches a claim that checks the entry and
 * then sets its bits in two steps).  Each side holds the entry a moment
 * (the guest between revoke and re-grant, the hypervisor between claim
 * and settle) and leaves it a moment, for random lengths, and now and
 * then gives up its CPU in either phase instead, so that the other side
 * meets both states even when the two share one busy CPU; a side that
 * keeps meeting the other's hold yields too, rather than spin through
 * its time slice.  CLAIM_CAP only turns a guest thread that never ran
 * into a failure that says so.
 *
 * The loop checks with plain comparisons: a passing ck_assert costs a
 * write to Check's message channel, and 10^5 of them made this test take
 * seconds, and time out on a busy machine.
 */
#define CLAIM_ROUNDS 20000ul
#define RACE_EVIDENCE 200ul
#define CLAIM_CAP 5000000ul
#define HOLD_SPINS 256          /* longer than a cache line's trip */
#define YIELD_EVERY 256         /* each side yields twice every so many */
#define YIELD_STREAK 64         /* yield after so many refusals in a row */

struct racer {
    uint32_t *word;             /* the entry's flags and domid */
    uint32_t granted;           /* what the guest publishes */
    bool ready, stop;
    int cpu;                    /* the guest side's CPU, or -1 */
    bool held;                  /* the hypervisor side holds a claim */
    unsigned long revokes;      /* revokes that succeeded */
    unsigned long blocked;      /* revokes refused: reading/writing set */
    unsigned long violations;   /* revokes that succeeded while held */
};

/* A short busy moment.  Not the pause instruction: in a virtual machine
 * a run of pauses can trap to the host and cost microseconds each. */
static void busy(unsigned int n)
{
    for (volatile unsigned int i = 0; i < n; i++)
        ;
}

/* One phase of a side's round n: a busy moment of random length (a fixed
 * one lets the sides fall into step, each always acting while the other
 * waits), or, once every YIELD_EVERY rounds (at `phase`), the CPU given
 * up instead. */
static void hold(uint32_t *rng, unsigned long n, unsigned long phase)
{
    if (n % YIELD_EVERY == phase) {
        sched_yield();
        return;
    }
    *rng ^= *rng << 13;
    *rng ^= *rng >> 17;
    *rng ^= *rng << 5;
    busy(*rng % (2 * HOLD_SPINS));
}

static void *revoke_loop(void *arg)
{
    struct racer *r = arg;
    unsigned long streak = 0;
    uint32_t rng = 0x9e3779b9u;

    pin_to(r->cpu);
    __atomic_store_n(&r->ready, true, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
        uint32_t seen = r->granted;
        if (__atomic_compare_exchange_n(r->word, &seen, 0, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            streak = 0;
            /* Revoked: no claim can be holding the entry now. */
            if (__atomic_load_n(&r->held, __ATOMIC_SEQ_CST))
                __atomic_fetch_add(&r->violations, 1, __ATOMIC_SEQ_CST);
            unsigned long n = __atomic_add_fetch(&r->revokes, 1, __ATOMIC_SEQ_CST);
            hold(&rng, n, 0);
            __atomic_store_n(r->word, r->granted, __ATOMIC_SEQ_CST);
            hold(&rng, n, YIELD_EVERY / 2);     /* the guest uses the grant */
        } else if (seen & (GTF_reading | GTF_writing)) {
            __atomic_fetch_add(&r->blocked, 1, __ATOMIC_SEQ_CST);
            if (++streak % YIELD_STREAK == 0)
                sched_yield();
        }
    }
    return NULL;
}

START_TEST(claim_races_with_revoking_guest)
{
    struct grant_entry_v1 *e = grant_shared_entry(d1, 10);
    struct grant_active idle = { 0 };
    struct racer r = { .word = (uint32_t *)(void *)e,
                       .granted = (2u << 16) | GTF_permit_access };
    unsigned long claims, ok = 0, refused = 0, streak = 0;
    uint32_t rng = 12345;
    char broken[160] = "";
    pthread_t t;

    ck_assert_uint_eq(__atomic_load_n(r.word, __ATOMIC_SEQ_CST), r.granted);
    /* With two CPUs or more, one for each side: they then run at the same
     * time whenever both are scheduled, rather than take turns. */
    cpu_set_t cpus;
    ck_assert_int_eq(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
    r.cpu = nth_cpu(&cpus, 1);
    pin_to(r.cpu < 0 ? -1 : nth_cpu(&cpus, 0));
    ck_assert_int_eq(pthread_create(&t, NULL, revoke_loop, &r), 0);
    while (!__atomic_load_n(&r.ready, __ATOMIC_SEQ_CST))
        sched_yield();

    for (claims = 0; claims < CLAIM_CAP; claims++) {
        if (claims >= CLAIM_ROUNDS && refused >= RACE_EVIDENCE &&
            __atomic_load_n(&r.blocked, __ATOMIC_SEQ_CST) >= RACE_EVIDENCE)
            break;
        bool ro = claims & 1;
        int rc = grant_entry_claim(e, &idle, 2, ro);
        if (rc != GNTST_okay) {
            if (rc != GNTST_general_error) {
                snprintf(broken, sizeof(broken), "claim %lu returned %d", claims, rc);
                break;
            }
            refused++;
            if (++streak % YIELD_STREAK == 0)
                sched_yield();
            continue;
        }
        streak = 0;
        ok++;
        /* Claimed: until settled the entry is exactly the guest's grant
         * with our bits, and the guest cannot revoke it. */
        __atomic_store_n(&r.held, true, __ATOMIC_SEQ_CST);
        const uint32_t want = r.granted | GTF_reading | (ro ? 0 : GTF_writing);
        unsigned long revokes = __atomic_load_n(&r.revokes, __ATOMIC_SEQ_CST);
        uint32_t first = __atomic_load_n(r.word, __ATOMIC_SEQ_CST);
        hold(&rng, ok, 0);
        uint32_t last = __atomic_load_n(r.word, __ATOMIC_SEQ_CST);
        unsigned long revokes_after = __atomic_load_n(&r.revokes, __ATOMIC_SEQ_CST);
        __atomic_store_n(&r.held, false, __ATOMIC_SEQ_CST);
        grant_entry_settle(e, &idle, ro);
        if (first != want || last != want || revokes_after != revokes) {
            snprintf(broken, sizeof(broken),
                     "claim %lu (%s): entry %#x then %#x, want %#x; %lu revokes while held",
                     claims, ro ? "ro" : "rw", first, last, want, revokes_after - revokes);
            break;
        }
        hold(&rng, ok, YIELD_EVERY / 2);        /* until the next map */
    }
    __atomic_store_n(&r.stop, true, __ATOMIC_SEQ_CST);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    sched_setaffinity(0, sizeof(cpus), &cpus);

    ck_assert_msg(broken[0] == '\0', "%s", broken);
    ck_assert_msg(r.violations == 0, "the guest revoked %lu times while a claim held the entry",
                  r.violations);
    ck_assert_msg(refused >= RACE_EVIDENCE && r.blocked >= RACE_EVIDENCE,
                  "the threads hardly overlapped in %lu claims: %lu refused, "
                  "%lu revokes blocked", claims, refused, r.blocked);
    ck_assert_uint_ge(claims, CLAIM_ROUNDS);
    ck_assert_uint_gt(ok, 0);
    ck_assert_uint_gt(r.revokes, 0);
    /* The guest re-granted after its last revoke; every claim was settled. */
    ck_assert_uint_eq(__atomic_load_n(r.word, __ATOMIC_SEQ_CST), r.granted);
}
END_TEST

static bool collect_active(const struct grant_active_info *info, void *ctx)
{
    struct grant_active_info *out = ctx;
    *out = *info;
    return false;
}

static bool collect_mapping(const struct grant_mapping_info *info, void *ctx)
{
    struct grant_mapping_info *out = ctx;
    *out = *info;
    return false;
}

START_TEST(bookkeeping_lists_who_maps_what)
{
    struct gnttab_map_grant_ref m = fake_map(d2, 1, 10, RW_HOST, VA(4));
    struct gnttab_map_grant_ref r = fake_map(d2, 1, 10, RO_HOST, VA(5));

    struct grant_active_info a;
    ck_assert_uint_eq(grant_list_active(d1, collect_active, &a), 1);
    ck_assert_uint_eq(a.granter, 1);
    ck_assert_uint_eq(a.ref, 10);
    ck_assert_uint_eq(a.holder, 2);
    ck_assert_uint_eq(a.mfn, page);
    ck_assert_uint_eq(a.pins.host_rw, 1);
    ck_assert_uint_eq(a.pins.host_ro, 1);
    ck_assert_uint_eq(a.shared_flags, GTF_permit_access | GTF_reading | GTF_writing);

    struct grant_mapping_info mi;
    ck_assert_uint_eq(grant_list_mappings(d2, NULL, NULL), 2);
    grant_list_mappings(d2, collect_mapping, &mi);
    ck_assert_uint_eq(mi.mapper, 2);
    ck_assert_uint_eq(mi.handle, m.handle);
    ck_assert_uint_eq(mi.granter, 1);
    ck_assert_uint_eq(mi.ref, 10);
    ck_assert_uint_eq(mi.flags, RW_HOST);
    ck_assert_uint_eq(mi.host_addr, VA(4));
    ck_assert_uint_eq(mi.mfn, page);

    ck_assert_int_eq(fake_unmap(d2, m.handle, VA(4), 0), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d2, r.handle, VA(5), 0), GNTST_okay);
    ck_assert_uint_eq(grant_list_mappings(d2, NULL, NULL), 0);
    assert_idle();
}
END_TEST

static Suite *grant_map_suite(void)
{
    Suite *s = suite_create("grant_map");
    TCase *tc = tcase_create("map");
    /* The race below is bounded by its iterations; on a loaded machine
     * they outlast Check's 4 s default, which is no failure. */
    tcase_set_timeout(tc, 0);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, map_writable_and_unmap);
    tcase_add_test(tc, map_readonly);
    tcase_add_test(tc, readonly_then_writable_pins);
    tcase_add_test(tc, pins_count_every_mapping);
    tcase_add_test(tc, self_grant);
    tcase_add_test(tc, device_maps);
    tcase_add_test(tc, map_bad_arguments);
    tcase_add_test(tc, map_refused_by_entry);
    tcase_add_test(tc, map_frame_not_granters);
    tcase_add_test(tc, map_page_table_writable_refused);
    tcase_add_test(tc, map_bad_host_addr);
    tcase_add_test(tc, unmap_errors);
    tcase_add_test(tc, handles_are_reused);
    tcase_add_test(tc, maptrack_exhaustion);
    tcase_add_test(tc, maptrack_grows_by_frames);
    tcase_add_test(tc, pin_counter_overflow);
    tcase_add_test(tc, pinned_entry_keeps_its_frame);
    tcase_add_test(tc, claim_checks_entry_atomically);
    tcase_add_test(tc, claim_races_with_revoking_guest);
    tcase_add_test(tc, bookkeeping_lists_who_maps_what);
    /* The race above takes well under a second even on a busy machine;
     * a minute leaves room for a machine loaded many times over. */
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(grant_map_suite());
}
