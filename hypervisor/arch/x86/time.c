/* TSC and APIC timer calibration and the periodic tick. */
#include "apic.h"
#include "cpu.h"
#include "panic.h"
#include "percpu.h"
#include "pit.h"
#include "printk.h"
#include "pv_events.h"
#include "time.h"
#include "traps.h"

#define CALIBRATE_MS      50
#define APIC_DIVIDE_BY_16 0x3
#define APIC_DIVISOR      16

static uint64_t tsc_per_khz;        /* TSC ticks per millisecond */
static uint64_t apic_timer_hz;      /* after the divide-by-16 */
static uint64_t tsc_at_init;
static volatile uint64_t ticks;

uint64_t tsc_khz(void)
{
    return tsc_per_khz;
}

uint64_t time_ticks(void)
{
    return ticks;
}

uint64_t time_now_ns(void)
{
    uint64_t delta = rdtsc() - tsc_at_init;

    if (!tsc_per_khz)
        return 0;           /* not calibrated yet */
    /* Split to keep delta * 10^6 from overflowing. */
    return delta / tsc_per_khz * 1000000 + delta % tsc_per_khz * 1000000 / tsc_per_khz;
}

void udelay(uint64_t us)
{
    uint64_t end = rdtsc() + us * tsc_per_khz / 1000;

    while ((int64_t)(rdtsc() - end) < 0)
        cpu_relax();
}

static void timer_tick(struct cpu_regs *regs)
{
    (void)regs;
    /* Every CPU ticks (its vCPU's timers); the count is CPU 0's. */
    if (smp_processor_id() == 0)
        ticks++;
    /* Guest timers are checked on this tick (common/vtimer.c). */
    pv_time_tick();
}

static void calibrate(void)
{
    apic_write(APIC_TIMER_DIV, APIC_DIVIDE_BY_16);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_TIMER_INIT, 0xffffffffu);

    uint64_t tsc0 = rdtsc();
    uint32_t apic0 = apic_read(APIC_TIMER_CUR);
    if (pit_wait_ticks(PIT_HZ / 1000 * CALIBRATE_MS))
        panic("timer calibration failed: the PIT counter does not move");
    uint64_t tsc1 = rdtsc();
    uint32_t apic1 = apic_read(APIC_TIMER_CUR);

    tsc_per_khz = (tsc1 - tsc0) / CALIBRATE_MS;
    apic_timer_hz = (uint64_t)(apic0 - apic1) * 1000 / CALIBRATE_MS;
    apic_write(APIC_TIMER_INIT, 0);
    if (tsc_per_khz == 0 || apic_timer_hz < TICK_HZ)
        panic("timer calibration failed: TSC %lu kHz, APIC timer %lu Hz",
              tsc_per_khz, apic_timer_hz);
}

void time_init(void)
{
    calibrate();
    tsc_at_init = rdtsc();
    printk(LOG_INFO, "time: TSC %lu.%03lu MHz (%lu kHz), calibrated against the PIT over %u ms",
           tsc_per_khz / 1000, tsc_per_khz % 1000, tsc_per_khz, CALIBRATE_MS);
    printk(LOG_INFO, "time: APIC timer %lu.%03lu MHz bus clock (%lu kHz after divide-by-%u)",
           apic_timer_hz * APIC_DIVISOR / 1000000,
           apic_timer_hz * APIC_DIVISOR / 1000 % 1000,
           apic_timer_hz / 1000, APIC_DIVISOR);

    trap_set_interrupt_handler(TIMER_VECTOR, timer_tick);
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | TIMER_VECTOR);
    apic_write(APIC_TIMER_INIT, (uint32_t)(apic_timer_hz / TICK_HZ));
    printk(LOG_INFO, "time: periodic tick at %u Hz on vector %#x", TICK_HZ, TIMER_VECTOR);
}

void time_init_secondary(void)
{
    apic_write(APIC_TIMER_DIV, APIC_DIVIDE_BY_16);
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | TIMER_VECTOR);
    apic_write(APIC_TIMER_INIT, (uint32_t)(apic_timer_hz / TICK_HZ));
}

void time_show_ticks(unsigned int ms)
{
    uint64_t start_ticks = ticks;
    uint64_t start = time_now_ns();
    uint64_t until = start + (uint64_t)ms * 1000000;

    /* Spin rather than hlt: if the tick never comes, hlt would never
     * return and we could not report it. */
    local_irq_enable();
    while (time_now_ns() < until)
        cpu_relax();
    local_irq_disable();
    uint64_t elapsed_ms = (time_now_ns() - start) / 1000000;
    uint64_t got = ticks - start_ticks;
    printk(LOG_INFO, "timer: %lu ticks in %lu ms (expected about %lu at %u Hz)",
           got, elapsed_ms, elapsed_ms * TICK_HZ / 1000, TICK_HZ);
    if (got == 0)
        panic("the APIC timer did not tick in %lu ms", elapsed_ms);
}
