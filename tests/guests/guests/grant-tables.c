/*
 * grant-tables: grant table v1 used within one domain (dom0 grants a page
 * to itself).  setup_table/query_size; a granted page mapped through
 * map_grant_ref is the same frame, the entry shows GTF_reading/writing
 * while mapped and not after unmap; GNTTABOP_copy moves bytes from a
 * grant; bad refs, ungranted entries, unknown domains, read-only grants
 * mapped writable and bad handles each get their GNTST_* status.
 */
#include <public/grant_table.h>

#include "guest.h"
#include "pagetable.h"

const char guest_name[] = "grant-tables";

#define OUR_DOMID 0            /* the guests run as dom0 */
#define TEST_REF 8             /* refs 0-7 are reserved by convention */

static char table_window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char granted[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char map_target[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char copy_dest[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile struct grant_entry_v1 *gnttab;

static void grant(unsigned int ref, unsigned long mfn, uint16_t flags)
{
    gnttab[ref].domid = OUR_DOMID;
    gnttab[ref].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* frame before flags */
    gnttab[ref].flags = flags;
}

static int16_t map(unsigned int ref, domid_t dom, uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (unsigned long)map_target, .flags = flags, .ref = ref, .dom = dom,
    };
    long rc = hyp_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
    if (rc)
        return -100 + (int16_t)rc;   /* the hypercall itself failed: never a GNTST */
    if (handle)
        *handle = op.handle;
    return op.status;
}

static int16_t unmap(grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = (unsigned long)map_target, .handle = handle };
    long rc = hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);
    return rc ? -100 + (int16_t)rc : op.status;
}

static bool setup(void)
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    long rc = hyp_grant_table_op(GNTTABOP_query_size, &qs, 1);
    con_printf("INFO: grant table %u of %u frames\n", qs.nr_frames, qs.max_nr_frames);
    check(rc == 0 && qs.status == GNTST_okay && qs.max_nr_frames >= 1, "query_size",
          "rc %ld status %d max %u", rc, qs.status, qs.max_nr_frames);

    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    set_xen_guest_handle(st.frame_list, &frame);
    rc = hyp_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (!check(rc == 0 && st.status == GNTST_okay && frame, "setup_table gives frame 0",
               "rc %ld status %d frame %#lx", rc, st.status, frame))
        return false;
    rc = hyp_update_va_mapping((unsigned long)table_window, (frame << 12) | PTE_FLAGS_RW_PAGE,
                               UVMF_INVLPG);
    if (!check_eq("the grant table frame maps writable", rc, 0))
        return false;
    gnttab = (volatile struct grant_entry_v1 *)table_window;
    return true;
}

static void map_own_grant(void)
{
    unsigned long mfn = virt_to_mfn(granted);
    volatile uint64_t *src = (volatile uint64_t *)granted;
    src[0] = 0xfeedface12345678UL;
    grant(TEST_REF, mfn, GTF_permit_access);

    grant_handle_t h = 0;
    int16_t st = map(TEST_REF, OUR_DOMID, GNTMAP_host_map, &h);
    check_eq("map_grant_ref of our own grant: GNTST_okay", st, GNTST_okay);
    if (st != GNTST_okay)
        return;
    volatile uint64_t *dst = (volatile uint64_t *)map_target;
    check_eq("the mapping shows the granted page", dst[0], (long)0xfeedface12345678UL);
    dst[1] = 0x0badcafe0badcafeUL;
    check_eq("writes through the mapping reach the granted page", src[1], 0x0badcafe0badcafeL);
    check((gnttab[TEST_REF].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
          "the entry shows GTF_reading|GTF_writing while mapped", "flags %#x",
          gnttab[TEST_REF].flags);
    check_eq("unmap_grant_ref: GNTST_okay", unmap(h), GNTST_okay);
    check_eq("the entry is idle after unmap", gnttab[TEST_REF].flags & (GTF_reading | GTF_writing), 0);
    check_eq("unmapping the same handle again: GNTST_bad_handle", unmap(h), GNTST_bad_handle);
    hyp_update_va_mapping((unsigned long)map_target,
                          (virt_to_mfn(map_target) << 12) | PTE_FLAGS_RW_PAGE, UVMF_INVLPG);
}

static void refused_maps(void)
{
    unsigned long mfn = virt_to_mfn(granted);
    check_eq("map of a ref beyond the table: GNTST_bad_gntref",
             map(100000, OUR_DOMID, GNTMAP_host_map, NULL), GNTST_bad_gntref);
    grant(TEST_REF + 1, mfn, GTF_invalid);
    check_eq("map of an entry that grants nothing: GNTST_general_error",
             map(TEST_REF + 1, OUR_DOMID, GNTMAP_host_map, NULL), GNTST_general_error);
    check_eq("map from a domain that does not exist: GNTST_bad_domain",
             map(TEST_REF, 1234, GNTMAP_host_map, NULL), GNTST_bad_domain);
    grant(TEST_REF + 2, mfn, GTF_permit_access | GTF_readonly);
    check_eq("writable map of a read-only grant: GNTST_general_error",
             map(TEST_REF + 2, OUR_DOMID, GNTMAP_host_map, NULL), GNTST_general_error);
    grant_handle_t h;
    int16_t st = map(TEST_REF + 2, OUR_DOMID, GNTMAP_host_map | GNTMAP_readonly, &h);
    check_eq("read-only map of a read-only grant: GNTST_okay", st, GNTST_okay);
    if (st == GNTST_okay) {
        unmap(h);
        hyp_update_va_mapping((unsigned long)map_target,
                              (virt_to_mfn(map_target) << 12) | PTE_FLAGS_RW_PAGE, UVMF_INVLPG);
    }
    check_eq("unmap of a handle never issued: GNTST_bad_handle", unmap(4000), GNTST_bad_handle);
}

static void copy_from_grant(void)
{
    volatile uint64_t *src = (volatile uint64_t *)granted;
    src[4] = 0x1122334455667788UL;
    grant(TEST_REF, virt_to_mfn(granted), GTF_permit_access);
    struct gnttab_copy c = {
        .source = { .u.ref = TEST_REF, .domid = OUR_DOMID, .offset = 32 },
        .dest = { .u.gmfn = virt_to_mfn(copy_dest), .domid = DOMID_SELF, .offset = 64 },
        .len = 8,
        .flags = GNTCOPY_source_gref,
    };
    long rc = hyp_grant_table_op(GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status == GNTST_okay &&
              ((volatile uint64_t *)copy_dest)[8] == 0x1122334455667788UL,
          "GNTTABOP_copy from a grant to our own frame", "rc %ld status %d", rc, c.status);
    c.len = 64;
    c.dest.offset = PAGE_SIZE - 32;
    rc = hyp_grant_table_op(GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status == GNTST_bad_copy_arg, "a copy crossing a page: GNTST_bad_copy_arg",
          "rc %ld status %d", rc, c.status);
}

void guest_main(void)
{
    if (!setup())
        return;
    map_own_grant();
    refused_maps();
    copy_from_grant();
}
