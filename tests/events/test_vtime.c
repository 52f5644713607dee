/*
 * PV time: mul/shift for TSC frequencies from 1 MHz to 10 GHz, checked by
 * a guest-side pvclock reader against exact arithmetic; the version
 * protocol (including against a concurrent reader); the wall clock.
 */
#define _GNU_SOURCE     /* CPU affinity */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "check_main.h"
#include "test_cpus.h"
#include "common/vtime.h"

#define NSEC_PER_SEC 1000000000ull

/* What a guest does (Linux's pvclock read), written independently. */
static uint64_t guest_read_ns(const struct vcpu_time_info *t, uint64_t tsc)
{
    const volatile struct vcpu_time_info *vt = t;
    uint32_t v1, v2;
    uint64_t ns;

    do {
        v1 = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
        uint64_t delta = tsc - vt->tsc_timestamp;
        int8_t shift = vt->tsc_shift;
        if (shift < 0)
            delta >>= -shift;
        else
            delta <<= shift;
        ns = vt->system_time +
             (uint64_t)(((unsigned __int128)delta * vt->tsc_to_system_mul) >> 32);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        v2 = __atomic_load_n(&t->version, __ATOMIC_RELAXED);
    } while ((v1 & 1) || v1 != v2);
    return ns;
}

static uint64_t exact_ns(uint64_t ticks, uint64_t hz)
{
    return (uint64_t)((unsigned __int128)ticks * NSEC_PER_SEC / hz);
}

/*
 * The error budget: under 1 ns from each of the two truncations, plus the
 * rounding of mul, relatively at most 2^-31 of the elapsed time.
 */
static uint64_t allowed_error(uint64_t exact)
{
    return 2 + (exact >> 31);
}

static const uint64_t named_hz[] = {
    1000000, 1024000, 1193182, 3579545, 14318180, 25000000, 100000000,
    999999999, 1000000000, 1000000001, 2100000000, 2400000000ull,
    2999999999ull, 3700000000ull, 4294967296ull, 5000000000ull,
    9999999999ull, 10000000000ull,
};

static const uint64_t elapsed_ns[] = {
    0, 1, 999, 1000, 1000000, 123456789, NSEC_PER_SEC, 10 * NSEC_PER_SEC,
    60 * NSEC_PER_SEC, 3600 * NSEC_PER_SEC,
};

static void check_accuracy(uint64_t hz)
{
    struct vtime_scale sc;
    struct vcpu_time_info t;
    const uint64_t tsc0 = 0x123456789abull, sys0 = 987654321012ull;

    ck_assert_int_eq(vtime_scale_from_hz(hz, &sc), 0);
    ck_assert_msg(sc.mul >= (1u << 31), "%llu Hz: mul %#x not normalised",
                  (unsigned long long)hz, sc.mul);
    memset(&t, 0, sizeof(t));
    vtime_publish(&t, tsc0, sys0, &sc, XEN_PVCLOCK_TSC_STABLE_BIT);

    for (unsigned int i = 0; i < sizeof(elapsed_ns) / sizeof(elapsed_ns[0]); i++) {
        uint64_t ticks = (uint64_t)((unsigned __int128)elapsed_ns[i] * hz /
                                    NSEC_PER_SEC);
        for (uint64_t extra = 0; extra < 3; extra++) {
            uint64_t want = exact_ns(ticks + extra, hz);
            uint64_t got = guest_read_ns(&t, tsc0 + ticks + extra) - sys0;
            uint64_t err = got > want ? got - want : want - got;
            ck_assert_msg(err <= allowed_error(want),
                          "%llu Hz after %llu ticks: %llu ns, want %llu",
                          (unsigned long long)hz,
                          (unsigned long long)(ticks + extra),
                          (unsigned long long)got, (unsigned long long)want);
        }
    }
}

START_TEST(accuracy_at_named_frequencies)
{
    for (unsigned int i = 0; i < sizeof(named_hz) / sizeof(named_hz[0]); i++)
        check_accuracy(named_hz[i]);
}
END_TEST

START_TEST(accuracy_across_1mhz_to_10ghz)
{
    /* 400 steps, geometric, each nudged off round numbers. */
    double hz = 1e6;
    const double step = 1.0233738919967;     /* 10^(4/400) */
    for (unsigned int i = 0; i <= 400; i++, hz *= step)
        check_accuracy((uint64_t)hz + i * 7);
}
END_TEST

