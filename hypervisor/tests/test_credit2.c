/* Host tests of the Credit2 policy (common/credit2*.c) on a simulated
 * clock: a driver plays the mechanism, calling c2_schedule on each CPU at
 * the `until` it was given and whenever the policy asks for a CPU, and
 * keeps its own account of who ran where and for how long. */
#include <check.h>
#include "check_main.h"
#include <string.h>
#include "credit2_sim.h"

/* --- shares ---------------------------------------------------------- */

START_TEST(weights_512_to_256_get_two_to_one)
{
    sim_init(1, 2);
    ck_assert_int_eq(c2_set_weight(&sim.dom[0], 512), 0);
    ck_assert_int_eq(c2_set_weight(&sim.dom[1], 256), 0);
    start_all();
    run_until(10 * SEC);
    audit();
    double ratio = (double)sim.ran[0] / (double)sim.ran[1];
    ck_assert_msg(ratio > 1.9 && ratio < 2.1, "ratio %.3f (%llu vs %llu ns)",
                  ratio, (unsigned long long)sim.ran[0],
                  (unsigned long long)sim.ran[1]);
    ck_assert_uint_eq(sim.ran[0] + sim.ran[1], 10 * SEC);
    /* The policy's own account agrees with what the driver saw. */
    ck_assert_uint_eq(charged(0), sim.ran[0]);
    ck_assert_uint_eq(charged(1), sim.ran[1]);
    ck_assert_uint_gt(sim.s.resets, 100);
}
END_TEST

START_TEST(equal_weights_share_evenly)
{
    sim_init(1, 3);
    start_all();
    run_until(5 * SEC);
    for (unsigned int i = 0; i < 3; i++) {
        double share = (double)sim.ran[i] / (double)(5 * SEC);
        ck_assert_msg(share > 0.31 && share < 0.36, "v%u share %.3f", i, share);
    }
}
END_TEST

START_TEST(cap_25_alone_gets_25_percent)
{
    sim_init(1, 1);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 25), 0);
    start_all();
    run_until(10 * SEC);
    audit();
    double share = (double)sim.ran[0] / (double)(10 * SEC);
    ck_assert_msg(share > 0.23 && share < 0.27, "capped share %.4f", share);
}
END_TEST

START_TEST(cap_25_with_uncapped_competitor)
{
    sim_init(1, 2);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 25), 0);
    start_all();
    run_until(10 * SEC);
    audit();
    double capped = (double)sim.ran[0] / (double)(10 * SEC);
    double other = (double)sim.ran[1] / (double)(10 * SEC);
    ck_assert_msg(capped > 0.23 && capped < 0.27, "capped share %.4f", capped);
    ck_assert_msg(other > 0.73, "uncapped share %.4f", other);
    ck_assert_uint_eq(sim.ran[0] + sim.ran[1], 10 * SEC);
}
END_TEST

START_TEST(cap_150_spreads_over_two_vcpus)
{
    sim_init(2, 2);
    /* One domain, two vCPUs. */
    c2_remove_vcpu(&sim.s, &sim.v[1]);
    c2_vcpu_init(&sim.s, &sim.v[1], &sim.dom[0], 1);
    ck_assert_int_eq(sim.dom[0].nr_vcpus, 2);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 150), 0);
    start_all();
    run_until(10 * SEC);
    audit();
    double total = (double)(sim.ran[0] + sim.ran[1]) / (double)(10 * SEC);
    ck_assert_msg(total > 1.45 && total < 1.55, "two vCPUs used %.3f CPUs", total);
}
END_TEST

START_TEST(removing_the_cap_unparks)
{
    sim_init(1, 1);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 10), 0);
    start_all();
    run_until(5 * MS);
    ck_assert_int_eq(sim.v[0].where, C2_AT_PARKED);
    ck_assert_uint_eq(sim.until[0], 10 * MS);   /* back at the refill */
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 0), 0);
    drain(-1);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    run_until(1 * SEC);
    ck_assert_uint_gt(sim.ran[0], 990 * MS);
}
END_TEST

/* --- wake-up boost and rate limit -------------------------------------- */

START_TEST(woken_with_more_credit_preempts)
{
    sim_init(1, 2);
    wake(0);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    run_until(5 * MS);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    /* v1 slept all along with its full credit; v0 has spent 5 ms. */
    ck_assert_int_eq(c2_wake(&sim.s, &sim.v[1], sim.now), 0);
    sched_cpu(0);
    ck_assert_ptr_eq(sim.running[0], &sim.v[1]);
    ck_assert_int_eq(sim.v[0].state, C2_RUNNABLE);
    ck_assert_uint_eq(sim.v[1].wake_latency.count, 1);
    ck_assert_uint_eq(sim.v[1].wake_latency.max, 0);
    audit();
}
END_TEST

