/*
 * 2-level delivery: pending, mask, selector and upcall bits, and when the
 * target vCPU is kicked.
 */
#define _GNU_SOURCE     /* CPU affinity */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "check_main.h"
#include "test_cpus.h"
#include "fake_domains.h"

#define D0 (&fake[0])

START_TEST(unmasked_port_raises_selector_upcall_and_kick)
{
    evtchn_2l_set_pending(&D0->ev, 1, 70);
    ck_assert(port_pending(D0, 70));
    ck_assert_uint_eq(pending_sel(D0, 1), 1UL << 1);
    ck_assert_uint_eq(D0->shared.vcpu_info[1].evtchn_upcall_pending, 1);
    ck_assert_uint_eq(D0->kicks[1], 1);
    ck_assert_uint_eq(total_kicks(D0), 1);
    ck_assert_uint_eq(pending_sel(D0, 0), 0);
}
END_TEST

START_TEST(already_pending_port_does_not_rekick)
{
    evtchn_2l_set_pending(&D0->ev, 0, 5);
    guest_ack_upcall(D0, 0);           /* pending bit itself stays set */
    evtchn_2l_set_pending(&D0->ev, 0, 5);
    ck_assert_uint_eq(pending_sel(D0, 0), 0);
    ck_assert_uint_eq(D0->shared.vcpu_info[0].evtchn_upcall_pending, 0);
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(second_port_in_same_word_does_not_rekick)
{
    evtchn_2l_set_pending(&D0->ev, 0, 3);
    evtchn_2l_set_pending(&D0->ev, 0, 9);
    ck_assert(port_pending(D0, 3) && port_pending(D0, 9));
    ck_assert_uint_eq(pending_sel(D0, 0), 1);
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(outstanding_upcall_gets_new_selector_without_kick)
{
    evtchn_2l_set_pending(&D0->ev, 0, 3);
    evtchn_2l_set_pending(&D0->ev, 0, 200);
    ck_assert_uint_eq(pending_sel(D0, 0), (1UL << 0) | (1UL << 3));
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(selector_bit_is_port_word)
{
    static const struct { evtchn_port_t port; unsigned int bit; } cases[] = {
        {1, 0}, {63, 0}, {64, 1}, {127, 1}, {128, 2}, {2047, 31},
        {4032, 63}, {4095, 63},
    };
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        guest_ack_upcall(D0, 2);
        evtchn_2l_set_pending(&D0->ev, 2, cases[i].port);
        ck_assert_msg(pending_sel(D0, 2) == 1UL << cases[i].bit,
                      "port %u: selector %#lx", cases[i].port,
                      (unsigned long)pending_sel(D0, 2));
        evtchn_2l_clear_pending(&D0->ev, cases[i].port);
        ck_assert(!port_pending(D0, cases[i].port));
    }
    ck_assert_uint_eq(D0->kicks[2], 8);
}
END_TEST

START_TEST(masked_port_then_unmask_raises_upcall)
{
    mask_port(D0, 100);
    evtchn_2l_set_pending(&D0->ev, 0, 100);
    ck_assert(port_pending(D0, 100));
    ck_assert_uint_eq(pending_sel(D0, 0), 0);
    ck_assert_uint_eq(D0->shared.vcpu_info[0].evtchn_upcall_pending, 0);
    ck_assert_uint_eq(total_kicks(D0), 0);

    evtchn_2l_unmask(&D0->ev, 0, 100);
    ck_assert(!port_masked(D0, 100));
    ck_assert_uint_eq(pending_sel(D0, 0), 1UL << 1);
    ck_assert_uint_eq(D0->shared.vcpu_info[0].evtchn_upcall_pending, 1);
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(unmask_of_idle_or_unmasked_port_delivers_nothing)
{
    mask_port(D0, 10);
    evtchn_2l_unmask(&D0->ev, 0, 10);          /* masked, not pending */
    ck_assert(!port_masked(D0, 10));
    ck_assert_uint_eq(pending_sel(D0, 0), 0);

    /* Pending but never masked: the guest already saw it, no second upcall. */
    evtchn_2l_set_pending(&D0->ev, 0, 11);
    guest_ack_upcall(D0, 0);
    evtchn_2l_unmask(&D0->ev, 0, 11);
    ck_assert_uint_eq(pending_sel(D0, 0), 0);
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(upcall_mask_does_not_stop_marking)
{
    /* evtchn_upcall_mask gates the upcall itself, which the hypervisor's
     * exit path checks; the bits are still set and the vCPU still woken. */
    D0->shared.vcpu_info[0].evtchn_upcall_mask = 1;
    evtchn_2l_set_pending(&D0->ev, 0, 1);
    ck_assert_uint_eq(D0->shared.vcpu_info[0].evtchn_upcall_pending, 1);
    ck_assert_uint_eq(D0->kicks[0], 1);
}
END_TEST

START_TEST(missing_vcpu_info_sets_only_pending)
{
    D0->hide_vcpu_info[3] = true;
    evtchn_2l_set_pending(&D0->ev, 3, 7);
    ck_assert(port_pending(D0, 7));
    ck_assert_uint_eq(pending_sel(D0, 3), 0);
    ck_assert_uint_eq(total_kicks(D0), 0);
}
END_TEST

START_TEST(out_of_range_targets_are_ignored)
{
    evtchn_2l_set_pending(&D0->ev, FAKE_NR_VCPUS, 7);
    evtchn_2l_set_pending(&D0->ev, 0, EVTCHN_2L_MAX_PORTS);
    evtchn_2l_unmask(&D0->ev, 0, EVTCHN_2L_MAX_PORTS);
    evtchn_2l_clear_pending(&D0->ev, EVTCHN_2L_MAX_PORTS);
    for (unsigned int w = 0; w < 64; w++)
        ck_assert_uint_eq(D0->shared.evtchn_pending[w], 0);
    ck_assert_uint_eq(total_kicks(D0), 0);
    ck_assert(evtchn_2l_is_masked(&D0->ev, EVTCHN_2L_MAX_PORTS));
    ck_assert(!evtchn_2l_is_pending(&D0->ev, EVTCHN_2L_MAX_PORTS));
}
END_TEST

START_TEST(other_bits_in_the_words_survive)
{
    D0->shared.evtchn_pending[1] = 0xF0F0;
    D0->shared.vcpu_info[0].evtchn_pending_sel = 1UL << 40;
    evtchn_2l_set_pending(&D0->ev, 0, 64);
    ck_assert_uint_eq(D0->shared.evtchn_pending[1], 0xF0F1);
    ck_assert_uint_eq(pending_sel(D0, 0), (1UL << 40) | (1UL << 1));
    evtchn_2l_clear_pending(&D0->ev, 64 + 4);
    ck_assert_uint_eq(D0->shared.evtchn_pending[1], 0xF0E1);
}
END_TEST

/*
 * A guest vCPU consuming events as Linux's 2-level handler does, on its
 * own thread, while the hypervisor raises ports that share words with
 * each other.  A non-atomic or misordered update would lose a pending or
 * selector bit and leave a raised port unconsumed forever, or let a port
 * be consumed twice.
 *
 * No clock: a lost port is recognised for certain, not by waiting long
 * enough.  The guest counts the times it looks at its upcall flag and
 * finds it clear; once it has done so twice since both ports were raised
 * (the first may have begun before) and a port is still pending, nothing
 * will ever make it look again -- only the hypervisor sets that flag.
 * Given two CPUs, each side has its own, so that they act at the same
 * time; both yield while they wait on each other, so that sharing one
 * busy CPU costs no time slices.
 */
#define RACE_ROUNDS 4000u
#define WAIT_YIELD 64           /* yield every so many polls */

struct guest_race {
    struct fake_domain *f;
    int cpu;                    /* the guest's CPU, or -1 */
    bool stop;
    unsigned long idle_looks;   /* upcall flag found clear (atomic) */
    unsigned long consumed;
};

static void *guest_handler(void *arg)
{
    struct guest_race *g = arg;
    struct shared_info *s = &g->f->shared;
    struct vcpu_info *vi = &s->vcpu_info[1];

    pin_to(g->cpu);
    while (!__atomic_load_n(&g->stop, __ATOMIC_SEQ_CST)) {
        if (!__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST)) {
            unsigned long n = __atomic_add_fetch(&g->idle_looks, 1, __ATOMIC_SEQ_CST);
            if (n % WAIT_YIELD == 0)
                sched_yield();
            continue;
        }
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        xen_ulong_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
                                              __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);
            sel &= sel - 1;
            xen_ulong_t bits = __atomic_load_n(&s->evtchn_pending[w],
                                               __ATOMIC_SEQ_CST) &
                               ~__atomic_load_n(&s->evtchn_mask[w],
                                                __ATOMIC_SEQ_CST);
            while (bits) {
                xen_ulong_t bit = bits & -bits;
                bits &= bits - 1;
                __atomic_fetch_and(&s->evtchn_pending[w], ~bit,
                                   __ATOMIC_SEQ_CST);
                g->consumed++;
            }
        }
    }
    return NULL;
}

/* Until the guest has consumed both ports (true), or provably never will
 * (false). */
static bool wait_consumed(struct guest_race *g, evtchn_port_t a,
                          evtchn_port_t b)
{
    unsigned long looks_at_raise = __atomic_load_n(&g->idle_looks, __ATOMIC_SEQ_CST);

    for (unsigned long polls = 1;; polls++) {
        /* The count first: a port pending after it was pending during
         * those looks, as only the guest clears it. */
        unsigned long looks = __atomic_load_n(&g->idle_looks, __ATOMIC_SEQ_CST);
        if (!evtchn_2l_is_pending(&g->f->ev, a) && !evtchn_2l_is_pending(&g->f->ev, b))
            return true;
        if (looks >= looks_at_raise + 2)
            return false;
        if (polls % WAIT_YIELD == 0)
            sched_yield();
    }
}

START_TEST(no_event_lost_against_a_concurrent_guest)
{
    static struct guest_race g;
    cpu_set_t cpus;
    pthread_t t;

    memset(&g, 0, sizeof(g));
    g.f = D0;
    ck_assert_int_eq(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
    g.cpu = nth_cpu(&cpus, 1);
    pin_to(g.cpu < 0 ? -1 : nth_cpu(&cpus, 0));
    ck_assert_int_eq(pthread_create(&t, NULL, guest_handler, &g), 0);
    for (unsigned int i = 0; i < RACE_ROUNDS; i++) {
        evtchn_port_t a = 1 + (i % 62), b = a + 1 + (i % 3);
        evtchn_2l_set_pending(&D0->ev, 1, a);
        evtchn_2l_set_pending(&D0->ev, 1, b);
        if (!wait_consumed(&g, a, b)) {
            __atomic_store_n(&g.stop, true, __ATOMIC_SEQ_CST);
            pthread_join(t, NULL);
            ck_abort_msg("ports %u/%u raised at round %u are pending, but the "
                         "guest's upcall flag is clear (pending %d/%d, selector %#lx)",
                         a, b, i, evtchn_2l_is_pending(&D0->ev, a),
                         evtchn_2l_is_pending(&D0->ev, b),
                         (unsigned long)pending_sel(D0, 1));
        }
    }
    __atomic_store_n(&g.stop, true, __ATOMIC_SEQ_CST);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    sched_setaffinity(0, sizeof(cpus), &cpus);
    /* Two distinct ports a round, each consumed before the next round:
     * each raise is consumed exactly once. */
    ck_assert_uint_eq(g.consumed, 2 * RACE_ROUNDS);
}
END_TEST

static Suite *delivery_suite(void)
{
    Suite *s = suite_create("evtchn_2l_delivery");
    TCase *tc = tcase_create("delivery");

    tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
    tcase_add_test(tc, unmasked_port_raises_selector_upcall_and_kick);
    tcase_add_test(tc, already_pending_port_does_not_rekick);
    tcase_add_test(tc, second_port_in_same_word_does_not_rekick);
    tcase_add_test(tc, outstanding_upcall_gets_new_selector_without_kick);
    tcase_add_test(tc, selector_bit_is_port_word);
    tcase_add_test(tc, masked_port_then_unmask_raises_upcall);
    tcase_add_test(tc, unmask_of_idle_or_unmasked_port_delivers_nothing);
    tcase_add_test(tc, upcall_mask_does_not_stop_marking);
    tcase_add_test(tc, missing_vcpu_info_sets_only_pending);
    tcase_add_test(tc, out_of_range_targets_are_ignored);
    tcase_add_test(tc, other_bits_in_the_words_survive);
    tcase_add_test(tc, no_event_lost_against_a_concurrent_guest);
    /* Every round of the race is a hand-over between two threads: with both
     * CPUs busy with other work each can cost a time slice. */
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(delivery_suite());
}
