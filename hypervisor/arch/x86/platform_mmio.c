/* The platform's own MMIO; see platform_mmio.h. */
#include <string.h>
#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/madt.h"
#include "arch/x86/platform_mmio.h"
#include "lib/printk.h"

#define APIC_BASE_ADDR       0x000ffffffffff000ull
#define HPET_TABLE_LEN       56
#define HPET_ADDR_SPACE_OFF  40     /* the base's generic address: space id */
#define HPET_ADDR_OFF        44
#define HPET_FLAGS_OFF       55
#define ACPI_SPACE_MEMORY    0

static void probe_hpet(struct platform_mmio *p)
{
    uint32_t len;
    const char *why;
    const uint8_t *t = acpi_find_table("HPET", &len, &why);

    if (!t || len < HPET_TABLE_LEN || t[HPET_ADDR_SPACE_OFF] != ACPI_SPACE_MEMORY)
        return;
    memcpy(&p->hpet, t + HPET_ADDR_OFF, 8);
    p->hpet_flags = t[HPET_FLAGS_OFF];
}

void platform_mmio_probe(struct platform_mmio *p)
{
    const char *why;
    uint64_t ioapics[PLATFORM_MAX_IOAPICS];
    unsigned int n = 0;

    memset(p, 0, sizeof(*p));
    p->lapic_msr = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR;
    if (madt_mmio(&p->lapic_madt, ioapics, PLATFORM_MAX_IOAPICS, &n, &why) == 0) {
        if (n > PLATFORM_MAX_IOAPICS) {
            printk(LOG_WARNING, "MADT: %u IO-APICs, only the first %u are known",
                   n, PLATFORM_MAX_IOAPICS);
            n = PLATFORM_MAX_IOAPICS;
        }
        memcpy(p->ioapic, ioapics, n * sizeof(ioapics[0]));
        p->nr_ioapics = n;
    }
    probe_hpet(p);
    p->paddr_bits = 36;
    if (cpuid(0x80000000u, 0).eax >= 0x80000008u)
        p->paddr_bits = cpuid(0x80000008u, 0).eax & 0xff;
}
