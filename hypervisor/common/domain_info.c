/*
 * Domain and vCPU snapshots for the toolstack; see domain_info.h.
 */
#include <string.h>
#include "common/domain_info.h"
#include "common/vcpu_events.h"
#include "public/vcpu.h"

uint64_t vcpu_running_ns(const struct vcpu *v)
{
    const struct vcpu_runstate_info *r = &v->ev.runstate;
    uint64_t t = r->time[RUNSTATE_running];
    uint64_t entered = r->state_entry_time & ~XEN_RUNSTATE_UPDATE;
    uint64_t now = domain_now_ns(v->domain);

    if (r->state == RUNSTATE_running && now > entered)
        t += now - entered;
    return t;
}

/*
 * As Xen: the domain counts as blocked only when every online vCPU is,
 * as running when any is; a domain with no online vCPU is neither.  The
 * shutdown code sits in the flags whether or not the domain shut down
 * (all ones, "none", until one is recorded).
 */
/* Xen keeps "no code yet" as an all-ones unsigned int, so its shift
 * fills every bit above the code's byte too (0xffff0000). */
static uint32_t shutdown_code_bits(const struct domain *d)
{
    uint32_t code = d->shutdown_code == SHUTDOWN_CODE_INVALID ? ~0u : d->shutdown_code;

    return code << XEN_DOMINF_shutdownshift;
}

void domain_get_info(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    uint64_t cpu_time = 0;

    memset(info, 0, sizeof(*info));
    info->domain = d->domid;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];

        cpu_time += vcpu_running_ns(v);
        info->max_vcpu_id = v->vcpu_id;
        if (v->ev.down)
            continue;
        if (v->ev.runstate.state != RUNSTATE_blocked)
            flags &= ~XEN_DOMINF_blocked;
        if (v->ev.runstate.state == RUNSTATE_running)
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->flags = (info->nr_online_vcpus ? flags : 0) |
                  (d->is_shutting_down ? XEN_DOMINF_shutdown : 0) |
                  (d->is_dying ? XEN_DOMINF_dying : 0) |
                  (d->controller_pause_count ? XEN_DOMINF_paused : 0) |
                  shutdown_code_bits(d);
    info->cpu_time = cpu_time;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = d->shared_info_mfn;
    info->cpupool = 0;
    memcpy(info->handle, d->handle, sizeof(info->handle));
}

struct find_from {
    uint16_t domid;
    struct domain *best;
};

static bool lowest_from(struct domain *d, void *ctx)
{
    struct find_from *f = ctx;

    if (d->domid >= f->domid && (!f->best || d->domid < f->best->domid))
        f->best = d;
    return true;
}

struct domain *domain_find_from(uint16_t domid)
{
    struct find_from f = { domid, NULL };

    domain_for_each(lowest_from, &f);
    return f.best;
}
