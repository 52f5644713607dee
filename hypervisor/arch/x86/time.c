/*
 * TSC and APIC timer calibration, each CPU's timer interrupt, and the
 * check that every CPU's TSC reads one clock (what lets guests be told
 * their PV clock is stable).
 *
 * The APIC timer runs one-shot: each interrupt's handler (the scheduler,
 * through arch_ops) says when the next one is due, so an idle CPU with
 * nothing due sleeps until then instead of waking at a fixed rate.
 * Until the layers above are wired up, it re-arms itself every
 * 1/TICK_HZ s, as the boot's tick check expects.
 */
#include "arch/x86/apic.h"
#include "arch/x86/arch_ops.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pit.h"
#include "arch/x86/time.h"
#include "arch/x86/traps.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/spinlock.h"

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

/* Longest a one-shot count may cover (the 32-bit count register). */
static uint64_t max_oneshot_ns;

void time_set_next_event(uint64_t deadline_ns)
{
    uint64_t now = time_now_ns();
    uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;

    if (delta > max_oneshot_ns)
        delta = max_oneshot_ns;
    /* Rounded up: an interrupt a little early would find nothing due. */
    uint64_t count = (delta * apic_timer_hz + 999999999) / 1000000000;
    apic_write(APIC_TIMER_INIT, (uint32_t)(count ? count : 1));
}

static void timer_tick(struct cpu_regs *regs)
{
    (void)regs;
    /* Every CPU has its own timer; the count is CPU 0's. */
    if (smp_processor_id() == 0)
        ticks++;
    /* Guest timers and the scheduler's deadlines (common/), which arm
     * the next interrupt. */
    if (arch_ops && arch_ops->timer_tick)
        arch_ops->timer_tick();
    else
        time_set_next_event(time_now_ns() + 1000000000 / TICK_HZ);
}

static void start_timer(void)
{
    apic_write(APIC_TIMER_DIV, APIC_DIVIDE_BY_16);
    apic_write(APIC_LVT_TIMER, TIMER_VECTOR);      /* one-shot */
    time_set_next_event(time_now_ns() + 1000000000 / TICK_HZ);
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

    max_oneshot_ns = 0xffffffffull * 1000000000ull / apic_timer_hz;
    trap_set_interrupt_handler(TIMER_VECTOR, timer_tick);
    start_timer();
    printk(LOG_INFO, "time: one-shot APIC timer on vector %#x (at most %lu ms a count)",
           TIMER_VECTOR, max_oneshot_ns / 1000000);
}

void time_init_secondary(void)
{
    start_timer();
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

/*
 * TSC synchronisation.  While the boot CPU waits for a new CPU, the two
 * read their TSCs in turns under one lock, each reading compared with the
 * last one taken by the other CPU: a reading smaller than that is a warp,
 * a TSC behind the other's.  A guest whose pvclock records come from
 * different CPUs may only be told "stable" (XEN_PVCLOCK_TSC_STABLE_BIT)
 * when no CPU warped: Linux then drops its cross-CPU monotonic clamp and
 * lets user space read time from the vDSO.  Both loops are bounded in
 * time, so a CPU that never shows up costs a stable clock, not the boot.
 */
#define TSC_SYNC_ROUNDS   3000
#define TSC_SYNC_LOOP_MS  20      /* each side's budget for its rounds */
#define TSC_SYNC_MEET_MS  200     /* waiting for the partner to arrive */

static struct {
    spinlock_t lock;
    uint64_t last;              /* the latest reading, by last_cpu */
    unsigned int last_cpu;
    uint64_t warp;              /* the largest backward step seen */
    volatile unsigned int ready;    /* CPU n waits to be checked */
    volatile unsigned int go;       /* the boot CPU checks CPU n now */
    volatile unsigned int done;     /* CPU n finished its rounds */
} tsc_sync = { .lock = SPINLOCK_INIT };

static unsigned int tsc_cpus_checked = 1;   /* the boot CPU agrees with itself */
static bool tsc_warped, tsc_reported, tsc_forced_unstable;

/* rdtsc is not ordered with earlier loads: without the fence a reading
 * could predate the lock that orders it against the other CPU's. */
static inline uint64_t rdtsc_ordered(void)
{
    __asm__ volatile("lfence" ::: "memory");
    return rdtsc();
}

static bool wait_for(volatile unsigned int *flag, unsigned int want, unsigned int ms)
{
    uint64_t start = rdtsc(), budget = (uint64_t)ms * tsc_per_khz;

    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != want) {
        if (rdtsc() - start > budget)
            return false;
        cpu_relax();
    }
    return true;
}

