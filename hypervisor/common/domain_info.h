/*
 * What the toolstack reads of a domain and its vCPUs (domctl
 * getdomaininfo and getvcpuinfo, sysctl getdomaininfolist), filled as Xen
 * 4.17 fills them.
 */
#ifndef SUBFLOOR_DOMAIN_INFO_H
#define SUBFLOOR_DOMAIN_INFO_H

#include <stdint.h>
#include "common/domain.h"
#include "public/domctl.h"

void domain_get_info(const struct domain *d, struct xen_domctl_getdomaininfo *info);

/* ns v has spent running, the current stretch included. */
uint64_t vcpu_running_ns(const struct vcpu *v);

/* The domain with the lowest id >= domid, or NULL. */
struct domain *domain_find_from(uint16_t domid);

#endif
