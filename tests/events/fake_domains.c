/* The fixture behind fake_domains.h, and the operations as a guest issues them. */
#include "fake_domains.h"

#include <stdlib.h>
#include <string.h>
#include <check.h>

struct fake_domain fake[FAKE_NR_DOMAINS];
long fake_live_allocs;
long fake_allocs_until_failure = -1;

static void *fake_alloc(void *owner, size_t bytes)
{
    (void)owner;
    if (fake_allocs_until_failure == 0)
        return NULL;
    if (fake_allocs_until_failure > 0)
        fake_allocs_until_failure--;
    fake_live_allocs++;
    return calloc(1, bytes);
}

static void fake_free(void *owner, void *ptr, size_t bytes)
{
    (void)owner;
    (void)bytes;
    fake_live_allocs--;
    free(ptr);
}

static struct evtchn_domain *fake_find(void *owner, domid_t domid)
{
    (void)owner;
    for (unsigned int i = 0; i < FAKE_NR_DOMAINS; i++)
        if (fake[i].live && fake[i].ev.domid == domid)
            return &fake[i].ev;
    return NULL;
}

static struct vcpu_info *fake_vcpu_info(void *owner, unsigned int vcpu)
{
    struct fake_domain *f = owner;

    ck_assert_uint_lt(vcpu, FAKE_NR_VCPUS);
    return f->hide_vcpu_info[vcpu] ? NULL : &f->shared.vcpu_info[vcpu];
}

static void fake_kick(void *owner, unsigned int vcpu)
{
    struct fake_domain *f = owner;

    ck_assert_uint_lt(vcpu, FAKE_NR_VCPUS);
    f->kicks[vcpu]++;
}

static void fake_xen_notify(void *owner, unsigned int vcpu, evtchn_port_t port)
{
    struct fake_domain *f = owner;

    (void)vcpu;
    f->xen_notifies++;
    f->last_xen_port = port;
}

static bool fake_paused(void *owner)
{
    return ((struct fake_domain *)owner)->paused;
}

const struct evtchn_ops fake_evtchn_ops = {
    .alloc = fake_alloc,
    .free = fake_free,
    .find_domain = fake_find,
    .vcpu_info = fake_vcpu_info,
    .kick_vcpu = fake_kick,
    .xen_notify = fake_xen_notify,
    .paused_by_controller = fake_paused,
};

int fake_init_domain(unsigned int i, domid_t domid, bool privileged,
                     unsigned int nr_vcpus, unsigned int max_port)
{
    struct fake_domain *f = &fake[i];
    struct evtchn_domain_config cfg = {
        .ops = &fake_evtchn_ops, .owner = f, .shared = &f->shared,
        .domid = domid, .privileged = privileged,
        .nr_vcpus = nr_vcpus, .max_port = max_port,
    };
    int rc;

    if (f->live)
        evtchn_domain_teardown(&f->ev);
    memset(f, 0, sizeof(*f));
    rc = evtchn_domain_init(&f->ev, &cfg);
    f->live = rc == 0;
    return rc;
}

void fake_setup(void)
{
    fake_live_allocs = 0;
    fake_allocs_until_failure = -1;
    memset(fake, 0, sizeof(fake));
    for (unsigned int i = 0; i < FAKE_NR_DOMAINS; i++)
        ck_assert_int_eq(fake_init_domain(i, (domid_t)i, i == 0,
                                          FAKE_NR_VCPUS, 1023), 0);
}

void fake_teardown(void)
{
    for (unsigned int i = 0; i < FAKE_NR_DOMAINS; i++) {
        if (fake[i].live)
            evtchn_domain_teardown(&fake[i].ev);
        fake[i].live = false;
    }
    ck_assert_int_eq(fake_live_allocs, 0);
}

unsigned int total_kicks(const struct fake_domain *f)
{
    unsigned int n = 0;

    for (unsigned int v = 0; v < FAKE_NR_VCPUS; v++)
        n += f->kicks[v];
    return n;
}

bool port_pending(const struct fake_domain *f, evtchn_port_t port)
{
    return (f->shared.evtchn_pending[port / 64] >> (port % 64)) & 1;
}

bool port_masked(const struct fake_domain *f, evtchn_port_t port)
{
    return (f->shared.evtchn_mask[port / 64] >> (port % 64)) & 1;
}

void mask_port(struct fake_domain *f, evtchn_port_t port)
{
    f->shared.evtchn_mask[port / 64] |= 1UL << (port % 64);
}

xen_ulong_t pending_sel(const struct fake_domain *f, unsigned int vcpu)
{
    return f->shared.vcpu_info[vcpu].evtchn_pending_sel;
}

void guest_ack_upcall(struct fake_domain *f, unsigned int vcpu)
{
    f->shared.vcpu_info[vcpu].evtchn_upcall_pending = 0;
    f->shared.vcpu_info[vcpu].evtchn_pending_sel = 0;
}

int alloc_unbound(struct fake_domain *cur, domid_t dom, domid_t remote,
                  evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote };
    int rc = evtchn_alloc_unbound(&cur->ev, &op);

    if (rc == 0 && port)
        *port = op.port;
    return rc;
}

int bind_interdomain(struct fake_domain *cur, domid_t rdom,
                     evtchn_port_t rport, evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain op = { .remote_dom = rdom,
                                          .remote_port = rport };
    int rc = evtchn_bind_interdomain(&cur->ev, &op);

    if (rc == 0 && lport)
        *lport = op.local_port;
    return rc;
}

int status_of(struct fake_domain *cur, domid_t dom, evtchn_port_t port,
              struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return evtchn_status(&cur->ev, st);
}

uint32_t state_of(struct fake_domain *f, evtchn_port_t port)
{
    struct evtchn_status st;

    ck_assert_int_eq(status_of(f, DOMID_SELF, port, &st), 0);
    return st.status;
}

int bind_ipi(struct fake_domain *cur, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    int rc = evtchn_bind_ipi(&cur->ev, &op);

    if (rc == 0 && port)
        *port = op.port;
    return rc;
}

int bind_vcpu(struct fake_domain *cur, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };
    return evtchn_bind_vcpu(&cur->ev, &op);
}

void connect_d1_to_d0(evtchn_port_t *p1, evtchn_port_t *p0)
{
    ck_assert_int_eq(alloc_unbound(&fake[1], DOMID_SELF, 0, p1), 0);
    ck_assert_int_eq(bind_interdomain(&fake[0], 1, *p1, p0), 0);
}

