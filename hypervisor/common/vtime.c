/*
 * PV time records: choosing tsc_to_system_mul/tsc_shift for a TSC
 * frequency, and publishing vcpu_time_info and the wall clock under the
 * version protocol the guest's reader expects.
 */
#include <stddef.h>
#include <string.h>
#include "common/vtime.h"

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

void vtime_record(struct vcpu_time_info *rec, uint64_t tsc,
                  uint64_t system_time_ns, const struct vtime_scale *scale,
                  uint8_t flags)
{
    *rec = (struct vcpu_time_info){
        .tsc_timestamp = tsc,
        .system_time = system_time_ns,
        .tsc_to_system_mul = scale->mul,
        .tsc_shift = scale->shift,
        .flags = flags,
    };
}

uint32_t vtime_next_version(uint32_t current)
{
    return ((current + 1) | 1) + 1;
}

/* Everything after the version, in one piece. */
#define RECORD_BODY_OFFSET (offsetof(struct vcpu_time_info, version) + sizeof(uint32_t))
#define RECORD_BODY_SIZE   (sizeof(struct vcpu_time_info) - RECORD_BODY_OFFSET)

int vtime_publish_copy(vtime_copy_fn copy, void *ctx, uint32_t version,
                       const struct vcpu_time_info *rec)
{
    uint32_t odd = version - 1, even = version;

    if (version & 1)
        return -XEN_EINVAL;
    if (copy(ctx, 0, &odd, sizeof(odd)))
        return -XEN_EFAULT;         /* nothing written */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    int rc = copy(ctx, RECORD_BODY_OFFSET, (const char *)rec + RECORD_BODY_OFFSET,
                  RECORD_BODY_SIZE);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    /* Even after a failed body: the version word took a write a moment
     * ago, so it takes this one, and no reader is left spinning on an
     * odd version. */
    if (copy(ctx, 0, &even, sizeof(even)))
        return -XEN_EFAULT;
    return rc ? -XEN_EFAULT : 0;
}

/* The primary record is hypervisor-mapped memory: a plain store. */
static int copy_to_record(void *ctx, size_t offset, const void *src, size_t len)
{
    memcpy((char *)ctx + offset, src, len);
    return 0;
}

uint32_t vtime_publish_record(struct vcpu_time_info *t, const struct vcpu_time_info *rec)
{
    uint32_t version = vtime_next_version(__atomic_load_n(&t->version, __ATOMIC_RELAXED));

    vtime_publish_copy(copy_to_record, t, version, rec);
    return version;
}

uint32_t vtime_publish(struct vcpu_time_info *t, uint64_t tsc,
                       uint64_t system_time_ns, const struct vtime_scale *scale,
                       uint8_t flags)
{
    struct vcpu_time_info rec;

    vtime_record(&rec, tsc, system_time_ns, scale, flags);
    return vtime_publish_record(t, &rec);
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
