/*
 * Grant tables in the hypervisor: each domain's struct grant_table
 * (grant.h, WD's logic) set up with the hypervisor's grant_ops, and
 * HYPERVISOR_grant_table_op on top of it.
 */
#ifndef SUBFLOOR_GRANT_GLUE_H
#define SUBFLOOR_GRANT_GLUE_H

#include "common/domain.h"

/* Give d its grant table (one frame to start) with at most max_frames
 * grant frames and max_maptrack_frames maptrack frames; negative means
 * Xen's default, more than the default is -XEN_EINVAL.  0 or a negated
 * Xen errno (logged). */
int grant_domain_init(struct domain *d, int32_t max_frames, int32_t max_maptrack_frames);

#endif
