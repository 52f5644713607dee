/*
 * HYPERVISOR_domctl: the toolstack's control of one domain (Xen 4.17,
 * interface version 0x15).  Each command is a row of domctl_rows, run by
 * guest_op_call_struct on the whole struct xen_domctl: read it
 * (-EFAULT), check its version (-EACCES), find the domain it names
 * (-ESRCH), check the caller (-EPERM: privileged domains only, as Xen's
 * default policy), then the command; on success the struct goes back.
 *
 * Domains other than dom0 are created, paused, unpaused and destroyed
 * here for the toolstack (common/domain_lifecycle.h), and their vCPUs
 * given their first context (setvcpucontext).  Affinity cannot
 * be changed while each vCPU has its own CPU (the scheduler of issue 15);
 * a vCPU context is read only of the caller or a vCPU not on a CPU.
 */
#include <stddef.h>
#include <string.h>
#include "arch/x86/percpu.h"
#include "common/continuation.h"
#include "common/ctl_bitmap.h"
#include "common/domain.h"
#include "common/domain_info.h"
#include "common/domain_lifecycle.h"
#include "common/domain_time.h"
#include "common/domctl_sched.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/domctl.h"

/* The domain the command names, then the caller's right to it. */
static long target(struct domain *caller, const struct xen_domctl *op, struct domain **d)
{
    *d = domain_find(op->domain);
    if (!*d)
        return -XEN_ESRCH;
    return caller->privileged ? 0 : -XEN_EPERM;
}

/* Xen 4.17 answers with the first domain at or above the id asked for
 * (the old xc_domain_getinfo walks the domains that way). */
static long getdomaininfo(struct domain *caller, struct xen_domctl *op)
{
    if (op->domain >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;
    struct domain *d = domain_find_from(op->domain);
    if (!d)
        return -XEN_ESRCH;
    if (!caller->privileged)
        return -XEN_EPERM;
    domain_get_info(d, &op->u.getdomaininfo);
    op->domain = d->domid;
    return 0;
}

/*
 * Most commands act on the domain the struct names: ON_TARGET(fn) makes
 * the row fn_row, which finds it and checks the caller first, and then
 * calls fn(caller, d, op).
 */
#define ON_TARGET(fn)                                                         \
    static long fn##_row(struct domain *caller, struct xen_domctl *op)        \
    {                                                                         \
        struct domain *d;                                                     \
        long rc = target(caller, op, &d);                                     \
        return rc ? rc : fn(caller, d, op);                                   \
    }

/* Xen looks no domain up for this one: op->domain is the id wanted. */
static long createdomain(struct domain *caller, struct xen_domctl *op)
{
    if (!caller->privileged)
        return -XEN_EPERM;
    uint16_t domid = op->domain;
    long rc = domain_create_for_toolstack(&domid, &op->u.createdomain);
    if (!rc)
        op->domain = domid;
    return rc;
}

static long pausedomain(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)op;
    /* Xen refuses a domain pausing itself. */
    if (d == caller)
        return -XEN_EINVAL;
    return domain_pause_by_controller(d);
}
ON_TARGET(pausedomain)

static long destroydomain(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)op;
    return domain_kill(caller, d);
}
ON_TARGET(destroydomain)

static long unpausedomain(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)caller, (void)op;
    /* dom0 was never paused by the toolstack: -EINVAL, as Xen. */
    return domain_unpause_by_controller(d);
}
ON_TARGET(unpausedomain)

/* Xen 4.17 creates the vCPUs here, and only with the count given at
 * createdomain; ours were allocated then and now come into being. */
static long max_vcpus(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    /* A dying domain's vCPUs were released by its teardown. */
    if (d == caller || d->is_dying || op->u.max_vcpus.max != d->max_vcpus)
        return -XEN_EINVAL;
    d->nr_vcpus = d->max_vcpus;
    return 0;
}
ON_TARGET(max_vcpus)

