/* The hardware domain's I/O memory, as Xen 4.17 gives it; see
 * iomem_policy.h. */
#include "pv/iomem_policy.h"

#define FRAME_SHIFT       12
#define MSI_RANGE_FIRST   0xfee00ull        /* 0xfee00000, frames */
#define MSI_RANGE_LAST    0xfeeffull        /* 0xfeefffff */
#define HPET_BLOCK_FRAMES 16                /* 64 KiB */

static void add(struct iomem_policy *p, uint64_t first, uint64_t last, enum iomem_access a)
{
    if (p->nr_ranges < IOMEM_MAX_RANGES)
        p->range[p->nr_ranges++] = (struct iomem_range){ first, last, a };
}

static void add_page(struct iomem_policy *p, uint64_t phys, enum iomem_access a)
{
    if (phys)
        add(p, phys >> FRAME_SHIFT, phys >> FRAME_SHIFT, a);
}

void iomem_policy_init(struct iomem_policy *p, const struct platform_mmio *m)
{
    unsigned int bits = m->paddr_bits >= 32 && m->paddr_bits <= 52 ? m->paddr_bits : 36;

    p->frame_limit = 1ull << (bits - FRAME_SHIFT);
    p->nr_ranges = 0;
    add_page(p, m->lapic_msr, IOMEM_DENIED);
    add_page(p, m->lapic_madt, IOMEM_DENIED);
    add(p, MSI_RANGE_FIRST, MSI_RANGE_LAST, IOMEM_DENIED);
    for (unsigned int i = 0; i < m->nr_ioapics && i < PLATFORM_MAX_IOAPICS; i++)
        add_page(p, m->ioapic[i], IOMEM_READ_ONLY);
    if (m->hpet) {
        uint64_t f = m->hpet >> FRAME_SHIFT;
        switch (m->hpet_flags & HPET_PAGE_PROTECT_MASK) {
        case HPET_PAGE_PROTECT4:  add(p, f, f, IOMEM_DENIED); break;
        case HPET_PAGE_PROTECT64: add(p, f, f + HPET_BLOCK_FRAMES - 1, IOMEM_DENIED); break;
        default:                  add(p, f, f, IOMEM_READ_ONLY); break;
        }
    }
}

enum iomem_access iomem_policy_lookup(const struct iomem_policy *p, uint64_t mfn)
{
    enum iomem_access a = IOMEM_READ_WRITE;

    if (mfn >= p->frame_limit)
        return IOMEM_DENIED;
    for (unsigned int i = 0; i < p->nr_ranges; i++) {
        const struct iomem_range *r = &p->range[i];
        if (mfn >= r->first && mfn <= r->last && r->access < a)
            a = r->access;
    }
    return a;
}
