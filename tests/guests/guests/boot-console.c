/*
 * boot-console: what a PV dom0 finds when it starts (start_info, the
 * initial mapping, shared_info, entry registers), that xen_version
 * answers by both hypercall routes, and that console output works.
 */
#include <public/features.h>
#include <public/version.h>

#include "guest.h"
#include "pagetable.h"
#include "events.h"

const char guest_name[] = "boot-console";

extern uint64_t rt_entry_rsp, rt_entry_rflags;
extern char _image_start[], _image_end[];

#define X86_EFLAGS_IF 0x200
/* The runner passes this on the guest's command line (see README). */
#define CMDLINE_TOKEN "guest-cmdline-check"

static bool in_initial_area(unsigned long va, unsigned long len, unsigned long area_pfns)
{
    return va >= GUEST_VIRT_BASE && va + len <= GUEST_VIRT_BASE + area_pfns * PAGE_SIZE;
}

static bool cmdline_has(const char *token)
{
    const char *line = (const char *)start_info->cmd_line;
    size_t n = rt_strlen(token);

    for (size_t i = 0; i < MAX_GUEST_CMDLINE && line[i]; i++)
        if (!rt_strncmp(line + i, token, n))
            return true;
    return false;
}

static void check_start_info(void)
{
    start_info_t *si = start_info;
    unsigned long area = initial_mapping_pfns();

    con_printf("INFO: nr_pages %lu shared_info %#lx flags %#x pt_base %#lx nr_pt_frames %lu "
               "mfn_list %#lx initial area %lu pages\n",
               si->nr_pages, si->shared_info, si->flags, si->pt_base, si->nr_pt_frames,
               si->mfn_list, area);
    check(!rt_strncmp(si->magic, "xen-3.0-x86_64", 15), "start_info magic is xen-3.0-x86_64",
          "magic is '%.32s'", si->magic);
    unsigned long image_pfns = virt_to_pfn(_image_end);
    check(si->nr_pages > image_pfns && si->nr_pages < (1UL << 28), "start_info nr_pages sane",
          "nr_pages %lu, image ends at pfn %lu", si->nr_pages, image_pfns);
    check(si->shared_info && !(si->shared_info & (PAGE_SIZE - 1)),
          "start_info shared_info is a page-aligned machine address", "%#lx", si->shared_info);
    check((si->flags & (SIF_INITDOMAIN | SIF_PRIVILEGED)) == (SIF_INITDOMAIN | SIF_PRIVILEGED),
          "start_info flags have SIF_INITDOMAIN|SIF_PRIVILEGED", "flags %#x", si->flags);
    check(!(si->pt_base & (PAGE_SIZE - 1)) && in_initial_area(si->pt_base, PAGE_SIZE, area) &&
              si->pt_base >= (unsigned long)_image_end,
          "start_info pt_base is a page of the initial area after the image", "pt_base %#lx",
          si->pt_base);
    check(si->nr_pt_frames >= 4 && si->nr_pt_frames < area, "start_info nr_pt_frames sane",
          "%lu", si->nr_pt_frames);
    check(in_initial_area(si->mfn_list, si->nr_pages * 8, area),
          "start_info mfn_list lies in the initial area", "mfn_list %#lx for %lu pages",
          si->mfn_list, si->nr_pages);
    check(si->mod_start == 0 && si->mod_len == 0, "start_info has no module",
          "mod_start %#lx mod_len %lu", si->mod_start, si->mod_len);
    check(cmdline_has(CMDLINE_TOKEN), "start_info cmd_line carries the module command line",
          "cmd_line is '%.80s'", (const char *)si->cmd_line);
}

static void check_p2m_m2p(void)
{
    unsigned long bad = 0, first_bad = 0;
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++) {
        if (mfn_to_pfn(pfn_to_mfn(pfn)) != pfn && !bad++)
            first_bad = pfn;
    }
    check(!bad, "p2m and M2P agree for every pfn", "%lu pfns disagree, first %lu", bad, first_bad);

    struct pt_walk w;
    bool found = pt_walk((unsigned long)guest_main, &w);
    check(found && ((w.entry[1] & PTE_MFN_MASK) >> 12) == virt_to_mfn((void *)guest_main),
          "initial page tables map the image at its p2m frame",
          "walk stopped at level %d, L1 entry %#lx", w.level_missing, (unsigned long)w.entry[1]);
    found = pt_walk(start_info->pt_base, &w);
    check(found && !(w.entry[1] & PTE_RW), "the L4 is mapped read-only",
          "L1 entry for pt_base %#lx", (unsigned long)w.entry[1]);
    found = pt_walk((unsigned long)start_info, &w);
    check(found && (w.entry[1] & PTE_RW), "start_info is mapped writable",
          "L1 entry %#lx", (unsigned long)w.entry[1]);
}

