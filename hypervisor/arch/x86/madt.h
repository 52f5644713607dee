/* CPUs from the ACPI MADT. */
#ifndef SUBFLOOR_MADT_H
#define SUBFLOOR_MADT_H

#include <stdint.h>

/* Fill ids[0..max) with the APIC ids of the enabled processors, in table
 * order, and set *count to how many there are (which may exceed max).
 * Returns 0, or -1 with *why when there is no usable MADT. */
int madt_cpu_apic_ids(uint32_t *ids, unsigned int max, unsigned int *count,
                      const char **why);

/* The MMIO the MADT names: the local APIC address (the header's, or a
 * type-5 override's) and each IO-APIC's (ioapics[0..max), *count may
 * exceed max).  Returns 0, or -1 with *why when there is no usable MADT. */
int madt_mmio(uint64_t *lapic, uint64_t *ioapics, unsigned int max, unsigned int *count,
              const char **why);

#endif