static void tsc_sync_rounds(unsigned int me)
{
    uint64_t start = rdtsc(), budget = TSC_SYNC_LOOP_MS * tsc_per_khz;

    for (unsigned int i = 0; i < TSC_SYNC_ROUNDS; i++) {
        spin_lock(&tsc_sync.lock);
        uint64_t now = rdtsc_ordered();
        if (tsc_sync.last_cpu != me && now < tsc_sync.last &&
            tsc_sync.last - now > tsc_sync.warp)
            tsc_sync.warp = tsc_sync.last - now;
        tsc_sync.last = now;
        tsc_sync.last_cpu = me;
        spin_unlock(&tsc_sync.lock);
        /* Each CPU's own clock bounds its loop: a warp does not matter to
         * a difference of two readings on one CPU. */
        if (rdtsc() - start > budget)
            break;
    }
}

void tsc_sync_secondary(unsigned int cpu)
{
    __atomic_store_n(&tsc_sync.ready, cpu, __ATOMIC_RELEASE);
    if (!wait_for(&tsc_sync.go, cpu, TSC_SYNC_MEET_MS))
        return;         /* the boot CPU gave up on us and says so */
    tsc_sync_rounds(cpu);
    __atomic_store_n(&tsc_sync.done, cpu, __ATOMIC_RELEASE);
}

void tsc_sync_check_cpu(unsigned int cpu)
{
    if (!wait_for(&tsc_sync.ready, cpu, TSC_SYNC_MEET_MS)) {
        tsc_sync_unchecked(cpu);
        return;
    }
    spin_lock(&tsc_sync.lock);
    tsc_sync.last = rdtsc_ordered();
    tsc_sync.last_cpu = 0;
    tsc_sync.warp = 0;
    spin_unlock(&tsc_sync.lock);
    __atomic_store_n(&tsc_sync.go, cpu, __ATOMIC_RELEASE);
    tsc_sync_rounds(0);
    if (!wait_for(&tsc_sync.done, cpu, TSC_SYNC_MEET_MS + TSC_SYNC_LOOP_MS)) {
        tsc_sync_unchecked(cpu);
        return;
    }
    if (tsc_sync.warp) {
        printk(LOG_WARNING, "TSC warp of %lu cycles between CPU0 and CPU%u: "
               "the PV clock is not marked stable", tsc_sync.warp, cpu);
        tsc_warped = true;
    }
    tsc_cpus_checked++;
}

void tsc_sync_unchecked(unsigned int cpu)
{
    printk(LOG_WARNING, "CPU%u's TSC could not be compared with CPU0's: "
           "the PV clock is not marked stable", cpu);
    tsc_warped = true;
}

void tsc_force_unstable(void)
{
    tsc_forced_unstable = true;
}

void tsc_sync_report(void)
{
    tsc_reported = true;
    if (tsc_warped)
        return;         /* each warp was logged as it was found */
    if (tsc_forced_unstable)
        printk(LOG_INFO, "TSC synchronised across %u CPU%s, but tsc=unstable: "
               "the PV clock is not marked stable",
               tsc_cpus_checked, tsc_cpus_checked == 1 ? "" : "s");
    else
        printk(LOG_INFO, "TSC synchronised across %u CPU%s",
               tsc_cpus_checked, tsc_cpus_checked == 1 ? "" : "s");
}

bool tsc_is_stable(void)
{
    return tsc_reported && !tsc_warped && !tsc_forced_unstable;
}
