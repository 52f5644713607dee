/*
 * dom0's ACPI sleep request.  S5 is the power-off Linux's "poweroff"
 * ends with; the hypervisor performs it with its own means (the debug
 * exit in tests, else ACPI S5 from the FADT/DSDT it parses itself), so
 * dom0's PM1 values are checked for shape only.  Suspend (S1-S4) would
 * need the hypervisor to save and restore itself: refused as Xen refuses
 * a state it cannot enter.
 */
#include "arch/x86/power.h"
#include "common/acpi_sleep.h"
#include "common/domain.h"
#include "lib/irqflags.h"
#include "lib/printk.h"
#include "public/errno.h"

#define ACPI_STATE_S5 5u

long acpi_enter_sleep(const struct xenpf_enter_acpi_sleep *s)
{
    if (s->flags & ~XENPF_ACPI_SLEEP_EXTENDED)
        return -XEN_EINVAL;
    if (s->sleep_state == 0 || s->sleep_state > ACPI_STATE_S5)
        return -XEN_EINVAL;
    if (s->sleep_state != ACPI_STATE_S5) {
        printk(LOG_WARNING, "d%u: ACPI S%u requested: suspend is not supported",
               current_vcpu()->domain->domid, s->sleep_state);
        return -XEN_EPERM;
    }
    printk(LOG_INFO, "d%u: entering ACPI S5 state (PM1 %#x/%#x)",
           current_vcpu()->domain->domid, s->val_a, s->val_b);
    local_irq_disable();
    domain_stopped_teardown(current_vcpu()->domain);
    machine_power_off();
}