START_TEST(woken_with_less_credit_does_not_preempt)
{
    sim_init(1, 2);
    wake(1);
    run_until(8 * MS);                   /* v1 spends 8 ms, then blocks */
    sleep_v(1, C2_BLOCKED);
    ck_assert_ptr_eq(sim.running[0], NULL);
    wake(0);                             /* v0 has 10 ms of credit */
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    sim.now += 2 * MS;
    ck_assert_int_eq(c2_wake(&sim.s, &sim.v[1], sim.now), -1);
    sched_cpu(0);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    audit();
}
END_TEST

START_TEST(wake_prefers_an_idle_cpu)
{
    sim_init(2, 2);
    wake(0);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    ck_assert_int_eq(wake(1), 1);
    ck_assert_ptr_eq(sim.running[1], &sim.v[1]);
    audit();
}
END_TEST

START_TEST(rate_limit_holds_then_yields)
{
    sim_init(1, 2);
    wake(0);
    run_until(200 * US);
    sim.v[1].credit = sim.v[0].credit + 5 * MS;   /* a clear winner */
    ck_assert_int_eq(c2_wake(&sim.s, &sim.v[1], sim.now), 0);
    sched_cpu(0);
    /* v0 has run 200 us of its 1 ms: it keeps the CPU until then. */
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    ck_assert_uint_eq(sim.until[0], 1 * MS);
    run_until(1 * MS);
    ck_assert_ptr_eq(sim.running[0], &sim.v[1]);
    ck_assert_uint_eq(sim.v[1].wake_latency.max, 800 * US);
    audit();
}
END_TEST

START_TEST(rate_limit_does_not_hold_a_blocker)
{
    sim_init(1, 2);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 5000), 0);
    wake(0);
    wake(1);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    run_until(300 * US);
    sleep_v(0, C2_BLOCKED);
    ck_assert_ptr_eq(sim.running[0], &sim.v[1]);
    audit();
}
END_TEST

START_TEST(rate_limit_bounds_switches)
{
    /* Four equal vCPUs on a CPU never switch faster than the limit. */
    sim_init(1, 4);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 2000), 0);
    start_all();
    run_until(1 * SEC);
    uint64_t switches = 0;
    for (unsigned int i = 0; i < 4; i++)
        switches += sim.runs[i];
    ck_assert_uint_le(switches, 1 * SEC / (2 * MS) + 1);
    ck_assert_uint_gt(switches, 1 * SEC / (10 * MS));
}
END_TEST

/* --- starvation -------------------------------------------------------- */

START_TEST(no_starvation_with_extreme_weights)
{
    static const unsigned int w[6] = { 1, 10, 256, 1000, 30000, 65535 };
    uint64_t sum = 0;

    sim_init(2, 6);
    for (unsigned int i = 0; i < 6; i++) {
        ck_assert_int_eq(c2_set_weight(&sim.dom[i], w[i]), 0);
        sum += w[i];
    }
    start_all();
    run_until(300 * SEC);
    audit();
    for (unsigned int i = 0; i < 6; i++) {
        /* Its share of two CPUs, taken at least a rate limit at a time,
         * makes the longest fair wait; allow three times that. */
        uint64_t fair_gap = 1 * MS * sum / (2 * w[i]);
        uint64_t bound = 3 * fair_gap + 100 * MS;
        ck_assert_msg(sim.runs[i] >= 3, "v%u (weight %u) ran %llu times", i, w[i],
                      (unsigned long long)sim.runs[i]);
        ck_assert_msg(sim.max_gap[i] <= bound,
                      "v%u (weight %u) waited %llu ms, bound %llu ms", i, w[i],
                      (unsigned long long)(sim.max_gap[i] / MS),
                      (unsigned long long)(bound / MS));
    }
    ck_assert_uint_gt(sim.s.resets, 1000);
    /* Heavier never gets less. */
    for (unsigned int i = 1; i < 6; i++)
        ck_assert_uint_ge(sim.ran[i] + 2 * MS, sim.ran[i - 1]);
}
END_TEST

/* --- affinity ---------------------------------------------------------- */

