/*
 * PV time: the per-vCPU vcpu_time_info record (pvclock) and the wall
 * clock in shared_info, published under the ABI's version protocol.
 *
 * A guest turns a TSC reading into system time (ns since boot) as
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift) * mul >> 32)
 * with a right shift for a negative tsc_shift; vtime_scale_delta is that
 * formula, for the hypervisor's own use of the same timebase.
 */
#ifndef SUBFLOOR_VTIME_H
#define SUBFLOOR_VTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "public/errno.h"
#include "public/xen.h"

/* Frequencies vtime_scale_from_hz accepts: 1 kHz to 1 THz. */
#define VTIME_MIN_TSC_HZ 1000ull
#define VTIME_MAX_TSC_HZ 1000000000000ull

struct vtime_scale {
    uint32_t mul;     /* in [2^31, 2^32): the most precise choice */
    int8_t shift;
};

/* 0, or -XEN_EINVAL for a frequency outside the range above. */
int vtime_scale_from_hz(uint64_t tsc_hz, struct vtime_scale *out);

static inline uint64_t vtime_scale_delta(uint64_t delta, uint32_t mul,
                                         int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    /* A 64x32 product needs 96 bits; x86-64 multiplies to 128 inline. */
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/*
 * Publish "at TSC `tsc` the system time was `system_time_ns`": version
 * odd, fields, version even, with barriers between so that a reader on
 * another CPU retries rather than see a torn record.
 */
void vtime_publish(struct vcpu_time_info *t, uint64_t tsc,
                   uint64_t system_time_ns, const struct vtime_scale *scale,
                   uint8_t flags);

/* The wall-clock time at system time 0; -XEN_EINVAL if nsec >= 10^9. */
int vtime_publish_wallclock(struct shared_info *s, uint64_t sec, uint32_t nsec);

/*
 * Wall time at system time 0 from the wall time `now_*` observed at
 * system time `system_time_ns` (what XENPF_settime gives); -XEN_EINVAL
 * for nsec >= 10^9 or a wall time earlier than system time allows.
 */
int vtime_wallclock_at_boot(uint64_t now_sec, uint32_t now_nsec,
                            uint64_t system_time_ns,
                            uint64_t *boot_sec, uint32_t *boot_nsec);

#endif /* SUBFLOOR_VTIME_H */