START_TEST(known_scales)
{
    struct vtime_scale sc;

    /* 1 GHz: 1 ns per tick = 2^31/2^32 * 2^1. */
    ck_assert_int_eq(vtime_scale_from_hz(1000000000, &sc), 0);
    ck_assert_uint_eq(sc.mul, 1u << 31);
    ck_assert_int_eq(sc.shift, 1);
    /* 2 GHz: 0.5 ns per tick, no shift. */
    ck_assert_int_eq(vtime_scale_from_hz(2000000000, &sc), 0);
    ck_assert_uint_eq(sc.mul, 1u << 31);
    ck_assert_int_eq(sc.shift, 0);
    /* 1 MHz: 1000 ns per tick = 1000/1024 * 2^10. */
    ck_assert_int_eq(vtime_scale_from_hz(1000000, &sc), 0);
    ck_assert_int_eq(sc.shift, 10);
    ck_assert_uint_eq(sc.mul, 4194304000u);
    /* 10 GHz: negative shift. */
    ck_assert_int_eq(vtime_scale_from_hz(10000000000ull, &sc), 0);
    ck_assert_int_eq(sc.shift, -3);
}
END_TEST

START_TEST(a_wrong_scale_fails_the_accuracy_check)
{
    /* The error budget is tight enough to catch a mul off by 2 ppm. */
    struct vtime_scale sc;
    struct vcpu_time_info t;
    uint64_t hz = 2400000000ull, ticks = hz;

    ck_assert_int_eq(vtime_scale_from_hz(hz, &sc), 0);
    sc.mul -= 8000;
    memset(&t, 0, sizeof(t));
    vtime_publish(&t, 0, 0, &sc, 0);
    uint64_t got = guest_read_ns(&t, ticks), want = exact_ns(ticks, hz);
    ck_assert_uint_gt(want - got, allowed_error(want));
}
END_TEST

START_TEST(frequency_limits)
{
    struct vtime_scale sc;

    ck_assert_int_eq(vtime_scale_from_hz(0, &sc), -XEN_EINVAL);
    ck_assert_int_eq(vtime_scale_from_hz(VTIME_MIN_TSC_HZ - 1, &sc), -XEN_EINVAL);
    ck_assert_int_eq(vtime_scale_from_hz(VTIME_MAX_TSC_HZ + 1, &sc), -XEN_EINVAL);
    ck_assert_int_eq(vtime_scale_from_hz(VTIME_MIN_TSC_HZ, &sc), 0);
    ck_assert_int_eq(vtime_scale_from_hz(VTIME_MAX_TSC_HZ, &sc), 0);
    ck_assert_uint_ge(sc.mul, 1u << 31);
}
END_TEST

START_TEST(publish_fills_fields_and_bumps_version_by_two)
{
    struct vtime_scale sc = { .mul = 0x87654321, .shift = -2 };
    struct vcpu_time_info t;

    memset(&t, 0xAA, sizeof(t));
    t.version = 40;
    vtime_publish(&t, 111, 222, &sc, XEN_PVCLOCK_TSC_STABLE_BIT);
    ck_assert_uint_eq(t.version, 42);
    ck_assert_uint_eq(t.tsc_timestamp, 111);
    ck_assert_uint_eq(t.system_time, 222);
    ck_assert_uint_eq(t.tsc_to_system_mul, 0x87654321);
    ck_assert_int_eq(t.tsc_shift, -2);
    ck_assert_uint_eq(t.flags, XEN_PVCLOCK_TSC_STABLE_BIT);

    /* A guest that scribbled an odd version still ends up even. */
    t.version = 7;
    vtime_publish(&t, 1, 2, &sc, 0);
    ck_assert_uint_eq(t.version & 1, 0);
    ck_assert_uint_gt(t.version, 7);
}
END_TEST

