/*
 * page-tables: the PV MMU rules, each seen accepted and refused.  A
 * page-table frame may be mapped read-only but never writable; a frame
 * cannot become a table while it is mapped writable, nor hold an entry
 * that would map a table writable; L2 superpages are refused; a pinned
 * table stays a table until unpinned; a new L1 hooked into an L2 really
 * maps what it says; writes to a read-only L1 are emulated (with
 * vm_assist writable_pagetables) only when they validate.
 */
#include <public/errno.h>

#include "guest.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "page-tables";

/* A page of our image whose mapping we point at other frames. */
static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned long window_own_mfn;

#define L2_SLOT_FOR_TEST 16   /* 32 MiB above VIRT_BASE: beyond the initial area */
#define TEST_VA (GUEST_VIRT_BASE + L2_SLOT_FOR_TEST * (2UL << 20))

static long map_window(unsigned long mfn, bool writable)
{
    uint64_t pte = (mfn << 12) | PTE_FLAGS_RW_PAGE;
    if (!writable)
        pte &= ~PTE_RW;
    return hyp_update_va_mapping((unsigned long)window, pte, UVMF_INVLPG);
}

static long restore_window(void)
{
    return map_window(window_own_mfn, true);
}

/* Fill a spare frame through the window; return its mfn. */
static unsigned long prepare_frame(unsigned long pfn, uint64_t entry0)
{
    unsigned long mfn = pfn_to_mfn(pfn);
    if (map_window(mfn, true))
        rt_abort("cannot map a spare frame writable");
    rt_memset(window, 0, PAGE_SIZE);
    ((uint64_t *)window)[0] = entry0;
    if (restore_window())
        rt_abort("cannot restore the window");
    return mfn;
}

static void table_frames_stay_read_only(void)
{
    unsigned long l4_mfn = virt_to_mfn((void *)start_info->pt_base);
    check(map_window(l4_mfn, true) < 0, "mapping the L4 writable is refused", "it was accepted");
    long rc = map_window(l4_mfn, false);
    check_eq("mapping the L4 read-only is accepted", rc, 0);
    if (!rc)
        check(((uint64_t *)window)[511] == ((uint64_t *)start_info->pt_base)[511],
              "the read-only alias shows the L4", "slot 511 differs");
    check_eq("window restored", restore_window(), 0);
}

