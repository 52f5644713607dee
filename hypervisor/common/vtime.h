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
#include <stddef.h>
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

/* The record "at TSC `tsc` the system time was `system_time_ns`", with
 * version 0 (publishing sets it). */
void vtime_record(struct vcpu_time_info *rec, uint64_t tsc,
                  uint64_t system_time_ns, const struct vtime_scale *scale,
                  uint8_t flags);

/* The even version that follows `current` (which the guest may have
 * scribbled on: odd or even, any value). */
uint32_t vtime_next_version(uint32_t current);

/*
 * Write len bytes of a record at `offset` into wherever ctx says: 0, or
 * non-zero when that failed (e.g. a guest address that faulted).
 */
typedef int (*vtime_copy_fn)(void *ctx, size_t offset, const void *src, size_t len);

/*
 * The version protocol the guest's reader expects, on any destination:
 * version - 1 (odd) into the version word, the rest of `rec` in one copy,
 * then `version` (even), with release fences between so a reader on
 * another CPU retries rather than see a torn record.  0; -XEN_EINVAL for
 * an odd `version`; -XEN_EFAULT when a copy failed: if the first did,
 * nothing was written; otherwise the final version was still written, so
 * a reader is never left spinning on an odd one.
 */
int vtime_publish_copy(vtime_copy_fn copy, void *ctx, uint32_t version,
                       const struct vcpu_time_info *rec);

/*
 * Publish into hypervisor-mapped memory (vcpu_info's record): the
 * protocol above with the version that follows what *t holds.  Returns
 * that (even) version, so a copy elsewhere can carry the same one.
 */
uint32_t vtime_publish_record(struct vcpu_time_info *t, const struct vcpu_time_info *rec);

/* vtime_record + vtime_publish_record. */
uint32_t vtime_publish(struct vcpu_time_info *t, uint64_t tsc,
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
