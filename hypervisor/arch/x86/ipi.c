/* IPIs between the hypervisor's CPUs; see ipi.h. */
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "arch/x86/traps.h"
#include "lib/printk.h"
#include "lib/spinlock.h"

#define IPI_WAIT_NS 1000000000ull

/* One call slot per target CPU; its lock lets one sender at a time use
 * it.  The sender publishes fn/arg and then a new sequence number; the
 * target runs the call and echoes the number back in done. */
struct call_slot {
    spinlock_t lock;
    void (*fn)(void *);
    void *arg;
    unsigned long requested;
    unsigned long done;
};

static struct call_slot call_slots[NR_CPUS];
static unsigned long kicks[NR_CPUS];

static bool cpu_is_online(unsigned int cpu)
{
    return cpu < NR_CPUS && __atomic_load_n(&percpu_area[cpu].online, __ATOMIC_ACQUIRE);
}

static void kick_interrupt(struct cpu_regs *regs)
{
    (void)regs;
    __atomic_fetch_add(&kicks[smp_processor_id()], 1, __ATOMIC_RELEASE);
}

static void call_interrupt(struct cpu_regs *regs)
{
    struct call_slot *slot = &call_slots[smp_processor_id()];
    unsigned long seq = __atomic_load_n(&slot->requested, __ATOMIC_ACQUIRE);

    (void)regs;
    if (seq == __atomic_load_n(&slot->done, __ATOMIC_RELAXED))
        return;         /* a late duplicate: that call already ran */
    slot->fn(slot->arg);
    __atomic_store_n(&slot->done, seq, __ATOMIC_RELEASE);
}

void ipi_init(void)
{
    for (unsigned int c = 0; c < NR_CPUS; c++)
        spin_lock_init(&call_slots[c].lock);
    trap_set_interrupt_handler(IPI_KICK_VECTOR, kick_interrupt);
    trap_set_interrupt_handler(IPI_CALL_VECTOR, call_interrupt);
}

static bool send(unsigned int cpu, unsigned int vector)
{
    return apic_send_ipi(percpu_area[cpu].apic_id, APIC_DM_FIXED | vector);
}

bool ipi_kick(unsigned int cpu)
{
    if (!cpu_is_online(cpu))
        return false;
    if (cpu == smp_processor_id())
        return true;
    return send(cpu, IPI_KICK_VECTOR);
}

bool ipi_call_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
    struct call_slot *slot;
    bool ok = false;

    if (!cpu_is_online(cpu))
        return false;
    if (cpu == smp_processor_id()) {
        fn(arg);
        return true;
    }
    slot = &call_slots[cpu];
    spin_lock(&slot->lock);
    slot->fn = fn;
    slot->arg = arg;
    unsigned long seq = slot->requested + 1;
    __atomic_store_n(&slot->requested, seq, __ATOMIC_RELEASE);
    if (send(cpu, IPI_CALL_VECTOR)) {
        uint64_t deadline = time_now_ns() + IPI_WAIT_NS;
        while (!(ok = __atomic_load_n(&slot->done, __ATOMIC_ACQUIRE) == seq) &&
               time_now_ns() < deadline)
            cpu_relax();
    }
    if (!ok) {
        /* Never let a late run see a reused slot: the call counts as
         * done for the next sender. */
        __atomic_store_n(&slot->done, seq, __ATOMIC_RELEASE);
    }
    spin_unlock(&slot->lock);
    return ok;
}

unsigned long ipi_kicks_received(unsigned int cpu)
{
    return cpu < NR_CPUS ? __atomic_load_n(&kicks[cpu], __ATOMIC_ACQUIRE) : 0;
}

struct where {
    unsigned int cpu;
    uint32_t apic_id;
};

static void record_where(void *arg)
{
    struct where *w = arg;

    w->cpu = smp_processor_id();
    w->apic_id = apic_current_id();
}

static void kick_back(void *arg)
{
    unsigned int *to = arg;

    ipi_kick(*to);
}

static bool selftest_cpu(unsigned int cpu)
{
    unsigned int me = smp_processor_id();
    struct where w = { .cpu = ~0u, .apic_id = ~0u };
    uint64_t t0 = time_now_ns();

    if (!ipi_call_on(cpu, record_where, &w)) {
        printk(LOG_ERR, "IPI self-test: a call from CPU%u to CPU%u did not run", me, cpu);
        return false;
    }
    uint64_t call_ns = time_now_ns() - t0;
    if (w.cpu != cpu || w.apic_id != percpu_area[cpu].apic_id) {
        printk(LOG_ERR, "IPI self-test: a call for CPU%u ran on CPU%u (APIC id %u)",
               cpu, w.cpu, w.apic_id);
        return false;
    }

    unsigned long before = ipi_kicks_received(me);
    t0 = time_now_ns();
    if (!ipi_call_on(cpu, kick_back, &me)) {
        printk(LOG_ERR, "IPI self-test: CPU%u did not run the kick-back call", cpu);
        return false;
    }
    while (ipi_kicks_received(me) == before && time_now_ns() - t0 < IPI_WAIT_NS)
        cpu_relax();
    if (ipi_kicks_received(me) == before) {
        printk(LOG_ERR, "IPI self-test: no kick from CPU%u reached CPU%u", cpu, me);
        return false;
    }
    uint64_t kick_ns = time_now_ns() - t0;
    printk(LOG_INFO, "IPI self-test: CPU%u -> CPU%u call ran on APIC id %u (%lu us); "
           "CPU%u -> CPU%u kick arrived (%lu us)", me, cpu, w.apic_id,
           (unsigned long)(call_ns / 1000), cpu, me, (unsigned long)(kick_ns / 1000));
    return true;
}

bool ipi_selftest(void)
{
    uint64_t flags = local_irq_save();
    bool ok = true;
    unsigned int tested = 0;

    local_irq_enable();     /* the kick back must be able to arrive */
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        if (c == smp_processor_id() || !cpu_is_online(c))
            continue;
        tested++;
        ok = selftest_cpu(c) && ok;
    }
    local_irq_disable();
    local_irq_restore(flags);
    if (tested)
        printk(LOG_INFO, "IPI self-test: %s", ok ? "passed" : "FAILED");
    return ok;
}
