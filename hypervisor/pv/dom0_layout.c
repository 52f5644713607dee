/* dom0's initial virtual layout; see dom0_layout.h. */
#include <string.h>
#include "pv/dom0_layout.h"

#define PG 4096ull
#define SLACK (512ull << 10)
#define END_ALIGN (4ull << 20)

static uint64_t round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Tables of one level needed to map [start, end): one per 2^shift span. */
static uint64_t tables_for(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

int dom0_layout_compute(struct dom0_layout *l, uint64_t virt_base,
                        uint64_t kernel_start, uint64_t kernel_end,
                        uint64_t initrd_len, uint64_t nr_pages, const char **why)
{
    memset(l, 0, sizeof(*l));
    if ((virt_base & (PG - 1)) || kernel_start < virt_base || kernel_end <= kernel_start ||
        kernel_end - virt_base > DOM0_AREA_MAX) {
        *why = "the kernel does not lie within 1 GiB above its VIRT_BASE";
        return -1;
    }
    if (initrd_len > DOM0_AREA_MAX || nr_pages > DOM0_AREA_MAX) {
        *why = "the initrd or the memory size alone exceeds the 1 GiB initial area";
        return -1;
    }
    l->virt_base = virt_base;
    l->kernel_start = kernel_start & ~(PG - 1);
    l->kernel_end = round_up(kernel_end, PG);
    l->initrd_start = l->kernel_end;
    l->initrd_len = initrd_len;
    l->p2m_start = l->initrd_start + round_up(initrd_len, PG);
    l->start_info = l->p2m_start + round_up(nr_pages * 8, PG);
    l->pt_start = l->start_info + PG;

    /* The tables map the area they are part of: grow until stable. */
    uint64_t nr_pt = 0, end = 0;
    for (int round = 0; round < 8; round++) {
        l->stack_start = l->pt_start + nr_pt * PG;
        end = round_up(l->stack_start + PG + SLACK, END_ALIGN);
        uint64_t want = 1 + tables_for(virt_base, end, 39) +
                        tables_for(virt_base, end, 30) + tables_for(virt_base, end, 21);
        if (want == nr_pt)
            break;
        nr_pt = want;
    }
    l->nr_l3 = tables_for(virt_base, end, 39);
    l->nr_l2 = tables_for(virt_base, end, 30);
    l->nr_l1 = tables_for(virt_base, end, 21);
    l->nr_pt_frames = nr_pt;
    l->stack_start = l->pt_start + nr_pt * PG;
    l->end = end;
    if (l->end - virt_base > DOM0_AREA_MAX || l->end < virt_base) {
        *why = "kernel, initrd, p2m and page tables do not fit in the 1 GiB initial area";
        return -1;
    }
    if ((l->end - virt_base) / PG > nr_pages) {
        *why = "dom0 has fewer pages than its initial area needs (raise dom0_mem)";
        return -1;
    }
    return 0;
}
