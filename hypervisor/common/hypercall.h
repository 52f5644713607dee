/*
 * Hypercall dispatch.  A 64-bit PV guest kernel makes hypercall rax with
 * arguments rdi, rsi, rdx, r10, r8 by `syscall` (directly or through the
 * hypercall page) or by `int $0x82`; the result goes back in rax, as a
 * negated Xen errno on failure.  Unknown numbers and sub-ops give
 * -XEN_ENOSYS, each number logged once per domain.  Which hypercalls
 * exist, and their handlers' parameters: hypercall_table.h.
 */
#ifndef SUBFLOOR_HYPERCALL_H
#define SUBFLOOR_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"
#include "common/hypercall_table.h"

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

/* The handlers, as common/hypercall_table.h lists them; each file owning
 * one says what it does. */
#define HYPERCALL_PROTOTYPE(name, who, types) long do_##name types;
#define HYPERCALL_NO_PROTOTYPE(name)
HYPERCALL_TABLE(HYPERCALL_PROTOTYPE, HYPERCALL_NO_PROTOTYPE)
#undef HYPERCALL_PROTOTYPE
#undef HYPERCALL_NO_PROTOTYPE

#endif
