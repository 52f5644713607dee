/* The TLB-flush clock and cross-CPU flushes; see tlbflush.h. */
#include "arch/x86/cpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "arch/x86/tlbflush.h"
#include "lib/irqflags.h"
#include "lib/printk.h"

/* How long a flush may take before it is reported (it keeps waiting:
 * going on with a stale TLB elsewhere would be worse). */
#define FLUSH_REPORT_NS 1000000000ull

/* Starts above every CPU's initial time (0): a frame stamped before a
 * CPU ever flushed is flushed from it. */
static uint64_t clock_now = 1;
static uint64_t flushed_at[NR_CPUS];
static volatile bool flush_requested[NR_CPUS];

uint64_t tlbflush_stamp(void)
{
    /* A full barrier: the unmapping stores before it are visible to any
     * CPU that reads this value or a later one. */
    return __atomic_add_fetch(&clock_now, 1, __ATOMIC_SEQ_CST);
}

void tlbflush_load_cr3(uint64_t cr3)
{
    /* Read before the load: the flush starts after this value was the
     * clock's, so it covers every stamp up to it. */
    uint64_t t = __atomic_load_n(&clock_now, __ATOMIC_SEQ_CST);

    write_cr3(cr3);
    __atomic_store_n(&flushed_at[smp_processor_id()], t, __ATOMIC_RELEASE);
}

void tlbflush_local(void)
{
    tlbflush_load_cr3(read_cr3());
}

uint64_t tlbflush_cpu_time(unsigned int cpu)
{
    return cpu < NR_CPUS ? __atomic_load_n(&flushed_at[cpu], __ATOMIC_ACQUIRE) : 0;
}

void tlbflush_service(void)
{
    unsigned int cpu = smp_processor_id();

    if (__atomic_load_n(&flush_requested[cpu], __ATOMIC_ACQUIRE)) {
        tlbflush_local();
        __atomic_store_n(&flush_requested[cpu], false, __ATOMIC_RELEASE);
    }
}

void tlbflush_since(uint64_t stamp)
{
    unsigned int me = smp_processor_id();
    bool asked = false;

    if (tlbflush_may_cache(tlbflush_cpu_time(me), stamp))
        tlbflush_local();
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        if (c == me || !percpu_area[c].online || !percpu_area[c].curr ||
            !tlbflush_may_cache(tlbflush_cpu_time(c), stamp))
            continue;
        __atomic_store_n(&flush_requested[c], true, __ATOMIC_RELEASE);
        ipi_kick(c);
        asked = true;
    }
    if (!asked)
        return;
    uint64_t start = time_now_ns();
    bool reported = false;
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        while (__atomic_load_n(&flush_requested[c], __ATOMIC_ACQUIRE)) {
            /* Two CPUs flushing at once wait for each other. */
            tlbflush_service();
            if (!reported && time_now_ns() - start > FLUSH_REPORT_NS) {
                printk(LOG_ERR, "CPU%u: still waiting for CPU%u to flush its TLB", me, c);
                reported = true;
            }
            cpu_relax();
        }
    }
}

void tlbflush_all_cpus(void)
{
    tlbflush_since(tlbflush_stamp());
}