static void new_l1_table(unsigned long data_pfn, unsigned long l1_pfn)
{
    unsigned long data_mfn = prepare_frame(data_pfn, 0x1234567890abcdefUL);
    unsigned long l4_mfn = virt_to_mfn((void *)start_info->pt_base);

    /* An L1 holding a writable mapping of the L4 must not validate. */
    unsigned long l1_mfn = prepare_frame(l1_pfn, (l4_mfn << 12) | PTE_FLAGS_RW_PAGE);
    check(pt_mmuext(MMUEXT_PIN_L1_TABLE, l1_mfn, 0) < 0,
          "pinning an L1 that maps the L4 writable is refused", "it was accepted");

    /* A frame still mapped writable cannot become a table. */
    prepare_frame(l1_pfn, (data_mfn << 12) | PTE_FLAGS_RW_PAGE);
    map_window(l1_mfn, true);
    check(pt_mmuext(MMUEXT_PIN_L1_TABLE, l1_mfn, 0) < 0,
          "pinning an L1 that is mapped writable is refused", "it was accepted");
    restore_window();

    check_eq("pinning a valid L1 is accepted", pt_mmuext(MMUEXT_PIN_L1_TABLE, l1_mfn, 0), 0);
    check(map_window(l1_mfn, true) < 0, "a pinned L1 cannot be mapped writable", "it was accepted");
    check_eq("a pinned L1 can be mapped read-only", map_window(l1_mfn, false), 0);
    restore_window();

    /* Hook it into our L2 and read the data frame through it. */
    struct pt_walk w;
    pt_walk(TEST_VA, &w);
    if (w.level_missing != 2) {
        check(false, "test L2 slot is free", "walk of %#lx stopped at level %d", TEST_VA,
              w.level_missing);
        return;
    }
    uint64_t l2_entry_maddr = w.entry_maddr[2];
    check(pt_write_entry(l2_entry_maddr, (l1_mfn << 12) | PTE_FLAGS_RW_PAGE | PTE_PSE) < 0,
          "an L2 superpage entry is refused", "it was accepted");
    check_eq("an L2 entry pointing at the new L1 is accepted",
             pt_write_entry(l2_entry_maddr, (l1_mfn << 12) | PTE_FLAGS_RW_PAGE), 0);
    check_eq("the new mapping shows the data frame", *(volatile uint64_t *)TEST_VA,
             0x1234567890abcdefL);

    /* Entries of a live L1 go through the same rules. */
    uint64_t l1_entry1 = (l1_mfn << 12) + 8;
    check(pt_write_entry(l1_entry1, (l4_mfn << 12) | PTE_FLAGS_RW_PAGE) < 0,
          "mmu_update of an L1 entry mapping the L4 writable is refused", "it was accepted");
    check_eq("mmu_update of an L1 entry mapping the L4 read-only is accepted",
             pt_write_entry(l1_entry1, (l4_mfn << 12) | (PTE_FLAGS_RW_PAGE & ~PTE_RW)), 0);
    check(*(volatile uint64_t *)(TEST_VA + PAGE_SIZE + 511 * 8) ==
              ((uint64_t *)start_info->pt_base)[511],
          "the read-only L4 alias reads the L4", "slot 511 differs");

    /* Writes into a read-only L1: trapped and emulated only when valid. */
    check_eq("vm_assist writable_pagetables",
             hyp_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    map_window(l1_mfn, false);
    volatile uint64_t *l1 = (volatile uint64_t *)window;
    unsigned int faults = trap_last.count;
    l1[2] = (data_mfn << 12) | (PTE_FLAGS_RW_PAGE & ~PTE_RW);
    /* Xen adds the global bit to user-accessible entries as it stores them. */
    check(trap_last.count == faults &&
              (l1[2] & ~PTE_GLOBAL) == ((data_mfn << 12) | (PTE_FLAGS_RW_PAGE & ~PTE_RW)),
          "a valid store into a read-only L1 is emulated", "entry reads %#lx, %u faults",
          (unsigned long)l1[2], trap_last.count - faults);
    uint64_t bad = (l4_mfn << 12) | PTE_FLAGS_RW_PAGE;
    TRAP_PROVOKE("movq %%rdx, (%%rcx)", "c"(&l1[3]), "d"(bad));
    check(trap_last.count == faults + 1 && trap_last.frame.vector == 14 && l1[3] == 0,
          "an invalid store into a read-only L1 faults and changes nothing",
          "faults +%u vector %lu entry %#lx", trap_last.count - faults,
          (unsigned long)trap_last.frame.vector, (unsigned long)l1[3]);
    restore_window();

    check_eq("removing the L2 entry", pt_write_entry(l2_entry_maddr, 0), 0);
    check_eq("unpinning the L1", pt_mmuext(MMUEXT_UNPIN_TABLE, l1_mfn, 0), 0);
    check(pt_mmuext(MMUEXT_UNPIN_TABLE, l1_mfn, 0) < 0, "unpinning it twice is refused",
          "it was accepted");
    check_eq("an unpinned, unused L1 frame can be mapped writable again",
             map_window(l1_mfn, true), 0);
    restore_window();
}

static void machphys_update(unsigned long pfn)
{
    unsigned long mfn = pfn_to_mfn(pfn);
    mmu_update_t req = { .ptr = (mfn << 12) | MMU_MACHPHYS_UPDATE, .val = pfn - 1 };
    unsigned int done = 0;
    long rc = hyp_mmu_update(&req, 1, &done, DOMID_SELF);
    check(rc == 0 && mfn_to_pfn(mfn) == pfn - 1, "MMU_MACHPHYS_UPDATE changes our M2P entry",
          "rc %ld m2p %lu", rc, mfn_to_pfn(mfn));
    req.val = pfn;
    hyp_mmu_update(&req, 1, &done, DOMID_SELF);
    check_eq("and back", mfn_to_pfn(mfn), pfn);
}

static void flushes(void)
{
    check_eq("MMUEXT_TLB_FLUSH_LOCAL", pt_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    mmuext_op_t op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (unsigned long)window };
    unsigned int done = 0;
    check_eq("MMUEXT_INVLPG_LOCAL", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
}

void guest_main(void)
{
    window_own_mfn = virt_to_mfn(window);
    /* Measure before any table of ours lies beyond the initial area. */
    if (initial_mapping_pfns() >= L2_SLOT_FOR_TEST * 512)
        rt_abort("initial area reaches the test L2 slot");
    unsigned long top = start_info->nr_pages;
    table_frames_stay_read_only();
    new_l1_table(top - 1, top - 2);
    machphys_update(top - 3);
    flushes();
}
