/*
 * The MSRs a 64-bit PV kernel may touch, with what Xen 4.17 answers.
 * The segment bases are the guest's own; everything else is a fixed
 * view of the platform or refused.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pte.h"
#include "pv/guest_checks.h"
#include "pv/pv_msr.h"

#define MSR_IA32_TSC            0x00000010u
#define MSR_IA32_PLATFORM_ID    0x00000017u
#define MSR_IA32_APIC_BASE      0x0000001bu
#define MSR_IA32_FEATURE_CONTROL 0x0000003au
#define MSR_IA32_BIOS_SIGN_ID   0x0000008bu
#define MSR_IA32_MISC_ENABLE    0x000001a0u
#define MSR_IA32_CR_PAT         0x00000277u
#define MSR_IA32_SYSENTER_CS    0x00000174u
#define MSR_IA32_SYSENTER_ESP   0x00000175u
#define MSR_IA32_SYSENTER_EIP   0x00000176u
#define MSR_STAR                0xc0000081u
#define MSR_LSTAR               0xc0000082u
#define MSR_CSTAR               0xc0000083u
#define MSR_SYSCALL_MASK        0xc0000084u
#define MSR_FS_BASE_NR          0xc0000100u
#define MSR_GS_BASE_NR          0xc0000101u
#define MSR_SHADOW_GS_BASE_NR   0xc0000102u
#define MSR_AMD_HWCR            0xc0010015u
#define MSR_AMD_NB_CFG          0xc001001fu
#define MSR_AMD_DE_CFG          0xc0011029u

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

/* Xen's PAT: WB, WT, UC-, UC, WC, WP, UC, UC; the hypervisor programs the
 * same into the hardware (pv_cpu_init). */
#define PV_PAT_VALUE 0x0000050100070406ull

bool pv_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE_NR:        *val = v->fs_base; return true;
    case MSR_GS_BASE_NR:        *val = v->kernel_mode ? v->gs_base_kernel : v->gs_base_user; return true;
    case MSR_SHADOW_GS_BASE_NR: *val = v->kernel_mode ? v->gs_base_user : v->gs_base_kernel; return true;
    case MSR_EFER:              *val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
                                return true;
    case MSR_IA32_TSC:          *val = rdtsc(); return true;
    case MSR_IA32_APIC_BASE:    /* enabled, default base, BSP for vCPU 0 */
                                *val = 0xfee00000ull | (1ull << 11) | (v->vcpu_id == 0 ? 1ull << 8 : 0);
                                return true;
    case MSR_IA32_CR_PAT:       *val = PV_PAT_VALUE; return true;
    case MSR_IA32_MISC_ENABLE:  /* fast strings; no BTS, no PEBS */
                                *val = (1ull << 0) | (1ull << 11) | (1ull << 12); return true;
    case MSR_IA32_PLATFORM_ID:
    case MSR_IA32_BIOS_SIGN_ID:
    case MSR_IA32_FEATURE_CONTROL:
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SYSCALL_MASK:
    case MSR_IA32_SYSENTER_CS: case MSR_IA32_SYSENTER_ESP: case MSR_IA32_SYSENTER_EIP:
    case MSR_AMD_HWCR: case MSR_AMD_NB_CFG: case MSR_AMD_DE_CFG:
                                *val = 0; return true;
    default:                    return false;
    }
}

bool pv_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case MSR_FS_BASE_NR:
        if (!pv_segment_base_ok(val))
            return false;
        v->fs_base = val;
        wrmsr(MSR_FS_BASE_NR, val);
        return true;
    case MSR_GS_BASE_NR:
        /* Linux's very first instruction: its per-CPU base. */
        if (!pv_segment_base_ok(val))
            return false;
        if (v->kernel_mode)
            v->gs_base_kernel = val;
        else
            v->gs_base_user = val;
        wrmsr(MSR_GS_BASE_NR, val);
        return true;
    case MSR_SHADOW_GS_BASE_NR:
        if (!pv_segment_base_ok(val))
            return false;
        if (v->kernel_mode)
            v->gs_base_user = val;
        else
            v->gs_base_kernel = val;
        wrmsr(MSR_SHADOW_GS_BASE_NR, val);
        return true;
    case MSR_EFER:
        /* The mode bits are the hypervisor's: only the same value. */
        return val == (rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE));
    case MSR_IA32_CR_PAT:
        return val == PV_PAT_VALUE;
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SYSCALL_MASK:
    case MSR_IA32_SYSENTER_CS: case MSR_IA32_SYSENTER_ESP: case MSR_IA32_SYSENTER_EIP:
    case MSR_AMD_HWCR: case MSR_AMD_NB_CFG: case MSR_AMD_DE_CFG:
        return true;            /* the guest's view of them is not real: dropped */
    default:
        return false;
    }
}