/* The limit in KiB, as pages; Xen takes any value, even below what the
 * domain holds (it then cannot grow until it gives some back). */
static long max_mem(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)caller;
    uint64_t pages = op->u.max_mem.max_memkb >> 2;
    d->max_pages = pages > UINT32_MAX ? UINT32_MAX : pages;
    return 0;
}
ON_TARGET(max_mem)

static long setdomainhandle(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)caller;
    memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
    return 0;
}
ON_TARGET(setdomainhandle)

static long settimeoffset(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)caller;
    d->time_offset_seconds = op->u.settimeoffset.time_offset_seconds;
    domain_publish_wallclock(d);
    return 0;
}
ON_TARGET(settimeoffset)

/* The vCPU a command names: -EINVAL past the domain's count, as Xen. */
static long target_vcpu(struct domain *d, uint32_t id, struct vcpu **v)
{
    if (id >= d->nr_vcpus)
        return -XEN_EINVAL;
    *v = d->vcpus[id];
    return 0;
}

static long getvcpuinfo(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_getvcpuinfo *info = &op->u.getvcpuinfo;
    struct vcpu *v;
    long rc = target_vcpu(d, info->vcpu, &v);

    (void)caller;
    if (rc)
        return rc;
    info->online = !v->ev.down;
    info->blocked = v->blocked;
    info->running = sched_vcpu_is_running(v);
    info->cpu_time = vcpu_running_ns(v);
    info->cpu = v->processor;
    return 0;
}
ON_TARGET(getvcpuinfo)

static long vcpuaffinity(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    struct vcpu *v;
    long rc = target_vcpu(d, op->u.vcpuaffinity.vcpu, &v);

    (void)caller;
    return rc ? rc : domctl_vcpuaffinity(v, &op->u.vcpuaffinity,
                                         op->cmd == XEN_DOMCTL_setvcpuaffinity);
}
ON_TARGET(vcpuaffinity)

static long hypercall_init(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    if (d == caller)
        return -XEN_EINVAL;
    return pv_ops->hypercall_page_init(d, op->u.hypercall_init.gmfn);
}
ON_TARGET(hypercall_init)

static long scheduler_op(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    (void)caller;
    return domctl_scheduler_op(d, &op->u.scheduler_op);
}
ON_TARGET(scheduler_op)

/* The context is too large for the stack: one buffer, under the
 * hypervisor lock. */
static struct vcpu_guest_context context_buf;

static long getvcpucontext(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_vcpucontext *vc = &op->u.vcpucontext;
    struct vcpu *v;
    long rc = target_vcpu(d, vc->vcpu, &v);

    (void)caller;
    if (rc)
        return rc;
    /* A vCPU that never had a context has none to give (Xen: -ENODATA). */
    if (!v->initialised)
        return -XEN_ENODATA;
    rc = pv_ops->vcpu_get_context(v, &context_buf);
    if (rc)
        return rc;
    if (copy_to_guest(guest_handle_ptr(vc->ctxt), &context_buf,
                      sizeof(context_buf)))
        return -XEN_EFAULT;
    return 0;
}
ON_TARGET(getvcpucontext)

/*
 * As Xen: -EINVAL for the caller's own domain (it cannot be paused from
 * inside) or a vCPU past its count; a null context resets the vCPU.
 * The domain is paused around the change, so no vCPU of it is on a CPU
 * while its state is replaced; the unpause lets a vCPU the context set
 * online run, if the toolstack's own pause does not hold it.
 */
static long setvcpucontext(struct domain *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_vcpucontext *vc = &op->u.vcpucontext;
    struct vcpu *v;

    if (d == caller || d->is_dying)
        return -XEN_EINVAL;
    long rc = target_vcpu(d, vc->vcpu, &v);
    if (rc)
        return rc;
    sched_domain_pause(d);
    /* Read after the pause: waiting for it lets other CPUs in, and they
     * may use the one buffer. */
    if (!guest_handle_ptr(vc->ctxt).va)
        rc = pv_ops->vcpu_set_context(v, NULL);
    else if (copy_from_guest(&context_buf, guest_handle_ptr(vc->ctxt), sizeof(context_buf)))
        rc = -XEN_EFAULT;
    else
        rc = pv_ops->vcpu_set_context(v, &context_buf);
    sched_domain_unpause(d);
    if (rc)
        printk(LOG_INFO, "d%u: setvcpucontext of vCPU %u refused (%ld)", d->domid, vc->vcpu, rc);
    return rc;
}
ON_TARGET(setvcpucontext)

