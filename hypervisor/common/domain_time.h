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

/* The flags every published vcpu_time_info carries:
 * XEN_PVCLOCK_TSC_STABLE_BIT when the CPUs' TSCs agree (time.h). */
uint8_t domain_time_flags(void);

#endif
