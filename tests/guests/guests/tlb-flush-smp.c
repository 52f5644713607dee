/*
 * tlb-flush-smp: a frame that leaves the guest is never reused while
 * another CPU may still cache a translation of it.  vCPU 1 writes through
 * a window onto a frame, so its TLB holds the translation; vCPU 0 removes
 * the mapping with a local flush only (UVMF_INVLPG), gives the frame back
 * (decrease_reservation), gets a frame back for the same pfn
 * (populate_physmap) and pins it as an L1 table.  When that is the same
 * frame, vCPU 1's next store through its window must fault: its TLB was
 * flushed before the frame came back.  Its store must never reach the new
 * page table (the pattern it writes has the present bit clear, so that a
 * failure here corrupts no reference count).  Xen does not clear a frame
 * populate_physmap hands out: what vCPU 1 wrote first (0x1110, not
 * present either) may still be there, and the table validates with it.
 * Runs with two vCPUs.
 */
#include <public/errno.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>

#include "guest.h"
#include "pagetable.h"

const char guest_name[] = "tlb-flush-smp";

/* tlb-flush-entry.S */
extern char tlbf_entry[], tlbf_store[], tlbf_pf_handler[];
extern volatile uint64_t tlbf_phase, tlbf_window_va, tlbf_pattern, tlbf_touched, tlbf_wrote,
    tlbf_faulted, tlbf_pf_ec, tlbf_pf_rip;

#define PATTERN 0x5a5a5a5a5a5a5a5aUL    /* bit 0 clear: not present */

static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));      /* vCPU 1's */
static char inspect[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));     /* vCPU 0's */
static char vcpu1_stack[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vcpu_guest_context ctxt;

static long map_va(void *va, unsigned long mfn, bool writable)
{
    uint64_t pte = mfn ? (mfn << 12) | PTE_FLAGS_RW_PAGE : 0;
    if (!writable)
        pte &= ~PTE_RW;
    return hyp_update_va_mapping((unsigned long)va, pte, UVMF_INVLPG);
}

/* A bound on each wait, not a measurement: vCPU 1 answers at once. */
static bool wait_for(volatile uint64_t *flag)
{
    for (uint64_t start = rdtsc(); !*flag && rdtsc() - start < 20000000000ull;)
        hyp_sched_op(SCHEDOP_yield, NULL);
    return *flag != 0;
}

static bool start_vcpu1(void)
{
    uint64_t stack_top = (uint64_t)vcpu1_stack + sizeof(vcpu1_stack);

    ctxt.flags = VGCF_in_kernel;
    ctxt.user_regs.rip = (uint64_t)tlbf_entry;
    ctxt.user_regs.rsp = stack_top;
    ctxt.user_regs.cs = FLAT_KERNEL_CS;
    ctxt.user_regs.ss = FLAT_KERNEL_SS;
    ctxt.user_regs.rflags = 0x2;
    ctxt.kernel_ss = FLAT_KERNEL_SS;
    ctxt.kernel_sp = stack_top;
    ctxt.ctrlreg[3] = virt_to_mfn((void *)start_info->pt_base) << 12;
    ctxt.trap_ctxt[14] = (struct trap_info){ .vector = 14, .cs = FLAT_KERNEL_CS,
                                             .address = (unsigned long)tlbf_pf_handler };
    return check_eq("VCPUOP_initialise vCPU 1", hyp_vcpu_op(VCPUOP_initialise, 1, &ctxt), 0) &&
           check_eq("VCPUOP_up vCPU 1", hyp_vcpu_op(VCPUOP_up, 1, NULL), 0);
}

static long reservation(unsigned int op, xen_pfn_t *frame)
{
    xen_memory_reservation_t r = { .nr_extents = 1, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, frame);
    return hyp_memory_op(op, &r);
}

void guest_main(void)
{
    unsigned long pfn = start_info->nr_pages - 1;
    unsigned long *p2m = (unsigned long *)start_info->mfn_list;
    unsigned long old_mfn = p2m[pfn];

    tlbf_window_va = (uint64_t)window;
    tlbf_pattern = PATTERN;
    if (!check_eq("the spare frame maps at vCPU 1's window", map_va(window, old_mfn, true), 0) ||
        !start_vcpu1())
        return;
    tlbf_phase = 1;
    if (!check(wait_for(&tlbf_touched), "vCPU 1 wrote through its window", "it did not"))
        return;
    check_eq("... onto the spare frame", *(volatile uint64_t *)window, 0x1110);

    /* Only this CPU's TLB is flushed here, as the flags say. */
    check_eq("the window is unmapped with a local invlpg", map_va(window, 0, false), 0);
    xen_pfn_t frame = old_mfn;
    if (!check_eq("decrease_reservation gives the frame back", reservation(
                      XENMEM_decrease_reservation, &frame), 1))
        return;
    p2m[pfn] = ~0UL;
    frame = pfn;
    if (!check_eq("populate_physmap gives a frame for the pfn", reservation(
                      XENMEM_populate_physmap, &frame), 1))
        return;
    unsigned long new_mfn = frame;
    p2m[pfn] = new_mfn;
    con_printf("INFO: frame %#lx given back, %#lx received (%s)\n", old_mfn, new_mfn,
               new_mfn == old_mfn ? "the same" : "another");
    if (!check_eq("the new frame becomes a pinned L1 table", pt_mmuext(MMUEXT_PIN_L1_TABLE, new_mfn, 0), 0))
        return;

    tlbf_phase = 2;
    bool answered = false;
    for (uint64_t start = rdtsc(); !answered && rdtsc() - start < 20000000000ull;) {
        answered = tlbf_wrote || tlbf_faulted;
        hyp_sched_op(SCHEDOP_yield, NULL);
    }
    check(answered, "vCPU 1 stored through its window again", "it did not");
    if (new_mfn == old_mfn)
        check(tlbf_faulted && tlbf_pf_rip == (uint64_t)tlbf_store && (tlbf_pf_ec & 2),
              "vCPU 1's store faults: its TLB was flushed before the frame came back",
              "faulted %lu (rip %#lx ec %#lx), stored %lu", (unsigned long)tlbf_faulted,
              (unsigned long)tlbf_pf_rip, (unsigned long)tlbf_pf_ec, (unsigned long)tlbf_wrote);
    else
        con_printf("INFO: vCPU 1 %s\n", tlbf_faulted ? "faulted" : "stored into the old frame");

    if (check_eq("the L1 maps read-only for a look", map_va(inspect, new_mfn, false), 0)) {
        uint64_t e = *(volatile uint64_t *)inspect;
        con_printf("INFO: entry 0 of the new L1 reads %#lx\n", (unsigned long)e);
        check(e != PATTERN, "the store never reached the new page table", "its entry 0 reads %#lx",
              (unsigned long)e);
        map_va(inspect, virt_to_mfn(inspect), true);
    }
    check_eq("the L1 is unpinned", pt_mmuext(MMUEXT_UNPIN_TABLE, new_mfn, 0), 0);
    map_va(window, virt_to_mfn(window), true);
    tlbf_phase = 3;
    for (uint64_t start = rdtsc();
         hyp_vcpu_op(VCPUOP_is_up, 1, NULL) == 1 && rdtsc() - start < 20000000000ull;)
        hyp_sched_op(SCHEDOP_yield, NULL);
    check_eq("vCPU 1 is down again", hyp_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
}
