/*
 * HYPERVISOR_iret: how a PV kernel returns from its exception, event and
 * system-call handlers.  The frame on the guest stack is, lowest address
 * first, rax, r11, rcx, flags, rip, cs, rflags, rsp, ss.  A CS with RPL 3
 * returns to user mode.
 *
 * As on Xen, the frame is taken as the guest wrote it (selectors with RPL
 * 3, rflags without IOPL and VM) and the CPU's IRETQ judges the rest: a
 * selector its tables do not back, a CS beyond the GDT, a non-canonical
 * rip.  What the IRETQ refuses reaches the guest as that exception, at
 * that frame (arch/x86/traps.c, docs/security.md): Linux then kills the
 * process whose sigreturn forged it, not the machine.
 */
#include "arch/x86/guest_access.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/xen.h"
#include "pv/pv_traps.h"

#define EFLAGS_IF   (1ul << 9)
#define EFLAGS_IOPL (3ul << 12)
#define EFLAGS_NT   (1ul << 14)
#define EFLAGS_VM   (1ul << 17)
#define EFLAGS_FIXED (1ul << 1)

long do_iret(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct iret_context f;

    if (v->slice.in_multicall)
        return -XEN_EINVAL;
    if (copy_from_guest(&f, guest_ptr(regs->rsp), sizeof(f)))
        domain_crash(v, "iret: cannot read the frame at %#lx", regs->rsp);
    /* Selectors are 16 bits; a bounce frame's CS slot also carries the
     * saved upcall mask above them, which guests hand back unchanged. */
    f.cs &= 0xffff;
    f.ss &= 0xffff;

    if ((f.cs & 3) == 3 && v->kernel_mode) {
        if (!v->mm.guest_table_user)
            domain_crash(v, "iret to user mode without user page tables (NEW_USER_BASEPTR)");
        pv_toggle_guest_mode(v);
    }
    regs->rip = f.rip;
    regs->cs = f.cs | 3;
    regs->rflags = (f.rflags & ~(EFLAGS_IOPL | EFLAGS_VM | EFLAGS_NT)) | EFLAGS_IF | EFLAGS_FIXED;
    regs->rsp = f.rsp;
    regs->ss = f.ss | 3;
    if (f.flags & VGCF_in_syscall) {
        /* A return from a system call may clobber them, and on Xen they
         * come back as the SYSRET leaves them. */
        regs->rcx = regs->rip;
        regs->r11 = regs->rflags;
    } else {
        regs->r11 = f.r11;
        regs->rcx = f.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(f.rflags & EFLAGS_IF);
    regs->rax = f.rax;
    return (long)f.rax;
}
