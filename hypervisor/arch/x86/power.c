/* Power-off and panic stop. */
#include "arch/x86/acpi.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/power.h"
#include "arch/x86/time.h"
#include "lib/panic.h"
#include "lib/printk.h"

static uint16_t debug_exit_port;
static bool debug_exit_set;
static bool reboot_after_panic = true;

#define PANIC_REBOOT_DELAY_US 5000000

static __attribute__((noreturn)) void machine_reset(void);

void power_set_noreboot(bool noreboot)
{
    reboot_after_panic = !noreboot;
}

/* Reset through the PCI reset control register, then the keyboard
 * controller, then a triple fault (an empty IDT and an exception). */
void machine_restart(void)
{
    local_irq_disable();
    machine_reset();
}

static __attribute__((noreturn)) void machine_reset(void)
{
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty_idt = { 0, 0 };

    outb(0xcf9, 0x02);
    outb(0xcf9, 0x06);
    udelay(50000);
    for (unsigned int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        cpu_relax();
    outb(0x64, 0xfe);
    udelay(50000);
    __asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
    halt_forever();
}

void power_set_debug_exit_port(uint16_t port)
{
    debug_exit_port = port;
    debug_exit_set = true;
}

void machine_power_off(void)
{
    const char *why;

    local_irq_disable();
    printk(LOG_ERR, "Subfloor: powering off");
    if (debug_exit_set)
        outb(debug_exit_port, 0);
    acpi_power_off(&why);
    printk(LOG_ERR, "Subfloor: ACPI power-off failed: %s; halting instead", why);
    halt_forever();
}

void machine_stop_after_panic(void)
{
    local_irq_disable();
    if (debug_exit_set)
        outb(debug_exit_port, 1);
    /* As Xen does: reboot after a pause unless told not to. */
    if (reboot_after_panic && tsc_khz()) {
        printk(LOG_ERR, "Subfloor: rebooting in %u seconds (boot option noreboot keeps it halted)",
               PANIC_REBOOT_DELAY_US / 1000000);
        udelay(PANIC_REBOOT_DELAY_US);
        machine_reset();
    }
    printk(LOG_ERR, "Subfloor: halted after panic");
    halt_forever();
}

const struct panic_ops arch_panic_ops = {
    .backtrace = backtrace_print,
    .stop = machine_stop_after_panic,
};
