/* The 8254 PIT, used only as a reference clock to calibrate others. */
#ifndef SUBFLOOR_PIT_H
#define SUBFLOOR_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182u

/* Busy-wait until `ticks` PIT input clocks have passed: 0, or -1 if the
 * counter does not move (no PIT). */
int pit_wait_ticks(uint32_t ticks);

#endif
