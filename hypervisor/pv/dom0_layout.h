/*
 * The initial virtual layout of a PV dom0, as Xen's dom0 builder makes
 * it: one contiguous range from VIRT_BASE (pfn 0) holding, page-aligned
 * and in this order, the kernel image, the initrd (if any), the p2m list,
 * the start_info page, the bootstrap page tables, a one-page stack, and
 * padding to a 4 MiB boundary with at least 512 KiB to spare.  Linux keeps
 * only what one L2 table maps, so the whole range must fit in 1 GiB.
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_DOM0_LAYOUT_H
#define SUBFLOOR_DOM0_LAYOUT_H

#include <stdint.h>

#define DOM0_AREA_MAX (1ull << 30)

struct dom0_layout {
    uint64_t virt_base;
    uint64_t kernel_start, kernel_end;   /* virtual, page-aligned */
    uint64_t initrd_start, initrd_len;   /* initrd_len 0: none */
    uint64_t p2m_start;                  /* nr_pages * 8 bytes */
    uint64_t start_info;
    uint64_t pt_start;
    uint64_t nr_pt_frames;               /* L4, L3s, L2s, L1s */
    uint64_t nr_l3, nr_l2, nr_l1;
    uint64_t stack_start;                /* one page */
    uint64_t end;                        /* first address not mapped */
};

/*
 * Lay out the area for a kernel occupying virtual [kernel_start,
 * kernel_end) and nr_pages pages of memory.  0, or -1 with *why: the
 * kernel below virt_base, the area over 1 GiB, or more pages mapped
 * than the domain has.
 */
int dom0_layout_compute(struct dom0_layout *l, uint64_t virt_base,
                        uint64_t kernel_start, uint64_t kernel_end,
                        uint64_t initrd_len, uint64_t nr_pages, const char **why);

static inline uint64_t dom0_layout_pfn(const struct dom0_layout *l, uint64_t va)
{
    return (va - l->virt_base) >> 12;
}

#endif