#define DOMCTL_OPS(OP)                                                                       \
    OP(XEN_DOMCTL_getdomaininfo, OP_ANY, INOUT, struct xen_domctl, getdomaininfo, 0)         \
    OP(XEN_DOMCTL_createdomain, OP_ANY, INOUT, struct xen_domctl, createdomain, 0)           \
    OP(XEN_DOMCTL_pausedomain, OP_ANY, IN, struct xen_domctl, pausedomain_row, 0)            \
    OP(XEN_DOMCTL_destroydomain, OP_ANY, IN, struct xen_domctl, destroydomain_row, 0)        \
    OP(XEN_DOMCTL_unpausedomain, OP_ANY, IN, struct xen_domctl, unpausedomain_row, 0)        \
    OP(XEN_DOMCTL_max_mem, OP_ANY, IN, struct xen_domctl, max_mem_row, 0)                    \
    OP(XEN_DOMCTL_max_vcpus, OP_ANY, IN, struct xen_domctl, max_vcpus_row, 0)                \
    OP(XEN_DOMCTL_setdomainhandle, OP_ANY, IN, struct xen_domctl, setdomainhandle_row, 0)    \
    OP(XEN_DOMCTL_settimeoffset, OP_ANY, IN, struct xen_domctl, settimeoffset_row, 0)        \
    OP(XEN_DOMCTL_getvcpuinfo, OP_ANY, INOUT, struct xen_domctl, getvcpuinfo_row, 0)         \
    OP(XEN_DOMCTL_getvcpuaffinity, OP_ANY, IN, struct xen_domctl, vcpuaffinity_row, 0)      \
    OP(XEN_DOMCTL_setvcpuaffinity, OP_ANY, IN, struct xen_domctl, vcpuaffinity_row, 0)      \
    OP(XEN_DOMCTL_scheduler_op, OP_ANY, INOUT, struct xen_domctl, scheduler_op_row, 0)       \
    OP(XEN_DOMCTL_hypercall_init, OP_ANY, IN, struct xen_domctl, hypercall_init_row, 0)      \
    OP(XEN_DOMCTL_getvcpucontext, OP_ANY, IN, struct xen_domctl, getvcpucontext_row, 0)     \
    OP(XEN_DOMCTL_setvcpucontext, OP_ANY, IN, struct xen_domctl, setvcpucontext_row, 0)

GUEST_OP_ROWS(domctl_rows, DOMCTL_OPS);

/* Privilege is checked per row, after the domain is found, as Xen does. */
static const struct guest_op_struct domctl_ops = {
    .ops = GUEST_OP_TABLE_OF(domctl_rows),
    .size = sizeof(struct xen_domctl),
    .cmd_offset = offsetof(struct xen_domctl, cmd),
    .version_offset = offsetof(struct xen_domctl, interface_version),
    .version = XEN_DOMCTL_INTERFACE_VERSION,
    .who = OP_ANY,
};

long do_domctl(guest_ptr_t arg)
{
    struct domain *caller = current_vcpu()->domain;
    long rc = guest_op_call_struct(&domctl_ops, arg, caller, caller->privileged);

    /* Not finished (a destroy waiting for the domain's vCPUs to leave
     * their CPUs): the same call again once the guest has run. */
    if (rc == -HYPERCALL_RESTART) {
        uint64_t args[1] = { arg.va };
        hypercall_continue(__HYPERVISOR_domctl, 1, args);
    }
    return rc;
}
