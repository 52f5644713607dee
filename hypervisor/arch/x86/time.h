/*
 * Time: the TSC and the local APIC timer, both calibrated against the
 * PIT at boot; the APIC timer then ticks periodically at TICK_HZ.
 */
#ifndef SUBFLOOR_TIME_H
#define SUBFLOOR_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define TICK_HZ 100

void time_init(void);
/* A secondary CPU starts its own timer. */
void time_init_secondary(void);
/* This CPU's next timer interrupt: at deadline_ns (time_now_ns's clock),
 * at once if that has passed, or as far as the count reaches. */
void time_set_next_event(uint64_t deadline_ns);

/* Nanoseconds since time_init() (from the TSC). */
uint64_t time_now_ns(void);

void udelay(uint64_t us);
uint64_t time_ticks(void);
uint64_t tsc_khz(void);

/* Enable interrupts for about `ms` milliseconds, then log how many ticks
 * arrived: proof that the timer interrupt works. */
void time_show_ticks(unsigned int ms);

/*
 * TSC synchronisation across CPUs (time.c), run by SMP bring-up: the boot
 * CPU calls tsc_sync_check_cpu(n) once CPU n is online while CPU n calls
 * tsc_sync_secondary(n); tsc_sync_unchecked(n) for a CPU that never came
 * up in time; tsc_sync_report() once all are up logs the verdict.
 * tsc_is_stable(): every CPU checked agreed, nobody warped, and no
 * tsc=unstable; false until the report.
 */
void tsc_sync_check_cpu(unsigned int cpu);
void tsc_sync_secondary(unsigned int cpu);
void tsc_sync_unchecked(unsigned int cpu);
void tsc_sync_report(void);
/* tsc=unstable: never mark the PV clock stable. */
void tsc_force_unstable(void);
bool tsc_is_stable(void);

#endif
