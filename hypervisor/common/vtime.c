/*
 * PV time records: choosing tsc_to_system_mul/tsc_shift for a TSC
 * frequency, and publishing vcpu_time_info and the wall clock under the
 * version protocol the guest's reader expects.
 */
#include "vtime.h"

#define NSEC_PER_SEC 1000000000ull

/*
 * ns per tick is 10^9 / hz = mul / 2^32 * 2^shift.  Pick shift so that the
 * ratio scaled by 2^-shift lies in [1/2, 1), then mul = that ratio * 2^32
 * by binary long division (no 128-bit divide: libgcc is not linked).
 */
int vtime_scale_from_hz(uint64_t tsc_hz, struct vtime_scale *out)
{
    uint64_t num = NSEC_PER_SEC, den = tsc_hz, rem;
    uint32_t mul = 0;
    int shift = 0, bit;

    if (tsc_hz < VTIME_MIN_TSC_HZ || tsc_hz > VTIME_MAX_TSC_HZ)
        return -XEN_EINVAL;
    while (num >= den) {
        den <<= 1;
        shift++;
    }
    while ((num << 1) < den) {
        num <<= 1;
        shift--;
    }
    rem = num;
    for (bit = 0; bit < 32; bit++) {
        rem <<= 1;
        mul <<= 1;
        if (rem >= den) {
            rem -= den;
            mul |= 1;
        }
    }
    /* Round to nearest unless that would overflow 32 bits. */
    if ((rem << 1) >= den && mul != UINT32_MAX)
        mul++;
    out->mul = mul;
    out->shift = (int8_t)shift;
    return 0;
}

/* The guest can write this page too, so start from whatever it holds. */
static uint32_t begin_update(uint32_t *version)
{
    uint32_t odd = (__atomic_load_n(version, __ATOMIC_RELAXED) + 1) | 1;

    __atomic_store_n(version, odd, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    return odd;
}

static void end_update(uint32_t *version, uint32_t odd)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(version, odd + 1, __ATOMIC_RELAXED);
}

void vtime_publish(struct vcpu_time_info *t, uint64_t tsc,
                   uint64_t system_time_ns, const struct vtime_scale *scale,
                   uint8_t flags)
{
    volatile struct vcpu_time_info *vt = t;
    uint32_t odd = begin_update(&t->version);

    vt->tsc_timestamp = tsc;
    vt->system_time = system_time_ns;
    vt->tsc_to_system_mul = scale->mul;
    vt->tsc_shift = scale->shift;
    vt->flags = flags;
    end_update(&t->version, odd);
}

int vtime_publish_wallclock(struct shared_info *s, uint64_t sec, uint32_t nsec)
{
    volatile struct shared_info *vs = s;
    uint32_t odd;

    if (nsec >= NSEC_PER_SEC)
        return -XEN_EINVAL;
    odd = begin_update(&s->wc_version);
    vs->wc_sec = (uint32_t)sec;
    vs->wc_sec_hi = (uint32_t)(sec >> 32);
    vs->wc_nsec = nsec;
    end_update(&s->wc_version, odd);
    return 0;
}

int vtime_wallclock_at_boot(uint64_t now_sec, uint32_t now_nsec,
                            uint64_t system_time_ns,
                            uint64_t *boot_sec, uint32_t *boot_nsec)
{
    uint64_t up_sec = system_time_ns / NSEC_PER_SEC;
    uint32_t up_nsec = (uint32_t)(system_time_ns % NSEC_PER_SEC);

    if (now_nsec >= NSEC_PER_SEC)
        return -XEN_EINVAL;
    if (now_sec < up_sec || (now_sec == up_sec && now_nsec < up_nsec))
        return -XEN_EINVAL;
    if (now_nsec < up_nsec) {
        now_nsec += NSEC_PER_SEC;
        now_sec--;
    }
    *boot_sec = now_sec - up_sec;
    *boot_nsec = now_nsec - up_nsec;
    return 0;
}