static void check_entry_state(void)
{
    check(rt_entry_rflags & X86_EFLAGS_IF, "entered with rflags.IF set", "rflags %#lx",
          (unsigned long)rt_entry_rflags);
    check(in_initial_area(rt_entry_rsp - 8, 8, initial_mapping_pfns()),
          "entered with rsp inside the initial area", "rsp %#lx", (unsigned long)rt_entry_rsp);
    uint16_t cs, ss;
    asm volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
    check_eq("running on FLAT_KERNEL_CS", cs, FLAT_KERNEL_CS);
    check_eq("running on FLAT_KERNEL_SS", ss, FLAT_KERNEL_SS);
}

static void check_shared_info(void)
{
    vcpu_info_t *vi = &shared_info->vcpu_info[0];
    check_eq("vcpu0 events masked at entry", vi->evtchn_upcall_mask, 1);
    check(vi->time.tsc_to_system_mul != 0, "vcpu0 pvclock has a multiplier", "mul is 0");
    uint64_t t0 = system_time_ns();
    for (volatile int i = 0; i < 1000000; i++)
        ;
    uint64_t t1 = system_time_ns();
    check(t1 > t0, "system time advances", "t0 %lu t1 %lu", (unsigned long)t0, (unsigned long)t1);
    /* QEMU's RTC holds today's date; anything before 2020 is a broken wallclock. */
    check(shared_info->wc_sec > 1577836800u || shared_info->wc_sec_hi,
          "wallclock seconds plausible", "wc_sec %u", shared_info->wc_sec);
}

static void check_version(void)
{
    long v = hyp_xen_version(XENVER_version, NULL);
    con_printf("INFO: xen_version %ld.%ld\n", v >> 16, v & 0xffff);
    check_eq("xen_version reports 4.17", v, (4 << 16) | 17);

    hcall_route = HCALL_SYSCALL;
    long v2 = hyp_xen_version(XENVER_version, NULL);
    hcall_route = HCALL_PAGE;
    check_eq("xen_version by bare syscall matches the page", v2, v);

    xen_feature_info_t fi = { .submap_idx = 0 };
    long rc = hyp_xen_version(XENVER_get_features, &fi);
    check_eq("get_features submap 0 succeeds", rc, 0);
    uint32_t need = (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_gnttab_map_avail_bits) |
                    (1u << XENFEAT_dom0);
    uint32_t never = (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
                     (1u << XENFEAT_supervisor_mode_kernel);
    check((fi.submap & need) == need && !(fi.submap & never),
          "features: preserve_ad, gnttab_map_avail_bits, dom0; no writable/auto-translated/supervisor",
          "submap %#x", fi.submap);

    xen_capabilities_info_t caps;
    rc = hyp_xen_version(XENVER_capabilities, caps);
    bool has64 = false;
    for (size_t i = 0; i + 14 <= sizeof(caps) && caps[i]; i++)
        if (!rt_strncmp(caps + i, "xen-3.0-x86_64", 14))
            has64 = true;
    check(rc == 0 && has64, "capabilities list xen-3.0-x86_64", "rc %ld caps '%.64s'", rc, caps);

    xen_extraversion_t extra;
    rt_memset(extra, 0x7f, sizeof(extra));
    rc = hyp_xen_version(XENVER_extraversion, extra);
    check(rc == 0 && rt_strlen(extra) < sizeof(extra), "extraversion is a terminated string",
          "rc %ld", rc);
}

static void check_console(void)
{
    static const char line[] = "INFO: console line written in one call\n";
    long rc = hyp_console_io(CONSOLEIO_write, sizeof(line) - 1, line);
    check_eq("console_io write returns 0", rc, 0);
    rc = hyp_console_io(CONSOLEIO_write, 0, line);
    check_eq("console_io write of 0 bytes returns 0", rc, 0);
}

void guest_main(void)
{
    check_start_info();
    check_p2m_m2p();
    check_entry_state();
    check_shared_info();
    check_version();
    check_console();
}
