/*
 * HYPERVISOR_iret: how a PV kernel returns from its exception, event and
 * system-call handlers.  The frame on the guest stack is, lowest address
 * first, rax, r11, rcx, flags, rip, cs, rflags, rsp, ss.  A CS with RPL 3
 * returns to user mode.  What the frame asks for is checked before the
 * hypervisor's own IRETQ loads it, so a bad frame crashes the domain and
 * never faults in the hypervisor.
 */
#include "arch/x86/desc.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/pte.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/xen.h"
#include "pv/pv_desc.h"
#include "pv/pv_traps.h"

#define EFLAGS_IF   (1ul << 9)
#define EFLAGS_IOPL (3ul << 12)
#define EFLAGS_NT   (1ul << 14)
#define EFLAGS_VM   (1ul << 17)
#define EFLAGS_FIXED (1ul << 1)

/* Selectors an IRETQ to ring 3 can load: the flat ones in the
 * hypervisor's part of the GDT, or the guest's own (pv_guest_selector_ok). */
static bool code_selector_ok(uint64_t cs)
{
    return (cs | 3) == GUEST_CS64 || (cs | 3) == GUEST_CS32;
}

static bool stack_selector_ok(uint64_t ss)
{
    return (ss | 3) == GUEST_DS;
}

long do_iret(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct iret_context f;

    if (v->in_multicall)
        return -XEN_EINVAL;
    if (copy_from_guest(&f, guest_ptr(regs->rsp), sizeof(f)))
        domain_crash(v, "iret: cannot read the frame at %#lx", regs->rsp);
    /* Selectors are 16 bits; a bounce frame's CS slot also carries the
     * saved upcall mask above them, which guests hand back unchanged. */
    f.cs &= 0xffff;
    f.ss &= 0xffff;
    if (!(code_selector_ok(f.cs) || pv_guest_selector_ok(v, (uint16_t)(f.cs | 3), true, f.rip)) ||
        !(stack_selector_ok(f.ss) || pv_guest_selector_ok(v, (uint16_t)(f.ss | 3), false, 0)) ||
        !va_canonical(f.rip))
        domain_crash(v, "iret: cannot return to %04lx:%#lx with ss %04lx", f.cs, f.rip, f.ss);

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
