/*
 * Per-physical-CPU state.
 *
 * Every CPU has its own guest entry stack (the TSS rsp0 its ring-3 guest
 * traps onto, whose top holds the running vCPU's register frame), its own
 * IST stacks, GDT and TSS (gdt.c), and its own "current vCPU".
 *
 * Which CPU am I?  The hypervisor runs only on stacks it owns, and every
 * CPU's stacks live in one array, so the stack pointer answers it (the
 * boot stack, used by CPU 0 until it first enters a guest, counts as CPU
 * 0's).  This needs no segment base, so the guest keeps the real GS base
 * while the hypervisor runs, as on Xen.
 */
#ifndef SUBFLOOR_PERCPU_H
#define SUBFLOOR_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"

#define NR_CPUS 8

struct vcpu;

struct percpu {
    unsigned int cpu;           /* logical number, 0 = the boot CPU */
    uint32_t apic_id;
    volatile bool online;       /* set by the CPU itself once it idles */
    struct vcpu *curr;          /* the vCPU this CPU runs for, or NULL */
};

extern struct percpu percpu_area[NR_CPUS];

/* One block per CPU: its IST stacks below its guest entry stack.  CPU 0
 * runs on the boot stack (head.S) until it first enters a guest. */
struct cpu_stacks {
    unsigned char ist[IST_COUNT][IST_STACK_SIZE];
    unsigned char main[STACK_SIZE];
};

extern struct cpu_stacks cpu_stacks[NR_CPUS];

/* The logical number of the CPU running this code.  Inline: every entry
 * asks it several times, and under TCG each out-of-line call and return
 * is a jump-cache lookup after the CR3 switch that flushed the cache. */
static inline unsigned int smp_processor_id(void)
{
    uintptr_t sp, base = (uintptr_t)cpu_stacks;

    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    if (sp - base < sizeof(cpu_stacks))
        return (unsigned int)((sp - base) / sizeof(struct cpu_stacks));
    return 0;       /* the boot stack: only CPU 0 ever runs on it */
}

static inline struct percpu *this_cpu(void)
{
    return &percpu_area[smp_processor_id()];
}

/* Top of a CPU's guest entry stack (its TSS rsp0). */
uintptr_t percpu_stack_top(unsigned int cpu);
/* Top of one of a CPU's IST stacks (ist counts from 1, as in desc.h). */
uintptr_t percpu_ist_top(unsigned int cpu, unsigned int ist);
/* Whether [addr, addr + len) lies inside one stack of one CPU. */
bool percpu_stack_contains(uintptr_t addr, uintptr_t len);

/* CPUs that came up (CPU 0 always). */
unsigned int cpus_online(void);

#endif