START_TEST(updates_keep_time_continuous)
{
    /* The hypervisor re-bases with its own copy of the formula; a reader
     * straddling the update sees time move forward by exactly the ticks. */
    struct vtime_scale sc;
    struct vcpu_time_info t;
    uint64_t hz = 3700000000ull, tsc = 1000, sys = 5;

    ck_assert_int_eq(vtime_scale_from_hz(hz, &sc), 0);
    memset(&t, 0, sizeof(t));
    vtime_publish(&t, tsc, sys, &sc, 0);
    for (int i = 0; i < 50; i++) {
        uint64_t next = tsc + hz;                  /* about one second */
        uint64_t before = guest_read_ns(&t, next);
        uint64_t sys_next = sys + vtime_scale_delta(next - tsc, sc.mul, sc.shift);
        vtime_publish(&t, next, sys_next, &sc, 0);
        ck_assert_uint_eq(guest_read_ns(&t, next), before);
        ck_assert_uint_ge(guest_read_ns(&t, next + 1), before);
        tsc = next;
        sys = sys_next;
    }
    ck_assert_uint_le(sys - 5, 50 * NSEC_PER_SEC + 100);
    ck_assert_uint_ge(sys - 5, 50 * NSEC_PER_SEC - 100);
}
END_TEST

/*
 * The writer publishes records whose fields all derive from one counter;
 * a reader that accepted a torn record would see them disagree.
 *
 * Bounded by counts, never by the clock: the reader makes at least
 * RACE_READS consistent reads and goes on until it has seen the record
 * change RACE_CHANGES times, so that reads and updates really
 * interleaved however the two threads were scheduled.  Given two CPUs,
 * each thread has its own, so that they act at the same instant; each
 * yields now and then (the writer every so many updates, the reader when
 * the record stays the same a while), so that sharing one busy CPU costs
 * no time slices.  RACE_CAP only turns a writer that never ran into a
 * failure that says so.
 */
#define RACE_READS 100000ul
#define RACE_CHANGES 1000ul
#define RACE_CAP 50000000ul
#define RACE_YIELD 256

struct race {
    struct vcpu_time_info t;
    int writer_cpu;             /* or -1 */
    bool stop;
    unsigned long torn;
    unsigned long reads;        /* consistent records accepted */
    unsigned long changes;      /* ... that differed from the one before */
    unsigned long retries;      /* reads that met an update in progress */
    unsigned long attempts;
};

/* A copy into guest memory that takes its time, byte by byte: a reader
 * then has room to land in the middle of an update, where a missing or
 * misplaced version bump would let it accept a torn record. */
static int slow_copy(void *ctx, size_t offset, const void *src, size_t len)
{
    volatile char *dst = (char *)ctx + offset;

    for (size_t i = 0; i < len; i++) {
        dst[i] = ((const char *)src)[i];
        for (volatile unsigned int spin = 0; spin < 4; spin++)
            ;
    }
    return 0;
}

static void *race_writer(void *arg)
{
    struct race *r = arg;
    struct vtime_scale sc;
    struct vcpu_time_info rec;

    pin_to(r->writer_cpu);
    for (uint64_t n = 1; !__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST); n++) {
        sc.mul = (uint32_t)n;
        sc.shift = (int8_t)(n % 7);
        /* Every other update through the slow copy: the protocol is the
         * same one vtime_publish follows. */
        if (n & 2) {
            vtime_record(&rec, n, n * 3, &sc, (uint8_t)(n & 1));
            vtime_publish_copy(slow_copy, &r->t,
                               vtime_next_version(__atomic_load_n(&r->t.version,
                                                                  __ATOMIC_RELAXED)),
                               &rec);
        } else {
            vtime_publish(&r->t, n, n * 3, &sc, (uint8_t)(n & 1));
        }
        /* Leave the reader windows of a stable record, as real updates do. */
        for (volatile unsigned int spin = 0; spin < (n % 64) * 8; spin++)
            ;
        if (n % RACE_YIELD == 0)
            sched_yield();
    }
    return NULL;
}

