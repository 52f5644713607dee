/*
 * The legacy 8259 pair.  Remapped above the exception vectors and masked
 * at boot; single IRQs (COM1's IRQ4) can then be opened and reach the CPU
 * through the local APIC's LINT0 in ExtINT ("virtual wire") mode.
 */
#ifndef SUBFLOOR_PIC_H
#define SUBFLOOR_PIC_H

#include <stdbool.h>
#include "arch/x86/traps.h"

#define PIC_NR_IRQS 16

void pic_disable(void);

/* Route IRQ `irq` (not 2, the cascade) to fn and unmask it.  The first
 * call also opens LINT0 as the virtual wire. */
void pic_route_irq(unsigned int irq, interrupt_handler_fn fn);

/* Close or open one IRQ line (not the cascade) at its 8259; for pirqs,
 * which stay masked from delivery until the guest's EOI. */
void pic_mask_irq(unsigned int irq);
void pic_unmask_irq(unsigned int irq);
/* Level (true) or edge triggering of IRQ 3-15 in the ELCR. */
void pic_set_level_triggered(unsigned int irq, bool level);
/* From the trap dispatcher: an interrupt on PIC_VECTOR_BASE + irq.
 * Filters spurious IRQ7/15, runs the handler, sends the 8259 EOI. */
void pic_dispatch(unsigned int irq, struct cpu_regs *regs);

#endif
