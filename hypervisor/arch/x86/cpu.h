/* Thin wrappers over x86 instructions the hypervisor needs. */
#ifndef SUBFLOOR_CPU_H
#define SUBFLOOR_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/irqflags.h"

#define X86_CR0_PG       (1UL << 31)
#define X86_CR0_WP       (1UL << 16)
#define X86_CR4_PGE      (1UL << 7)
#define MSR_EFER         0xc0000080u
#define EFER_NXE         (1UL << 11)
#define MSR_APIC_BASE    0x1bu
#define MSR_GS_BASE      0xc0000101u

#define X86_EFLAGS_IF    (1UL << 9)

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* CR0.TS: the next FPU instruction faults (#NM). */
#define X86_CR0_TS (1ul << 3)

#define DEFINE_CR_ACCESS(n)                                              \
    static inline uint64_t read_cr##n(void)                              \
    {                                                                    \
        uint64_t v;                                                      \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
        return v;                                                        \
    }                                                                    \
    static inline void write_cr##n(uint64_t v)                           \
    {                                                                    \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");       \
    }
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

/* sti;hlt back to back so an interrupt arriving in between still wakes us. */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline void flush_tlb_all(void)
{
    write_cr3(read_cr3());
}

static inline bool cpu_has_nx(void)
{
    return cpuid(0x80000000u, 0).eax >= 0x80000001u &&
           (cpuid(0x80000001u, 0).edx & (1u << 20));
}

static inline bool cpu_has_pdpe1gb(void)
{
    return cpuid(0x80000000u, 0).eax >= 0x80000001u &&
           (cpuid(0x80000001u, 0).edx & (1u << 26));
}


#endif