static void random_events(unsigned int ncpu, unsigned int nv, unsigned int steps)
{
    for (unsigned int step = 0; step < steps; step++) {
        unsigned int i = (unsigned int)(rng() % nv);
        switch (rng() % 8) {
        case 0: case 1: case 2:
            wake(i);
            break;
        case 3: case 4:
            sleep_v(i, (rng() & 1) ? C2_BLOCKED : C2_OFFLINE);
            break;
        case 5: {
            uint64_t hard = rng() & ((1ULL << ncpu) - 1);
            uint64_t soft = (rng() & 1) ? ~0ULL : rng() & ((1ULL << ncpu) - 1);
            int rc = c2_set_affinity(&sim.s, &sim.v[i], hard, soft);
            ck_assert_int_eq(rc, hard ? 0 : -22);
            drain(-1);
            break;
        }
        case 6:
            ck_assert_int_eq(c2_set_weight(&sim.dom[i], 1 + (unsigned int)(rng() % 65535)), 0);
            break;
        case 7:
            ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[i], (unsigned int)(rng() % 101)), 0);
            drain(-1);
            break;
        }
        audit();
        run_until(sim.now + rng() % (3 * MS));
        audit();
    }
}

START_TEST(hard_affinity_is_never_violated)
{
    static const unsigned int rqs[4] = { 0, 0, 1, 1 };

    for (uint64_t seed = 1; seed <= 4; seed++) {
        rng_state = 0x9e3779b97f4a7c15ULL * seed;
        sim_init(4, 10);
        ck_assert_int_eq(c2_set_runqueues(&sim.s, rqs), 0);
        audit();
        random_events(4, 10, 3000);
        /* sched_cpu checked every decision; the totals must add up. */
        uint64_t total = 0;
        for (unsigned int i = 0; i < sim.nv; i++) {
            ck_assert_uint_eq(charged(i), sim.ran[i]);
            total += sim.ran[i];
        }
        ck_assert_uint_le(total, 4 * sim.now);
    }
}
END_TEST

START_TEST(soft_affinity_is_preferred)
{
    sim_init(2, 1);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0x3, 0x2), 0);
    /* Both CPUs idle: it goes to the one it prefers, even if the other
     * decides first. */
    int c = c2_wake(&sim.s, &sim.v[0], 0);
    ck_assert_int_eq(c, 1);
    sched_cpu(0);
    ck_assert_ptr_eq(sim.running[0], NULL);
    sched_cpu(1);
    ck_assert_ptr_eq(sim.running[1], &sim.v[0]);
    audit();
}
END_TEST

START_TEST(soft_affinity_holds_through_block_wake_churn)
{
    /* Two vCPUs, each preferring the CPU the other was placed on, block
     * and wake at random: there is always room for both where they
     * prefer, so that is where they run. */
    rng_state = 12345;
    sim_init(2, 2);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0x3, 0x2), 0);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[1], 0x3, 0x1), 0);
    for (unsigned int step = 0; step < 2000; step++) {
        unsigned int i = (unsigned int)(rng() % 2);
        if (rng() & 1)
            wake(i);
        else
            sleep_v(i, C2_BLOCKED);
        audit();
        run_until(sim.now + rng() % (2 * MS));
    }
    for (unsigned int i = 0; i < 2; i++) {
        ck_assert_uint_gt(sim.ran[i], 100 * MS);
        ck_assert_uint_eq(sim.on_soft[i], sim.ran[i]);
    }
}
END_TEST

START_TEST(pinned_vcpus_stay_put_across_runqueues)
{
    static const unsigned int rqs[2] = { 0, 1 };

    sim_init(2, 4);
    ck_assert_int_eq(c2_set_runqueues(&sim.s, rqs), 0);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[i], 0x1, ~0ULL), 0);
    start_all();
    run_until(1 * SEC);
    audit();
    ck_assert_uint_eq(sim.ran[0] + sim.ran[1] + sim.ran[2] + sim.ran[3], 1 * SEC);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_uint_eq(sim.v[i].rq, 0);
}
END_TEST

START_TEST(load_spreads_over_runqueues)
{
    static const unsigned int rqs[4] = { 0, 0, 1, 1 };

    sim_init(4, 8);
    ck_assert_int_eq(c2_set_runqueues(&sim.s, rqs), 0);
    /* All start on CPU 0's runqueue. */
    for (unsigned int i = 0; i < 8; i++)
        ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[i], 0x1, ~0ULL), 0);
    for (unsigned int i = 0; i < 8; i++)
        ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[i], 0xf, ~0ULL), 0);
    start_all();
    run_until(2 * SEC);
    audit();
    for (unsigned int i = 0; i < 8; i++) {
        double share = (double)sim.ran[i] / (double)(2 * SEC);
        ck_assert_msg(share > 0.40 && share < 0.60, "v%u share %.3f", i, share);
    }
}
END_TEST

