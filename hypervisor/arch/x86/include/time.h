/*
 * Time: the TSC and the local APIC timer, both calibrated against the
 * PIT at boot; the APIC timer then ticks periodically at TICK_HZ.
 */
#ifndef SUBFLOOR_TIME_H
#define SUBFLOOR_TIME_H

#include <stdint.h>

#define TICK_HZ 100

void time_init(void);
/* A secondary CPU starts its own periodic tick (same rate). */
void time_init_secondary(void);

/* Nanoseconds since time_init() (from the TSC). */
uint64_t time_now_ns(void);

void udelay(uint64_t us);
uint64_t time_ticks(void);
uint64_t tsc_khz(void);

/* Enable interrupts for about `ms` milliseconds, then log how many ticks
 * arrived: proof that the timer interrupt works. */
void time_show_ticks(unsigned int ms);

#endif
