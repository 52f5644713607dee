/* The CMOS real-time clock: read once at boot for the guests' wall clock. */
#ifndef SUBFLOOR_RTC_H
#define SUBFLOOR_RTC_H

#include <stdint.h>

/* Seconds since 1970-01-01 UTC (the RTC is taken to hold UTC, as QEMU's
 * does by default).  0, or -1 when the RTC gives an impossible date. */
int rtc_read_unix_time(uint64_t *seconds);

#endif
