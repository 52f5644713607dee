/*
 * EVTCHNOP_* operations within a domain: port table, alloc_unbound,
 * bind_ipi, status, bind_vcpu, unmask, port exhaustion and dispatch, each
 * with its error paths and Xen's codes.
 */
#include <string.h>

#include "check_main.h"
#include "fake_domains.h"
#include "fake_guest.h"

#define D0 (&fake[0])
#define D1 (&fake[1])
#define D2 (&fake[2])

START_TEST(port_zero_is_reserved_and_first_port_is_one)
{
    evtchn_port_t p;
    struct evtchn_status st;

    ck_assert_int_eq(status_of(D0, DOMID_SELF, 0, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_closed);
    ck_assert_int_eq(evtchn_close(&D0->ev, 0, true), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(&D0->ev, 0), -XEN_EINVAL);
    ck_assert_int_eq(alloc_unbound(D0, DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_uint_eq(p, 1);
}
END_TEST

START_TEST(ports_beyond_the_allocated_buckets_are_invalid)
{
    struct evtchn_status st;
    struct evtchn_unmask um = { .port = EVTCHN_BUCKET_PORTS };

    ck_assert_uint_eq(D0->ev.valid_ports, EVTCHN_BUCKET_PORTS);
    ck_assert_int_eq(status_of(D0, DOMID_SELF, EVTCHN_BUCKET_PORTS - 1, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_closed);
    ck_assert_int_eq(status_of(D0, DOMID_SELF, EVTCHN_BUCKET_PORTS, &st),
                     -XEN_EINVAL);
    ck_assert_int_eq(status_of(D0, DOMID_SELF, 0xFFFFFFFFu, &st), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_unmask(&D0->ev, &um), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(&D0->ev, 5000, true), -XEN_EINVAL);
}
END_TEST

START_TEST(init_rejects_bad_configurations)
{
    struct evtchn_domain d;
    struct shared_info s;
    struct evtchn_ops partial = fake_evtchn_ops;
    struct evtchn_domain_config good = {
        .ops = &fake_evtchn_ops, .owner = D2, .shared = &s, .domid = 9,
        .nr_vcpus = 1, .max_port = 10,
    }, cfg;

    cfg = good; cfg.nr_vcpus = 0;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    cfg = good; cfg.nr_vcpus = EVTCHN_MAX_VCPUS + 1;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    cfg = good; cfg.max_port = EVTCHN_2L_MAX_PORTS;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    cfg = good; cfg.shared = NULL;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    cfg = good; cfg.domid = DOMID_SELF;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    partial.kick_vcpu = NULL;
    cfg = good; cfg.ops = &partial;
    ck_assert_int_eq(evtchn_domain_init(&d, &cfg), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_domain_init(&d, NULL), -XEN_EINVAL);
}
END_TEST

START_TEST(init_reports_out_of_memory_without_leaking)
{
    long before = fake_live_allocs;

    fake_allocs_until_failure = 0;
    ck_assert_int_eq(fake_init_domain(2, 2, false, 2, 100), -XEN_ENOMEM);
    ck_assert_int_eq(fake_live_allocs, before - 2);  /* old dom2 torn down */
    fake_allocs_until_failure = 1;                   /* table ok, bucket not */
    ck_assert_int_eq(fake_init_domain(2, 2, false, 2, 100), -XEN_ENOMEM);
    ck_assert_int_eq(fake_live_allocs, before - 2);
    fake_allocs_until_failure = -1;
    ck_assert_int_eq(fake_init_domain(2, 2, false, 2, 100), 0);
}
END_TEST

START_TEST(alloc_unbound_self_and_for_others)
{
    evtchn_port_t p;
    struct evtchn_status st;

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 1);
    ck_assert_uint_eq(st.vcpu, 0);

    /* The privileged dom0 makes a port in dom1 that dom2 may bind;
     * DOMID_SELF as remote means the caller, dom0. */
    ck_assert_int_eq(alloc_unbound(D0, 1, 2, &p), 0);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p, &st), 0);
    ck_assert_uint_eq(st.u.unbound.dom, 2);
    ck_assert_int_eq(alloc_unbound(D0, 1, DOMID_SELF, &p), 0);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p, &st), 0);
    ck_assert_uint_eq(st.u.unbound.dom, 0);
}
END_TEST

