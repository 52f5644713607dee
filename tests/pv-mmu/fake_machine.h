/*
 * A fake machine for the PV MMU tests: 256 frames of memory with their
 * frame table, the frame_access.h functions over them, and a platform
 * whose callbacks only count what was asked of them.
 *
 * Frame layout: 0-15 belong to DOMID_IO (like the low 1 MiB), 16-127 to
 * domain 1 (the guest under test), 128-191 to domain 2, 192-239 to dom0,
 * 240-255 to nobody (free).
 */
#ifndef SUBFLOOR_TEST_FAKE_MACHINE_H
#define SUBFLOOR_TEST_FAKE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include "mmu/frame_access.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"
#include "arch/x86/pte.h"

#define FM_FRAMES      256
#define FM_GUEST_FIRST 16
#define FM_OTHER_FIRST 128
#define FM_DOM0_FIRST  192
#define FM_FREE_FIRST  240

#define FM_GUEST_DOMID 1
#define FM_OTHER_DOMID 2

/* The hypervisor's entry for hole slot i, as fm_ops fills it. */
#define FM_HOLE_ENTRY(i) ((((uint64_t)0x800 + (i)) << 12) | PTE_PRESENT | PTE_RW)

struct fm_calls {
    int load_cr3, load_ldt;
    int flush_local, invlpg_local, flush_domain, invlpg_domain, flush_mask;
    /* flush_before_retype: calls that flushed some CPU; retype_checks:
     * every call (a type change, whatever the stamp said). */
    int flush_before_retype, retype_checks, flush_cache, desc_checks;
    int frames_freed;               /* free_frame: teardown gave one back */
    uint64_t last_va, last_mask, last_retype_mfn, last_retype_stamp;
    bool last_mask_invlpg;
};

extern struct fm_calls fm_calls;
extern struct pv_mm_ops fm_ops;
extern uint64_t fm_m2p[FM_FRAMES];
extern int fm_maps_outstanding;
extern int fm_desc_result;          /* what check_desc_page answers */
extern int fm_mask_result;          /* what flush_vcpumask answers */
extern int fm_iomem_domid;          /* the one domain allowed I/O frames, or -1 */
extern uint64_t fm_iomem_ro_mfn;    /* the one I/O frame it may only read */

extern struct pv_mm_domain fm_guest, fm_other, fm_dom0;

/* The TLB-flush clock of the fake machine: frame_tlb_clock_stamp counts
 * up from fm_clock; the CPUs' last flushes are fm_cpu_flushed[], and
 * flush_before_retype flushes (records in fm_cpus_flushed, a bit per
 * CPU) exactly those tlbflush_may_cache picks for the frame's stamp. */
#define FM_CPUS 4
extern uint64_t fm_clock;
extern uint64_t fm_cpu_flushed[FM_CPUS];
extern unsigned int fm_cpus_flushed;
extern struct pv_mm_vcpu fm_vcpu;   /* vCPU 0 of fm_guest */

/* Everything back to the layout above; every frame zeroed. */
void fm_reset(void);

uint64_t *fm_table(uint64_t mfn);
void fm_set(uint64_t mfn, unsigned int slot, uint64_t val);
uint64_t fm_get(uint64_t mfn, unsigned int slot);

static inline uint64_t fm_pte(uint64_t mfn, uint64_t flags)
{
    return (mfn << 12) | flags;
}

/* A small guest the way Linux builds one: kernel mapping at
 * 0xffffffff80000000 (L4 511 -> L3 510 -> L2 0 -> L1), four data pages in
 * L1 slots 0-3, and the four table pages mapped read-only in slots 4-7.
 * The hole slots of the L4 hold garbage (Linux copies them). */
struct fm_guest_tables {
    uint64_t l4, l3, l2, l1, data[4];
};
#define FM_KVA 0xffffffff80000000ull

/* Shorthands every test here uses: guest frame n, and the flags of a
 * kernel read-write and a read-only present entry. */
#define G(n) (FM_GUEST_FIRST + (n))
#define KERN (PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY)
#define RO   (PTE_PRESENT | PTE_ACCESSED)
void fm_build_guest(struct fm_guest_tables *g);

/* Whole-machine snapshots, to prove that a refused operation changed
 * nothing: memory, M2P, vCPU state, every frame's counts and owner, and
 * the type of every frame in use (a frame not in use may only have
 * changed the type it remembers from its last use). */
struct fm_snapshot;
struct fm_snapshot *fm_snapshot_take(void);
bool fm_snapshot_equal(const struct fm_snapshot *s);
void fm_snapshot_free(struct fm_snapshot *s);

/* A batch's entries from an array in memory, as the hypervisor's come
 * from the guest's (pv_mmu_source); with fm_array_faulting, reading entry
 * `bad` fails with -XEN_EFAULT as an unmapped guest entry would. */
struct fm_array {
    const void *entries;
    unsigned int bad;               /* the entry that faults; -1u: none */
};
struct pv_mmu_source fm_array_source(struct fm_array *a);

/* Reference totals of the guest's frames, for "back to zero" checks. */
uint64_t fm_total_type_refs(void);
uint64_t fm_total_refs(void);       /* beyond the allocation reference */

#endif
