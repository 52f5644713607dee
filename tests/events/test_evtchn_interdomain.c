/*
 * Channels between domains: bind_interdomain, send, close from either
 * side, reset, ports whose consumer is Xen, and domain teardown.
 */
#include <string.h>

#include "check_main.h"
#include "fake_domains.h"

#define D0 (&fake[0])
#define D1 (&fake[1])
#define D2 (&fake[2])

START_TEST(bind_interdomain_links_both_ends)
{
    evtchn_port_t p1, p0;
    struct evtchn_status st;

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 0, &p1), 0);
    ck_assert_int_eq(bind_interdomain(D0, 1, p1, &p0), 0);

    ck_assert_int_eq(status_of(D0, DOMID_SELF, p0, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 1);
    ck_assert_uint_eq(st.u.interdomain.port, p1);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p1, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 0);
    ck_assert_uint_eq(st.u.interdomain.port, p0);

    /* Xen marks the new local end pending in case a send was lost. */
    ck_assert(port_pending(D0, p0));
    ck_assert_uint_eq(D0->kicks[0], 1);
    ck_assert(!port_pending(D1, p1));
}
END_TEST

START_TEST(bind_interdomain_errors)
{
    evtchn_port_t p1, p2, lp;

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 2, &p1), 0);
    /* Waiting for dom2, not dom0. */
    ck_assert_int_eq(bind_interdomain(D0, 1, p1, &lp), -XEN_EINVAL);
    ck_assert_int_eq(bind_interdomain(D0, 1, 30, &lp), -XEN_EINVAL);   /* free */
    ck_assert_int_eq(bind_interdomain(D0, 1, 0, &lp), -XEN_EINVAL);    /* reserved */
    ck_assert_int_eq(bind_interdomain(D0, 1, 4000, &lp), -XEN_EINVAL); /* invalid */
    ck_assert_int_eq(bind_interdomain(D0, 9, p1, &lp), -XEN_ESRCH);
    ck_assert_int_eq(bind_interdomain(D0, DOMID_XEN, p1, &lp), -XEN_ESRCH);
    ck_assert_uint_eq(D0->ev.active_ports, 0);

    /* Once bound, the port can not be bound a second time. */
    ck_assert_int_eq(bind_interdomain(D2, 1, p1, &lp), 0);
    ck_assert_int_eq(bind_interdomain(D2, 1, p1, &lp), -XEN_EINVAL);
    /* An IPI port is not an offer either. */
    ck_assert_int_eq(bind_ipi(D2, 0, &p2), 0);
    ck_assert_int_eq(bind_interdomain(D0, 2, p2, &lp), -XEN_EINVAL);
}
END_TEST

START_TEST(loopback_within_one_domain)
{
    evtchn_port_t a, b;

    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, DOMID_SELF, &a), 0);
    ck_assert_int_eq(bind_interdomain(D1, DOMID_SELF, a, &b), 0);
    ck_assert_uint_ne(a, b);
    evtchn_2l_clear_pending(&D1->ev, b);
    ck_assert_int_eq(evtchn_send(&D1->ev, b), 0);
    ck_assert(port_pending(D1, a));
    ck_assert_int_eq(evtchn_close(&D1->ev, a, true), 0);
    ck_assert_uint_eq(state_of(D1, b), EVTCHNSTAT_unbound);
}
END_TEST

START_TEST(send_reaches_the_right_end)
{
    evtchn_port_t p1, p0, ipi, unb;

    connect_d1_to_d0(&p1, &p0);
    evtchn_2l_clear_pending(&D0->ev, p0);
    ck_assert_int_eq(evtchn_send(&D0->ev, p0), 0);
    ck_assert(port_pending(D1, p1));
    ck_assert(!port_pending(D0, p0));
    ck_assert_uint_eq(D1->kicks[0], 1);
    ck_assert_int_eq(evtchn_send(&D1->ev, p1), 0);
    ck_assert(port_pending(D0, p0));

    ck_assert_int_eq(bind_ipi(D1, 2, &ipi), 0);
    ck_assert_int_eq(evtchn_send(&D1->ev, ipi), 0);
    ck_assert(port_pending(D1, ipi));
    ck_assert_uint_eq(pending_sel(D1, 2), 1UL << (ipi / 64));
    ck_assert_uint_eq(D1->kicks[2], 1);

    /* Unbound: dropped silently, as Xen does. */
    ck_assert_int_eq(alloc_unbound(D1, DOMID_SELF, 0, &unb), 0);
    ck_assert_int_eq(evtchn_send(&D1->ev, unb), 0);
    ck_assert(!port_pending(D1, unb));
    ck_assert_int_eq(evtchn_send(&D1->ev, 40), -XEN_EINVAL);      /* free */
    ck_assert_int_eq(evtchn_send(&D1->ev, 0xFFFF), -XEN_EINVAL);  /* invalid */
}
END_TEST

