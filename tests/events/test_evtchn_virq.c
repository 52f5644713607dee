/*
 * VIRQ binding rules (per-vCPU vs global, -EEXIST on rebinding) and
 * raising VIRQs from the hypervisor side.
 */
#include <string.h>

#include "check_main.h"
#include "fake_domains.h"

#define D0 (&fake[0])
#define D1 (&fake[1])

static int bind_virq(struct fake_domain *f, uint32_t virq, uint32_t vcpu,
                     evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    int rc = evtchn_bind_virq(&f->ev, &op);

    if (rc == 0 && port)
        *port = op.port;
    return rc;
}

START_TEST(per_vcpu_virqs_get_a_port_per_vcpu)
{
    evtchn_port_t t0, t1, d3;
    struct evtchn_status st = { .dom = DOMID_SELF };

    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 0, &t0), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 1, &t1), 0);
    ck_assert_uint_ne(t0, t1);
    ck_assert_int_eq(bind_virq(D1, VIRQ_DEBUG, 3, &d3), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_XENOPROF, 2, NULL), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_XENPMU, 2, NULL), 0);

    st.port = t1;
    ck_assert_int_eq(evtchn_status(&D1->ev, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(st.u.virq, VIRQ_TIMER);
    ck_assert_uint_eq(st.vcpu, 1);
    ck_assert(evtchn_virq_bound(&D1->ev, 1, VIRQ_TIMER));
    ck_assert(!evtchn_virq_bound(&D1->ev, 2, VIRQ_TIMER));
}
END_TEST

START_TEST(rebinding_gives_eexist)
{
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 2, NULL), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 2, NULL), -XEN_EEXIST);
    ck_assert_int_eq(bind_virq(D0, VIRQ_CONSOLE, 0, NULL), 0);
    ck_assert_int_eq(bind_virq(D0, VIRQ_CONSOLE, 0, NULL), -XEN_EEXIST);
    ck_assert_uint_eq(D1->ev.active_ports, 1);
    ck_assert_uint_eq(D0->ev.active_ports, 1);
}
END_TEST

START_TEST(global_virqs_bind_only_on_vcpu0)
{
    static const uint32_t global[] = {
        VIRQ_CONSOLE, VIRQ_DOM_EXC, VIRQ_TBUF, VIRQ_CON_RING, VIRQ_PCPU_STATE,
        VIRQ_ENOMEM, VIRQ_ARCH_0, VIRQ_ARCH_7,
    };
    for (unsigned int i = 0; i < sizeof(global) / sizeof(global[0]); i++) {
        ck_assert(evtchn_virq_is_global(global[i]));
        ck_assert_int_eq(bind_virq(D0, global[i], 1, NULL), -XEN_EINVAL);
        ck_assert_int_eq(bind_virq(D0, global[i], 0, NULL), 0);
        ck_assert(evtchn_virq_bound(&D0->ev, 3, global[i]));
    }
}
END_TEST

START_TEST(bad_virq_and_vcpu)
{
    ck_assert_int_eq(bind_virq(D1, NR_VIRQS, 0, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind_virq(D1, 0xFFFFFFFFu, 0, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, FAKE_NR_VCPUS, NULL),
                     -XEN_ENOENT);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 0xFFFFFFFFu, NULL), -XEN_ENOENT);
    /* The global rule is checked before the vCPU exists. */
    ck_assert_int_eq(bind_virq(D1, VIRQ_CONSOLE, 0xFFFFFFFFu, NULL),
                     -XEN_EINVAL);
    ck_assert_uint_eq(D1->ev.active_ports, 0);
}
END_TEST

START_TEST(timer_virq_reaches_its_vcpu)
{
    evtchn_port_t t2;

    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 2, &t2), 0);
    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, 2, VIRQ_TIMER), 0);
    ck_assert(evtchn_2l_is_pending(&D1->ev, t2));
    ck_assert_uint_eq(pending_sel(D1, 2), 1UL << (t2 / 64));
    ck_assert_uint_eq(D1->kicks[2], 1);
    /* vCPU 1 has no timer port: nothing happens, no error. */
    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, 1, VIRQ_TIMER), 0);
    ck_assert_uint_eq(total_kicks(D1), 1);

    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, 2, VIRQ_CONSOLE),
                     -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, FAKE_NR_VCPUS, VIRQ_TIMER),
                     -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, 0, NR_VIRQS), -XEN_EINVAL);
}
END_TEST

