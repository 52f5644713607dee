/*
 * The PV MMU operations a 64-bit PV guest drives through mmu_update,
 * mmuext_op and update_va_mapping, plus the core of writable page-table
 * emulation and the lazy LDT mapping.
 *
 * Pure logic: arguments arrive already copied from the guest, state lives
 * in struct pv_mm_domain / struct pv_mm_vcpu (embedded by the hypervisor's
 * domain and vCPU), hardware effects go through the pv_mm_ops of
 * frame_access.h.  Results are 0 or a negated Xen errno, as Xen 4.17
 * returns them.  A hypercall's batch is one loop here, which takes its
 * entries from a struct pv_mmu_source; the hypercall layer checks
 * foreigndom and copies the count of entries done back to the guest.
 */
#ifndef SUBFLOOR_PV_MMU_H
#define SUBFLOOR_PV_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/regs.h"
#include "mmu/frame_access.h"
#include "public/xen.h"

#define PV_LDT_MAX_ENTS   8192u     /* 64 KiB of descriptors */
#define PV_LDT_MAX_PAGES  16u

struct pv_mm_vcpu {
    struct pv_mm_domain *d;
    uint64_t guest_table;           /* kernel L4 mfn, 0 = none */
    uint64_t guest_table_user;      /* user L4 mfn, 0 = none */
    uint64_t ldt_base;              /* guest linear address of the LDT */
    uint32_t ldt_ents;
    /* LDT pages mapped so far (pv_ldt_map_page), each holding a general
     * and a PGT_seg_desc_page reference; 0 = not mapped. */
    uint64_t ldt_frames[PV_LDT_MAX_PAGES];
    void *owner;                    /* the hypervisor's struct vcpu */
};

/*
 * One mmu_update request.  pt_owner owns the page tables written (the
 * caller's domain unless foreigndom's upper half names another); pg_owner
 * owns the frames new L1 entries may map (foreigndom's low half).  The
 * caller has checked that v's domain may act on both.
 * MMU_NORMAL_PT_UPDATE / MMU_PT_UPDATE_PRESERVE_AD /
 * MMU_PT_UPDATE_NO_TRANSLATE: validate and write one entry of a page
 * table (or a plain checked write into a page that is not in use as a
 * table).  MMU_MACHPHYS_UPDATE: m2p[ptr >> 12] = val for a frame pg_owner
 * owns.  Unknown commands: -XEN_ENOSYS.
 */
int pv_mmu_update(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                  struct pv_mm_domain *pg_owner, const struct mmu_update *req);

/*
 * Where a batch's entries come from: read(ctx, i, entry, size) puts entry
 * i (size bytes) in *entry and returns 0, or returns the negated Xen errno
 * that ends the batch (-XEN_EFAULT for an entry the guest's pointer does
 * not reach).  The hypervisor reads the guest's array through the checked
 * accessor, one entry at a time (no buffer for a batch of any length);
 * the host tests read an array in memory.
 */
/* A batch stopped for its slice (Xen's internal ERESTART): never an
 * errno a guest sees, since the hypercall layer continues the batch. */
#define PV_MMU_PREEMPTED 85

struct pv_mmu_source {
    int (*read)(void *ctx, unsigned int i, void *entry, size_t size);
    void *ctx;
    /* Asked after each entry but the last: true stops the batch there with
     * -PV_MMU_PREEMPTED, for the caller to continue later (the hypervisor's
     * hypercall slices, continuation.h).  NULL: never. */
    bool (*preempt)(void);
};

/* Run entries [0, count) of reqs in order, stopping at the first failure
 * (of the read or of the request) or when reqs->preempt says so; *done is
 * how many succeeded.  Returns the failure, -PV_MMU_PREEMPTED, or 0. */
int pv_mmu_update_batch(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                        struct pv_mm_domain *pg_owner,
                        const struct pv_mmu_source *reqs, unsigned int count,
                        unsigned int *done);

/* One mmuext_op on behalf of vCPU v; pg_owner is foreigndom's domain. */
int pv_mmuext_op(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                 const struct mmuext_op *op);
int pv_mmuext_op_batch(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                       const struct pv_mmu_source *ops, unsigned int count,
                       unsigned int *done);

/* update_va_mapping(va, val, flags): replace the L1 entry that maps va in
 * v's current kernel page tables, then flush as UVMF_* asks.  pg_owner is
 * v's domain, or the target of update_va_mapping_otherdomain. */
int pv_update_va_mapping(struct pv_mm_vcpu *v, struct pv_mm_domain *pg_owner,
                         uint64_t va, uint64_t val, uint64_t flags);

/* Find the L1 table and slot mapping va in v's current kernel tables.
 * -XEN_EINVAL when va is not a guest address or no L1 maps it. */
int pv_find_l1_slot(const struct pv_mm_vcpu *v, uint64_t va,
                    uint64_t *l1_mfn, unsigned int *slot);

/*
 * Writable page-table emulation: the guest kernel wrote val with a plain
 * 8-byte store at linear address `linear`, in frame l1_mfn that is in use
 * as an L1 table (and therefore read-only to it).  Validate and apply the
 * write as MMU_NORMAL_PT_UPDATE would.  With cmpxchg, the write only
 * happens if the entry still holds *expected (as the guest sees it); on a
 * mismatch *expected receives the current value and the result is
 * 1.  A negative result means the store cannot be emulated: the caller
 * gives the guest its page fault.
 */
int pv_ptwr_emulate(struct pv_mm_vcpu *v, uint64_t linear, uint64_t l1_mfn,
                    uint64_t val, bool cmpxchg, uint64_t *expected);

/* The guest touched LDT byte `offset` and the hypervisor's shadow LDT
 * has no mapping for that page yet: find the guest's page, give it the
 * descriptor-page type and return the read-only entry to install in
 * *pte.  false: the guest gets the fault. */
bool pv_ldt_map_page(struct pv_mm_vcpu *v, uint32_t offset, uint64_t *pte);
/* Drop every LDT page reference (SET_LDT change, new base pointer). */
bool pv_ldt_release(struct pv_mm_vcpu *v);

/* Teardown: drop both base pointers and the LDT. */
void pv_mm_vcpu_release(struct pv_mm_vcpu *v);

/* Internal: write one entry of a table in use at `level`. */
int pv_mod_entry(struct pv_mm_vcpu *v, struct pv_mm_domain *pt_owner,
                 struct pv_mm_domain *pg_owner, uint64_t table_mfn,
                 unsigned int level, unsigned int slot, uint64_t val,
                 bool preserve_ad);

/*
 * Writable page-table emulation (ptwr.c): a write fault at cr2 with error
 * code ec, from a guest kernel whose domain enabled
 * VMASST_TYPE_writable_pagetables (the caller checks both).  When the
 * page is an L1 table in use, decode the store at regs->rip and apply it
 * through pv_ptwr_emulate (registers and flags as the store leaves them):
 * the store's length, which the caller steps rip over (pv_emul_done).
 * 0: the guest gets its page fault.
 */
unsigned int pv_ptwr_fault(struct pv_mm_vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                           uint32_t ec);

/*
 * A kernel write fault on I/O memory mapped read-only because the
 * platform allows only reading it (pv_mm_ops.iomem_access): a plain,
 * naturally aligned store at cr2 is dropped, as Xen 4.17 does for the
 * hardware domain, and its length returned for the caller to step over;
 * 0 for anything else (the guest gets its page fault).
 */
unsigned int pv_mmio_ro_fault(struct pv_mm_vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                              uint32_t ec);

#endif
