/*
 * HYPERVISOR_sched_op.  One vCPU on one CPU: yielding has nobody to
 * yield to; block and poll wait for events (common/sched_block.c);
 * shutdown stops the domain, and with dom0 the machine.
 */
#include "arch/x86/guest_access.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/sched.h"

long do_sched_op(uint64_t cmd, guest_ptr_t arg)
{
    struct vcpu *v = current_vcpu();
    struct domain *d = v->domain;

    switch (cmd) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        return vcpu_block(v);
    case SCHEDOP_poll:
        return vcpu_poll(v, arg);
    case SCHEDOP_shutdown: {
        struct sched_shutdown sd;
        if (copy_from_guest(&sd, arg, sizeof(sd)))
            return -XEN_EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        printk(LOG_INFO, VCPU_FMT " SCHEDOP_shutdown, reason %u", VCPU_ARGS(v), sd.reason);
        domain_shutdown(d, sd.reason);
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown sd;
        if (copy_from_guest(&sd, arg, sizeof(sd)))
            return -XEN_EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        d->shutdown_reason = sd.reason;
        return 0;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown rs;
        if (copy_from_guest(&rs, arg, sizeof(rs)))
            return -XEN_EFAULT;
        if (!d->privileged)
            return -XEN_EPERM;
        if (rs.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        if (rs.domain_id != d->domid)
            return -XEN_ESRCH;      /* no other domain exists */
        domain_shutdown(d, rs.reason);
    }
    default:
        return -XEN_ENOSYS;
    }
}
