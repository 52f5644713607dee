/*
 * memory-op: the XENMEM sub-ops a PV dom0 uses.  Reservation sizes agree
 * with start_info; the M2P is where machphys_mapping says; the memory
 * maps are non-empty; a page given back with decrease_reservation can be
 * repopulated, with the M2P updated by the hypervisor, and mapped.
 */
#include <public/errno.h>
#include <public/memory.h>

#include "guest.h"
#include "pagetable.h"

const char guest_name[] = "memory-op";

static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));
#define E820_RAM 1

static void reservations(void)
{
    domid_t self = DOMID_SELF;
    long cur = hyp_memory_op(XENMEM_current_reservation, &self);
    long max = hyp_memory_op(XENMEM_maximum_reservation, &self);
    /* A PV guest's highest pfn is what it published in shared_info. */
    shared_info->arch.max_pfn = start_info->nr_pages;
    long gpfn = hyp_memory_op(XENMEM_maximum_gpfn, &self);
    con_printf("INFO: current %ld maximum %ld maximum_gpfn %ld nr_pages %lu\n", cur, max, gpfn,
               start_info->nr_pages);
    check(cur >= (long)start_info->nr_pages, "current_reservation covers nr_pages", "%ld < %lu",
          cur, start_info->nr_pages);
    check(max >= cur, "maximum_reservation >= current", "max %ld cur %ld", max, cur);
    check_eq("maximum_gpfn is the published shared_info max_pfn - 1", gpfn,
             (long)start_info->nr_pages - 1);
    domid_t other = 1234;
    long rc = hyp_memory_op(XENMEM_current_reservation, &other);
    check_eq("current_reservation of a domain that does not exist: -ESRCH", rc, -XEN_ESRCH);
}

static void machphys(void)
{
    xen_machphys_mapping_t m;
    long rc = hyp_memory_op(XENMEM_machphys_mapping, &m);
    check(rc == 0 && m.v_start == MACH2PHYS_VIRT_START && m.v_end > m.v_start,
          "machphys_mapping at MACH2PHYS_VIRT_START", "rc %ld v_start %#lx v_end %#lx", rc,
          m.v_start, m.v_end);
    unsigned long top = 0;
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (pfn_to_mfn(pfn) > top)
            top = pfn_to_mfn(pfn);
    check(rc == 0 && m.max_mfn >= top, "machphys_mapping max_mfn covers our frames",
          "max_mfn %#lx, our highest %#lx", m.max_mfn, top);
}

static void memory_maps(void)
{
    static struct e820_entry map[64];
    xen_memory_map_t mm = { .nr_entries = 64 };
    set_xen_guest_handle(mm.buffer, map);
    long rc = hyp_memory_op(XENMEM_machine_memory_map, &mm);
    unsigned long ram = 0;
    for (unsigned int i = 0; rc == 0 && i < mm.nr_entries && i < 64; i++)
        if (map[i].type == E820_RAM)
            ram += map[i].size;
    con_printf("INFO: machine memory map: %u entries, %lu MiB RAM\n", mm.nr_entries, ram >> 20);
    check(rc == 0 && mm.nr_entries > 0 && ram >= start_info->nr_pages * PAGE_SIZE,
          "machine_memory_map lists at least our RAM", "rc %ld entries %u ram %lu", rc,
          mm.nr_entries, ram);

    mm.nr_entries = 64;
    rc = hyp_memory_op(XENMEM_memory_map, &mm);
    bool covers = false;
    for (unsigned int i = 0; rc == 0 && i < mm.nr_entries && i < 64; i++)
        if (map[i].type == E820_RAM && map[i].addr == 0)
            covers = true;
    /* Xen 4.17 has no pseudo-physical map for a PV dom0 nobody set one
     * for and says -ENOSYS, which Linux handles; a map is fine too. */
    check(rc == -XEN_ENOSYS || (rc == 0 && mm.nr_entries > 0 && covers),
          "memory_map: -ENOSYS or a map with RAM from address 0", "rc %ld entries %u", rc,
          mm.nr_entries);
}

static void give_back_and_repopulate(void)
{
    unsigned long pfn = start_info->nr_pages - 1;
    unsigned long old_mfn = pfn_to_mfn(pfn);
    xen_pfn_t frame = old_mfn;
    xen_memory_reservation_t r = { .nr_extents = 1, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, &frame);

    long rc = hyp_memory_op(XENMEM_decrease_reservation, &r);
    check_eq("decrease_reservation of the last pfn releases 1 extent", rc, 1);
    if (rc != 1)
        return;
    ((unsigned long *)start_info->mfn_list)[pfn] = ~0UL;

    frame = pfn;
    rc = hyp_memory_op(XENMEM_populate_physmap, &r);
    check_eq("populate_physmap of that pfn gives 1 extent", rc, 1);
    if (rc != 1)
        return;
    unsigned long new_mfn = frame;
    ((unsigned long *)start_info->mfn_list)[pfn] = new_mfn;
    check_eq("populate_physmap set the M2P entry of the new frame", mfn_to_pfn(new_mfn), pfn);

    rc = hyp_update_va_mapping((unsigned long)window, (new_mfn << 12) | PTE_FLAGS_RW_PAGE,
                               UVMF_INVLPG);
    check_eq("the new frame maps writable", rc, 0);
    if (rc)
        return;
    volatile uint64_t *p = (volatile uint64_t *)window;
    p[0] = 0x5a5a5a5a5a5a5a5aUL;
    p[511] = 0xa5a5a5a5a5a5a5a5UL;
    check(p[0] == 0x5a5a5a5a5a5a5a5aUL && p[511] == 0xa5a5a5a5a5a5a5a5UL,
          "the new frame holds what we write", "read back %#lx %#lx", (unsigned long)p[0],
          (unsigned long)p[511]);
    rc = hyp_update_va_mapping((unsigned long)window,
                               (virt_to_mfn(window) << 12) | PTE_FLAGS_RW_PAGE, UVMF_INVLPG);
    check_eq("the window maps its own frame again", rc, 0);
}

void guest_main(void)
{
    reservations();
    machphys();
    memory_maps();
    give_back_and_repopulate();
}
