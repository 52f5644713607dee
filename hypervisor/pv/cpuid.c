/*
 * CPUID for PV guests.  A PV kernel asks through the forced-emulation
 * prefix (ud2; .ascii "xen"; cpuid), which traps as #UD; the answer is
 * the host's, minus what a ring-3 kernel on 4 KiB pages cannot use or
 * the hypervisor does not virtualise, plus the hypervisor leaves at
 * 0x40000000 that tell Linux it runs on Xen 4.17.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "pv/pv_traps.h"

#define HV_LEAF_BASE 0x40000000u
#define HV_LEAF_MAX  (HV_LEAF_BASE + 5)
#define XEN_MAJOR 4
#define XEN_MINOR 17

#define BIT(n) (1u << (n))

/* Leaf 1: hidden because PV page tables are 4 KiB without global pages,
 * the kernel has no MTRRs, machine-check or power control, and the
 * hypervisor does not save XSAVE state.  The APIC bit stays, as on Xen:
 * without it Linux skips the MADT, so dom0 finds no IO-APIC to route
 * ACPI's SCI and PCI interrupts through (as pirqs) and no CPUs. */
static const uint32_t leaf1_edx_hide =
    BIT(1) /* VME */ | BIT(3) /* PSE */ | BIT(7) /* MCE */ |
    BIT(12) /* MTRR */ | BIT(13) /* PGE */ | BIT(14) /* MCA */ | BIT(17) /* PSE36 */ |
    BIT(21) /* DS */ | BIT(22) /* ACPI */ | BIT(29) /* TM */ | BIT(31) /* PBE */;
static const uint32_t leaf1_ecx_hide =
    BIT(2) /* DTES64 */ | BIT(3) /* MONITOR */ | BIT(4) /* DS-CPL */ | BIT(5) /* VMX */ |
    BIT(6) /* SMX */ | BIT(7) /* EST */ | BIT(8) /* TM2 */ | BIT(12) /* FMA */ |
    BIT(15) /* PDCM */ | BIT(17) /* PCID */ | BIT(18) /* DCA */ | BIT(21) /* x2APIC */ |
    BIT(24) /* TSC-deadline */ | BIT(26) /* XSAVE */ | BIT(27) /* OSXSAVE */ |
    BIT(28) /* AVX */ | BIT(29) /* F16C */;
/* Leaf 7.0 EBX: only what needs no hypervisor help. */
static const uint32_t leaf7_ebx_keep =
    BIT(3) /* BMI1 */ | BIT(8) /* BMI2 */ | BIT(9) /* ERMS */ | BIT(18) /* RDSEED */ |
    BIT(19) /* ADX */ | BIT(23) /* CLFLUSHOPT */ | BIT(24) /* CLWB */ | BIT(29) /* SHA */;
static const uint32_t ext1_edx_hide = BIT(26) /* 1 GiB pages */ | BIT(27) /* RDTSCP */;
static const uint32_t ext1_ecx_keep =
    BIT(0) /* LAHF */ | BIT(5) /* ABM */ | BIT(6) /* SSE4A */ | BIT(8) /* PREFETCHW */;

static void hypervisor_leaf(uint32_t leaf, uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(uint32_t));
    switch (leaf - HV_LEAF_BASE) {
    case 0:
        out[0] = HV_LEAF_MAX;
        memcpy(&out[1], "XenV", 4);
        memcpy(&out[2], "MMXe", 4);
        memcpy(&out[3], "nVMM", 4);
        break;
    case 1:
        out[0] = (XEN_MAJOR << 16) | XEN_MINOR;
        break;
    case 2:
        out[0] = 1;                 /* one hypercall page */
        out[1] = HV_LEAF_BASE;      /* MSR base (HVM only, as in Xen) */
        out[2] = BIT(0);            /* MMU_PT_UPDATE_PRESERVE_AD */
        break;
    case 5: {
        struct cpuid_regs r = cpuid(0x80000000u, 0);
        if (r.eax >= 0x80000008u)
            out[1] = cpuid(0x80000008u, 0).eax & 0xff;  /* machine address width */
        break;
    }
    default:
        break;
    }
}

void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    (void)v;
    if ((leaf & 0xffff0000u) == HV_LEAF_BASE) {
        if (leaf <= HV_LEAF_MAX)
            hypervisor_leaf(leaf, out);
        else
            memset(out, 0, 4 * sizeof(uint32_t));
        return;
    }
    uint32_t max = cpuid(leaf & 0x80000000u, 0).eax;
    if (leaf > max) {
        memset(out, 0, 4 * sizeof(uint32_t));
        return;
    }
    struct cpuid_regs r = cpuid(leaf, subleaf);
    out[0] = r.eax;
    out[1] = r.ebx;
    out[2] = r.ecx;
    out[3] = r.edx;
    switch (leaf) {
    case 1:
        out[1] &= 0x00ffffffu;      /* initial APIC id: the vCPU's, 0 */
        out[2] = (out[2] & ~leaf1_ecx_hide) | BIT(31) /* hypervisor */;
        out[3] &= ~leaf1_edx_hide;
        break;
    case 5: case 6: case 0xa: case 0xd:
        /* MONITOR, power management, PMU, XSAVE: none for PV. */
        memset(out, 0, 4 * sizeof(uint32_t));
        break;
    case 7:
        if (subleaf == 0) {
            out[0] = 0;
            out[1] &= leaf7_ebx_keep;
        } else {
            out[1] = 0;
        }
        out[2] = 0;
        out[3] = 0;
        break;
    case 0x80000001u:
        out[2] &= ext1_ecx_keep;
        out[3] &= ~ext1_edx_hide;
        break;
    default:
        break;
    }
}

bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *regs)
{
    static const uint8_t prefix[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint8_t insn[7];
    uint32_t out[4];

    if (copy_from_guest(insn, guest_ptr(regs->rip), sizeof(insn)) || memcmp(insn, prefix, sizeof(insn)))
        return false;
    pv_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, out);
    regs->rax = out[0];
    regs->rbx = out[1];
    regs->rcx = out[2];
    regs->rdx = out[3];
    pv_emul_done(v, regs, sizeof(prefix));
    return true;
}