START_TEST(alloc_unbound_errors)
{
    evtchn_port_t p;

    ck_assert_int_eq(alloc_unbound(D1, 0, 1, &p), -XEN_EPERM);
    ck_assert_int_eq(alloc_unbound(D1, 2, 1, &p), -XEN_EPERM);
    ck_assert_int_eq(alloc_unbound(D0, 7, 1, &p), -XEN_ESRCH);
    ck_assert_int_eq(alloc_unbound(D0, DOMID_IO, 1, &p), -XEN_ESRCH);
    ck_assert_uint_eq(D0->ev.active_ports + D1->ev.active_ports +
                      D2->ev.active_ports, 0);
}
END_TEST

START_TEST(bind_ipi_and_errors)
{
    evtchn_port_t p;
    struct evtchn_status st;

    ck_assert_int_eq(bind_ipi(D0, FAKE_NR_VCPUS, &p), -XEN_ENOENT);
    ck_assert_int_eq(bind_ipi(D0, 3, &p), 0);
    ck_assert_int_eq(status_of(D0, DOMID_SELF, p, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_ipi);
    ck_assert_uint_eq(st.vcpu, 3);
    ck_assert_int_eq(evtchn_close(&D0->ev, p, true), 0);
    ck_assert_uint_eq(state_of(D0, p), EVTCHNSTAT_closed);
}
END_TEST

START_TEST(status_permissions)
{
    evtchn_port_t p;
    struct evtchn_status st;

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ck_assert_int_eq(status_of(D2, 1, p, &st), -XEN_EPERM);
    ck_assert_int_eq(status_of(D0, 1, p, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 2);
    ck_assert_int_eq(status_of(D1, 1, p, &st), 0);       /* own id, not SELF */
    ck_assert_int_eq(status_of(D0, 8, p, &st), -XEN_ESRCH);
    ck_assert_int_eq(status_of(D0, 1, 100000, &st), -XEN_EINVAL);
    /* Validity is checked before permission, as on Xen. */
    ck_assert_int_eq(status_of(D2, 1, 100000, &st), -XEN_EINVAL);
}
END_TEST

START_TEST(bind_vcpu_moves_delivery)
{
    evtchn_port_t p1, p0, ipi, unb;
    struct evtchn_status st;

    connect_d1_to_d0(&p1, &p0);
    ck_assert_int_eq(bind_vcpu(D1, p1, 3), 0);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p1, &st), 0);
    ck_assert_uint_eq(st.vcpu, 3);
    ck_assert_int_eq(evtchn_send(&D0->ev, p0), 0);
    ck_assert_uint_eq(pending_sel(D1, 3), 1UL << (p1 / 64));
    ck_assert_uint_eq(pending_sel(D1, 0), 0);
    ck_assert_uint_eq(D1->kicks[3], 1);
    ck_assert_uint_eq(D1->kicks[0], 0);

    /* A masked port unmasked through the hypercall goes to the new vCPU. */
    evtchn_2l_clear_pending(&D1->ev, p1);
    guest_ack_upcall(D1, 3);
    ck_assert_int_eq(bind_vcpu(D1, p1, 1), 0);
    mask_port(D1, p1);
    ck_assert_int_eq(evtchn_send(&D0->ev, p0), 0);
    ck_assert_uint_eq(pending_sel(D1, 1), 0);
    struct evtchn_unmask um = { .port = p1 };
    ck_assert_int_eq(evtchn_unmask(&D1->ev, &um), 0);
    ck_assert_uint_eq(pending_sel(D1, 1), 1UL << (p1 / 64));
    ck_assert_uint_eq(D1->kicks[1], 1);

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 0, &unb), 0);
    ck_assert_int_eq(bind_vcpu(D1, unb, 2), 0);
    ck_assert_int_eq(bind_ipi(D1, 0, &ipi), 0);
    ck_assert_int_eq(bind_vcpu(D1, ipi, 2), -XEN_EINVAL);
    ck_assert_int_eq(bind_vcpu(D1, p1, FAKE_NR_VCPUS), -XEN_ENOENT);
    ck_assert_int_eq(bind_vcpu(D1, 50, 1), -XEN_EINVAL);     /* free */
    ck_assert_int_eq(bind_vcpu(D1, 0, 1), -XEN_EINVAL);      /* reserved */
    ck_assert_int_eq(bind_vcpu(D1, 9999, 1), -XEN_EINVAL);   /* invalid */
}
END_TEST

