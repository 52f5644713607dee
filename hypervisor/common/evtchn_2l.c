/*
 * 2-level event delivery: a pending and a mask bit per port in
 * shared_info, a selector bit per 64-port word in the notified vCPU's
 * vcpu_info, and evtchn_upcall_pending above them.
 *
 * The guest flips these same words on its own vCPUs while we run, so each
 * step is one atomic read-modify-write, in the order the ABI fixes: a
 * guest that clears bits top-down (upcall_pending, then the selector, then
 * pending) must never see a set pending bit without the selector and
 * upcall bits above it.  Seq-cst atomics are full barriers on x86.
 */
#include "common/evtchn.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static xen_ulong_t bit_of(unsigned int n)
{
    return (xen_ulong_t)1 << (n % BITS_PER_WORD);
}

static bool test_and_set(xen_ulong_t *words, unsigned int n)
{
    xen_ulong_t old = __atomic_fetch_or(&words[n / BITS_PER_WORD], bit_of(n),
                                        __ATOMIC_SEQ_CST);
    return old & bit_of(n);
}

static bool test_and_clear(xen_ulong_t *words, unsigned int n)
{
    xen_ulong_t old = __atomic_fetch_and(&words[n / BITS_PER_WORD],
                                         ~bit_of(n), __ATOMIC_SEQ_CST);
    return old & bit_of(n);
}

static bool test(const xen_ulong_t *words, unsigned int n)
{
    return __atomic_load_n(&words[n / BITS_PER_WORD], __ATOMIC_SEQ_CST) &
           bit_of(n);
}

/*
 * The selector bit for the port's word, then evtchn_upcall_pending; the
 * vCPU is kicked only when upcall_pending goes from clear to set, since an
 * upcall still outstanding will find the new selector bit anyway.
 */
static void mark_word_pending(struct evtchn_domain *d, unsigned int vcpu,
                              evtchn_port_t port)
{
    struct vcpu_info *vi = d->ops->vcpu_info(d->owner, vcpu);
    uint8_t was;

    if (!vi)
        return;
    if (test_and_set(&vi->evtchn_pending_sel, port / BITS_PER_WORD))
        return;
    was = __atomic_fetch_or(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if (!(was & 1))
        d->ops->kick_vcpu(d->owner, vcpu);
}

void evtchn_2l_set_pending(struct evtchn_domain *d, unsigned int vcpu,
                           evtchn_port_t port)
{
    if (port >= EVTCHN_2L_MAX_PORTS || vcpu >= d->nr_vcpus)
        return;
    if (test_and_set(d->shared->evtchn_pending, port))
        return;
    if (!test(d->shared->evtchn_mask, port))
        mark_word_pending(d, vcpu, port);
    if (d->ops->port_pending)
        d->ops->port_pending(d->owner, port);
}

void evtchn_2l_clear_pending(struct evtchn_domain *d, evtchn_port_t port)
{
    if (port < EVTCHN_2L_MAX_PORTS)
        (void)test_and_clear(d->shared->evtchn_pending, port);
}

void evtchn_2l_unmask(struct evtchn_domain *d, unsigned int vcpu,
                      evtchn_port_t port)
{
    if (port >= EVTCHN_2L_MAX_PORTS || vcpu >= d->nr_vcpus)
        return;
    /* Only the unmask that actually cleared the bit delivers. */
    if (test_and_clear(d->shared->evtchn_mask, port) &&
        test(d->shared->evtchn_pending, port))
        mark_word_pending(d, vcpu, port);
}

bool evtchn_2l_is_pending(const struct evtchn_domain *d, evtchn_port_t port)
{
    return port < EVTCHN_2L_MAX_PORTS && test(d->shared->evtchn_pending, port);
}

bool evtchn_2l_is_masked(const struct evtchn_domain *d, evtchn_port_t port)
{
    return port >= EVTCHN_2L_MAX_PORTS || test(d->shared->evtchn_mask, port);
}

void evtchn_notify_port(struct evtchn_domain *d, evtchn_port_t port)
{
    const struct evtchn *chn = evtchn_lookup(d, port);

    if (!chn || chn->state == EVTCHN_FREE || chn->state == EVTCHN_RESERVED)
        return;
    if (chn->consumer_is_xen) {
        if (d->ops->xen_notify)
            d->ops->xen_notify(d->owner, chn->notify_vcpu, port);
        return;
    }
    evtchn_2l_set_pending(d, chn->notify_vcpu, port);
}
