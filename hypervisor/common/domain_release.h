/*
 * The parts of a dead domain's teardown that belong to common/: its event
 * channels and its grants.  pv/domain_teardown.c drives the whole
 * teardown and calls these in its order.
 */
#ifndef SUBFLOOR_DOMAIN_RELEASE_H
#define SUBFLOOR_DOMAIN_RELEASE_H

#include "common/domain.h"

/*
 * First, while its page tables still stand: every event channel closed
 * (an interdomain peer goes back to unbound, waiting for this domain, as
 * Xen leaves it; every other privileged domain hears VIRQ_DOM_EXC), and
 * every grant it maps of another domain (or of itself) let go: the
 * granters' pins and GTF_reading/GTF_writing.  The references of its
 * host mappings belong to its PTEs and go with its page tables.
 */
void domain_release_events_and_mappings(struct domain *d);

/*
 * After its page tables went: its grant table and the grant frames
 * (their writable holds and allocation references).  0, or -XEN_EBUSY
 * while another domain still has one of its grants pinned: each holder
 * is logged and the frames stay (the audit then reports them).
 */
int domain_release_grant_table(struct domain *d);

#endif
