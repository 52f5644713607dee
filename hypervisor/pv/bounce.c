/*
 * Delivering exceptions and callbacks to the guest kernel, in the frame
 * layout Xen uses for 64-bit PV guests (create_bounce_frame): from the
 * 16-byte-aligned kernel stack downwards SS, RSP, RFLAGS, CS (with the
 * saved upcall mask in bits 32-39), RIP, the error code if any, R11, RCX.
 * The guest's entry stubs pop RCX and R11 and find a hardware-shaped
 * frame.  The failsafe callback's frame has GS, FS, ES, DS where an error
 * code would be (Xen's load_segments; Linux's xen_failsafe_callback
 * compares them with the registers it finds).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/tlbflush.h"
#include "lib/printk.h"
#include "pv/pv_traps.h"

#define MSR_GS_BASE_NR        0xc0000101u
#define MSR_SHADOW_GS_BASE_NR 0xc0000102u

#define EFLAGS_TF (1ul << 8)
#define EFLAGS_IF (1ul << 9)
#define EFLAGS_NT (1ul << 14)
#define EFLAGS_RF (1ul << 16)
#define EFLAGS_VM (1ul << 17)
#define EFLAGS_AC (1ul << 18)

void pv_toggle_guest_mode(struct vcpu *v)
{
    v->kernel_mode = !v->kernel_mode;
    /* Hardware GS base is the current mode's; the shadow the other's. */
    wrmsr(MSR_GS_BASE_NR, v->kernel_mode ? v->gs_base_kernel : v->gs_base_user);
    wrmsr(MSR_SHADOW_GS_BASE_NR, v->kernel_mode ? v->gs_base_user : v->gs_base_kernel);
    tlbflush_load_cr3((v->kernel_mode ? v->mm.guest_table : v->mm.guest_table_user) << 12);
}

/* The frame with `extra` words (an error code, or the failsafe's
 * selectors) between r11 and rip. */
static void bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler,
                   const uint64_t *extra, unsigned int nr_extra, bool mask_events)
{
    bool was_kernel = v->kernel_mode;
    uint8_t saved_mask = v->vcpu_info->evtchn_upcall_mask;
    uint64_t sp;

    if (!was_kernel) {
        if (!v->kernel_sp)
            domain_crash(v, "bounce from user mode without a kernel stack (stack_switch)");
        pv_toggle_guest_mode(v);
        sp = v->kernel_sp;
    } else {
        sp = regs->rsp;
    }
    sp &= ~15ull;

    uint64_t cs = was_kernel ? (regs->cs & ~3ull) : regs->cs;
    uint64_t rflags = (regs->rflags & ~EFLAGS_IF) | (saved_mask ? 0 : EFLAGS_IF);
    uint64_t frame[11];
    unsigned int n = 0;

    /* Lowest address first. */
    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    for (unsigned int i = 0; i < nr_extra; i++)
        frame[n++] = extra[i];
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)saved_mask << 32);
    frame[n++] = rflags;
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * sizeof(uint64_t);
    if (copy_to_guest(guest_ptr(sp), frame, n * sizeof(uint64_t)))
        domain_crash(v, "cannot write a bounce frame at %#lx (kernel stack unmapped or read-only)",
                     sp);

    if (mask_events)
        v->vcpu_info->evtchn_upcall_mask = 1;
    regs->rsp = sp;
    regs->rip = handler;
    regs->cs = GUEST_CS64;
    regs->ss = GUEST_DS;
    regs->rflags &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM | EFLAGS_AC);
    regs->rflags |= EFLAGS_IF;
}

void pv_bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler,
               uint32_t error_code, bool mask_events)
{
    uint64_t ec = error_code;

    bounce(v, regs, handler, &ec, error_code != TRAP_no_error_code, mask_events);
}

void pv_bounce_failsafe(struct vcpu *v, struct cpu_regs *regs, const uint16_t sel[4])
{
    const struct guest_callback_entry *cb = &v->callbacks[CB_FAILSAFE];
    uint64_t frame_sel[4] = { sel[0], sel[1], sel[2], sel[3] };

    if (!cb->address)
        domain_crash(v, "data segments (ds %04x es %04x fs %04x gs %04x) did not load on "
                     "entry, and the guest registered no failsafe callback",
                     sel[0], sel[1], sel[2], sel[3]);
    bounce(v, regs, cb->address, frame_sel, 4, cb->mask_events);
}
