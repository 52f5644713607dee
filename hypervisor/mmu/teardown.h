/*
 * The page-type half of a domain's teardown, and the audit that proves
 * its counts balanced.
 *
 * Once a domain has stopped running and the layers above have dropped
 * what they hold (each vCPU's base pointers and LDT, the GDT frames,
 * the hypervisor's writable holds, grant mappings), its frames still
 * hold each other: pinned tables, and tables whose entries hold general,
 * type and writable references.  The order that counts every drop
 * exactly once (as Xen's relinquish_memory):
 *
 *   1. pv_mm_teardown_begin: the census (which frames the domain owns)
 *      and the double-drop counter's starting point.
 *   2. pv_mm_teardown_tables: every pin is dropped (one general and one
 *      type reference each), which releases every table nothing else
 *      holds, top-down, through put_page_type.  What is still a
 *      validated table after that is held from outside the domain's
 *      own tables (a leak, or a pin-less reference the layers above
 *      forgot): it is devalidated in place, L4s first and L1s last,
 *      dropping what its entries hold; PGT_validated is cleared first,
 *      so a later drop of its last type reference releases nothing
 *      twice.  Its own type count stays and the audit reports it.
 *   3. pv_mm_teardown_finish: each frame's allocation reference goes,
 *      and a frame with no reference and no type left goes back to the
 *      allocator (pv_mm_ops.free_frame).  Every frame the domain still
 *      owns after that is unbalanced: reported with its counts and the
 *      page-table entries that still map it.  So is every drop that
 *      found a count already at zero during the teardown (a double
 *      drop: page_ref_underflows), and an allocation reference whose
 *      frame had no reference left to drop.
 *
 * Frames are named by mfn and scanned over [0, nr_frames); the caller
 * serialises as for every page_type.h call, and nothing of the domain
 * may run any more (no CPU in its context or caching its tables).
 */
#ifndef SUBFLOOR_MMU_TEARDOWN_H
#define SUBFLOOR_MMU_TEARDOWN_H

#include <stdbool.h>
#include <stdint.h>
#include "mmu/frame_access.h"

#define PV_MM_REFERRERS_SHOWN 4

/* A page-table entry that maps a frame: table_mfn (owned by
 * table_owner, in use at level) slot `slot`. */
struct pv_mm_referrer {
    uint64_t table_mfn;
    uint32_t table_owner;
    unsigned int level, slot;
};

/* A frame the teardown could not give back, or a double drop. */
struct pv_mm_leftover {
    uint64_t mfn;
    uint64_t count_info, type_info;   /* as the audit found them */
    /* Its allocation reference had nothing left to drop: a reference
     * was dropped twice before (the frame is kept, not freed). */
    bool double_drop;
    /* Present entries of validated tables, of any domain, mapping it;
     * the first PV_MM_REFERRERS_SHOWN of them. */
    unsigned int nr_referrers;
    struct pv_mm_referrer referrers[PV_MM_REFERRERS_SHOWN];
};

struct pv_mm_teardown {
    /* Set by the caller. */
    struct pv_mm_domain *d;
    uint64_t nr_frames;
    /* Each unbalanced frame, once; each drop of a zero count during the
     * teardown (type: the type count), up to PAGE_REF_UNDERFLOW_LOG of
     * them.  Either may be NULL. */
    void (*report_leftover)(void *ctx, const struct pv_mm_leftover *l);
    void (*report_double_drop)(void *ctx, uint64_t mfn, bool type);
    void *ctx;

    /* Results. */
    uint64_t owned;             /* frames the domain owned at the census */
    uint64_t unpinned;          /* pins dropped */
    uint64_t devalidated;       /* tables still held after the pins went */
    uint64_t returned;          /* owned frames no longer the domain's */
    uint64_t left;              /* frames still the domain's after it all */
    uint64_t double_drops;      /* drops of a zero count */

    uint64_t underflows_at_begin;   /* internal */
};

void pv_mm_teardown_begin(struct pv_mm_teardown *t);
void pv_mm_teardown_tables(struct pv_mm_teardown *t);
void pv_mm_teardown_finish(struct pv_mm_teardown *t);

/* What the audit line reports as unbalanced. */
static inline uint64_t pv_mm_teardown_unbalanced(const struct pv_mm_teardown *t)
{
    return t->left + t->double_drops;
}

/* The present entries of validated page tables (any owner) that map
 * mfn, as an L1 entry maps a frame or an upper entry its next table:
 * the first `max` into out[]; returns how many there are. */
unsigned int pv_mm_find_referrers(uint64_t mfn, uint64_t nr_frames,
                                  struct pv_mm_referrer *out, unsigned int max);

#endif
