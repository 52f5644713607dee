/* The scheduler's domctls (domctl_sched.c). */
#ifndef SUBFLOOR_DOMCTL_SCHED_H
#define SUBFLOOR_DOMCTL_SCHED_H

#include <stdbool.h>
#include "public/domctl.h"

struct domain;
struct vcpu;

/* XEN_DOMCTL_scheduler_op on d: 0 or a negated Xen errno. */
long domctl_scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *op);
/* XEN_DOMCTL_setvcpuaffinity (set) or getvcpuaffinity on v. */
long domctl_vcpuaffinity(struct vcpu *v, struct xen_domctl_vcpuaffinity *a, bool set);

#endif
