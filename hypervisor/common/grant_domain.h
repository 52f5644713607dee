/*
 * Grant tables in the hypervisor: each domain's struct grant_table
 * (grant.h, WD's logic) set up with the hypervisor's grant_ops, and
 * HYPERVISOR_grant_table_op on top of it.
 */
#ifndef SUBFLOOR_GRANT_GLUE_H
#define SUBFLOOR_GRANT_GLUE_H

#include "common/domain.h"

/* Give d its grant table (Xen's default limits, one frame to start).
 * 0 or a negated Xen errno (logged). */
int grant_domain_init(struct domain *d);

#endif
