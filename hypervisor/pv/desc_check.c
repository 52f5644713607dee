/*
 * The descriptor rules of a 64-bit Xen PV guest (pv_desc.h): code and
 * data segments of any base and limit with their DPL raised to 3 (the
 * guest kernel runs in ring 3); system descriptors refused except the
 * unloadable type 0 (Subfloor also refuses call gates, which Xen checks
 * and allows; Linux never uses them).  Pure logic: host-tested by
 * hypervisor/tests/test_desc_check.c.
 */
#include "public/errno.h"
#include "pv/pv_desc.h"

#define DESC_S        (1ull << 44)      /* code/data (not system) */
#define DESC_DPL_MASK (3ull << 45)
#define DESC_P        (1ull << 47)
#define DESC_TYPE(d)  (((d) >> 40) & 0xf)
#define DESC_PER_PAGE 512u

bool pv_check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    /* A not-present descriptor faults whenever it is loaded. */
    if (!(d & DESC_P))
        return true;
    if (d & DESC_S) {
        if ((d & DESC_DPL_MASK) != DESC_DPL_MASK)
            *desc = d | DESC_DPL_MASK;
        return true;
    }
    /* Type 0 cannot be loaded (and is the upper half of a 16-byte
     * descriptor); every other system type is the hypervisor's. */
    return DESC_TYPE(d) == 0;
}

int pv_check_desc_page(const struct pv_mm_domain *d, void *page)
{
    uint64_t *desc = page;

    (void)d;
    for (unsigned int i = 0; i < DESC_PER_PAGE; i++) {
        uint64_t copy = desc[i];
        if (!pv_check_descriptor(&copy))
            return -XEN_EINVAL;
    }
    /* Only fix up once the whole page passed: a refusal changes nothing. */
    for (unsigned int i = 0; i < DESC_PER_PAGE; i++)
        pv_check_descriptor(&desc[i]);
    return 0;
}
