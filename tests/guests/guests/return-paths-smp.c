/*
 * return-paths-smp: the segment selectors a vCPU starts with are the
 * guest's to choose (VCPUOP_initialise's user_regs.ds/es/fs/gs), and the
 * hypervisor loads them on its way into the vCPU.  A selector that does
 * not load sends the vCPU to its failsafe callback, as Xen's context
 * switch does: the frame holds rcx, r11, the selectors it asked for,
 * then rip, cs, rflags, rsp, ss of where it was going; the register
 * holds null.  Runs with two vCPUs (the runner gives every *-smp guest
 * two CPUs).
 */
#include <public/sched.h>
#include <public/vcpu.h>

#include "guest.h"
#include "traps.h"

const char guest_name[] = "return-paths-smp";

/* smp-entry.S */
extern char vcpu1_entry[], vcpu1_failsafe[];
extern volatile uint64_t smp_seen_how, smp_seen_frame[11], smp_seen_live[4];

#define BAD_SEL 0xfff3          /* beyond the GDT's limit */

static char vcpu1_stack[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vcpu_guest_context ctxt;

static void start_vcpu1(void)
{
    uint64_t stack_top = (uint64_t)vcpu1_stack + sizeof(vcpu1_stack);

    ctxt.flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctxt.user_regs.rip = (uint64_t)vcpu1_entry;
    ctxt.user_regs.rsp = stack_top;
    ctxt.user_regs.cs = FLAT_KERNEL_CS;
    ctxt.user_regs.ss = FLAT_KERNEL_SS;
    ctxt.user_regs.rflags = 0x2;
    ctxt.user_regs.ds = BAD_SEL;
    ctxt.user_regs.es = 0;
    ctxt.user_regs.fs = 0;
    ctxt.user_regs.gs = 0;
    ctxt.kernel_ss = FLAT_KERNEL_SS;
    ctxt.kernel_sp = stack_top;
    ctxt.ctrlreg[3] = virt_to_mfn((void *)start_info->pt_base) << 12;
    ctxt.failsafe_callback_eip = (uint64_t)vcpu1_failsafe;

    if (!check_eq("VCPUOP_initialise vCPU 1 with DS 0xfff3", hyp_vcpu_op(VCPUOP_initialise, 1, &ctxt), 0) ||
        !check_eq("VCPUOP_up vCPU 1", hyp_vcpu_op(VCPUOP_up, 1, NULL), 0))
        return;

    /* A bound on the wait, not a measurement: vCPU 1 gets there at once. */
    for (uint64_t start = rdtsc(); !smp_seen_how && rdtsc() - start < 20000000000ull;)
        hyp_sched_op(SCHEDOP_yield, NULL);

    check_eq("vCPU 1 starts in its failsafe callback, not at its rip", smp_seen_how, 1);
    const volatile uint64_t *f = smp_seen_frame;
    check(f[2] == BAD_SEL && f[3] == 0 && f[4] == 0 && f[5] == 0,
          "the frame holds the selectors it asked for (ds, es, fs, gs after rcx, r11)",
          "%#lx %#lx %#lx %#lx", (unsigned long)f[2], (unsigned long)f[3], (unsigned long)f[4],
          (unsigned long)f[5]);
    check_eq("... then the rip it was going to", f[6], (long)vcpu1_entry);
    check_eq("... its CS, kernel mode (RPL 0)", f[7] & 0xffff, FLAT_KERNEL_CS & ~3);
    check_eq("... its rsp", f[9], (long)stack_top);
    check_eq("... its SS", f[10] & 0xffff, FLAT_KERNEL_SS);
    check_eq("DS holds null in the callback", smp_seen_live[0], 0);
}

void guest_main(void)
{
    start_vcpu1();
    check_eq("the hypervisor still answers", hyp_xen_version(0, NULL), (4 << 16) | 17);
}
