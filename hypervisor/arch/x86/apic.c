/* Local APIC access and basic setup; see apic.h. */
#include <stdbool.h>
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/paging.h"
#include "arch/x86/traps.h"
#include "lib/panic.h"
#include "lib/printk.h"

#define APIC_BASE_ENABLE   (1ull << 11)
#define APIC_BASE_X2APIC   (1ull << 10)
#define APIC_BASE_ADDR     0x000ffffffffff000ull
#define X2APIC_MSR_BASE    0x800u

static volatile uint8_t *xapic_regs;
static bool x2apic_mode;

uint32_t apic_read(uint32_t reg)
{
    if (x2apic_mode)
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
    return mmio_read32(xapic_regs + reg);
}

void apic_write(uint32_t reg, uint32_t value)
{
    if (x2apic_mode)
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), value);
    else
        mmio_write32(xapic_regs + reg, value);
}

void apic_eoi(void)
{
    if (x2apic_mode || xapic_regs)
        apic_write(APIC_EOI, 0);
}

static void apic_error_interrupt(struct cpu_regs *regs)
{
    (void)regs;
    apic_write(APIC_ESR, 0);
    printk(LOG_WARNING, "APIC error, ESR %#x", apic_read(APIC_ESR));
}

uint32_t apic_current_id(void)
{
    return x2apic_mode ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

bool apic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
    uint64_t flags = local_irq_save();
    bool sent = true;

    if (x2apic_mode) {
        /* One MSR write carries destination and command: nothing to poll. */
        wrmsr(X2APIC_MSR_BASE + (APIC_ICR_LOW >> 4), (uint64_t)apic_id << 32 | icr_low);
    } else {
        /* The two halves must not be split by an IPI sent from an
         * interrupt handler on this CPU: interrupts stay off. */
        apic_write(APIC_ICR_HIGH, apic_id << 24);
        apic_write(APIC_ICR_LOW, icr_low);
        sent = false;
        for (unsigned long i = 0; i < 100000000ul; i++) {
            if (!(apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)) {
                sent = true;
                break;
            }
            cpu_relax();
        }
    }
    local_irq_restore(flags);
    return sent;
}

/* The per-CPU part: every CPU's local APIC needs it, the mapping and the
 * handler registration happen once. */
static void apic_setup_this_cpu(void)
{
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);    /* the 8259s are off */
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_LVT_ERROR, APIC_ERROR_VECTOR);
    apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
    apic_write(APIC_ESR, 0);
}

void apic_init_secondary(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    /* The boot CPU decided the mode; x2APIC left on by firmware is on
     * for every CPU alike. */
    if (x2apic_mode && !(base & APIC_BASE_X2APIC))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
    apic_setup_this_cpu();
}

void apic_init(void)
{
    if (!(cpuid(1, 0).edx & (1u << 9)))
        panic("this CPU has no local APIC");

    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE)) {
        base |= APIC_BASE_ENABLE;
        wrmsr(MSR_APIC_BASE, base);
    }
    x2apic_mode = base & APIC_BASE_X2APIC;
    if (!x2apic_mode) {
        xapic_regs = ioremap(base & APIC_BASE_ADDR, PAGE_SIZE);
        if (!xapic_regs)
            panic("cannot map the local APIC registers at %#llx",
                  base & APIC_BASE_ADDR);
    }

    trap_set_interrupt_handler(APIC_ERROR_VECTOR, apic_error_interrupt);
    apic_setup_this_cpu();

    printk(LOG_INFO, "APIC: %s mode, base %#llx, id %u, version %#x",
           x2apic_mode ? "x2APIC (left on by firmware)" : "xAPIC (MMIO, uncached)",
           base & APIC_BASE_ADDR,
           apic_current_id(),
           apic_read(APIC_VERSION) & 0xff);
}
