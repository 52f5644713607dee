/*
 * What arch/x86 calls in the layers above it.  arch/x86 owns the CPU's
 * entry points (the trap and interrupt vectors, the timer interrupt, a
 * new CPU's first code) but not what they lead to: common/ and pv/ fill
 * in this table once, at the start of boot, before any of them can fire
 * (docs/architecture.md, "Upward calls").
 */
#ifndef SUBFLOOR_ARCH_OPS_H
#define SUBFLOOR_ARCH_OPS_H

#include <stdbool.h>
#include "arch/x86/regs.h"

struct arch_ops {
    /* Every trap and interrupt, after entry.S saved the registers: act
     * on it and make the frame ready to return to.  true when SYSRET
     * returns to exactly that frame (else IRETQ). */
    bool (*trap)(struct cpu_regs *regs);
    /* The periodic timer interrupt, on every CPU. */
    void (*timer_tick)(void);
    /* A secondary CPU's life after bring-up; never returns. */
    __attribute__((noreturn)) void (*secondary_idle)(void);
};

void arch_set_ops(const struct arch_ops *ops);
extern const struct arch_ops *arch_ops;

#endif
