/*
 * shared-frames: every frame the hypervisor writes on our behalf keeps a
 * writable type for as long as it is used, so it can never become a page
 * table (or a descriptor page) under the hypervisor's writes.  The frames:
 * shared_info (event bits, time records, a fault's cr2 in vcpu_info), a
 * grant-table frame, the PHYSDEVOP_pirq_eoi_gmfn page and a vcpu_info
 * moved by VCPUOP_register_vcpu_info.  For each, with no mapping of ours
 * left, pinning it as a table and hooking it into our L2 are refused, and
 * the hypervisor's writes still work afterwards.
 */
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/physdev.h>
#include <public/vcpu.h>

#include "guest.h"
#include "events.h"
#include "pagetable.h"

const char guest_name[] = "shared-frames";

/* A page of our image whose mapping we point at other frames. */
static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

#define L2_SLOT_FOR_TEST 16   /* 32 MiB above VIRT_BASE: beyond the initial area */
#define TEST_VA (GUEST_VIRT_BASE + L2_SLOT_FOR_TEST * (2UL << 20))

static long map_va(void *va, unsigned long mfn, bool writable)
{
    uint64_t pte = (mfn << 12) | PTE_FLAGS_RW_PAGE;
    if (!writable)
        pte &= ~PTE_RW;
    return hyp_update_va_mapping((unsigned long)va, pte, UVMF_INVLPG);
}

static long restore_va(void *va)
{
    return map_va(va, virt_to_mfn(va), true);
}

/*
 * The frame, not mapped by us at all, must refuse to become a table of
 * any level and to be hooked into our L2 as an L1.  A pin that Subfloor
 * wrongly accepts is undone at once, and the higher levels are not tried
 * then (an L4 pin would fill the hypervisor's slots into the frame).
 */
static void refuses_table_types(const char *what, unsigned long mfn)
{
    static const char *const level_name[] = { "L1", "L2", "L3", "L4" };
    char name[160];

    for (unsigned int level = 0; level < 4; level++) {
        long rc = pt_mmuext(MMUEXT_PIN_L1_TABLE + level, mfn, 0);
        rt_snprintf(name, sizeof(name), "%s: pinning it as an %s table is refused (-EINVAL)",
                    what, level_name[level]);
        check_eq(name, rc, -XEN_EINVAL);
        if (rc == 0) {
            pt_mmuext(MMUEXT_UNPIN_TABLE, mfn, 0);
            rt_snprintf(name, sizeof(name), "%s: higher levels not tried", what);
            check(false, name, "the %s pin was accepted (and undone)", level_name[level]);
            return;
        }
    }

    struct pt_walk w;
    pt_walk(TEST_VA, &w);
    rt_snprintf(name, sizeof(name), "%s: hooking it into our L2 as an L1 is refused (-EINVAL)",
                what);
    if (w.level_missing != 2) {
        check(false, name, "the test L2 slot is not free (walk stopped at level %d)",
              w.level_missing);
        return;
    }
    long rc = pt_write_entry(w.entry_maddr[2], (mfn << 12) | PTE_FLAGS_RW_PAGE);
    check_eq(name, rc, -XEN_EINVAL);
    if (rc == 0)
        pt_write_entry(w.entry_maddr[2], 0);
}

/*
 * The attack of issue 12: zero shared_info, drop our mapping, then ask
 * for it as a page table.  Events stay masked while shared_info is not
 * mapped (the upcall and the trap handlers read it).
 */
static void shared_info_frame(void)
{
    unsigned long si_mfn = start_info->shared_info >> 12;

    events_mask();
    long rc = restore_va(shared_info);
    if (!check_eq("shared_info: our mapping of it is dropped", rc, 0))
        return;
    check_eq("shared_info: it maps writable again", map_va(window, si_mfn, true), 0);
    check_eq("shared_info: and that mapping goes too", restore_va(window), 0);
    refuses_table_types("shared_info", si_mfn);

    rc = map_va(shared_info, si_mfn, true);
    if (!check_eq("shared_info: mapped again at its window", rc, 0))
        rt_abort("shared_info is gone");
    events_unmask();

    /* The hypervisor still writes there: a loopback event arrives. */
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    if (!check_eq("shared_info: alloc_unbound", hyp_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0))
        return;
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF, .remote_port = au.port };
    if (!check_eq("shared_info: bind_interdomain",
                  hyp_event_channel_op(EVTCHNOP_bind_interdomain, &bi), 0))
        return;
    unsigned int before = port_deliveries[au.port];
    struct evtchn_send send = { .port = bi.local_port };
    hyp_event_channel_op(EVTCHNOP_send, &send);
    check(port_deliveries[au.port] > before, "shared_info: an event sent afterwards arrives",
          "port %u delivered %u times before and after", au.port, before);
}

static void grant_frame(void)
{
    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };

    set_xen_guest_handle(st.frame_list, &frame);
    long rc = hyp_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (!check(rc == 0 && st.status == GNTST_okay && frame, "grant frame: setup_table gives it",
               "rc %ld status %d frame %#lx", rc, st.status, (unsigned long)frame))
        return;
    check_eq("grant frame: it maps writable", map_va(window, frame, true), 0);
    restore_va(window);
    refuses_table_types("grant frame", frame);
    check_eq("grant frame: it maps writable afterwards", map_va(window, frame, true), 0);
    restore_va(window);
}

static void pirq_eoi_page(unsigned long pfn)
{
    unsigned long mfn = pfn_to_mfn(pfn);
    struct physdev_pirq_eoi_gmfn g = { .gmfn = mfn };

    if (!check_eq("pirq EOI page: PHYSDEVOP_pirq_eoi_gmfn_v2",
                  hyp_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0))
        return;
    refuses_table_types("pirq EOI page", mfn);
}

/* Last: once moved, vcpu_info is no longer where the runtime reads it,
 * so events stay masked (the mask moves along) until the end. */
static void vcpu_info_page(unsigned long pfn)
{
    unsigned long mfn = pfn_to_mfn(pfn);
    struct vcpu_register_vcpu_info info = { .mfn = mfn, .offset = 64 };

    events_mask();
    if (!check_eq("vcpu_info page: VCPUOP_register_vcpu_info",
                  hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), 0))
        return;
    refuses_table_types("vcpu_info page", mfn);
    check_eq("vcpu_info page: it maps writable", map_va(window, mfn, true), 0);
    volatile struct vcpu_info *vi = (volatile struct vcpu_info *)(window + 64);
    check(vi->evtchn_upcall_mask == 1 && vi->time.version != 0,
          "vcpu_info page: the hypervisor wrote it (mask moved, time record)",
          "mask %u time version %u", vi->evtchn_upcall_mask, vi->time.version);
    restore_va(window);
}

void guest_main(void)
{
    if (initial_mapping_pfns() >= L2_SLOT_FOR_TEST * 512)
        rt_abort("initial area reaches the test L2 slot");
    unsigned long top = start_info->nr_pages;
    shared_info_frame();
    grant_frame();
    pirq_eoi_page(top - 1);
    vcpu_info_page(top - 2);
}
