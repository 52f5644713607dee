/* Tearing down a stopped PV domain and auditing its counts; see
 * pv/domain_teardown.c for the order. */
#ifndef SUBFLOOR_PV_DOMAIN_TEARDOWN_H
#define SUBFLOOR_PV_DOMAIN_TEARDOWN_H

#include "common/domain.h"

/* pv_ops.domain_teardown.  Prints "teardown audit: d<id>: <N> frames
 * returned, <M> unbalanced".  Call with the hypervisor lock held and
 * interrupts off; afterwards only the machine's stop may follow. */
void pv_domain_teardown(struct domain *d);

#endif
