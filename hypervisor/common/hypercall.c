/* The hypercall table and its dispatcher; see hypercall.h. */
#include "common/domain.h"
#include "common/grant_glue.h"
#include "common/hypercall.h"
#include "common/vcpu_events.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/xen.h"

static bool trace;

static const char *const names[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table] = "set_trap_table",
    [__HYPERVISOR_mmu_update] = "mmu_update",
    [__HYPERVISOR_set_gdt] = "set_gdt",
    [__HYPERVISOR_stack_switch] = "stack_switch",
    [__HYPERVISOR_set_callbacks] = "set_callbacks",
    [__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
    [__HYPERVISOR_sched_op_compat] = "sched_op_compat",
    [__HYPERVISOR_platform_op] = "platform_op",
    [__HYPERVISOR_set_debugreg] = "set_debugreg",
    [__HYPERVISOR_get_debugreg] = "get_debugreg",
    [__HYPERVISOR_update_descriptor] = "update_descriptor",
    [__HYPERVISOR_memory_op] = "memory_op",
    [__HYPERVISOR_multicall] = "multicall",
    [__HYPERVISOR_update_va_mapping] = "update_va_mapping",
    [__HYPERVISOR_set_timer_op] = "set_timer_op",
    [__HYPERVISOR_event_channel_op_compat] = "event_channel_op_compat",
    [__HYPERVISOR_xen_version] = "xen_version",
    [__HYPERVISOR_console_io] = "console_io",
    [__HYPERVISOR_physdev_op_compat] = "physdev_op_compat",
    [__HYPERVISOR_grant_table_op] = "grant_table_op",
    [__HYPERVISOR_vm_assist] = "vm_assist",
    [__HYPERVISOR_update_va_mapping_otherdomain] = "update_va_mapping_otherdomain",
    [__HYPERVISOR_iret] = "iret",
    [__HYPERVISOR_vcpu_op] = "vcpu_op",
    [__HYPERVISOR_set_segment_base] = "set_segment_base",
    [__HYPERVISOR_mmuext_op] = "mmuext_op",
    [__HYPERVISOR_xsm_op] = "xsm_op",
    [__HYPERVISOR_nmi_op] = "nmi_op",
    [__HYPERVISOR_sched_op] = "sched_op",
    [__HYPERVISOR_callback_op] = "callback_op",
    [__HYPERVISOR_xenoprof_op] = "xenoprof_op",
    [__HYPERVISOR_event_channel_op] = "event_channel_op",
    [__HYPERVISOR_physdev_op] = "physdev_op",
    [__HYPERVISOR_hvm_op] = "hvm_op",
    [__HYPERVISOR_sysctl] = "sysctl",
    [__HYPERVISOR_domctl] = "domctl",
    [__HYPERVISOR_kexec_op] = "kexec_op",
    [__HYPERVISOR_tmem_op] = "tmem_op",
    [__HYPERVISOR_argo_op] = "argo_op",
    [__HYPERVISOR_xenpmu_op] = "xenpmu_op",
    [__HYPERVISOR_dm_op] = "dm_op",
    [__HYPERVISOR_hypfs_op] = "hypfs_op",
};

const char *hypercall_name(unsigned int nr)
{
    return nr < NR_HYPERCALLS && names[nr] ? names[nr] : "unknown";
}

void hypercall_set_trace(bool on)
{
    trace = on;
}

static long not_implemented(unsigned int nr)
{
    struct vcpu *v = current_vcpu();
    unsigned int bit = nr < NR_HYPERCALLS ? nr : NR_HYPERCALLS - 1;

    /* Numbers past the table share the last bit: still logged once. */
    if (!(v->domain->enosys_reported & (1ull << bit))) {
        v->domain->enosys_reported |= 1ull << bit;
        printk(LOG_WARNING, "d%u: hypercall %u (%s) not implemented", v->domain->domid, nr,
               hypercall_name(nr));
    }
    return -XEN_ENOSYS;
}

long hypercall_call(unsigned int nr, const uint64_t a[5], struct cpu_regs *regs)
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:    return do_set_trap_table(a[0]);
    case __HYPERVISOR_stack_switch:      return do_stack_switch(a[0], a[1]);
    case __HYPERVISOR_set_callbacks:     return do_set_callbacks(a[0], a[1], a[2]);
    case __HYPERVISOR_fpu_taskswitch:    return do_fpu_taskswitch(a[0]);
    case __HYPERVISOR_multicall:         return do_multicall(a[0], a[1], regs);
    case __HYPERVISOR_update_va_mapping: return do_update_va_mapping(a[0], a[1], a[2]);
    case __HYPERVISOR_update_va_mapping_otherdomain:
        return do_update_va_mapping_otherdomain(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_mmu_update:        return do_mmu_update(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_mmuext_op:         return do_mmuext_op(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_set_gdt:           return do_set_gdt(a[0], a[1]);
    case __HYPERVISOR_update_descriptor: return do_update_descriptor(a[0], a[1]);
    case __HYPERVISOR_xen_version:       return do_xen_version(a[0], a[1]);
    case __HYPERVISOR_console_io:        return do_console_io(a[0], a[1], a[2]);
    case __HYPERVISOR_vm_assist:         return do_vm_assist(a[0], a[1]);
    case __HYPERVISOR_iret:              return do_iret(regs);
    case __HYPERVISOR_set_segment_base:  return do_set_segment_base(a[0], a[1]);
    case __HYPERVISOR_sched_op:          return do_sched_op(a[0], a[1]);
    case __HYPERVISOR_callback_op:       return do_callback_op(a[0], a[1]);
    case __HYPERVISOR_nmi_op:            return do_nmi_op(a[0], a[1]);
    case __HYPERVISOR_event_channel_op:  return do_event_channel_op(a[0], a[1]);
    case __HYPERVISOR_vcpu_op:           return do_vcpu_op(a[0], a[1], a[2]);
    case __HYPERVISOR_set_timer_op:      return do_set_timer_op(a[0]);
    case __HYPERVISOR_memory_op:         return do_memory_op(a[0], a[1]);
    case __HYPERVISOR_physdev_op:        return do_physdev_op(a[0], a[1]);
    case __HYPERVISOR_platform_op:       return do_platform_op(a[0]);
    case __HYPERVISOR_grant_table_op:    return do_grant_table_op(a[0], a[1], a[2]);
    default:                             return not_implemented(nr);
    }
}

void hypercall_dispatch(struct cpu_regs *regs)
{
    uint64_t nr = regs->rax;
    uint64_t args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8 };
    struct vcpu *v = current_vcpu();

    long rc = nr < (1ull << 32) ? hypercall_call((unsigned int)nr, args, regs)
                                : not_implemented(NR_HYPERCALLS);
    if (trace)
        printk(LOG_INFO, VCPU_FMT " hypercall %lu (%s)(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld",
               VCPU_ARGS(v), nr, hypercall_name(nr < NR_HYPERCALLS ? (unsigned int)nr : NR_HYPERCALLS),
               args[0], args[1], args[2], args[3], args[4], rc);
    /* iret loaded a whole new frame, rax included. */
    if (nr != __HYPERVISOR_iret || rc < 0)
        regs->rax = (uint64_t)rc;
}
