/*
 * HYPERVISOR_vcpu_op: vCPU state (up/down/is_up), the runstate record,
 * the per-vCPU timers, moving vcpu_info out of shared_info, and the
 * vDSO's copy of the time record.  Errors
 * and their order follow Xen 4.17's do_vcpu_op: a vCPU id the domain
 * does not have is -ENOENT before the command is even looked at.
 */
#include <string.h>
#include "arch/x86/paging.h"
#include "common/domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "public/vcpu.h"

#define NS_PER_MS 1000000ull
/* Xen's STIME_DELTA_MAX: a period must fit a signed 64-bit delta. */
#define PERIOD_MAX_NS ((uint64_t)INT64_MAX)

/*
 * Linux moves each vCPU's vcpu_info into its per-CPU area, naming the
 * frame by MFN.  As on Xen: once per vCPU, on itself or on a vCPU that is
 * down; the frame must be the domain's and take a writable type reference
 * (so it can never become a page table while the hypervisor writes
 * there); the old contents move along, every selector bit is set so no
 * event is lost, and the time record is refreshed at once.
 */
static long register_vcpu_info(struct vcpu *v, struct vcpu_register_vcpu_info *info)
{
    struct domain *d = v->domain;

    if (info->offset > PAGE_SIZE - sizeof(struct vcpu_info))
        return -XEN_EINVAL;
    if (v->ev.vcpu_info_registered)
        return -XEN_EINVAL;
    if (v != current_vcpu() && !v->ev.down)
        return -XEN_EINVAL;
    if (frame_hold_for_hv_writes(&d->mm, info->mfn))
        return -XEN_EINVAL;

    struct vcpu_info *new_info =
        (struct vcpu_info *)((char *)phys_to_virt(info->mfn << PAGE_SHIFT) + info->offset);
    memcpy(new_info, v->vcpu_info, sizeof(*new_info));
    v->vcpu_info = new_info;
    v->ev.vcpu_info_mfn = info->mfn;
    v->ev.vcpu_info_registered = true;
    __asm__ volatile("" ::: "memory");
    new_info->evtchn_upcall_pending = 1;
    __atomic_store_n(&new_info->evtchn_pending_sel, ~0ul, __ATOMIC_SEQ_CST);

    vcpu_time_publish(v);
    return 0;
}

/*
 * A registered memory area (runstate or time): the argument, read in
 * (-EFAULT), is one 64-bit guest address, which must lie, `size` bytes
 * long, in the guest's part of the address space (-EFAULT); 0 (turn it
 * off) passes.
 */
static long area_ok(uint64_t va, size_t size, guest_ptr_t *area)
{
    if (!guest_range_ok(va, size))
        return -XEN_EFAULT;
    *area = guest_ptr(va);
    return 0;
}

static long register_runstate_area(struct vcpu *v,
                                   struct vcpu_register_runstate_memory_area *arg)
{
    guest_ptr_t area;
    long rc = area_ok(arg->addr.p, sizeof(struct vcpu_runstate_info), &area);

    if (rc)
        return rc;
    /* Re-registering (Linux does, after its per-CPU setup) just moves it;
     * 0 turns it off. */
    v->ev.runstate_area = area;
    vcpu_runstate_publish(v);
    return 0;
}

/*
 * A second copy of the vCPU's time record, which Linux maps into user
 * space for its vDSO clock.  As on Xen: the argument is copied in, the
 * address need only lie in the guest's part of the address space (it is
 * written through the guest's page tables at each publication, and a
 * write that faults is skipped), 0 turns the copy off, and the record
 * is written at once when the vCPU is the caller (Linux reads its flags
 * straight back).
 */
static long register_time_area(struct vcpu *v, struct vcpu_register_time_memory_area *arg)
{
    guest_ptr_t area;
    long rc = area_ok(arg->addr.p, sizeof(struct vcpu_time_info), &area);

    if (rc)
        return rc;
    v->ev.time_area = area;
    vcpu_time_publish(v);
    return 0;
}

static long get_runstate_info(struct vcpu *v, struct vcpu_runstate_info *r)
{
    uint64_t now = domain_now_ns(v->domain);

    *r = v->ev.runstate;
    /* Charge the current state up to now, as if it changed this instant. */
    if ((unsigned int)r->state < 4 && now > r->state_entry_time)
        r->time[r->state] += now - r->state_entry_time;
    return 0;
}

