/* Stopping the other CPUs before a teardown; see cpu_stop.h. */
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_stop.h"
#include "arch/x86/ipi.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "arch/x86/tlbflush.h"
#include "lib/irqflags.h"
#include "lib/printk.h"

#define STOP_WAIT_NS 1000000000ull

static const struct cpu_stop_ops *stop_ops;
static bool stop_requested[NR_CPUS];
static bool stopped[NR_CPUS];

/* Out of guest context on this CPU: no guest tables in CR3 (the load
 * is a full flush, recorded for the TLB-flush clock), nothing of the
 * guest's in the descriptor area. */
static void park_this_cpu(void)
{
    if (stop_ops && stop_ops->park)
        stop_ops->park();
    tlbflush_load_cr3(paging_hypervisor_cr3());
}

void cpu_stop_poll(void)
{
    unsigned int cpu = smp_processor_id();

    if (!__atomic_load_n(&stop_requested[cpu], __ATOMIC_ACQUIRE))
        return;
    local_irq_disable();
    park_this_cpu();
    __atomic_store_n(&stopped[cpu], true, __ATOMIC_RELEASE);
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

bool cpu_is_stopped(unsigned int cpu)
{
    return cpu < NR_CPUS && __atomic_load_n(&stopped[cpu], __ATOMIC_ACQUIRE);
}

bool cpus_stop_others(const struct cpu_stop_ops *ops)
{
    unsigned int me = smp_processor_id();
    bool all = true;

    stop_ops = ops;
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        if (c == me || !percpu_area[c].online || cpu_is_stopped(c))
            continue;
        __atomic_store_n(&stop_requested[c], true, __ATOMIC_RELEASE);
        ipi_kick(c);
    }
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        if (c == me || !percpu_area[c].online)
            continue;
        uint64_t deadline = time_now_ns() + STOP_WAIT_NS;
        while (!cpu_is_stopped(c) && time_now_ns() < deadline)
            cpu_relax();
        if (!cpu_is_stopped(c)) {
            printk(LOG_ERR, "CPU%u: did not stop for the teardown", c);
            all = false;
        }
    }
    park_this_cpu();
    return all;
}
