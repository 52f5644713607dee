/*
 * Hypercalls from a test guest, by both routes a 64-bit PV kernel has:
 * a call into the builder-filled hypercall page (stub nr at nr*32), and a
 * bare `syscall` from guest-kernel mode with the number in eax (what
 * Linux 6.1.0-29+ does).  Both take arguments in rdi, rsi, rdx, r10, r8
 * and return in rax; rcx and r11 are destroyed by the syscall.
 */
#ifndef GUEST_RT_HYPERCALL_H
#define GUEST_RT_HYPERCALL_H

#include <public/xen.h>

extern char hypercall_page[4096];

/* Which route hcall() takes; tests flip it to run a check both ways. */
enum hcall_route { HCALL_PAGE, HCALL_SYSCALL };
extern enum hcall_route hcall_route;

static inline long hcall_page5(unsigned int nr, unsigned long a1, unsigned long a2,
                               unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;
    void *stub = hypercall_page + nr * 32;

    asm volatile("call *%[stub]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [stub] "c"(stub)
                 : "memory", "r11", "r9");
    return ret;
}

static inline long hcall_syscall5(unsigned int nr, unsigned long a1, unsigned long a2,
                                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : "a"((unsigned long)nr)
                 : "memory", "rcx", "r11", "r9");
    return ret;
}

static inline long hcall5(unsigned int nr, unsigned long a1, unsigned long a2,
                          unsigned long a3, unsigned long a4, unsigned long a5)
{
    if (hcall_route == HCALL_SYSCALL)
        return hcall_syscall5(nr, a1, a2, a3, a4, a5);
    return hcall_page5(nr, a1, a2, a3, a4, a5);
}

#define HCALL_ARG(x) ((unsigned long)(x))
#define hcall0(nr) hcall5(nr, 0, 0, 0, 0, 0)
#define hcall1(nr, a) hcall5(nr, HCALL_ARG(a), 0, 0, 0, 0)
#define hcall2(nr, a, b) hcall5(nr, HCALL_ARG(a), HCALL_ARG(b), 0, 0, 0)
#define hcall3(nr, a, b, c) hcall5(nr, HCALL_ARG(a), HCALL_ARG(b), HCALL_ARG(c), 0, 0)
#define hcall4(nr, a, b, c, d) \
    hcall5(nr, HCALL_ARG(a), HCALL_ARG(b), HCALL_ARG(c), HCALL_ARG(d), 0)

static inline long hyp_xen_version(int cmd, void *arg)
{
    return hcall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long hyp_console_io(int cmd, unsigned long len, const void *buf)
{
    return hcall3(__HYPERVISOR_console_io, cmd, len, buf);
}

static inline long hyp_sched_op(int cmd, void *arg)
{
    return hcall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long hyp_memory_op(unsigned int cmd, void *arg)
{
    return hcall2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline long hyp_event_channel_op(int cmd, void *arg)
{
    return hcall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long hyp_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hcall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long hyp_callback_op(int cmd, const void *arg)
{
    return hcall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long hyp_set_trap_table(const void *table)
{
    return hcall1(__HYPERVISOR_set_trap_table, table);
}

static inline long hyp_mmu_update(mmu_update_t *req, unsigned int count,
                                  unsigned int *done, domid_t dom)
{
    return hcall4(__HYPERVISOR_mmu_update, req, count, done, dom);
}

static inline long hyp_mmuext_op(mmuext_op_t *op, unsigned int count,
                                 unsigned int *done, domid_t dom)
{
    return hcall4(__HYPERVISOR_mmuext_op, op, count, done, dom);
}

static inline long hyp_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return hcall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hyp_fpu_taskswitch(int set)
{
    return hcall1(__HYPERVISOR_fpu_taskswitch, set);
}

static inline long hyp_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return hcall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

static inline long hyp_vm_assist(unsigned int cmd, unsigned int type)
{
    return hcall2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline long hyp_multicall(multicall_entry_t *calls, unsigned int count)
{
    return hcall2(__HYPERVISOR_multicall, calls, count);
}

static inline long hyp_stack_switch(unsigned long ss, unsigned long sp)
{
    return hcall2(__HYPERVISOR_stack_switch, ss, sp);
}

static inline long hyp_physdev_op(int cmd, void *arg)
{
    return hcall2(__HYPERVISOR_physdev_op, cmd, arg);
}

#endif