static long set_periodic_timer(struct vcpu *v, struct vcpu_set_periodic_timer *set)
{
    if (set->period_ns < NS_PER_MS || set->period_ns > PERIOD_MAX_NS)
        return -XEN_EINVAL;
    vtimer_set_periodic(v, set->period_ns);
    return 0;
}

static long stop_periodic_timer(struct vcpu *v)
{
    vtimer_set_periodic(v, 0);
    return 0;
}

/* Xen 4.17.x ignores VCPU_SSHOTTMR_future: a past deadline fires now.
 * Only on the caller itself (VCPUOP_SELF). */
static long set_singleshot_timer(struct vcpu *v, struct vcpu_set_singleshot_timer *set)
{
    vtimer_set_singleshot(v, set->timeout_abs_ns);
    return 0;
}

static long stop_singleshot_timer(struct vcpu *v)
{
    vtimer_stop_singleshot(v);
    return 0;
}

/*
 * A vCPU goes offline: itself (the hypercall returns 0 when VCPUOP_up
 * brings it back) or another of the domain's, which stops at its CPU's
 * next way out.  Its CPU goes on with whatever else is runnable.
 */
static long vcpu_down(struct vcpu *v)
{
    if (v->ev.down)
        return 0;
    v->ev.down = true;
    printk(LOG_INFO, VCPU_FMT " is down (VCPUOP_down)", VCPU_ARGS(v));
    sched_update(v);
    return 0;
}

static long vcpu_up(struct vcpu *v)
{
    if (!v->initialised)
        return -XEN_EINVAL;
    if (!v->ev.down)
        return 0;
    v->ev.down = false;
    sched_update(v);
    return 0;
}

static long vcpu_is_up(struct vcpu *v)
{
    return !v->ev.down;
}

/* The context is read whole (-EFAULT) before anything is checked. */
static long initialise(struct vcpu *v, struct vcpu_guest_context *ctxt)
{
    return pv_ops->vcpu_initialise(v, ctxt);
}

/* A flag of this table: the command acts on the calling vCPU only, and
 * names another one -EINVAL before its argument is read. */
#define VCPUOP_SELF 1

#define VCPU_OPS(OP)                                                                            \
    OP(VCPUOP_initialise, OP_ANY, IN_LARGE, struct vcpu_guest_context, initialise, 0)           \
    OP(VCPUOP_up, OP_ANY, NONE, void, vcpu_up, 0)                                               \
    OP(VCPUOP_down, OP_ANY, NONE, void, vcpu_down, 0)                                           \
    OP(VCPUOP_is_up, OP_ANY, NONE, void, vcpu_is_up, 0)                                         \
    OP(VCPUOP_get_runstate_info, OP_ANY, OUT, struct vcpu_runstate_info, get_runstate_info, 0)  \
    OP(VCPUOP_register_runstate_memory_area, OP_ANY, IN,                                        \
       struct vcpu_register_runstate_memory_area, register_runstate_area, 0)                    \
    OP(VCPUOP_set_periodic_timer, OP_ANY, IN, struct vcpu_set_periodic_timer,                   \
       set_periodic_timer, 0)                                                                   \
    OP(VCPUOP_stop_periodic_timer, OP_ANY, NONE, void, stop_periodic_timer, 0)                  \
    OP(VCPUOP_set_singleshot_timer, OP_ANY, IN, struct vcpu_set_singleshot_timer,               \
       set_singleshot_timer, VCPUOP_SELF)                                                       \
    OP(VCPUOP_stop_singleshot_timer, OP_ANY, NONE, void, stop_singleshot_timer, VCPUOP_SELF)    \
    OP(VCPUOP_register_vcpu_info, OP_ANY, IN, struct vcpu_register_vcpu_info,                   \
       register_vcpu_info, 0)                                                                   \
    OP(VCPUOP_register_vcpu_time_memory_area, OP_ANY, IN,                                       \
       struct vcpu_register_time_memory_area, register_time_area, 0)

GUEST_OP_TABLE(static, vcpu_subops, VCPU_OPS);

long do_vcpu_op(uint32_t cmd, uint32_t id, guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    if (id >= d->nr_vcpus || !d->vcpus[id])
        return -XEN_ENOENT;
    struct vcpu *v = d->vcpus[id];
    const struct guest_op *op = guest_op_find(&vcpu_subops, cmd);

    if (!op)
        return -XEN_ENOSYS;
    if ((op->flags & VCPUOP_SELF) && v != current_vcpu())
        return -XEN_EINVAL;
    return guest_op_run(op, arg, v, d->privileged);
}
