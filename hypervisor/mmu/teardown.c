/*
 * A dead domain's page tables and allocation references, dropped in the
 * order that counts each drop once, and the audit of what is left; see
 * teardown.h.
 */
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "mmu/teardown.h"

/* Leftovers beyond this many are counted but neither searched for nor
 * reported one by one: a bug that leaks one frame tends to leak
 * thousands, and the first few say which. */
#define LEFTOVERS_REPORTED 32u

static bool owned_by(const struct page_info *pg, const struct pv_mm_domain *d)
{
    return pg->owner == d->domid && !(pg->count_info & (PGC_free | PGC_reserved));
}

static struct page_info *owned_frame(const struct pv_mm_teardown *t, uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    return pg && owned_by(pg, t->d) ? pg : NULL;
}

void pv_mm_teardown_begin(struct pv_mm_teardown *t)
{
    t->owned = t->unpinned = t->devalidated = 0;
    t->returned = t->left = t->double_drops = 0;
    t->underflows_at_begin = page_ref_underflows()->count;
    for (uint64_t mfn = 0; mfn < t->nr_frames; mfn++)
        if (owned_frame(t, mfn))
            t->owned++;
}

/* A pin holds one general and one type reference. */
static void unpin_all(struct pv_mm_teardown *t)
{
    for (uint64_t mfn = 0; mfn < t->nr_frames; mfn++) {
        struct page_info *pg = owned_frame(t, mfn);

        if (!pg || !(pg->type_info & PGT_pinned))
            continue;
        pg->type_info &= ~PGT_pinned;
        put_page_and_type(mfn);
        t->unpinned++;
    }
}

/* Tables of `level` still validated and in use once every pin is gone:
 * nothing inside the domain holds them (it has no vCPU and no pin left,
 * and tables only hold tables of the level below), so something outside
 * does.  Their entries' references go now; the type count stays for
 * the audit to see.  With PGT_validated cleared first, neither the
 * release below nor a later last put_page_type can release them again. */
static void devalidate_level(struct pv_mm_teardown *t, unsigned int level)
{
    for (uint64_t mfn = 0; mfn < t->nr_frames; mfn++) {
        struct page_info *pg = owned_frame(t, mfn);

        if (!pg || pgt_level(pg->type_info) != level || !(pg->type_info & PGT_validated) ||
            !(pg->type_info & PGT_COUNT_MASK))
            continue;
        pg->type_info &= ~PGT_validated;
        pg->tlbflush_stamp = frame_tlb_clock_stamp();
        pt_table_release(mfn, level);
        t->devalidated++;
    }
}

void pv_mm_teardown_tables(struct pv_mm_teardown *t)
{
    unpin_all(t);
    for (unsigned int level = 4; level >= 1; level--)
        devalidate_level(t, level);
}

unsigned int pv_mm_find_referrers(uint64_t mfn, uint64_t nr_frames,
                                  struct pv_mm_referrer *out, unsigned int max)
{
    unsigned int found = 0;

    for (uint64_t tbl = 0; tbl < nr_frames; tbl++) {
        const struct page_info *pg = frame_info(tbl);
        unsigned int level = pg ? pgt_level(pg->type_info) : 0;

        if (!level || !(pg->type_info & PGT_validated) || !(pg->type_info & PGT_COUNT_MASK))
            continue;
        const uint64_t *table = frame_map(tbl);
        for (unsigned int slot = 0; slot < PT_ENTRIES; slot++) {
            uint64_t e = table[slot];
            if ((level == 4 && !l4_slot_is_guest(slot)) || !pte_present(e) || pte_mfn(e) != mfn)
                continue;
            if (found < max)
                out[found] = (struct pv_mm_referrer){ tbl, pg->owner, level, slot };
            found++;
        }
        frame_unmap((void *)table);
    }
    return found;
}

static void report(struct pv_mm_teardown *t, uint64_t mfn, const struct page_info *pg,
                   bool double_drop, uint64_t nr_reported)
{
    if (!t->report_leftover || nr_reported >= LEFTOVERS_REPORTED)
        return;
    struct pv_mm_leftover l = {
        .mfn = mfn,
        .count_info = pg->count_info,
        .type_info = pg->type_info,
        .double_drop = double_drop,
    };
    l.nr_referrers = pv_mm_find_referrers(mfn, t->nr_frames, l.referrers,
                                          PV_MM_REFERRERS_SHOWN);
    t->report_leftover(t->ctx, &l);
}

/* The drops of a zero count since the census, as page_type.c logged them. */
static void collect_underflows(struct pv_mm_teardown *t)
{
    const struct page_ref_underflows *u = page_ref_underflows();
    uint64_t n = u->count - t->underflows_at_begin;
    uint64_t first = n > PAGE_REF_UNDERFLOW_LOG ? u->count - PAGE_REF_UNDERFLOW_LOG
                                                : t->underflows_at_begin;

    t->double_drops += n;
    if (!t->report_double_drop)
        return;
    for (uint64_t i = first; i < u->count; i++)
        t->report_double_drop(t->ctx, u->mfn[i % PAGE_REF_UNDERFLOW_LOG],
                              u->type[i % PAGE_REF_UNDERFLOW_LOG]);
}

void pv_mm_teardown_finish(struct pv_mm_teardown *t)
{
    const struct pv_mm_ops *ops = t->d->ops;
    uint64_t still_owned = 0, freed = 0, reported = 0;

    for (uint64_t mfn = 0; mfn < t->nr_frames; mfn++) {
        struct page_info *pg = owned_frame(t, mfn);

        if (!pg)
            continue;
        still_owned++;
        if (pg->count_info & PGC_allocated) {
            if (!(pg->count_info & PGC_COUNT_MASK)) {
                /* The allocation's own reference is already gone. */
                t->double_drops++;
                report(t, mfn, pg, true, reported++);
                continue;
            }
            pg->count_info &= ~PGC_allocated;
            put_page(mfn);
        }
        if (!(pg->count_info & PGC_COUNT_MASK) && !(pg->type_info & PGT_COUNT_MASK) &&
            ops && ops->free_frame) {
            ops->free_frame(t->d, mfn);
            freed++;
            continue;
        }
        t->left++;
        report(t, mfn, pg, false, reported++);
    }
    t->returned = t->owned - still_owned + freed;
    collect_underflows(t);
}
