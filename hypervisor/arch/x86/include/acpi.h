/* The little ACPI the hypervisor needs: entering S5 (soft off). */
#ifndef SUBFLOOR_ACPI_H
#define SUBFLOOR_ACPI_H

/* Try to power off through the FADT's PM1 control blocks and the DSDT's
 * \_S5_ object.  Returns only on failure, with *why saying what failed. */
void acpi_power_off(const char **why);

#endif
