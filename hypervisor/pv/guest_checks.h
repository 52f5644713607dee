/*
 * The checks a value a PV guest hands over must pass before the
 * hypervisor keeps it, one per kind.  Each kind of state can be set two
 * ways: one piece at a time (set_trap_table, set_callbacks, callback_op,
 * nmi_op, set_segment_base, a wrmsr of a base, stack_switch) and all at
 * once by VCPUOP_initialise.  Both ways use the same checker, so a value
 * one refuses the other refuses too (docs/security.md, "State a guest
 * hands over").
 */
#ifndef SUBFLOOR_PV_GUEST_CHECKS_H
#define SUBFLOOR_PV_GUEST_CHECKS_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/pte.h"
#include "public/xen.h"

/* The ring a 64-bit PV guest kernel runs in. */
#define PV_GUEST_KERNEL_RPL 3

/*
 * Where the hypervisor sends the guest: a trap handler, a callback, a
 * vCPU's first rip.  Canonical (the IRETQ of a bounce to anything else
 * faults at ring 0) and outside the hypervisor hole, which is never
 * guest code (Xen checks only the first).  0 means "none" and passes.
 */
static inline bool pv_entry_point_ok(uint64_t address)
{
    return guest_va_ok(address);
}

/* An FS or GS base the hypervisor will write with WRMSR: canonical, or
 * the WRMSR raises #GP at ring 0. */
static inline bool pv_segment_base_ok(uint64_t base)
{
    return va_canonical(base);
}

/* A stack pointer the guest starts on or bounces to (VCPUOP_initialise's
 * rsp and kernel_sp): canonical, as Xen checks it.  What lies there is
 * checked when the hypervisor writes a frame. */
static inline bool pv_stack_pointer_ok(uint64_t sp)
{
    return va_canonical(sp);
}

/* A stack or code selector for the guest kernel (stack_switch's ss, a
 * trap gate's cs, VCPUOP_initialise's cs, ss and kernel_ss): an RPL
 * below the guest kernel's ring is raised to it, as Xen's
 * fixup_guest_{stack,code}_selector, never refused.  A CS or SS of RPL
 * 0-2 would make the hypervisor's IRETQ into the guest fault. */
static inline uint16_t pv_guest_kernel_selector(uint64_t sel)
{
    uint16_t s = (uint16_t)sel;

    return (s & 3) >= PV_GUEST_KERNEL_RPL ? s : (uint16_t)((s & ~3) | PV_GUEST_KERNEL_RPL);
}

/* One trap-table entry: its handler checked as an entry point, its CS
 * fixed as above.  false when refused (the entry is then unchanged). */
static inline bool pv_trap_info_accept(struct trap_info *ti)
{
    if (!pv_entry_point_ok(ti->address))
        return false;
    ti->cs = pv_guest_kernel_selector(ti->cs);
    return true;
}

#endif
