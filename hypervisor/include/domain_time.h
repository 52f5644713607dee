/*
 * Start-of-day PV time for a domain: each vcpu_info's pvclock record
 * (TSC scale and a first sample) and the wall clock in shared_info, so a
 * guest can read time from its first instruction.  Keeping them fresh
 * (periodic updates, timers) belongs to the PV time area (vtime.h); this
 * only publishes the first values, under the same version protocol.
 */
#ifndef SUBFLOOR_DOMAIN_TIME_H
#define SUBFLOOR_DOMAIN_TIME_H

#include <stdint.h>
#include "domain.h"

void domain_time_init(struct domain *d);

#endif
