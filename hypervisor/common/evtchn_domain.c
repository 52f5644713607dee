/*
 * Event channels in the running hypervisor: each domain's struct
 * evtchn_domain (WB's logic, evtchn.h) gets its evtchn_ops here, and
 * HYPERVISOR_event_channel_op runs the command's row of
 * event_channel_subops on it.
 */
#include "common/domain.h"
#include "common/hypercall.h"
#include "common/pirq.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "mm/xmalloc.h"
#include "public/errno.h"

static void *events_alloc(void *owner, size_t bytes)
{
    (void)owner;
    return xzalloc(bytes);
}

static void events_free(void *owner, void *ptr, size_t bytes)
{
    (void)owner;
    (void)bytes;
    xfree(ptr);
}

static struct evtchn_domain *events_find_domain(void *owner, domid_t domid)
{
    (void)owner;
    struct domain *d = domain_find(domid);
    return d && !d->is_shutting_down ? &d->evtchn : NULL;
}

static struct vcpu_info *events_vcpu_info(void *owner, unsigned int vcpu)
{
    struct domain *d = owner;

    return vcpu < d->nr_vcpus && d->vcpus[vcpu] ? d->vcpus[vcpu]->vcpu_info : NULL;
}

/* evtchn_upcall_pending went 0 -> 1: a waiting vCPU wakes; one running
 * on another CPU is interrupted so that its way out delivers it. */
static void events_kick_vcpu(void *owner, unsigned int vcpu)
{
    struct domain *d = owner;

    if (vcpu < d->nr_vcpus && d->vcpus[vcpu])
        sched_kick(d->vcpus[vcpu]);
}

static void events_port_pending(void *owner, evtchn_port_t port)
{
    sched_port_pending(owner, port);
}

/* pirqs are the machine's interrupt lines: common/pirq.c owns them. */
static int events_bind_pirq(void *owner, struct evtchn_bind_pirq *op)
{
    return pirq_bind_evtchn(owner, op);
}

static const struct evtchn_ops evtchn_glue_ops = {
    .alloc = events_alloc,
    .free = events_free,
    .find_domain = events_find_domain,
    .vcpu_info = events_vcpu_info,
    .kick_vcpu = events_kick_vcpu,
    .port_pending = events_port_pending,
    .bind_pirq = events_bind_pirq,
};

int domain_events_init(struct domain *d)
{
    const struct evtchn_domain_config cfg = {
        .ops = &evtchn_glue_ops,
        .owner = d,
        .shared = d->shared_info,
        .domid = d->domid,
        .privileged = d->privileged,
        .nr_vcpus = d->max_vcpus,
        .max_port = EVTCHN_2L_MAX_PORTS - 1,
    };
    int rc = evtchn_domain_init(&d->evtchn, &cfg);

    if (rc) {
        printk(LOG_ERR, "d%u: cannot set up event channels (error %d)", d->domid, rc);
        return rc;
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        vtimer_vcpu_init(d->vcpus[i]);
    return 0;
}

bool vcpu_events_need_delivery(const struct vcpu *v)
{
    const volatile struct vcpu_info *vi = v->vcpu_info;

    return vi && vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}

void vcpu_raise_virq(struct vcpu *v, uint32_t virq)
{
    evtchn_send_vcpu_virq(&v->domain->evtchn, v->vcpu_id, virq);
}

void domain_raise_global_virq(struct domain *d, uint32_t virq)
{
    evtchn_send_global_virq(&d->evtchn, virq);
}

long do_event_channel_op(uint32_t cmd, guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    return guest_op_call(&event_channel_subops, cmd, arg, &d->evtchn, d->privileged);
}