START_TEST(close_from_either_side_leaves_peer_waiting)
{
    evtchn_port_t p1, p0, again;
    struct evtchn_status st;

    /* dom0 closes: dom1's end waits for dom0 again and can be rebound. */
    connect_d1_to_d0(&p1, &p0);
    ck_assert(port_pending(D0, p0));
    ck_assert_int_eq(evtchn_close(&D0->ev, p0, true), 0);
    ck_assert(!port_pending(D0, p0));           /* stale bit cleared */
    ck_assert_uint_eq(state_of(D0, p0), EVTCHNSTAT_closed);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, p1, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 0);
    ck_assert_int_eq(evtchn_close(&D0->ev, p0, true), -XEN_EINVAL);
    ck_assert_int_eq(bind_interdomain(D0, 1, p1, &again), 0);
    ck_assert_uint_eq(again, p0);

    /* dom1 closes: dom0's end waits for dom1. */
    ck_assert_int_eq(evtchn_close(&D1->ev, p1, true), 0);
    ck_assert_int_eq(status_of(D0, DOMID_SELF, again, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 1);
    ck_assert_int_eq(evtchn_send(&D0->ev, again), 0);   /* now dropped */
    ck_assert_uint_eq(D0->ev.active_ports, 1);
    ck_assert_uint_eq(D1->ev.active_ports, 0);
}
END_TEST

START_TEST(reset_closes_everything_guest_owned)
{
    evtchn_port_t p1, p0, xp, ipi;
    struct evtchn_reset rs = { .dom = DOMID_SELF };

    connect_d1_to_d0(&p1, &p0);
    ck_assert_int_eq(bind_ipi(D1, 1, &ipi), 0);
    ck_assert_int_eq(evtchn_alloc_unbound_xen(&D1->ev, 0, 0, &xp), 0);
    ck_assert_int_eq(evtchn_reset(&D1->ev, &rs), 0);
    ck_assert_uint_eq(D1->ev.active_ports, 1);          /* Xen's port stays */
    ck_assert_uint_eq(state_of(D1, ipi), EVTCHNSTAT_closed);
    ck_assert_uint_eq(state_of(D0, p0), EVTCHNSTAT_unbound);
    ck_assert_int_eq(bind_ipi(D1, 0, &ipi), 0);
    ck_assert_uint_eq(ipi, 1);
}
END_TEST

START_TEST(reset_of_another_domain)
{
    evtchn_port_t p;
    struct evtchn_reset rs = { .dom = 1 };

    ck_assert_int_eq(bind_ipi(D1, 0, &p), 0);
    ck_assert_int_eq(evtchn_reset(&D2->ev, &rs), -XEN_EPERM);
    ck_assert_int_eq(evtchn_reset(&D0->ev, &rs), -XEN_EINVAL);   /* running */
    D1->paused = true;
    ck_assert_int_eq(evtchn_reset(&D0->ev, &rs), 0);
    ck_assert_uint_eq(D1->ev.active_ports, 0);
    rs.dom = 6;
    ck_assert_int_eq(evtchn_reset(&D0->ev, &rs), -XEN_ESRCH);
}
END_TEST

START_TEST(ports_consumed_by_xen)
{
    evtchn_port_t xp, gp;
    struct evtchn_status st;

    ck_assert_int_eq(evtchn_alloc_unbound_xen(&D1->ev, FAKE_NR_VCPUS, 0, &xp),
                     -XEN_ENOENT);
    ck_assert_int_eq(evtchn_alloc_unbound_xen(&D1->ev, 1, 0, &xp), 0);
    ck_assert_int_eq(evtchn_close(&D1->ev, xp, true), -XEN_EINVAL);
    ck_assert_int_eq(status_of(D1, DOMID_SELF, xp, &st), -XEN_EACCES);
    ck_assert_int_eq(evtchn_send(&D1->ev, xp), -XEN_EINVAL);
    ck_assert_int_eq(bind_vcpu(D1, xp, 2), -XEN_EINVAL);

    /* dom0 binds to it; its sends reach Xen's hook, never dom1's bitmap. */
    ck_assert_int_eq(bind_interdomain(D0, 1, xp, &gp), 0);
    ck_assert_int_eq(evtchn_send(&D0->ev, gp), 0);
    ck_assert_uint_eq(D1->xen_notifies, 1);
    ck_assert_uint_eq(D1->last_xen_port, xp);
    ck_assert(!port_pending(D1, xp));
    ck_assert_uint_eq(total_kicks(D1), 0);

    /* The hypervisor (not the guest) may close it. */
    ck_assert_int_eq(evtchn_close(&D1->ev, xp, false), 0);
    ck_assert_uint_eq(D1->ev.xen_ports, 0);
    ck_assert_uint_eq(state_of(D0, gp), EVTCHNSTAT_unbound);
}
END_TEST

START_TEST(teardown_unbinds_peers_and_frees_memory)
{
    evtchn_port_t p1, p0;
    struct evtchn_status st;

    connect_d1_to_d0(&p1, &p0);
    evtchn_domain_teardown(&D1->ev);
    D1->live = false;
    ck_assert_int_eq(status_of(D0, DOMID_SELF, p0, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 1);
    ck_assert_int_eq(fake_live_allocs, 4);   /* dom0 and dom2: table + bucket */
    evtchn_domain_teardown(&D1->ev);         /* twice is harmless */
}
END_TEST

static Suite *interdomain_suite(void)
{
    Suite *s = suite_create("evtchn_interdomain");
    TCase *tc = tcase_create("interdomain");

    tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
    tcase_add_test(tc, bind_interdomain_links_both_ends);
    tcase_add_test(tc, bind_interdomain_errors);
    tcase_add_test(tc, loopback_within_one_domain);
    tcase_add_test(tc, send_reaches_the_right_end);
    tcase_add_test(tc, close_from_either_side_leaves_peer_waiting);
    tcase_add_test(tc, reset_closes_everything_guest_owned);
    tcase_add_test(tc, reset_of_another_domain);
    tcase_add_test(tc, ports_consumed_by_xen);
    tcase_add_test(tc, teardown_unbinds_peers_and_frees_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(interdomain_suite());
}
