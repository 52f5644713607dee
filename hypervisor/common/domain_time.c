/* First pvclock and wall-clock values for a new domain; see domain_time.h. */
#include "cpu.h"
#include "domain_time.h"
#include "tsc_scale.h"
#include "printk.h"
#include "rtc.h"
#include "time.h"

#define NS_PER_SEC 1000000000ull

static void publish(struct vcpu_time_info *t, uint32_t mul, int8_t shift)
{
    t->version++;                        /* odd: being written */
    __asm__ volatile("" ::: "memory");
    t->tsc_timestamp = rdtsc();
    t->system_time = time_now_ns();
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = 0;
    __asm__ volatile("" ::: "memory");
    t->version++;                        /* even: consistent */
}

void domain_time_init(struct domain *d)
{
    uint32_t mul;
    int8_t shift;
    uint64_t now;

    if (!tsc_khz()) {
        printk(LOG_ERR, "d%u: the TSC is not calibrated: guests get no clock", d->domid);
        return;
    }
    tsc_scale_for_hz(tsc_khz() * 1000, &mul, &shift);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        publish(&d->vcpus[i]->vcpu_info->time, mul, shift);

    struct shared_info *s = d->shared_info;
    if (rtc_read_unix_time(&now)) {
        printk(LOG_WARNING, "d%u: the RTC holds no valid date: wall clock starts at 1970", d->domid);
        now = 0;
    }
    uint64_t up_ns = time_now_ns();
    uint64_t boot_ns = now * NS_PER_SEC - (up_ns < now * NS_PER_SEC ? up_ns : 0);
    s->wc_version++;
    __asm__ volatile("" ::: "memory");
    s->wc_sec = (uint32_t)(boot_ns / NS_PER_SEC);
    s->wc_sec_hi = (uint32_t)((boot_ns / NS_PER_SEC) >> 32);
    s->wc_nsec = (uint32_t)(boot_ns % NS_PER_SEC);
    __asm__ volatile("" ::: "memory");
    s->wc_version++;
}