/* The reader runs on the test's own thread. */
static void race_reader(struct race *r)
{
    const volatile struct vcpu_time_info *vt = &r->t;
    uint64_t last_ts = 0;
    unsigned long same = 0;

    for (r->attempts = 0; r->attempts < RACE_CAP; r->attempts++) {
        if (r->reads >= RACE_READS && r->changes >= RACE_CHANGES)
            break;
        uint32_t v1 = __atomic_load_n(&r->t.version, __ATOMIC_ACQUIRE);
        uint64_t ts = vt->tsc_timestamp, st = vt->system_time;
        uint32_t mul = vt->tsc_to_system_mul;
        int8_t shift = vt->tsc_shift;
        uint8_t flags = vt->flags;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t v2 = __atomic_load_n(&r->t.version, __ATOMIC_RELAXED);
        if ((v1 & 1) || v1 != v2) {
            r->retries++;
            continue;
        }
        r->reads++;
        if (st != ts * 3 || mul != (uint32_t)ts || shift != (int8_t)(ts % 7) ||
            flags != (ts & 1))
            r->torn++;
        if (ts != last_ts) {
            r->changes++;
            last_ts = ts;
            same = 0;
        } else if (++same % RACE_YIELD == 0) {
            sched_yield();      /* the writer may be waiting for this CPU */
        }
    }
}

