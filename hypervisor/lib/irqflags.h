/*
 * The few CPU instructions that every layer needs to keep a critical
 * section whole: interrupt flags, the spin-wait hint and the final halt.
 * They sit in lib/ so that locks, printk and panic need nothing above
 * lib; arch/x86/cpu.h has the rest of the CPU's instructions.
 */
#ifndef SUBFLOOR_LIB_IRQFLAGS_H
#define SUBFLOOR_LIB_IRQFLAGS_H

#include <stdint.h>

#define X86_EFLAGS_IF_BIT (1ull << 9)

static inline void local_irq_enable(void)  { __asm__ volatile("sti" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline uint64_t local_irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; pop %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void local_irq_restore(uint64_t flags)
{
    if (flags & X86_EFLAGS_IF_BIT)
        local_irq_enable();
}

static inline void cpu_relax(void)         { __asm__ volatile("pause" ::: "memory"); }

static inline __attribute__((noreturn)) void halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif
