/*
 * The hypercalls, each listed here and nowhere else.  From this one list
 * come the dispatch (common/hypercall.c, also serving multicall), the
 * names in hypercall_trace lines and in the "not implemented" log, the
 * handlers' prototypes (common/hypercall.h: a handler whose parameters
 * disagree with its row does not compile), and the check that the
 * hypercall list of docs/abi.md says the same (check-hypercalls.py, run
 * by make check).
 *
 * This table is also the one way common/ reaches the handlers that live
 * in pv/, the layer above it (set_trap_table, mmu_update, iret ...):
 * common/hypercall.c calls do_<name> through the prototypes generated
 * here and includes nothing of pv/.
 *
 *   HYPERCALL(name, who, (parameter types))
 *     name   __HYPERVISOR_<name> (public/xen.h) is its number, do_<name>
 *            its handler, "<name>" its name in the log;
 *     who    who may call it (hypercall_who below);
 *     types  the handler's parameters, in argument order (rdi, rsi, rdx,
 *            r10, r8).  guest_ptr_t is a guest address the handler reads
 *            or writes; uint32_t is an argument Xen takes as an int or
 *            unsigned int, whose upper half does not count; uint64_t is
 *            one whose upper half the handler looks at (a range check, a
 *            switch that sees all 64 bits, a value such as an address to
 *            install), kept whole so that those checks stay;
 *            cpu_regs_ptr_t is the caller's register frame.
 *   UNIMPLEMENTED(name)
 *     a number Xen 4.17 defines that Subfloor answers -ENOSYS: listed
 *     for its name in the log.
 */
#ifndef SUBFLOOR_HYPERCALL_TABLE_H
#define SUBFLOOR_HYPERCALL_TABLE_H

#include <stdint.h>
#include "arch/x86/guest_access.h"
#include "arch/x86/regs.h"
#include "public/xen.h"

typedef struct cpu_regs *cpu_regs_ptr_t;

enum hypercall_who {
    /* Any guest. */
    HC_ANY,
    /* Privileged domains only: the dispatcher answers any other -EPERM
     * before the handler reads an argument. */
    HC_PRIV,
    /* Any guest reaches the handler; its sub-op table (common/guest_op.h)
     * says who may use each sub-op, checked where Xen checks it. */
    HC_SUBOPS,
};

#define HYPERCALL_TABLE(HYPERCALL, UNIMPLEMENTED)                                               \
    HYPERCALL(set_trap_table, HC_ANY, (guest_ptr_t))                                            \
    HYPERCALL(mmu_update, HC_ANY, (guest_ptr_t, uint64_t, guest_ptr_t, uint32_t))               \
    HYPERCALL(set_gdt, HC_ANY, (guest_ptr_t, uint64_t))                                         \
    HYPERCALL(stack_switch, HC_ANY, (uint64_t, uint64_t))                                       \
    HYPERCALL(set_callbacks, HC_ANY, (uint64_t, uint64_t, uint64_t))                            \
    HYPERCALL(fpu_taskswitch, HC_ANY, (uint64_t))                                               \
    UNIMPLEMENTED(sched_op_compat)                                                              \
    HYPERCALL(platform_op, HC_SUBOPS, (guest_ptr_t))                                            \
    UNIMPLEMENTED(set_debugreg)                                                                 \
    UNIMPLEMENTED(get_debugreg)                                                                 \
    HYPERCALL(update_descriptor, HC_ANY, (uint64_t, uint64_t))                                  \
    HYPERCALL(memory_op, HC_SUBOPS, (uint64_t, guest_ptr_t))                                    \
    HYPERCALL(multicall, HC_ANY, (guest_ptr_t, uint64_t, cpu_regs_ptr_t))                       \
    HYPERCALL(update_va_mapping, HC_ANY, (uint64_t, uint64_t, uint64_t))                        \
    HYPERCALL(set_timer_op, HC_ANY, (uint64_t))                                                 \
    UNIMPLEMENTED(event_channel_op_compat)                                                      \
    HYPERCALL(xen_version, HC_SUBOPS, (uint64_t, guest_ptr_t))                                  \
    HYPERCALL(console_io, HC_PRIV, (uint64_t, uint64_t, guest_ptr_t))                           \
    UNIMPLEMENTED(physdev_op_compat)                                                            \
    HYPERCALL(grant_table_op, HC_ANY, (uint32_t, guest_ptr_t, uint32_t))                        \
    HYPERCALL(vm_assist, HC_ANY, (uint64_t, uint64_t))                                          \
    HYPERCALL(update_va_mapping_otherdomain, HC_ANY, (uint64_t, uint64_t, uint64_t, uint64_t))  \
    HYPERCALL(iret, HC_ANY, (cpu_regs_ptr_t))                                                   \
    HYPERCALL(vcpu_op, HC_ANY, (uint32_t, uint32_t, guest_ptr_t))                               \
    HYPERCALL(set_segment_base, HC_ANY, (uint64_t, uint64_t))                                   \
    HYPERCALL(mmuext_op, HC_ANY, (guest_ptr_t, uint64_t, guest_ptr_t, uint32_t))                \
    UNIMPLEMENTED(xsm_op)                                                                       \
    HYPERCALL(nmi_op, HC_ANY, (uint32_t, guest_ptr_t))                                          \
    HYPERCALL(sched_op, HC_SUBOPS, (uint64_t, guest_ptr_t))                                     \
    HYPERCALL(callback_op, HC_ANY, (uint64_t, guest_ptr_t))                                     \
    UNIMPLEMENTED(xenoprof_op)                                                                  \
    HYPERCALL(event_channel_op, HC_ANY, (uint32_t, guest_ptr_t))                                \
    HYPERCALL(physdev_op, HC_SUBOPS, (uint32_t, guest_ptr_t))                                   \
    UNIMPLEMENTED(hvm_op)                                                                       \
    HYPERCALL(sysctl, HC_SUBOPS, (guest_ptr_t))                                                 \
    HYPERCALL(domctl, HC_SUBOPS, (guest_ptr_t))                                                 \
    UNIMPLEMENTED(kexec_op)                                                                     \
    UNIMPLEMENTED(tmem_op)                                                                      \
    UNIMPLEMENTED(argo_op)                                                                      \
    UNIMPLEMENTED(xenpmu_op)                                                                    \
    UNIMPLEMENTED(dm_op)                                                                        \
    UNIMPLEMENTED(hypfs_op)

#endif
