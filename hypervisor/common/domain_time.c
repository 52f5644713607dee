/*
 * A domain's PV system time and what the guest reads of it: the
 * per-vCPU pvclock records and the wall clock, published with WB's
 * vtime code.
 *
 * The clock is defined by the very formula the guest evaluates: system
 * time = ns0 + scale(tsc - tsc0), anchored once when the domain is built.
 * Every record published later is a sample of that same line, so a
 * re-publication can move a guest's reading forward by at most a rounding
 * nanosecond, never backwards, and timer deadlines (which the guest
 * computes from its records) compare against exactly the time it sees.
 */
#include "cpu.h"
#include "domain.h"
#include "domain_time.h"
#include "printk.h"
#include "rtc.h"
#include "time.h"
#include "vtime.h"

#define NS_PER_SEC 1000000000ull

uint64_t domain_now_ns(const struct domain *d)
{
    const struct domain_clock *c = &d->clock;

    if (!c->valid)
        return time_now_ns();
    return c->ns0 + vtime_scale_delta(rdtsc() - c->tsc0, c->scale.mul, c->scale.shift);
}

void vcpu_time_publish(struct vcpu *v)
{
    const struct domain_clock *c = &v->domain->clock;

    if (!c->valid || !v->vcpu_info)
        return;
    uint64_t tsc = rdtsc();
    uint64_t now = c->ns0 + vtime_scale_delta(tsc - c->tsc0, c->scale.mul, c->scale.shift);
    /* No PVCLOCK_TSC_STABLE_BIT: with one CPU it would be true, but it
     * asks Linux for a vDSO time area we do not keep yet. */
    vtime_publish(&v->vcpu_info->time, tsc, now, &c->scale, 0);
    /* Linux derives the TSC frequency from shared_info's slot for vCPU 0
     * even after it moved its vcpu_info elsewhere: keep that one valid. */
    struct vcpu_info *legacy = v->vcpu_id < XEN_LEGACY_MAX_VCPUS
                                   ? &v->domain->shared_info->vcpu_info[v->vcpu_id] : NULL;
    if (legacy && legacy != v->vcpu_info)
        vtime_publish(&legacy->time, tsc, now, &c->scale, 0);
}

static void publish_wallclock(struct domain *d)
{
    uint64_t now_sec, boot_sec;
    uint32_t boot_nsec;

    if (rtc_read_unix_time(&now_sec)) {
        printk(LOG_WARNING, "d%u: the RTC holds no valid date: wall clock starts at 1970",
               d->domid);
        now_sec = 0;
    }
    if (vtime_wallclock_at_boot(now_sec, 0, domain_now_ns(d), &boot_sec, &boot_nsec)) {
        /* The RTC says it is earlier than our uptime allows: start at 0. */
        boot_sec = 0;
        boot_nsec = 0;
    }
    vtime_publish_wallclock(d->shared_info, boot_sec, boot_nsec);
}

void domain_time_init(struct domain *d)
{
    struct domain_clock *c = &d->clock;

    if (vtime_scale_from_hz(tsc_khz() * 1000, &c->scale)) {
        printk(LOG_ERR, "d%u: the TSC is not calibrated (%lu kHz): guests get no clock",
               d->domid, tsc_khz());
        return;
    }
    c->tsc0 = rdtsc();
    c->ns0 = time_now_ns();
    c->valid = true;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_time_publish(d->vcpus[i]);
    publish_wallclock(d);
}
