/*
 * Reference and type counting of machine frames (docs/design.md section 4), and
 * the x86-64 PV page-table validation rules built on it.
 *
 * Every frame has a general reference count (count_info) and a type with
 * its own use count (type_info).  A frame's type can only change while its
 * type count is zero, so a frame is never a page table and writable at the
 * same time.  Taking a page-table type validates the whole table and takes
 * references on everything its entries point at; dropping the last type
 * reference releases them.  docs/pv-mmu.md lists the rules.
 *
 * Frames are named by machine frame number; the frame table is reached
 * through frame_access.h.  Results are 0 or a negated Xen errno.
 */
#ifndef SUBFLOOR_PAGE_TYPE_H
#define SUBFLOOR_PAGE_TYPE_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/page_info.h"
#include "mmu/frame_access.h"

/* General references.  get_page fails (false) when mfn is not in the frame
 * table, is not owned by d, is free, or its count would overflow. */
bool get_page(const struct pv_mm_domain *d, uint64_t mfn);
void put_page(uint64_t mfn);

/* Drops of a count already at zero (put_page, put_page_type): a double
 * drop somewhere, always a hypervisor bug.  The count is left at zero,
 * never wrapped, and the drop is recorded here: how many there have
 * been, and the frames of the last PAGE_REF_UNDERFLOW_LOG (slot
 * n % PAGE_REF_UNDERFLOW_LOG holds drop n; type: the type count). */
#define PAGE_REF_UNDERFLOW_LOG 16
struct page_ref_underflows {
    uint64_t count;
    uint64_t mfn[PAGE_REF_UNDERFLOW_LOG];
    bool type[PAGE_REF_UNDERFLOW_LOG];
};
const struct page_ref_underflows *page_ref_underflows(void);

/*
 * Type references.  type is one of PGT_l1_page_table .. PGT_l4_page_table,
 * PGT_seg_desc_page or PGT_writable_page.  d is the frame's owner, whose
 * rules validate it.  Fails with -XEN_EINVAL when the frame has another
 * type in use (or the count would overflow), or with the error of the
 * validation that failed; then nothing has changed.
 */
int get_page_type(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type);
void put_page_type(uint64_t mfn);

/* Both at once; -XEN_EINVAL when get_page fails. */
int get_page_and_type(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type);
void put_page_and_type(uint64_t mfn);

/* MMUEXT_PIN_Ln_TABLE / MMUEXT_UNPIN_TABLE: a pinned table holds one
 * general and one type reference until it is unpinned.  -XEN_EINVAL for a
 * frame d does not own, a table already pinned (pin) or not pinned
 * (unpin); pin also fails with the validation's error. */
int pin_table(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type);
int unpin_table(const struct pv_mm_domain *d, uint64_t mfn);

/*
 * Frames the hypervisor writes on a guest's behalf: shared_info (event
 * bits, time records, a fault's cr2), grant-table frames, a vcpu_info
 * moved by VCPUOP_register_vcpu_info, the PHYSDEVOP_pirq_eoi_gmfn page.
 * Each holds a writable type reference for as long as the hypervisor
 * writes there, so it can never become a page table or a descriptor page
 * underneath those writes, whatever the guest maps, unmaps or pins.
 *
 * frame_share_with_guest: a frame fresh from the allocator becomes d's,
 * as Xen's share_xen_page_with_guest: PGC_allocated with its one general
 * reference, and the writable type held.  frame_unshare drops both and
 * returns true when nothing references the frame any more (the caller
 * frees it), false while a guest mapping still does.
 *
 * frame_hold_for_hv_writes: one of the guest's own frames, registered for
 * the hypervisor to write (a general and a writable type reference);
 * -XEN_EINVAL when d does not own it or it is in use as another type.
 * frame_release_hv_writes undoes it when the registration ends.
 */
void frame_share_with_guest(const struct pv_mm_domain *d, uint64_t mfn);
bool frame_unshare(uint64_t mfn);
int frame_hold_for_hv_writes(const struct pv_mm_domain *d, uint64_t mfn);
void frame_release_hv_writes(uint64_t mfn);

/* The type of mfn when its type count is non-zero, else PGT_none. */
uint64_t page_type_in_use(uint64_t mfn);
uint64_t page_type_count(uint64_t mfn);
uint64_t page_ref_count(uint64_t mfn);

/*
 * The entry rules (hypervisor/mm/pt_entry.c).  level is 1..4.
 *
 * pt_entry_acquire checks a present entry about to be written into a table
 * of that level, adjusts it as the hypervisor stores it (U/S forced on, a
 * kernel-only L1 entry marked PTE_GUEST_KERNEL), and takes the references
 * the entry needs: L2-L4 entries a general and a type reference on the
 * next-level table, L1 entries a general reference on the frame plus a
 * writable type reference if the entry is writable.  pt_owner owns the
 * table, pg_owner the frames L1 entries may point at (different only for a
 * privileged domain's foreign mappings).  Errors (as Xen returns them):
 * -XEN_EINVAL bad flags, or an L2-L4 target that is not the domain's or
 * does not validate as the next level; -XEN_EBUSY an L1 target the domain
 * does not own, or a writable mapping of a page table or descriptor page;
 * -XEN_EPERM a frame outside RAM without I/O permission.  An L1 entry
 * of I/O memory the platform allows only reading loses RW here: *entry
 * is what must be stored.
 */
int pt_entry_acquire(unsigned int level, uint64_t *entry,
                     const struct pv_mm_domain *pt_owner,
                     const struct pv_mm_domain *pg_owner);
void pt_entry_release(unsigned int level, uint64_t entry);

/* I/O memory: a frame the frame table does not cover, or DOMID_IO's; and
 * what d may do with it (pv_mm_ops.iomem_access; none without the hook). */
bool pt_frame_is_iomem(uint64_t mfn);
enum iomem_access pt_iomem_access(const struct pv_mm_domain *d, uint64_t mfn);

/* Flag check alone (also used by the fast path that keeps references). */
int pt_entry_check_flags(unsigned int level, uint64_t entry,
                         const struct pv_mm_domain *pt_owner);
uint64_t pt_entry_adjust(unsigned int level, uint64_t entry);

/* Whole tables (hypervisor/mm/pt_table.c): used by get_page_type and
 * put_page_type when a page-table type is taken or finally dropped. */
int pt_table_validate(const struct pv_mm_domain *d, uint64_t mfn, unsigned int level);
void pt_table_release(uint64_t mfn, unsigned int level);

static inline unsigned int pgt_level(uint64_t type)
{
    uint64_t t = type & PGT_TYPE_MASK;
    return (t >= PGT_l1_page_table && t <= PGT_l4_page_table)
        ? (unsigned int)(t >> PGT_TYPE_SHIFT) : 0;
}

static inline uint64_t pgt_of_level(unsigned int level)
{
    return (uint64_t)level << PGT_TYPE_SHIFT;
}

#endif
