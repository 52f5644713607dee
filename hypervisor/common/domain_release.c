/* Event channels and grants of a dead domain; see domain_release.h. */
#include "common/domain_release.h"
#include "common/grant.h"
#include "common/vcpu_events.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/xen.h"

void domain_release_events_and_mappings(struct domain *d)
{
    evtchn_domain_teardown(&d->evtchn);
    domain_announce_exception(d);
    if (d->grant.initialised)
        grant_release_mappings(&d->grant);
}

static bool log_holder(const struct grant_active_info *info, void *ctx)
{
    (void)ctx;
    printk(LOG_ERR, "d%u: grant ref %u (mfn %#lx) still pinned by d%u: "
           "host rw %u ro %u, device rw %u ro %u", info->granter, info->ref, info->mfn,
           info->holder, info->pins.host_rw, info->pins.host_ro, info->pins.dev_rw,
           info->pins.dev_ro);
    return true;
}

int domain_release_grant_table(struct domain *d)
{
    int rc = grant_table_destroy(&d->grant);

    if (rc == -XEN_EBUSY)
        grant_list_active(&d->grant, log_holder, NULL);
    return rc;
}
