/*
 * What I/O memory (frames above RAM, or DOMID_IO's) a domain with I/O
 * privileges may map: Xen 4.17's answers (dom0_setup_permissions and its
 * read-only MMIO ranges).  Every frame up to the CPU's physical address
 * width is the hardware domain's, except what the hypervisor keeps:
 *
 *   - the local APIC's page (IA32_APIC_BASE's and the MADT's) and the
 *     whole MSI address range 0xfee00000-0xfeefffff: no mapping;
 *   - each IO-APIC's page: read-only (a writable mapping is stored
 *     without RW, and a plain kernel store is dropped);
 *   - the HPET: its 4 KiB page or 64 KiB block not at all when the ACPI
 *     table says it owns that much (page protection 4K / 64K), else its
 *     page read-only.
 *
 * Pure logic over struct platform_mmio, so the host tests build it.
 */
#ifndef SUBFLOOR_IOMEM_POLICY_H
#define SUBFLOOR_IOMEM_POLICY_H

#include <stdint.h>
#include "arch/x86/platform_mmio.h"
#include "mmu/frame_access.h"

#define IOMEM_MAX_RANGES (PLATFORM_MAX_IOAPICS + 8)

struct iomem_range {
    uint64_t first, last;           /* frames, inclusive */
    enum iomem_access access;       /* IOMEM_DENIED or IOMEM_READ_ONLY */
};

struct iomem_policy {
    uint64_t frame_limit;           /* frames at or above: not addressable */
    struct iomem_range range[IOMEM_MAX_RANGES];
    unsigned int nr_ranges;
};

/* Build the policy for the platform as probed. */
void iomem_policy_init(struct iomem_policy *p, const struct platform_mmio *m);

/* What a domain with I/O privileges may do with I/O frame mfn: a denied
 * range wins over a read-only one. */
enum iomem_access iomem_policy_lookup(const struct iomem_policy *p, uint64_t mfn);

#endif
