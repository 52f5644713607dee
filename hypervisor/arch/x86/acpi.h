/* The little ACPI the hypervisor needs: entering S5 (soft off). */
#ifndef SUBFLOOR_ACPI_H
#define SUBFLOOR_ACPI_H

#include <stdint.h>

/* Try to power off through the FADT's PM1 control blocks and the DSDT's
 * \_S5_ object.  Returns only on failure, with *why saying what failed. */
void acpi_power_off(const char **why);

/* A checked ACPI table (checksum and length verified) by its signature,
 * e.g. "APIC" for the MADT, with its length in *len; NULL with *why
 * saying why it was not found. */
const void *acpi_find_table(const char sig[4], uint32_t *len, const char **why);

#endif
