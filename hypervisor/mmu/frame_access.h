/*
 * How the PV MMU logic reaches machine frames, and who it acts for.
 *
 * The page-type and PV MMU code never touches the frame table or the
 * direct map itself: the hypervisor implements the three frame_* functions
 * over its frame table and direct map, the host tests over an array of
 * fake frames.  That keeps the logic testable on the host.
 *
 * Callers serialise: every function of page_type.h and pv_mmu.h expects
 * the caller to hold the lock that protects the frame table's type and
 * reference counts (one global PV MMU lock is enough to start with; the
 * operations can touch frames of two domains when foreigndom is used).
 */
#ifndef SUBFLOOR_FRAME_ACCESS_H
#define SUBFLOOR_FRAME_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/guest_access.h"
#include "mm/page_info.h"

/* The frame table entry of mfn, or NULL when mfn is not a frame the table
 * covers (MMIO, holes, beyond the end of RAM). */
struct page_info *frame_info(uint64_t mfn);

/* A hypervisor pointer to the 4 KiB contents of a frame frame_info knows.
 * Every frame_map is paired with a frame_unmap. */
void *frame_map(uint64_t mfn);
void frame_unmap(void *va);

/* A fresh TLB-flush clock stamp (arch/x86/tlbflush.h) for a frame that
 * just stopped being mapped in some way: struct page_info's
 * tlbflush_stamp. */
uint64_t frame_tlb_clock_stamp(void);

struct pv_mm_domain;
struct pv_mm_vcpu;

/* What a domain may do with a frame of I/O memory. */
enum iomem_access {
    IOMEM_DENIED,           /* no mapping: -EPERM */
    IOMEM_READ_ONLY,        /* mapped, never writable */
    IOMEM_READ_WRITE,
};

/*
 * What the hypervisor provides to the PV MMU logic.  One instance for the
 * whole machine; each callback gets the domain or vCPU it is about, whose
 * `owner` field leads back to the hypervisor's own struct domain/vcpu.
 */
struct pv_mm_ops {
    /* The machine-to-physical table MMU_MACHPHYS_UPDATE writes. */
    uint64_t *m2p;
    uint64_t m2p_entries;

    /* Fill L4 slots 256-271 of a guest L4 (the hypervisor hole) with the
     * hypervisor's own entries; l4_mfn lets it add a self-map. */
    void (*l4_hole_entries)(const struct pv_mm_domain *d, uint64_t l4_mfn,
                            uint64_t slots[16]);

    /* Hook for frames the domain may map without owning them in the frame
     * table: frames the table does not cover or that belong to DOMID_IO
     * (dom0's I/O memory).  Says whether d may map mfn, and whether only
     * read-only (a writable L1 entry is then stored without RW, as Xen
     * does for its mmio_ro_ranges).  NULL: no such frame is ever
     * mappable.  Grant mappings do not come this way: the grant-table
     * code takes its own references. */
    enum iomem_access (*iomem_access)(const struct pv_mm_domain *d, uint64_t mfn);

    /* Check (and fix up, as Xen does with descriptor DPLs) a page about to
     * become a GDT/LDT page.  Returns 0 or -XEN_EINVAL.  NULL: no page can
     * ever become a descriptor page (fail closed). */
    int (*check_desc_page)(const struct pv_mm_domain *d, void *page);

    /* A frame is taking a type other than the one it last had (its type
     * count is zero), PGT_none included: TLBs that may still map it
     * writable, or walk it as a page table, must be flushed before the
     * new type is relied on.  As in Xen, the frame's tlbflush_stamp
     * spares the CPUs that flushed since (arch/x86/tlbflush.h). */
    void (*flush_before_retype)(const struct pv_mm_domain *owner, uint64_t mfn);

    /* The vCPU's base pointers changed: load the hardware CR3 (and flush,
     * including global entries). */
    void (*load_cr3)(struct pv_mm_vcpu *v);
    void (*load_ldt)(struct pv_mm_vcpu *v);

    void (*flush_tlb_local)(struct pv_mm_vcpu *v);
    void (*invlpg_local)(struct pv_mm_vcpu *v, uint64_t va);
    /* Every CPU the domain's vCPUs may have run on. */
    void (*flush_tlb_domain)(struct pv_mm_domain *d);
    void (*invlpg_domain)(struct pv_mm_domain *d, uint64_t va);
    /* vcpumask is a guest pointer to a bitmap of vCPUs (MMUEXT_*_MULTI,
     * UVMF_MULTI); the hypervisor copies it through its checked accessor.
     * invlpg false: full flush.  Returns 0 or -XEN_EFAULT. */
    int (*flush_vcpumask)(struct pv_mm_domain *d, guest_ptr_t vcpumask,
                          bool invlpg, uint64_t va);
    void (*flush_cache)(struct pv_mm_domain *d, bool global);

    /* Teardown (mmu/teardown.h): mfn was d's and nothing references it
     * any more (count and type count 0, no longer allocated): give it
     * back to the allocator, whose TLB-flush clock keeps it from being
     * reused while some CPU may still cache it.  NULL: frames stay
     * where they are (and the audit reports them). */
    void (*free_frame)(struct pv_mm_domain *d, uint64_t mfn);
};

/*
 * The PV MMU view of a domain.  The hypervisor's struct domain embeds one;
 * the fields are set when the domain is created.
 */
struct pv_mm_domain {
    uint16_t domid;
    /* May use cache attributes (PCD/PWT/PAT) in L1 entries and flush
     * caches: Xen allows both only to domains with I/O resources. */
    bool io_privileged;
    /* The CPU has NX and EFER.NXE is on: bit 63 is accepted in entries. */
    bool cpu_has_nx;
    const struct pv_mm_ops *ops;
    void *owner;                    /* the hypervisor's struct domain */
};

#endif