START_TEST(regrouping_runqueues_moves_members)
{
    static const unsigned int split[4] = { 0, 0, 1, 1 };
    static const unsigned int one[4] = { 0, 0, 0, 0 };

    sim_init(4, 8);
    start_all();
    run_until(50 * MS);
    audit();
    ck_assert_int_eq(c2_set_runqueues(&sim.s, split), 0);
    ck_assert_uint_eq(sim.s.nr_rqs, 2);
    audit();                     /* each member is where its CPU now is */
    run_until(1 * SEC);
    audit();
    ck_assert_int_eq(c2_set_runqueues(&sim.s, one), 0);
    audit();
    run_until(2 * SEC);
    audit();
    for (unsigned int i = 0; i < 8; i++) {
        ck_assert_uint_eq(sim.v[i].rq, 0);
        double share = (double)sim.ran[i] / (double)(2 * SEC);
        ck_assert_msg(share > 0.40 && share < 0.60, "v%u share %.3f", i, share);
    }
}
END_TEST

START_TEST(affinity_change_evicts_the_runner)
{
    sim_init(2, 1);
    wake(0);
    ck_assert_ptr_eq(sim.running[0], &sim.v[0]);
    run_until(3 * MS);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0x2, ~0ULL), 0);
    ck_assert_uint_eq(c2_take_tickles(&sim.s), 0x1);
    sched_cpu(0);                /* CPU 0 lets go and CPU 1 is asked */
    ck_assert_ptr_eq(sim.running[0], NULL);
    drain(-1);
    ck_assert_ptr_eq(sim.running[1], &sim.v[0]);
    audit();
}
END_TEST

START_TEST(block_wake_cycles_keep_the_books)
{
    /* One CPU, three vCPUs sleeping and waking in a fixed rhythm: the
     * time handed out equals the time charged, and every runnable
     * stretch that ended is in the wait histogram. */
    sim_init(1, 3);
    start_all();
    for (unsigned int k = 0; k < 300; k++) {
        unsigned int i = k % 3;
        sleep_v(i, C2_BLOCKED);
        audit();
        run_until(sim.now + 700 * US);
        wake(i);
        audit();
        run_until(sim.now + 1300 * US);
    }
    uint64_t total = 0;
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_uint_eq(charged(i), sim.ran[i]);
        ck_assert_uint_eq(sim.v[i].wake_latency.count, 100 + 1);
        total += sim.ran[i];
    }
    /* The CPU was never idle while someone was runnable. */
    ck_assert_uint_eq(total, sim.now);
}
END_TEST

/* --- parameters -------------------------------------------------------- */

START_TEST(bad_parameters_are_refused_and_change_nothing)
{
    sim_init(2, 2);
    ck_assert_int_eq(c2_set_weight(&sim.dom[0], 0), -22);
    ck_assert_int_eq(c2_set_weight(&sim.dom[0], 65536), -22);
    ck_assert_uint_eq(sim.dom[0].weight, 256);
    ck_assert_int_eq(c2_set_weight(&sim.dom[0], 65535), 0);
    ck_assert_int_eq(c2_set_weight(&sim.dom[0], 1), 0);
    ck_assert_uint_eq(sim.dom[0].weight, 1);

    /* One vCPU: at most 100. */
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 101), -22);
    ck_assert_uint_eq(sim.dom[0].cap, 0);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 100), 0);
    ck_assert_int_eq(c2_set_cap(&sim.s, &sim.dom[0], 70000), -22);
    ck_assert_uint_eq(sim.dom[0].cap, 100);

    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 99), -22);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 500001), -22);
    ck_assert_uint_eq(sim.s.ratelimit_ns, 1000 * US);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 100), 0);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 500000), 0);
    ck_assert_int_eq(c2_set_ratelimit_us(&sim.s, 0), 0);   /* off, as Xen */
    ck_assert_uint_eq(sim.s.ratelimit_ns, 0);

    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0x2, 0x2), 0);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0, ~0ULL), -22);
    ck_assert_int_eq(c2_set_affinity(&sim.s, &sim.v[0], 0x4, ~0ULL), -22); /* offline */
    ck_assert_uint_eq(sim.v[0].hard_affinity, 0x2);
    ck_assert_uint_eq(sim.v[0].soft_affinity, 0x2);

    static const unsigned int bad_rqs[2] = { 0, 2 };
    ck_assert_int_eq(c2_set_runqueues(&sim.s, bad_rqs), -22);
    ck_assert_uint_eq(sim.s.nr_rqs, 1);
    ck_assert_uint_eq(sim.s.rq[0].cpus, 0x3);
}
END_TEST