START_TEST(unmask_op_rules)
{
    evtchn_port_t p;
    struct evtchn_unmask um;

    /* A free port is left alone: no delivery, mask bit untouched. */
    mask_port(D0, 20);
    D0->shared.evtchn_pending[0] |= 1UL << 20;
    um.port = 20;
    ck_assert_int_eq(evtchn_unmask(&D0->ev, &um), 0);
    ck_assert(port_masked(D0, 20));
    ck_assert_uint_eq(total_kicks(D0), 0);

    ck_assert_int_eq(bind_ipi(D0, 2, &p), 0);
    mask_port(D0, p);
    ck_assert_int_eq(evtchn_send(&D0->ev, p), 0);
    ck_assert_uint_eq(total_kicks(D0), 0);
    um.port = p;
    ck_assert_int_eq(evtchn_unmask(&D0->ev, &um), 0);
    ck_assert(!port_masked(D0, p));
    ck_assert_uint_eq(D0->shared.vcpu_info[2].evtchn_upcall_pending, 1);
    ck_assert_uint_eq(D0->kicks[2], 1);
}
END_TEST

static void exhaust(struct fake_domain *f, unsigned int max_port)
{
    evtchn_port_t p;

    for (unsigned int want = 1; want <= max_port; want++) {
        ck_assert_int_eq(alloc_unbound(f, DOMID_SELF, 0, &p), 0);
        ck_assert_uint_eq(p, want);
    }
    ck_assert_int_eq(alloc_unbound(f, DOMID_SELF, 0, &p), -XEN_ENOSPC);
}

START_TEST(port_exhaustion_and_reuse)
{
    evtchn_port_t p;
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    ck_assert_int_eq(fake_init_domain(2, 2, false, 2, 100), 0);
    exhaust(D2, 100);
    ck_assert_int_eq(bind_ipi(D2, 0, &p), -XEN_ENOSPC);
    ck_assert_int_eq(evtchn_bind_virq(&D2->ev, &bv), -XEN_ENOSPC);
    ck_assert_int_eq(bind_interdomain(D2, 2, 5, &p), -XEN_ENOSPC);
    ck_assert_int_eq(evtchn_close(&D2->ev, 42, true), 0);
    ck_assert_int_eq(bind_ipi(D2, 1, &p), 0);
    ck_assert_uint_eq(p, 42);
    /* Buckets cover max_port and no more. */
    ck_assert_uint_eq(D2->ev.valid_ports, 128);
}
END_TEST

START_TEST(all_4095_ports_of_the_2l_abi)
{
    ck_assert_int_eq(fake_init_domain(2, 2, false, 1, EVTCHN_2L_MAX_PORTS - 1), 0);
    exhaust(D2, EVTCHN_2L_MAX_PORTS - 1);
    ck_assert_uint_eq(D2->ev.valid_ports, EVTCHN_2L_MAX_PORTS);
    evtchn_2l_set_pending(&D2->ev, 0, 4095);
    ck_assert(port_pending(D2, 4095));
}
END_TEST

START_TEST(port_allocation_out_of_memory)
{
    evtchn_port_t p;

    for (unsigned int i = 1; i < EVTCHN_BUCKET_PORTS; i++)
        ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 0, &p), 0);
    fake_allocs_until_failure = 0;
    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 0, &p), -XEN_ENOMEM);
    ck_assert_int_eq(bind_ipi(D1, 0, &p), -XEN_ENOMEM);
    fake_allocs_until_failure = -1;
    ck_assert_int_eq(bind_ipi(D1, 0, &p), 0);
    ck_assert_uint_eq(p, EVTCHN_BUCKET_PORTS);
}
END_TEST

/* The hypercall's path: guest_op_call runs the command's row of
 * event_channel_subops on the struct in (fake) guest memory. */
static long event_channel_op(struct fake_domain *d, uint32_t cmd, size_t offset)
{
    return guest_op_call(&event_channel_subops, cmd, fake_guest_ptr(offset), &d->ev,
                         d->ev.privileged);
}

