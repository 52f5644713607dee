/* Dispatch of exceptions and interrupts from entry.S. */
#ifndef SUBFLOOR_TRAPS_H
#define SUBFLOOR_TRAPS_H

#include <stdbool.h>
#include "arch/x86/regs.h"

/* Vectors the hypervisor uses itself. */
#define PIC_VECTOR_BASE       0x20      /* legacy 8259s (pic.h) */
#define TIMER_VECTOR          0xf0      /* local APIC timer */
#define APIC_ERROR_VECTOR     0xfe
#define APIC_SPURIOUS_VECTOR  0xff

typedef void (*interrupt_handler_fn)(struct cpu_regs *regs);

/* Route an interrupt vector (>= 32) to a handler; the handler need not
 * send the EOI, the dispatcher does. */
void trap_set_interrupt_handler(unsigned int vector, interrupt_handler_fn fn);

/* entry.S's one call for every vector (arch_ops.trap): true when the
 * return may use SYSRET. */
bool trap_dispatch(struct cpu_regs *regs);

/* entry.S: enter the hypervisor as if frame (a struct cpu_regs outside
 * the guest entry stack) had trapped with its vector and error code; the
 * frame becomes the one at stack_top, and whatever ran on that stack is
 * dropped. */
__attribute__((noreturn)) void entry_from_frame(const struct cpu_regs *frame,
                                                uintptr_t stack_top);

/* A vector from 32 up: the spurious vector, the 8259's IRQs and the
 * handlers set above, each acknowledged as its controller needs. */
void interrupt_dispatch(struct cpu_regs *regs);

/* The hypervisor's own fault: dump it and panic. */
__attribute__((noreturn)) void fatal_exception(struct cpu_regs *regs);

/* Print rax..r14 of a frame, three to a line (r15 and the rest differ
 * between the hypervisor's and a guest's dump). */
void show_gprs(const struct cpu_regs *regs);

/* Print the full register state of a frame (used by fatal exceptions). */
void show_registers(const struct cpu_regs *regs);

#endif
