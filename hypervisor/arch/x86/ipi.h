/*
 * Interprocessor interrupts between the hypervisor's CPUs: a bare kick
 * (wakes a halted CPU so it looks at its work again) and running a
 * function on another CPU.
 */
#ifndef SUBFLOOR_IPI_H
#define SUBFLOOR_IPI_H

#include <stdbool.h>

#define IPI_KICK_VECTOR  0xf1
#define IPI_CALL_VECTOR  0xf2

/* Register the IPI handlers (once, on the boot CPU). */
void ipi_init(void);

/* Wake `cpu` out of a halt; no-op for this CPU.  False if the CPU is not
 * online or the APIC did not take the IPI. */
bool ipi_kick(unsigned int cpu);

/* Run fn(arg) on `cpu` in its interrupt context and wait until it has
 * run (at most ~1 s: false if it did not, or the CPU is not online).
 * This CPU runs it directly.  Call with interrupts enabled: the target
 * may be waiting on this CPU in turn. */
bool ipi_call_on(unsigned int cpu, void (*fn)(void *), void *arg);

/* Kicks and calls between the boot CPU and every other online CPU, in
 * both directions, with round-trip times logged; false on any failure. */
bool ipi_selftest(void);

/* How many kicks this CPU has received (for the self-test and `r`). */
unsigned long ipi_kicks_received(unsigned int cpu);

#endif
