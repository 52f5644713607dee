/*
 * cpuid-msr: what a PV kernel learns from CPUID and MSRs, all of which
 * the hypervisor emulates.  The forced-emulation prefix gives the
 * hypervisor leaves (Xen signature, version 4.17, one hypercall page) and
 * a filtered policy (hypervisor bit set, PSE and VMX hidden); EFER reads
 * as long mode; writing GS_BASE moves %gs; an unknown MSR raises #GP in
 * the guest; CR0.TS follows fpu_taskswitch and clts.
 */
#include <public/arch-x86/cpuid.h>

#include "guest.h"
#include "traps.h"

const char guest_name[] = "cpuid-msr";

#define MSR_EFER        0xc0000080
#define MSR_GS_BASE     0xc0000101
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define CR0_TS   (1UL << 3)

struct cpuid_regs {
    uint32_t a, b, c, d;
};

static struct cpuid_regs forced_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    asm volatile(XEN_CPUID : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(subleaf));
    return r;
}

static struct cpuid_regs native_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(subleaf));
    return r;
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static void hypervisor_leaves(void)
{
    struct cpuid_regs r = forced_cpuid(XEN_CPUID_LEAF(0), 0);
    check(r.b == XEN_CPUID_SIGNATURE_EBX && r.c == XEN_CPUID_SIGNATURE_ECX &&
              r.d == XEN_CPUID_SIGNATURE_EDX,
          "leaf 0x40000000 carries the XenVMMXenVMM signature", "%08x %08x %08x", r.b, r.c, r.d);
    check(r.a >= XEN_CPUID_LEAF(2), "leaf 0x40000000 reports at least 3 leaves", "max %#x", r.a);
    r = forced_cpuid(XEN_CPUID_LEAF(1), 0);
    check_eq("leaf 0x40000001 reports version 4.17", r.a, (4 << 16) | 17);
    r = forced_cpuid(XEN_CPUID_LEAF(2), 0);
    check_eq("leaf 0x40000002: one hypercall page", r.a, 1);
}

static void filtered_policy(void)
{
    struct cpuid_regs l0 = forced_cpuid(0, 0), n0 = native_cpuid(0, 0);
    check(l0.b == n0.b && l0.c == n0.c && l0.d == n0.d, "vendor the same by forced and plain cpuid",
          "forced %08x%08x%08x plain %08x%08x%08x", l0.b, l0.d, l0.c, n0.b, n0.d, n0.c);
    struct cpuid_regs l1 = forced_cpuid(1, 0);
    check(l1.c & (1u << 31), "leaf 1 has the hypervisor bit", "ecx %#x", l1.c);
    check(!(l1.d & (1u << 3)), "leaf 1 hides PSE from a PV guest", "edx %#x", l1.d);
    check(!(l1.c & (1u << 5)), "leaf 1 hides VMX", "ecx %#x", l1.c);
    check(!(l1.c & (1u << 3)), "leaf 1 hides MONITOR", "ecx %#x", l1.c);
}

static uint64_t gs_probe = 0x600df00d600df00dUL;

static void msrs(void)
{
    unsigned int faults = trap_last.count;
    uint64_t efer = rdmsr(MSR_EFER);
    check((efer & (EFER_LME | EFER_LMA | EFER_SCE)) == (EFER_LME | EFER_LMA | EFER_SCE) &&
              trap_last.count == faults,
          "EFER reads as long mode with syscall enabled", "efer %#lx", (unsigned long)efer);

    wrmsr(MSR_GS_BASE, (unsigned long)&gs_probe);
    uint64_t via_gs;
    asm volatile("movq %%gs:0, %0" : "=r"(via_gs));
    check_eq("wrmsr GS_BASE moves %gs", via_gs, (long)gs_probe);
    wrmsr(MSR_GS_BASE, 0);

    faults = trap_last.count;
    /* A faulting rdmsr writes nothing, so rdx needs no clobber. */
    TRAP_PROVOKE("rdmsr", "c"(0x12345678), "d"(0));
    check(trap_last.count == faults + 1 && trap_last.frame.vector == 13,
          "rdmsr of an unknown MSR raises #GP in the guest", "faults +%u vector %lu",
          trap_last.count - faults, (unsigned long)trap_last.frame.vector);
}

static void control_registers(void)
{
    unsigned long cr0;
    hyp_fpu_taskswitch(1);
    asm volatile("movq %%cr0, %0" : "=r"(cr0));
    check(cr0 & CR0_TS, "CR0.TS reads 1 after fpu_taskswitch(1)", "cr0 %#lx", cr0);
    asm volatile("clts");
    asm volatile("movq %%cr0, %0" : "=r"(cr0));
    check(!(cr0 & CR0_TS), "clts clears CR0.TS", "cr0 %#lx", cr0);
    unsigned int faults = trap_last.count;
    asm volatile("fninit");
    check_eq("FPU usable after clts", trap_last.count, faults);

    TRAP_PROVOKE("movq (%%rcx), %%rax", "c"(0x3000UL));
    unsigned long cr2;
    asm volatile("movq %%cr2, %0" : "=r"(cr2));
    check_eq("mov from CR2 reads the last fault address", cr2, 0x3000);
}

void guest_main(void)
{
    hypervisor_leaves();
    filtered_policy();
    msrs();
    control_registers();
}
