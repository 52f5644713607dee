/*
 * HYPERVISOR_sched_op.  Yielding asks the scheduler again on the way
 * out; block and poll wait for events (common/sched_block.c); shutdown
 * stops the domain (common/domain.c), and with dom0 the machine; a
 * domU's vCPU that asked leaves its CPU on its way out.
 */
#include "common/domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/sched.h"

static long yield(struct vcpu *v)
{
    sched_yield(v);
    return 0;
}

static long shutdown(struct vcpu *v, struct sched_shutdown *sd)
{
    if (sd->reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    printk(LOG_INFO, VCPU_FMT " SCHEDOP_shutdown, reason %u", VCPU_ARGS(v), sd->reason);
    domain_shutdown(v->domain, sd->reason);
    return 0;
}

static long shutdown_code(struct vcpu *v, struct sched_shutdown *sd)
{
    if (sd->reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    /* The first code given stays, as on Xen. */
    if (v->domain->shutdown_code == SHUTDOWN_CODE_INVALID)
        v->domain->shutdown_code = (uint8_t)sd->reason;
    return 0;
}

static long remote_shutdown(struct vcpu *v, struct sched_remote_shutdown *rs)
{
    (void)v;
    if (rs->reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    struct domain *d = rs->domain_id < DOMID_FIRST_RESERVED ? domain_find(rs->domain_id)
                                                           : NULL;
    if (!d)
        return -XEN_ESRCH;
    domain_shutdown(d, rs->reason);
    return 0;
}

#define SCHED_OPS(OP)                                                                         \
    OP(SCHEDOP_yield, OP_ANY, NONE, void, yield, 0)                                           \
    OP(SCHEDOP_block, OP_ANY, NONE, void, vcpu_block, 0)                                      \
    OP(SCHEDOP_poll, OP_ANY, IN, struct sched_poll, vcpu_poll, 0)                             \
    OP(SCHEDOP_shutdown, OP_ANY, IN, struct sched_shutdown, shutdown, 0)                      \
    OP(SCHEDOP_shutdown_code, OP_ANY, IN, struct sched_shutdown, shutdown_code, 0)            \
    OP(SCHEDOP_remote_shutdown, OP_PRIV_READ, IN, struct sched_remote_shutdown,               \
       remote_shutdown, 0)

GUEST_OP_TABLE(static, sched_subops, SCHED_OPS);

long do_sched_op(uint64_t cmd, guest_ptr_t arg)
{
    struct vcpu *v = current_vcpu();

    return guest_op_call(&sched_subops, cmd, arg, v, v->domain->privileged);
}
