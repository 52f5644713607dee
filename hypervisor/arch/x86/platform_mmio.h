/*
 * Where the platform's own devices sit in the physical address space,
 * as the CPU and the firmware say: the local APIC, the IO-APICs and the
 * HPET, and how wide physical addresses are.  The hypervisor drives or
 * owns these; pv/iomem_policy.c keeps them from guests as Xen 4.17 does.
 */
#ifndef SUBFLOOR_PLATFORM_MMIO_H
#define SUBFLOOR_PLATFORM_MMIO_H

#include <stdint.h>

#define PLATFORM_MAX_IOAPICS 16

/* The ACPI HPET table's page protection (bits 0-3 of its flags byte). */
#define HPET_PAGE_PROTECT_MASK 0x0f
#define HPET_PAGE_PROTECT4     1    /* the HPET owns its 4 KiB page */
#define HPET_PAGE_PROTECT64    2    /* ... a 64 KiB block */

struct platform_mmio {
    uint64_t lapic_msr;         /* IA32_APIC_BASE's address */
    uint64_t lapic_madt;        /* the MADT's, 0 without a MADT */
    uint64_t ioapic[PLATFORM_MAX_IOAPICS];
    unsigned int nr_ioapics;    /* at most PLATFORM_MAX_IOAPICS kept */
    uint64_t hpet;              /* 0: no HPET table */
    uint8_t hpet_flags;         /* the table's page protection byte */
    unsigned int paddr_bits;    /* CPUID 0x80000008, else 36 */
};

/* Read them once (ACPI tables, IA32_APIC_BASE, CPUID); what firmware
 * does not describe is left 0. */
void platform_mmio_probe(struct platform_mmio *p);

#endif
