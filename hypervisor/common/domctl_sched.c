/*
 * The domctls of the scheduler: a domain's credit2 weight and cap
 * (XEN_DOMCTL_scheduler_op), and a vCPU's hard and soft affinity
 * (XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity), with Xen 4.17's
 * checks and answers.  The caller (domctl.c) has found the domain and
 * checked the privilege.
 */
#include "arch/x86/percpu.h"
#include "common/ctl_bitmap.h"
#include "common/domain.h"
#include "common/domctl_sched.h"
#include "common/scheduler.h"
#include "public/errno.h"

long domctl_scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *op)
{
    if (op->sched_id != XEN_SCHEDULER_CREDIT2)
        return -XEN_EINVAL;
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.credit2.weight = d->sched.weight;
        op->u.credit2.cap = d->sched.cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        return sched_set_domain_params(d, op->u.credit2.weight, op->u.credit2.cap);
    default:
        /* Credit2 has no per-vCPU parameters (Xen: -EINVAL). */
        return -XEN_EINVAL;
    }
}

static uint64_t online_cpus_mask(void)
{
    unsigned int n = sched_cpus();

    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

long domctl_vcpuaffinity(struct vcpu *v, struct xen_domctl_vcpuaffinity *a, bool set)
{
    uint64_t online = online_cpus_mask();
    unsigned int nbits = sched_cpus();
    long rc;

    if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -XEN_EINVAL;
    if (!set) {
        rc = 0;
        if (a->flags & XEN_VCPUAFFINITY_HARD)
            rc = ctl_bitmap_put(&a->cpumap_hard, v->sched.hard_affinity, nbits);
        if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
            rc = ctl_bitmap_put(&a->cpumap_soft, v->sched.soft_affinity, nbits);
        return rc;
    }
    uint64_t hard = v->sched.hard_affinity, soft = v->sched.soft_affinity;
    if ((a->flags & XEN_VCPUAFFINITY_HARD) && (rc = ctl_bitmap_get(&a->cpumap_hard, &hard)))
        return rc;
    if ((a->flags & XEN_VCPUAFFINITY_SOFT) && (rc = ctl_bitmap_get(&a->cpumap_soft, &soft)))
        return rc;
    /* A hard affinity with no CPU the vCPU could use is refused; a soft
     * one never is (the scheduler just has no preference then). */
    if (!(hard & online))
        return -XEN_EINVAL;
    rc = sched_set_affinity(v, hard, soft);
    if (rc)
        return rc;
    /* What the scheduler now uses: hard within the online CPUs, soft
     * within those and the hard affinity. */
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = ctl_bitmap_put(&a->cpumap_hard, hard & online, nbits);
    if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
        rc = ctl_bitmap_put(&a->cpumap_soft, soft & hard & online, nbits);
    return rc;
}
