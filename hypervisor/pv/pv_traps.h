/*
 * What happens when a ring-3 PV guest enters the hypervisor other than
 * by hypercall: exceptions are emulated (privileged instructions, forced
 * CPUID), resolved, or bounced to the guest's trap table in Xen's frame
 * layout; a fault the guest has no handler for crashes the domain alone.
 */
#ifndef SUBFLOOR_PV_TRAPS_H
#define SUBFLOOR_PV_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include "common/domain.h"

#define TRAP_no_error_code (~0u)

/* The entries arch/x86 leads to (pv/trap_entry.c); set by setup. */
extern const struct arch_ops pv_arch_ops;

/* What common/ calls in pv/ (pv/enter.c); set by setup. */
extern const struct pv_ops pv_common_ops;

/* Entry points from trap_dispatch for frames whose CS is ring 3. */
void pv_handle_exception(struct cpu_regs *regs);
void pv_handle_syscall(struct cpu_regs *regs, bool compat);
void pv_handle_int82(struct cpu_regs *regs);

/* Deliver exception `vector` (with error_code unless TRAP_no_error_code)
 * through the guest's trap table; crashes the domain when it has no
 * handler. */
void pv_inject_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                    uint32_t error_code);

/* A page fault at addr for the guest: cr2 (its virtual one and
 * vcpu_info's) is addr, the error code's user bit says the guest's mode. */
void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t addr,
                          uint32_t error_code);

/* The one way an emulated instruction of len bytes completes: rip moves
 * past it, as the CPU moves it.  A rip past the lower half (an
 * instruction ending at 0x7fffffffffff) is what the CPU's next fetch
 * refuses with #GP(0) at that rip: the guest gets that #GP here, never a
 * frame the hypervisor's own return would fault on. */
void pv_emul_done(struct vcpu *v, struct cpu_regs *regs, unsigned int len);

/* Build the bounce frame (rcx, r11, [error code], rip, cs, rflags, rsp,
 * ss) on the guest kernel stack and continue at handler in guest-kernel
 * mode; mask_events sets evtchn_upcall_mask as an interrupt gate would
 * clear IF.  A frame that cannot be written crashes the domain. */
void pv_bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler,
               uint32_t error_code, bool mask_events);

/* The failsafe callback, as Xen calls it when the data segment selectors
 * of a vCPU it switches to do not load: the frame has sel[] (ds, es, fs,
 * gs, as the vCPU had them; the registers now hold null) between r11 and
 * rip.  A guest with no failsafe callback is crashed, saying why. */
void pv_bounce_failsafe(struct vcpu *v, struct cpu_regs *regs, const uint16_t sel[4]);
/* The entry vcpu_enter makes (ENTRY_VECTOR_FAILSAFE) when the current
 * vCPU's selectors did not load: its failsafe callback, with what it had
 * asked for. */
void pv_enter_failsafe(struct cpu_regs *regs);

/* Switch between guest-kernel and guest-user mode: page tables and GS
 * bases.  The caller has checked that the target mode has tables. */
void pv_toggle_guest_mode(struct vcpu *v);

/* Emulation of what a ring-3 kernel may not execute; true when the
 * instruction was handled (pv_emul_done), false to bounce the fault. */
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs);
bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *regs);

/* The CPUID policy of PV guests: leaf/subleaf in, registers out. */
void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/* Per-CPU setup for running PV guests: SYSCALL MSRs, CR0/CR4 bits. */
void pv_cpu_init(void);
/* entry.S: whether the return to a guest can be a SYSRET, which leaves
 * the guest in the same state as the IRETQ would, only sooner. */
bool pv_exit_by_sysret(const struct cpu_regs *regs);

#endif
