/*
 * Start-of-day PV time for a domain: its clock (see domain_time.c), each
 * vcpu_info's pvclock record and the wall clock in shared_info, so a
 * guest can read time from its first instruction.  Keeping the records
 * current and the timers are in pv_events.h.
 */
#ifndef SUBFLOOR_DOMAIN_TIME_H
#define SUBFLOOR_DOMAIN_TIME_H

#include <stdint.h>
#include "common/domain.h"

void domain_time_init(struct domain *d);

/*
 * The wall clock: the time of day at system time 0, one for the machine
 * (from the RTC when the first domain is built, moved by dom0's
 * XENPF_settime); each domain sees it shifted by its own
 * time_offset_seconds (XEN_DOMCTL_settimeoffset).
 */
void domain_wallclock_set(uint64_t sec, uint32_t nsec);
void domain_publish_wallclock(struct domain *d);

/* The flags every published vcpu_time_info carries:
 * XEN_PVCLOCK_TSC_STABLE_BIT when the CPUs' TSCs agree (time.h). */
uint8_t domain_time_flags(void);

#endif
