/*
 * A domU's life as the toolstack drives it; see domain_lifecycle.h.
 */
#include <string.h>
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "common/continuation.h"
#include "common/domain_lifecycle.h"
#include "common/domain_time.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "common/vcpu_events.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mmu/page_type.h"
#include "public/errno.h"

int domain_make_shared_info(struct domain *d)
{
    uint64_t phys = alloc_frames(0);

    if (!phys)
        return -1;
    /* The hypervisor writes event bits, time records and a fault's cr2
     * there for the domain's whole life: the page keeps its writable
     * type, so the guest can never make it a page table. */
    frame_share_with_guest(&d->mm, phys >> PAGE_SHIFT);
    d->shared_info_mfn = phys >> PAGE_SHIFT;
    d->shared_info = phys_to_virt(phys);
    memset(d->shared_info, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        d->vcpus[i]->vcpu_info = &d->shared_info->vcpu_info[i];
    domain_time_init(d);
    return domain_events_init(d) ? -1 : 0;
}

/* The checks of Xen's sanitise_domain_config and its x86 half, with
 * what a PV-only hypervisor lacks refused the way Xen refuses what it
 * was built without.  Each refusal is logged with its reason. */
static long check_config(struct xen_domctl_createdomain *cfg)
{
    const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
                           XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
                           XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
                           XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
    const char *why = NULL;
    long rc = -XEN_EINVAL;
    unsigned int version = cfg->grant_opts & XEN_DOMCTL_GRANT_version_mask;

    if (cfg->flags & ~known)
        why = "unknown flags";
    else if (cfg->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
        why = "unknown grant options";
    else if (cfg->max_vcpus < 1)
        why = "no vCPUs";
    else if ((cfg->flags & XEN_DOMCTL_CDF_hap) && !(cfg->flags & XEN_DOMCTL_CDF_hvm))
        why = "HAP asked for a guest that is not HVM";
    else if (cfg->flags & XEN_DOMCTL_CDF_iommu)
        why = "an IOMMU asked for, and there is none";
    else if (cfg->iommu_opts)
        why = "IOMMU options without an IOMMU";
    else if (cfg->vmtrace_size)
        why = "vmtrace asked for, and it is not available";
    else if (cfg->flags & XEN_DOMCTL_CDF_vpmu)
        why = "a vPMU asked for, and it is not available";
    else if (cfg->flags & XEN_DOMCTL_CDF_hvm)
        why = "HVM asked for: Subfloor runs PV guests only";
    else if (cfg->max_vcpus > MAX_VCPUS_PER_DOMAIN)
        why = "more vCPUs than a domain may have";
    else if (cfg->flags & XEN_DOMCTL_CDF_s3_integrity)
        why = "S3 integrity needs tboot";
    else if (cfg->flags & XEN_DOMCTL_CDF_nested_virt)
        why = "nested virtualisation needs HAP";
    else if (cfg->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        why = "unknown x86 misc flags";
    else if (version == 0 || version > 1)
        why = "a grant table version other than 1";
    else if (cfg->cpupool_id != 0)
        why = "no such cpupool";
    else if (cfg->arch.emulation_flags || (cfg->arch.misc_flags & XEN_X86_MSR_RELAXED)) {
        why = "x86 emulation (or relaxed MSRs) for a PV guest";
        rc = -XEN_EOPNOTSUPP;
    }
    if (why) {
        printk(LOG_INFO, "createdomain refused: %s (flags %#x, max_vcpus %u, grant_opts %#x, "
               "emulation %#x)", why, cfg->flags, cfg->max_vcpus, cfg->grant_opts,
               cfg->arch.emulation_flags);
        return rc;
    }
    /* Out-of-sync shadows are an HVM matter: PV always has them off. */
    cfg->flags |= XEN_DOMCTL_CDF_oos_off;
    return 0;
}

static bool domid_free(uint16_t domid)
{
    return domid < DOMID_FIRST_RESERVED && !domain_find(domid);
}

/* Xen hands ids out round-robin, so a destroyed domain's id is not given
 * again at once (a toolstack may still be cleaning up after it). */
static long pick_domid(uint16_t wanted, uint16_t *out)
{
    static uint16_t rover;

    if (wanted > 0 && wanted < DOMID_FIRST_RESERVED) {
        if (!domid_free(wanted))
            return -XEN_EEXIST;
        *out = wanted;
        return 0;
    }
    /* Every id from 1 to DOMID_FIRST_RESERVED - 1 once, from the rover on. */
    uint16_t id = rover;
    for (unsigned int n = 1; n < DOMID_FIRST_RESERVED; n++) {
        id = (uint16_t)(id + 1u >= DOMID_FIRST_RESERVED ? 1 : id + 1);
        if (domid_free(id)) {
            rover = id;
            *out = id;
            return 0;
        }
    }
    return -XEN_ENOMEM;
}

long domain_create_for_toolstack(uint16_t *domid, struct xen_domctl_createdomain *cfg)
{
    uint16_t id;
    long rc = check_config(cfg);

    if (rc)
        return rc;
    rc = pick_domid(*domid, &id);
    if (rc)
        return rc;
    struct domain *d = domain_create(id, false, cfg->max_vcpus, cfg->max_grant_frames,
                                     cfg->max_maptrack_frames);
    /* The grant limits are the only input domain_create still refuses. */
    if (!d)
        return -XEN_EINVAL;
    if (domain_make_shared_info(d)) {
        printk(LOG_ERR, "d%u: out of memory for its shared_info", id);
        rc = domain_kill(NULL, d);
        return rc ? rc : -XEN_ENOMEM;
    }
    memcpy(d->handle, cfg->handle, sizeof(d->handle));
    d->controller_pause_count = 1;
    sched_domain_pause(d);
    *domid = id;
    printk(LOG_INFO, "d%u: created: %u vCPUs, paused until the toolstack unpauses it",
           id, cfg->max_vcpus);
    return 0;
}

/* The toolstack's pauses are counted apart from the hypervisor's own
 * (sched_domain_pause), as Xen counts them, and each holds one of those. */
long domain_pause_by_controller(struct domain *d)
{
    if (d->controller_pause_count >= CONTROLLER_PAUSE_MAX)
        return -XEN_EOVERFLOW;
    d->controller_pause_count++;
    sched_domain_pause(d);
    return 0;
}

long domain_unpause_by_controller(struct domain *d)
{
    if (d->controller_pause_count == 0)
        return -XEN_EINVAL;
    d->controller_pause_count--;
    sched_domain_unpause(d);
    return 0;
}

long domain_kill(struct domain *caller, struct domain *d)
{
    if (d == caller || d->is_initial)
        return -XEN_EINVAL;
    /* The first call marks it dying and takes it off every CPU; until
     * none runs it, the call is made again (no waiting in here, where a
     * second destroy could free it under us). */
    if (!d->is_dying) {
        d->is_dying = true;
        sched_domain_pause_nosync(d);
    }
    if (d->torn_down)
        return 0;       /* dead, waiting for outside references */
    if (sched_domain_running(d))
        return -HYPERCALL_RESTART;
    d->torn_down = true;
    pv_ops->domain_teardown(d);
    if (d->tot_pages) {
        printk(LOG_WARNING, "d%u: %lu frames still referenced from outside: it stays dying",
               d->domid, d->tot_pages);
        return 0;
    }
    printk(LOG_INFO, "d%u: destroyed", d->domid);
    domain_free(d);
    return 0;
}
