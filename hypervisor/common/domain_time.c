/*
 * A domain's PV system time and what the guest reads of it: the
 * per-vCPU pvclock records (in vcpu_info, and the copy a guest may
 * register for its vDSO) and the wall clock, published with the vtime
 * code.
 *
 * The clock is defined by the very formula the guest evaluates: system
 * time = ns0 + scale(tsc - tsc0), anchored once when the domain is built.
 * Every record published later is a sample of that same line, so a
 * re-publication can move a guest's reading forward by at most a rounding
 * nanosecond, never backwards, and timer deadlines (which the guest
 * computes from its records) compare against exactly the time it sees.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/paging.h"
#include "arch/x86/rtc.h"
#include "arch/x86/time.h"
#include "common/domain.h"
#include "common/domain_time.h"
#include "common/vtime.h"
#include "lib/printk.h"

#define NS_PER_SEC 1000000000ull

uint64_t domain_now_ns(const struct domain *d)
{
    const struct domain_clock *c = &d->clock;

    if (!c->valid)
        return time_now_ns();
    return c->ns0 + vtime_scale_delta(rdtsc() - c->tsc0, c->scale.mul, c->scale.shift);
}

/* Guest addresses for vtime_publish_copy: the area is the context. */
static int copy_to_time_area(void *ctx, size_t offset, const void *src, size_t len)
{
    return copy_to_guest(guest_ptr_add(*(const guest_ptr_t *)ctx, offset), src, len);
}

/*
 * The copy of the record at the guest address registered with
 * VCPUOP_register_vcpu_time_memory_area (Linux's vDSO reads it, mapped to
 * user space at another address).  It can only be reached through the
 * vCPU's own page tables, and Linux's are its kernel's: when the vCPU is
 * not the one running here, or runs in user mode (whose tables leave the
 * kernel out), the copy faults or would go to the wrong place and is
 * skipped.  That loses nothing: every record samples the same clock line
 * (see above), so the last one written still gives the right time, and a
 * later publication from kernel mode refreshes it.
 */
static void publish_time_area(struct vcpu *v, uint32_t version, const struct vcpu_time_info *rec)
{
    guest_ptr_t area = v->ev.time_area;
    guest_ptr_t last = guest_ptr_add(area, sizeof(*rec) - 1);
    uint64_t mfn;

    if (!area.va || v != current_vcpu())
        return;
    /* A record across a page boundary: make sure the second page is
     * there before the first write, so no fault can tear the body. */
    if ((area.va >> PAGE_SHIFT) != (last.va >> PAGE_SHIFT) && !guest_va_to_mfn(last, true, &mfn))
        return;
    vtime_publish_copy(copy_to_time_area, &area, version, rec);
}

uint8_t domain_time_flags(void)
{
    return tsc_is_stable() ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
}

void vcpu_time_publish(struct vcpu *v)
{
    const struct domain_clock *c = &v->domain->clock;
    struct vcpu_time_info rec;

    if (!c->valid || !v->vcpu_info)
        return;
    uint64_t tsc = rdtsc();
    uint64_t now = c->ns0 + vtime_scale_delta(tsc - c->tsc0, c->scale.mul, c->scale.shift);
    /* Every vCPU's record is a sample of the one line, so with TSCs that
     * agree across CPUs the guest may compare readings between vCPUs
     * without a clamp: that is what the stable bit says. */
    vtime_record(&rec, tsc, now, &c->scale, domain_time_flags());
    uint32_t version = vtime_publish_record(&v->vcpu_info->time, &rec);
    /* Linux derives the TSC frequency from shared_info's slot for vCPU 0
     * even after it moved its vcpu_info elsewhere: keep that one valid. */
    struct vcpu_info *legacy = v->vcpu_id < XEN_LEGACY_MAX_VCPUS
                                   ? &v->domain->shared_info->vcpu_info[v->vcpu_id] : NULL;
    if (legacy && legacy != v->vcpu_info)
        vtime_publish_record(&legacy->time, &rec);
    publish_time_area(v, version, &rec);
}

static uint64_t wc_sec;
static uint32_t wc_nsec;
static bool wc_known;

void domain_publish_wallclock(struct domain *d)
{
    int64_t offset = d->time_offset_seconds;
    uint64_t sec = wc_sec;

    if (!d->shared_info)
        return;
    /* An offset that would take the clock before 1970 stops it there. */
    if (offset < 0)
        sec = (uint64_t)-offset > sec ? 0 : sec - (uint64_t)-offset;
    else
        sec += (uint64_t)offset;
    vtime_publish_wallclock(d->shared_info, sec, wc_nsec);
}

static bool publish_to(struct domain *d, void *ctx)
{
    (void)ctx;
    domain_publish_wallclock(d);
    return true;
}

void domain_wallclock_set(uint64_t sec, uint32_t nsec)
{
    wc_sec = sec;
    wc_nsec = nsec;
    wc_known = true;
    domain_for_each(publish_to, NULL);
}

/* The first domain's: from the RTC. */
static void wallclock_from_rtc(struct domain *d)
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
    wc_sec = boot_sec;
    wc_nsec = boot_nsec;
    wc_known = true;
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
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        vcpu_time_publish(d->vcpus[i]);
    if (!wc_known)
        wallclock_from_rtc(d);
    domain_publish_wallclock(d);
}