START_TEST(dispatch_by_command)
{
    struct evtchn_alloc_unbound *alloc = fake_guest_at(0);
    struct evtchn_close *close = fake_guest_at(0);
    struct evtchn_set_priority *prio = fake_guest_at(0);

    fake_guest_reset();
    alloc->dom = DOMID_SELF;
    alloc->remote_dom = 0;
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_alloc_unbound, 0), 0);
    ck_assert_uint_eq(alloc->port, 1);

    /* A failure writes nothing back. */
    alloc->dom = 0;
    alloc->port = 77;
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_alloc_unbound, 0), -XEN_EPERM);
    ck_assert_uint_eq(alloc->port, 77);

    close->port = 1;
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_close, 0), 0);
    ck_assert_uint_eq(fake_guest_writes, 1);        /* only alloc_unbound's */
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_close, 0), -XEN_EINVAL);

    memset(fake_guest_at(0), 0, 64);
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_init_control, 0), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_expand_array, 0), -XEN_EOPNOTSUPP);
    prio->port = 1;
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_set_priority, 0), -XEN_ENOSYS);
    prio->port = 5000;
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_set_priority, 0), -XEN_EINVAL);
    /* No bind_pirq hook: no domain has physical IRQs. */
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_bind_pirq, 0), -XEN_EPERM);

    /* Unknown commands are refused before the argument is read. */
    unsigned int reads = fake_guest_reads;
    ck_assert_int_eq(event_channel_op(D1, 14, 0), -XEN_ENOSYS);
    ck_assert_int_eq(event_channel_op(D1, 0xFFFFFFFFu, 0), -XEN_ENOSYS);
    ck_assert_uint_eq(fake_guest_reads, reads);
    ck_assert_uint_eq(D1->ev.active_ports, 0);
}
END_TEST

/* The argument sizes are Xen's: a struct that ends one byte short of the
 * guest's memory faults, one that fits does not. */
START_TEST(arguments_are_read_at_xen_sizes)
{
    struct { uint32_t cmd; size_t size; } sizes[] = {
        { EVTCHNOP_status, 24 }, { EVTCHNOP_alloc_unbound, 8 },
        { EVTCHNOP_bind_interdomain, 12 }, { EVTCHNOP_init_control, 24 },
        { EVTCHNOP_send, 4 }, { EVTCHNOP_bind_virq, 12 },
    };

    for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        fake_guest_reset();
        ck_assert_int_eq(event_channel_op(D1, sizes[i].cmd, FAKE_GUEST_SIZE - sizes[i].size + 1),
                         -XEN_EFAULT);
        ck_assert_int_ne(event_channel_op(D1, sizes[i].cmd, FAKE_GUEST_SIZE - sizes[i].size),
                         -XEN_EFAULT);
    }
}
END_TEST

/* An out struct the guest cannot write back: the op took effect, the
 * guest is told -EFAULT (as Xen). */
START_TEST(copy_back_fault_is_efault)
{
    struct evtchn_alloc_unbound *alloc = fake_guest_at(0);

    fake_guest_reset();
    alloc->dom = DOMID_SELF;
    alloc->remote_dom = 0;
    fake_guest_read_only(0, sizeof(*alloc));
    ck_assert_int_eq(event_channel_op(D1, EVTCHNOP_alloc_unbound, 0), -XEN_EFAULT);
    ck_assert_uint_eq(D1->ev.active_ports, 1);
}
END_TEST

static Suite *ops_suite(void)
{
    Suite *s = suite_create("evtchn_ops");
    TCase *tc = tcase_create("ops");

    tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
    tcase_add_test(tc, port_zero_is_reserved_and_first_port_is_one);
    tcase_add_test(tc, ports_beyond_the_allocated_buckets_are_invalid);
    tcase_add_test(tc, init_rejects_bad_configurations);
    tcase_add_test(tc, init_reports_out_of_memory_without_leaking);
    tcase_add_test(tc, alloc_unbound_self_and_for_others);
    tcase_add_test(tc, alloc_unbound_errors);
    tcase_add_test(tc, bind_ipi_and_errors);
    tcase_add_test(tc, status_permissions);
    tcase_add_test(tc, bind_vcpu_moves_delivery);
    tcase_add_test(tc, unmask_op_rules);
    tcase_add_test(tc, port_exhaustion_and_reuse);
    tcase_add_test(tc, all_4095_ports_of_the_2l_abi);
    tcase_add_test(tc, port_allocation_out_of_memory);
    tcase_add_test(tc, dispatch_by_command);
    tcase_add_test(tc, arguments_are_read_at_xen_sizes);
    tcase_add_test(tc, copy_back_fault_is_efault);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(ops_suite());
}