START_TEST(concurrent_reader_never_accepts_a_torn_record)
{
    static struct race r;
    pthread_t w;
    cpu_set_t cpus;
    struct vtime_scale sc = { .mul = 0, .shift = 0 };

    memset(&r, 0, sizeof(r));
    vtime_publish(&r.t, 0, 0, &sc, 0);
    ck_assert_int_eq(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
    r.writer_cpu = nth_cpu(&cpus, 1);
    pin_to(r.writer_cpu < 0 ? -1 : nth_cpu(&cpus, 0));
    ck_assert_int_eq(pthread_create(&w, NULL, race_writer, &r), 0);
    race_reader(&r);
    __atomic_store_n(&r.stop, true, __ATOMIC_SEQ_CST);
    ck_assert_int_eq(pthread_join(w, NULL), 0);
    sched_setaffinity(0, sizeof(cpus), &cpus);
    ck_assert_msg(r.torn == 0, "%lu torn records accepted of %lu", r.torn, r.reads);
    ck_assert_msg(r.reads >= RACE_READS && r.changes >= RACE_CHANGES,
                  "reads and updates hardly interleaved in %lu attempts: %lu reads, "
                  "%lu changes seen, %lu retries", r.attempts, r.reads, r.changes,
                  r.retries);
}
END_TEST

START_TEST(wallclock_publish)
{
    static struct shared_info s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(vtime_publish_wallclock(&s, 0x123456789ull, 999999999), 0);
    ck_assert_uint_eq(s.wc_sec, 0x23456789);
    ck_assert_uint_eq(s.wc_sec_hi, 0x1);
    ck_assert_uint_eq(s.wc_nsec, 999999999);
    ck_assert_uint_eq(s.wc_version, 2);
    ck_assert_int_eq(vtime_publish_wallclock(&s, 1700000000, 5), 0);
    ck_assert_uint_eq(s.wc_sec, 1700000000);
    ck_assert_uint_eq(s.wc_sec_hi, 0);
    ck_assert_uint_eq(s.wc_version, 4);

    ck_assert_int_eq(vtime_publish_wallclock(&s, 1, 1000000000), -XEN_EINVAL);
    ck_assert_uint_eq(s.wc_version, 4);
    ck_assert_uint_eq(s.wc_sec, 1700000000);
}
END_TEST

START_TEST(wallclock_at_boot)
{
    uint64_t sec;
    uint32_t nsec;

    ck_assert_int_eq(vtime_wallclock_at_boot(1000, 500000000,
                                             10700000000ull, &sec, &nsec), 0);
    ck_assert_uint_eq(sec, 989);
    ck_assert_uint_eq(nsec, 800000000);
    ck_assert_int_eq(vtime_wallclock_at_boot(1000, 900000000,
                                             10700000000ull, &sec, &nsec), 0);
    ck_assert_uint_eq(sec, 990);
    ck_assert_uint_eq(nsec, 200000000);
    ck_assert_int_eq(vtime_wallclock_at_boot(10, 700000000,
                                             10700000000ull, &sec, &nsec), 0);
    ck_assert_uint_eq(sec, 0);
    ck_assert_uint_eq(nsec, 0);

    ck_assert_int_eq(vtime_wallclock_at_boot(10, 699999999, 10700000000ull,
                                             &sec, &nsec), -XEN_EINVAL);
    ck_assert_int_eq(vtime_wallclock_at_boot(5, 0, 10700000000ull,
                                             &sec, &nsec), -XEN_EINVAL);
    ck_assert_int_eq(vtime_wallclock_at_boot(1000, 1000000000, 0,
                                             &sec, &nsec), -XEN_EINVAL);
}
END_TEST

/*
 * A destination that records what was written and fails the write with
 * the given index (0 = the odd version, 1 = the body, 2 = the even
 * version; -1 = none): the time area a guest registers may fault.
 */
struct fake_area {
    struct vcpu_time_info rec;
    int fail_at, writes;
};

static int fake_area_copy(void *ctx, size_t offset, const void *src, size_t len)
{
    struct fake_area *a = ctx;

    if (a->writes++ == a->fail_at)
        return -1;
    memcpy((char *)&a->rec + offset, src, len);
    return 0;
}

START_TEST(publish_copy_follows_the_protocol_and_survives_faults)
{
    struct vtime_scale sc = { .mul = 0x80000000, .shift = 1 };
    struct vcpu_time_info rec;
    struct fake_area a;

    vtime_record(&rec, 1000, 2000, &sc, XEN_PVCLOCK_TSC_STABLE_BIT);
    ck_assert_uint_eq(vtime_next_version(40), 42);
    ck_assert_uint_eq(vtime_next_version(7), 10);
    ck_assert_uint_eq(vtime_next_version(UINT32_MAX), 2);

    memset(&a, 0, sizeof(a));
    a.fail_at = -1;
    ck_assert_int_eq(vtime_publish_copy(fake_area_copy, &a, 42, &rec), 0);
    ck_assert_int_eq(a.writes, 3);
    ck_assert_uint_eq(a.rec.version, 42);
    ck_assert_uint_eq(a.rec.tsc_timestamp, 1000);
    ck_assert_uint_eq(a.rec.system_time, 2000);
    ck_assert_uint_eq(a.rec.flags, XEN_PVCLOCK_TSC_STABLE_BIT);

    /* An odd version would leave readers spinning: refused, nothing written. */
    memset(&a, 0, sizeof(a));
    a.fail_at = -1;
    ck_assert_int_eq(vtime_publish_copy(fake_area_copy, &a, 43, &rec), -XEN_EINVAL);
    ck_assert_int_eq(a.writes, 0);

    /* The first write faults: nothing else is tried. */
    memset(&a, 0, sizeof(a));
    a.fail_at = 0;
    ck_assert_int_eq(vtime_publish_copy(fake_area_copy, &a, 42, &rec), -XEN_EFAULT);
    ck_assert_int_eq(a.writes, 1);
    ck_assert_uint_eq(a.rec.version, 0);

    /* The body faults: the version still ends even. */
    memset(&a, 0, sizeof(a));
    a.fail_at = 1;
    ck_assert_int_eq(vtime_publish_copy(fake_area_copy, &a, 42, &rec), -XEN_EFAULT);
    ck_assert_int_eq(a.writes, 3);
    ck_assert_uint_eq(a.rec.version, 42);
}
END_TEST

START_TEST(publish_record_returns_the_version_it_wrote)
{
    struct vtime_scale sc = { .mul = 0x80000000, .shift = 0 };
    struct vcpu_time_info t, rec;

    memset(&t, 0, sizeof(t));
    t.version = 8;
    vtime_record(&rec, 5, 6, &sc, 0);
    ck_assert_uint_eq(vtime_publish_record(&t, &rec), 10);
    ck_assert_uint_eq(t.version, 10);
    ck_assert_uint_eq(t.system_time, 6);
}
END_TEST

static Suite *vtime_suite(void)
{
    Suite *s = suite_create("vtime");
    TCase *tc = tcase_create("vtime");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, accuracy_at_named_frequencies);
    tcase_add_test(tc, accuracy_across_1mhz_to_10ghz);
    tcase_add_test(tc, known_scales);
    tcase_add_test(tc, a_wrong_scale_fails_the_accuracy_check);
    tcase_add_test(tc, frequency_limits);
    tcase_add_test(tc, publish_fills_fields_and_bumps_version_by_two);
    tcase_add_test(tc, updates_keep_time_continuous);
    tcase_add_test(tc, concurrent_reader_never_accepts_a_torn_record);
    tcase_add_test(tc, wallclock_publish);
    tcase_add_test(tc, wallclock_at_boot);
    tcase_add_test(tc, publish_copy_follows_the_protocol_and_survives_faults);
    tcase_add_test(tc, publish_record_returns_the_version_it_wrote);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(vtime_suite());
}
