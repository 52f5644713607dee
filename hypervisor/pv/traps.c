/*
 * Guest entries that are not hypercalls: exceptions raised at ring 3, and
 * SYSCALL from guest-user mode.  Emulate, resolve, or bounce; see
 * pv_traps.h.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/entry_vectors.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/pte.h"
#include "common/hypercall.h"
#include "lib/printk.h"
#include "pv/pv_desc.h"
#include "pv/mmu_domain.h"
#include "pv/pv_traps.h"

#define X86_CR0_TS   (1ul << 3)
#define PF_EC_USER   (1u << 2)
#define GP_EC_IDT    (1u << 1)

static const char *const vector_names[32] = {
    [0] = "divide error", [1] = "debug", [2] = "nmi", [3] = "int3",
    [4] = "overflow", [5] = "bounds", [6] = "invalid opcode",
    [7] = "device not available", [8] = "double fault",
    [10] = "invalid tss", [11] = "segment not found", [12] = "stack error",
    [13] = "general protection", [14] = "page fault", [16] = "fpu error",
    [17] = "alignment check", [18] = "machine check", [19] = "simd error",
    [21] = "control protection",
};

static bool vector_has_error_code(unsigned int v)
{
    return v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 ||
           v == 17 || v == 21;
}

void pv_inject_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                    uint32_t error_code)
{
    const struct trap_info *ti = &v->trap_table[vector & 0xff];

    if (!ti->address) {
        const char *name = vector < 32 && vector_names[vector] ? vector_names[vector]
                                                              : "software interrupt";
        if (regs->vector & ENTRY_VECTOR_EXIT_FAULT)
            domain_crash(v, "the return to %04lx:%#lx (ss %04lx, rsp %#lx) raised %s "
                         "[#%u, ec=%04x] and the guest has no handler for it",
                         regs->cs & 0xffff, regs->rip, regs->ss & 0xffff, regs->rsp, name,
                         vector, error_code == TRAP_no_error_code ? 0 : error_code);
        if (vector == 14)
            domain_crash(v, "Unhandled page fault fault/trap [#14, ec=%04x] at %#lx (no handler)",
                         error_code, v->last_fault_addr);
        domain_crash(v, "Unhandled exception: %s fault/trap [#%u, ec=%04x] (no handler)",
                     name, vector, error_code == TRAP_no_error_code ? 0 : error_code);
    }
    pv_bounce(v, regs, ti->address, error_code, TI_GET_IF(ti) != 0);
}

void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t addr,
                          uint32_t error_code)
{
    v->last_fault_addr = addr;
    v->vcpu_info->arch.cr2 = addr;
    /* The CPU says "user" for the guest's own accesses and "supervisor"
     * for its descriptor-table reads; the guest wants its own mode. */
    error_code = (error_code & ~PF_EC_USER) | (v->kernel_mode ? 0 : PF_EC_USER);
    pv_inject_trap(v, regs, 14, error_code);
}

void pv_emul_done(struct vcpu *v, struct cpu_regs *regs, unsigned int len)
{
    regs->rip += len;
    if (!va_canonical(regs->rip))
        pv_inject_trap(v, regs, 13, 0);
}

/* `int $n` from the guest on a gate it may not use arrives as #GP.  The
 * error code cannot be trusted (QEMU TCG reports n*16+2): decode it.
 * The return address is past the instruction, canonical or not, as the
 * CPU pushes it for a trap: it faults only if the guest returns there. */
static bool soft_interrupt(struct vcpu *v, struct cpu_regs *regs)
{
    uint8_t insn[2];

    if (!(regs->error_code & GP_EC_IDT) || copy_from_guest(insn, guest_ptr(regs->rip), 2) ||
        insn[0] != 0xcd)
        return false;
    unsigned int vector = insn[1];
    const struct trap_info *ti = &v->trap_table[vector];
    /* The guest kernel may raise any vector; user mode needs DPL 3. */
    if (!v->kernel_mode && TI_GET_DPL(ti) < 3) {
        pv_inject_trap(v, regs, 13, (vector << 3) | GP_EC_IDT);
        return true;
    }
    regs->rip += 2;
    pv_inject_trap(v, regs, vector, TRAP_no_error_code);
    return true;
}

void pv_handle_exception(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    unsigned int vector = regs->vector & 0xff;
    uint32_t ec = vector_has_error_code(vector) ? (uint32_t)regs->error_code
                                                : TRAP_no_error_code;

    switch (vector) {
    case 6:
        if (pv_emulate_forced_cpuid(v, regs))
            return;
        break;
    case 7:
        /* The hardware TS is set only while the guest's is. */
        __asm__ volatile("clts");
        if (!v->fpu_ts)
            return;
        v->fpu_ts = false;
        break;
    case 13:
        /* What the CPU refuses to a ring-3 kernel raises #GP(0); a #GP
         * naming a selector (a failed return among them) is the guest's. */
        if (soft_interrupt(v, regs) || (ec == 0 && pv_emulate_privileged(v, regs)))
            return;
        /* A #GP from `int $n` above reports the decoded vector. */
        break;
    case 14: {
        uint64_t cr2 = read_cr2();
        /* The shadow LDT's lazy mapping, then writable page tables. */
        if (pv_ldt_fault(v, regs, cr2))
            return;
        if (pv_ptwr_enabled(v)) {
            unsigned int len = pv_ptwr_fault(&v->mm, regs, cr2, ec);
            if (len) {
                pv_emul_done(v, regs, len);
                return;
            }
        }
        /* A kernel store to read-only platform MMIO is dropped, as Xen's. */
        if (v->kernel_mode) {
            unsigned int len = pv_mmio_ro_fault(&v->mm, regs, cr2, ec);
            if (len) {
                pv_emul_done(v, regs, len);
                return;
            }
        }
        pv_inject_page_fault(v, regs, cr2, ec);
        return;
    }
    default:
        break;
    }
    pv_inject_trap(v, regs, vector, ec);
}

void pv_handle_syscall(struct cpu_regs *regs, bool compat)
{
    struct vcpu *v = current_vcpu();

    if (v->kernel_mode && !compat) {
        hypercall_dispatch(regs);
        return;
    }
    /* A system call of the guest's user space: to its kernel. */
    const struct guest_callback_entry *cb =
        &v->callbacks[compat ? CB_SYSCALL32 : CB_SYSCALL];
    if (!cb->address) {
        /* No callback: as on hardware without SYSCALL enabled. */
        pv_inject_trap(v, regs, 6, TRAP_no_error_code);
        return;
    }
    pv_bounce(v, regs, cb->address, TRAP_no_error_code, cb->mask_events);
    /* The kernel finds the user's rcx and r11 in the bounce frame; in the
     * registers, as on Xen, what a SYSRET into its handler leaves. */
    regs->rcx = regs->rip;
    regs->r11 = regs->rflags;
}

void pv_handle_int82(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();

    if (!v->kernel_mode) {
        /* User space may not make hypercalls: a #GP as for any gate. */
        pv_inject_trap(v, regs, 13, (0x82 << 3) | GP_EC_IDT);
        return;
    }
    hypercall_dispatch(regs);
}
