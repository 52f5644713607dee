/* Stopping the machine: power-off, and what a panic ends with. */
#ifndef SUBFLOOR_POWER_H
#define SUBFLOOR_POWER_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/panic.h"

/* debug_exit=PORT: QEMU's isa-debug-exit device; writing v makes QEMU
 * exit with status 2v+1 (0 on clean power-off -> 1, 1 on panic -> 3). */
void power_set_debug_exit_port(uint16_t port);

/* noreboot: stay halted after a panic instead of rebooting after 5 s. */
void power_set_noreboot(bool noreboot);

__attribute__((noreturn)) void machine_power_off(void);
/* Reset the machine now (dom0 asked to reboot). */
__attribute__((noreturn)) void machine_restart(void);
__attribute__((noreturn)) void machine_stop_after_panic(void);

/* What lib/panic.c calls: the backtrace and machine_stop_after_panic. */
extern const struct panic_ops arch_panic_ops;

#endif