START_TEST(global_virq_follows_bind_vcpu)
{
    evtchn_port_t c;
    struct evtchn_bind_vcpu bv;

    ck_assert_int_eq(evtchn_send_global_virq(&D0->ev, VIRQ_CONSOLE), 0);
    ck_assert_uint_eq(total_kicks(D0), 0);

    ck_assert_int_eq(bind_virq(D0, VIRQ_CONSOLE, 0, &c), 0);
    ck_assert_int_eq(evtchn_send_global_virq(&D0->ev, VIRQ_CONSOLE), 0);
    ck_assert(evtchn_2l_is_pending(&D0->ev, c));
    ck_assert_uint_eq(D0->kicks[0], 1);

    evtchn_2l_clear_pending(&D0->ev, c);
    bv.port = c;
    bv.vcpu = 3;
    ck_assert_int_eq(evtchn_bind_vcpu(&D0->ev, &bv), 0);
    ck_assert_int_eq(evtchn_send_global_virq(&D0->ev, VIRQ_CONSOLE), 0);
    ck_assert_uint_eq(D0->kicks[3], 1);
    ck_assert_uint_eq(pending_sel(D0, 3), 1UL << (c / 64));
    /* Still found through vCPU 0's table, as Xen keeps it. */
    ck_assert(evtchn_virq_bound(&D0->ev, 0, VIRQ_CONSOLE));
    ck_assert_int_eq(evtchn_send_global_virq(&D0->ev, VIRQ_TIMER), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send_global_virq(&D0->ev, NR_VIRQS), -XEN_EINVAL);

    /* Closing the moved port clears the binding so it can be rebound. */
    ck_assert_int_eq(evtchn_close(&D0->ev, c, true), 0);
    ck_assert(!evtchn_virq_bound(&D0->ev, 0, VIRQ_CONSOLE));
    ck_assert_int_eq(bind_virq(D0, VIRQ_CONSOLE, 0, NULL), 0);
}
END_TEST

START_TEST(per_vcpu_virq_port_cannot_move_or_be_sent)
{
    evtchn_port_t t;
    struct evtchn_bind_vcpu bv;

    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 1, &t), 0);
    bv.port = t;
    bv.vcpu = 0;
    ck_assert_int_eq(evtchn_bind_vcpu(&D1->ev, &bv), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(&D1->ev, t), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(&D1->ev, t, true), 0);
    ck_assert(!evtchn_virq_bound(&D1->ev, 1, VIRQ_TIMER));
    ck_assert_int_eq(evtchn_send_vcpu_virq(&D1->ev, 1, VIRQ_TIMER), 0);
    ck_assert(!evtchn_2l_is_pending(&D1->ev, t));
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 1, NULL), 0);
}
END_TEST

START_TEST(find_virq_scan_like_linux)
{
    /* After kexec Linux gets -EEXIST and scans ports with status until an
     * error, looking for its VIRQ on the right vCPU. */
    evtchn_port_t want, found = 0;
    struct evtchn_status st;

    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 0, NULL), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 3, &want), 0);
    ck_assert_int_eq(bind_virq(D1, VIRQ_TIMER, 3, NULL), -XEN_EEXIST);
    for (evtchn_port_t port = 0;; port++) {
        memset(&st, 0, sizeof(st));
        st.dom = DOMID_SELF;
        st.port = port;
        if (evtchn_status(&D1->ev, &st) < 0)
            break;
        if (st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER &&
            st.vcpu == 3)
            found = port;
    }
    ck_assert_uint_eq(found, want);
}
END_TEST

static Suite *virq_suite(void)
{
    Suite *s = suite_create("evtchn_virq");
    TCase *tc = tcase_create("virq");

    tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
    tcase_add_test(tc, per_vcpu_virqs_get_a_port_per_vcpu);
    tcase_add_test(tc, rebinding_gives_eexist);
    tcase_add_test(tc, global_virqs_bind_only_on_vcpu0);
    tcase_add_test(tc, bad_virq_and_vcpu);
    tcase_add_test(tc, timer_virq_reaches_its_vcpu);
    tcase_add_test(tc, global_virq_follows_bind_vcpu);
    tcase_add_test(tc, per_vcpu_virq_port_cannot_move_or_be_sent);
    tcase_add_test(tc, find_virq_scan_like_linux);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(virq_suite());
}
