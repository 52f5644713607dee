/*
 * The MADT ("APIC" table): which local APICs, hence which CPUs, the
 * machine has.  Only enabled processors count; an entry whose flags say
 * "online capable" but not enabled is a hot-plug slot, not a CPU.
 */
#include <string.h>
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"

#define MADT_HEADER_LEN     44      /* ACPI header + local APIC address + flags */
#define MADT_LOCAL_APIC     0
#define MADT_IO_APIC        1
#define MADT_LAPIC_OVERRIDE 5
#define MADT_LAPIC_ADDR_OFF 36
#define MADT_LOCAL_X2APIC   9
#define MADT_ENABLED        1u

static void add_id(uint32_t *ids, unsigned int max, unsigned int *n, uint32_t id)
{
    for (unsigned int i = 0; i < *n && i < max; i++)
        if (ids[i] == id)
            return;         /* listed twice (xAPIC and x2APIC entry): once */
    if (*n < max)
        ids[*n] = id;
    (*n)++;
}

static const uint8_t *find_madt(uint32_t *len, const char **why)
{
    const uint8_t *madt = acpi_find_table("APIC", len, why);

    if (!madt) {
        *why = "no MADT (ACPI \"APIC\" table)";
        return NULL;
    }
    if (*len < MADT_HEADER_LEN) {
        *why = "the MADT is shorter than its header";
        return NULL;
    }
    return madt;
}

int madt_mmio(uint64_t *lapic, uint64_t *ioapics, unsigned int max, unsigned int *count,
              const char **why)
{
    uint32_t len, addr32;
    const uint8_t *madt = find_madt(&len, why);
    unsigned int n = 0;

    if (!madt)
        return -1;
    memcpy(&addr32, madt + MADT_LAPIC_ADDR_OFF, 4);
    *lapic = addr32;
    for (uint32_t off = MADT_HEADER_LEN; off + 2 <= len;) {
        uint8_t type = madt[off], elen = madt[off + 1];

        if (elen < 2 || off + elen > len) {
            *why = "a MADT entry has an impossible length";
            return -1;
        }
        if (type == MADT_IO_APIC && elen >= 12) {
            memcpy(&addr32, madt + off + 4, 4);
            if (n < max)
                ioapics[n] = addr32;
            n++;
        } else if (type == MADT_LAPIC_OVERRIDE && elen >= 12) {
            memcpy(lapic, madt + off + 4, 8);
        }
        off += elen;
    }
    *count = n;
    return 0;
}

int madt_cpu_apic_ids(uint32_t *ids, unsigned int max, unsigned int *count,
                      const char **why)
{
    uint32_t len;
    const uint8_t *madt = find_madt(&len, why);
    unsigned int n = 0;

    if (!madt)
        return -1;
    for (uint32_t off = MADT_HEADER_LEN; off + 2 <= len;) {
        uint8_t type = madt[off], elen = madt[off + 1];
        uint32_t flags, id;

        if (elen < 2 || off + elen > len) {
            *why = "a MADT entry has an impossible length";
            return -1;
        }
        if (type == MADT_LOCAL_APIC && elen >= 8) {
            memcpy(&flags, madt + off + 4, 4);
            if (flags & MADT_ENABLED)
                add_id(ids, max, &n, madt[off + 3]);
        } else if (type == MADT_LOCAL_X2APIC && elen >= 16) {
            memcpy(&id, madt + off + 4, 4);
            memcpy(&flags, madt + off + 8, 4);
            if (flags & MADT_ENABLED)
                add_id(ids, max, &n, id);
        }
        off += elen;
    }
    *count = n;
    return 0;
}
