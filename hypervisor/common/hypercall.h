/*
 * Hypercall dispatch.  A 64-bit PV guest kernel makes hypercall rax with
 * arguments rdi, rsi, rdx, r10, r8 by `syscall` (directly or through the
 * hypercall page) or by `int $0x82`; the result goes back in rax, as a
 * negated Xen errno on failure.  Unknown numbers and sub-ops give
 * -XEN_ENOSYS, each number logged once per domain.
 */
#ifndef SUBFLOOR_HYPERCALL_H
#define SUBFLOOR_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"

#define NR_HYPERCALLS 64

/* Handle the hypercall in regs (from the running vCPU) and store its
 * result in regs->rax. */
void hypercall_dispatch(struct cpu_regs *regs);

/* One hypercall with explicit arguments (multicall entries). */
long hypercall_call(unsigned int nr, const uint64_t args[5], struct cpu_regs *regs);

const char *hypercall_name(unsigned int nr);

/* hypercall_trace: log every hypercall with its arguments and result. */
void hypercall_set_trace(bool on);

/* What XENVER_commandline reports: the hypervisor's command line. */
void version_set_commandline(const char *cmdline);

/* The hypercalls themselves; each file owning one says what it does. */
long do_set_trap_table(uint64_t list);
long do_stack_switch(uint64_t ss, uint64_t sp);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long do_fpu_taskswitch(uint64_t set);
long do_multicall(uint64_t list, uint64_t count, struct cpu_regs *regs);
long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags);
long do_update_va_mapping_otherdomain(uint64_t va, uint64_t pte, uint64_t flags,
                                      uint64_t domid);
long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t foreigndom);
long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t foreigndom);
long do_set_gdt(uint64_t frame_list, uint64_t entries);
long do_update_descriptor(uint64_t maddr, uint64_t desc);
long do_xen_version(uint64_t cmd, uint64_t arg);
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer);
long do_vm_assist(uint64_t cmd, uint64_t type);
long do_iret(struct cpu_regs *regs);
long do_set_segment_base(uint64_t which, uint64_t base);
long do_sched_op(uint64_t cmd, uint64_t arg);
long do_callback_op(uint64_t cmd, uint64_t arg);
long do_nmi_op(uint64_t cmd, uint64_t arg);
long do_memory_op(uint64_t cmd, uint64_t arg);
long do_physdev_op(uint64_t cmd, uint64_t arg);
long do_platform_op(uint64_t op);

#endif