START_TEST(removed_vcpu_leaves_every_queue)
{
    sim_init(1, 3);
    start_all();
    run_until(3 * MS);
    struct c2_vcpu *r = sim.running[0];
    ck_assert_ptr_nonnull(r);
    unsigned int gone = idx(r), queued = (gone + 1) % 3;
    c2_remove_vcpu(&sim.s, &sim.v[queued]);
    c2_remove_vcpu(&sim.s, r);
    ck_assert_ptr_eq(sim.s.pcpu[0].curr, NULL);
    ck_assert_uint_ne(c2_take_tickles(&sim.s) & 1, 0);
    sim.running[0] = NULL;
    sched_cpu(0);
    unsigned int left = 3 - gone - queued;
    ck_assert_ptr_eq(sim.running[0], &sim.v[left]);
    ck_assert_uint_eq(sim.dom[gone].nr_vcpus, 0);
    ck_assert_ptr_eq(sim.v[queued].queue.next, &sim.v[queued].queue);
}
END_TEST

/* --- stats ------------------------------------------------------------- */

START_TEST(histogram_percentiles)
{
    struct c2_hist h;
    memset(&h, 0, sizeof(h));
    ck_assert_uint_eq(c2_hist_percentile(&h, 50), 0);
    for (unsigned int i = 0; i < 90; i++)
        c2_hist_add(&h, 1000);           /* bucket [512, 1024) */
    for (unsigned int i = 0; i < 10; i++)
        c2_hist_add(&h, 3 * MS);
    ck_assert_uint_eq(h.count, 100);
    ck_assert_uint_eq(h.sum, 90 * 1000 + 30 * MS);
    ck_assert_uint_eq(h.max, 3 * MS);
    ck_assert_uint_eq(c2_hist_percentile(&h, 50), 1023);
    ck_assert_uint_eq(c2_hist_percentile(&h, 90), 1023);
    ck_assert_uint_eq(c2_hist_percentile(&h, 91), 3 * MS);
    ck_assert_uint_eq(c2_hist_percentile(&h, 100), 3 * MS);
    c2_hist_add(&h, UINT64_MAX / 2);
    ck_assert_uint_eq(c2_hist_percentile(&h, 100), UINT64_MAX / 2);
}
END_TEST

START_TEST(wait_time_is_recorded)
{
    sim_init(1, 2);
    start_all();
    run_until(100 * MS);
    for (unsigned int i = 0; i < 2; i++) {
        ck_assert_uint_gt(sim.v[i].wait_time.count, 5);
        ck_assert_uint_le(sim.v[i].wait_time.max, 10 * MS + 1 * MS);
    }
    /* v1 waited for v0's first slice before its first run. */
    ck_assert_uint_eq(sim.v[1].wake_latency.count, 1);
    ck_assert_uint_gt(sim.v[1].wake_latency.max, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("credit2");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, weights_512_to_256_get_two_to_one);
    tcase_add_test(tc, equal_weights_share_evenly);
    tcase_add_test(tc, cap_25_alone_gets_25_percent);
    tcase_add_test(tc, cap_25_with_uncapped_competitor);
    tcase_add_test(tc, cap_150_spreads_over_two_vcpus);
    tcase_add_test(tc, removing_the_cap_unparks);
    tcase_add_test(tc, woken_with_more_credit_preempts);
    tcase_add_test(tc, woken_with_less_credit_does_not_preempt);
    tcase_add_test(tc, wake_prefers_an_idle_cpu);
    tcase_add_test(tc, rate_limit_holds_then_yields);
    tcase_add_test(tc, rate_limit_does_not_hold_a_blocker);
    tcase_add_test(tc, rate_limit_bounds_switches);
    tcase_add_test(tc, no_starvation_with_extreme_weights);
    tcase_add_test(tc, hard_affinity_is_never_violated);
    tcase_add_test(tc, soft_affinity_is_preferred);
    tcase_add_test(tc, soft_affinity_holds_through_block_wake_churn);
    tcase_add_test(tc, pinned_vcpus_stay_put_across_runqueues);
    tcase_add_test(tc, load_spreads_over_runqueues);
    tcase_add_test(tc, regrouping_runqueues_moves_members);
    tcase_add_test(tc, affinity_change_evicts_the_runner);
    tcase_add_test(tc, block_wake_cycles_keep_the_books);
    tcase_add_test(tc, bad_parameters_are_refused_and_change_nothing);
    tcase_add_test(tc, removed_vcpu_leaves_every_queue);
    tcase_add_test(tc, histogram_percentiles);
    tcase_add_test(tc, wait_time_is_recorded);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
