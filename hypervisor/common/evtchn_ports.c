/*
 * The per-domain event-channel port table: buckets of ports allocated on
 * first use, port 0 reserved, and the per-vCPU VIRQ-to-port table.
 *
 * Ports at or above valid_ports do not exist yet; Xen reports them as
 * invalid (-EINVAL) rather than closed, and so do we, because Linux's
 * find_virq() scans with EVTCHNOP_status until it gets an error.
 */
#include "common/evtchn.h"

static size_t virq_table_bytes(unsigned int nr_vcpus)
{
    return (size_t)nr_vcpus * NR_VIRQS * sizeof(evtchn_port_t);
}

static bool ops_complete(const struct evtchn_ops *h)
{
    return h && h->alloc && h->free && h->find_domain && h->vcpu_info &&
           h->kick_vcpu;
}

static int add_bucket(struct evtchn_domain *d)
{
    unsigned int index = d->valid_ports / EVTCHN_BUCKET_PORTS;
    struct evtchn *bucket;

    if (index >= EVTCHN_NR_BUCKETS)
        return -XEN_ENOSPC;
    bucket = d->ops->alloc(d->owner,
                             EVTCHN_BUCKET_PORTS * sizeof(struct evtchn));
    if (!bucket)
        return -XEN_ENOMEM;
    d->buckets[index] = bucket;
    d->valid_ports += EVTCHN_BUCKET_PORTS;
    return 0;
}

int evtchn_domain_init(struct evtchn_domain *d,
                       const struct evtchn_domain_config *cfg)
{
    int rc;

    if (!d || !cfg || !ops_complete(cfg->ops) || !cfg->shared ||
        cfg->nr_vcpus == 0 || cfg->nr_vcpus > EVTCHN_MAX_VCPUS ||
        cfg->max_port >= EVTCHN_2L_MAX_PORTS ||
        cfg->domid >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;

    __builtin_memset(d, 0, sizeof(*d));
    d->ops = cfg->ops;
    d->owner = cfg->owner;
    d->shared = cfg->shared;
    d->domid = cfg->domid;
    d->privileged = cfg->privileged;
    d->nr_vcpus = cfg->nr_vcpus;
    d->max_port = cfg->max_port;

    d->virq_ports = d->ops->alloc(d->owner, virq_table_bytes(d->nr_vcpus));
    if (!d->virq_ports)
        return -XEN_ENOMEM;

    rc = add_bucket(d);
    if (rc) {
        d->ops->free(d->owner, d->virq_ports, virq_table_bytes(d->nr_vcpus));
        d->virq_ports = NULL;
        return rc;
    }
    /* Guests use port 0 to mean "no port", so it is never allocated. */
    d->buckets[0][0].state = EVTCHN_RESERVED;
    return 0;
}

void evtchn_domain_teardown(struct evtchn_domain *d)
{
    unsigned int port, i;

    if (!d || !d->ops)
        return;
    /* Closing interdomain ports leaves each peer unbound, waiting for us. */
    for (port = d->valid_ports; port-- > 1;)
        (void)evtchn_close(d, port, false);

    for (i = 0; i < EVTCHN_NR_BUCKETS; i++) {
        if (d->buckets[i])
            d->ops->free(d->owner, d->buckets[i],
                           EVTCHN_BUCKET_PORTS * sizeof(struct evtchn));
        d->buckets[i] = NULL;
    }
    if (d->virq_ports)
        d->ops->free(d->owner, d->virq_ports, virq_table_bytes(d->nr_vcpus));
    d->virq_ports = NULL;
    d->valid_ports = 0;
    d->active_ports = 0;
    d->xen_ports = 0;
}

struct evtchn *evtchn_lookup(const struct evtchn_domain *d, evtchn_port_t port)
{
    if (port >= d->valid_ports)
        return NULL;
    return &d->buckets[port / EVTCHN_BUCKET_PORTS][port % EVTCHN_BUCKET_PORTS];
}

int evtchn_get_free_port(struct evtchn_domain *d)
{
    unsigned int port;

    for (port = 0; port <= d->max_port; port++) {
        if (port >= d->valid_ports) {
            int rc = add_bucket(d);
            if (rc)
                return rc;
        }
        if (evtchn_lookup(d, port)->state == EVTCHN_FREE)
            return (int)port;
    }
    return -XEN_ENOSPC;
}

struct evtchn *evtchn_port_claim(struct evtchn_domain *d, evtchn_port_t port,
                                 enum evtchn_state state)
{
    struct evtchn *chn = evtchn_lookup(d, port);

    chn->state = (uint8_t)state;
    chn->notify_vcpu = 0;
    chn->consumer_is_xen = false;
    d->active_ports++;
    return chn;
}

void evtchn_port_free(struct evtchn_domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_lookup(d, port);

    if (!chn || chn->state == EVTCHN_FREE || chn->state == EVTCHN_RESERVED)
        return;
    /* A stale pending bit would fire as soon as the port is reused. */
    if (!chn->consumer_is_xen)
        evtchn_2l_clear_pending(d, port);
    else
        d->xen_ports--;
    d->active_ports--;
    __builtin_memset(chn, 0, sizeof(*chn));
}

bool evtchn_virq_is_global(uint32_t virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        /* On x86 every other VIRQ, the arch ones included, is per domain. */
        return true;
    }
}

evtchn_port_t *evtchn_virq_slot(struct evtchn_domain *d, unsigned int vcpu,
                                uint32_t virq)
{
    if (vcpu >= d->nr_vcpus || virq >= NR_VIRQS || !d->virq_ports)
        return NULL;
    return &d->virq_ports[(size_t)vcpu * NR_VIRQS + virq];
}
