/*
 * Privileged register state a PV kernel changes by hypercall: the
 * virtual CR0.TS (fpu_taskswitch) and the segment bases
 * (set_segment_base).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pte.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/xen.h"
#include "pv/guest_checks.h"

#define X86_CR0_TS (1ul << 3)
#define MSR_FS_BASE        0xc0000100u
#define MSR_SHADOW_GS_BASE 0xc0000102u

long do_fpu_taskswitch(uint64_t set)
{
    struct vcpu *v = current_vcpu();

    /* The hardware TS follows the guest's, so its next FPU use traps
     * (#NM) and is bounced to it. */
    v->fpu_ts = set != 0;
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        __asm__ volatile("clts");
    return 0;
}

long do_set_segment_base(uint64_t which, uint64_t base)
{
    struct vcpu *v = current_vcpu();

    switch (which) {
    case SEGBASE_FS:
        if (!pv_segment_base_ok(base))
            return -XEN_EINVAL;
        v->fs_base = base;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        if (!pv_segment_base_ok(base))
            return -XEN_EINVAL;
        v->gs_base_user = base;
        /* In kernel mode the user base waits in the shadow register. */
        wrmsr(v->kernel_mode ? MSR_SHADOW_GS_BASE : MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!pv_segment_base_ok(base))
            return -XEN_EINVAL;
        v->gs_base_kernel = base;
        wrmsr(v->kernel_mode ? MSR_GS_BASE : MSR_SHADOW_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL: {
        /* Recorded for the return to user mode; guest GDTs do not exist
         * yet, so only the null selector and the flat ones can work. */
        uint16_t sel = (uint16_t)base;
        if (sel != 0 && (sel & 3) != 3)
            return -XEN_EINVAL;
        v->gs_sel_user = sel;
        return 0;
    }
    default:
        return -XEN_EINVAL;
    }
}
