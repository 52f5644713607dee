/*
 * General and type reference counts of machine frames.
 *
 * The type of a frame only changes while nothing uses it in its current
 * type (type count zero).  While a page-table type is being validated the
 * frame already carries the new type with a count of one but without
 * PGT_validated: a table reached again from inside its own validation
 * (a loop in the guest's tables) then sees a type in use and is refused,
 * so validation always terminates.
 */
#include "mmu/page_type.h"
#include "public/errno.h"

static struct page_ref_underflows underflows;

/* A drop that found nothing to drop: refused, never wrapped, and kept
 * for whoever audits the counts (a domain's teardown). */
static void note_underflow(uint64_t mfn, bool type)
{
    unsigned int slot = (unsigned int)(underflows.count % PAGE_REF_UNDERFLOW_LOG);

    underflows.mfn[slot] = mfn;
    underflows.type[slot] = type;
    underflows.count++;
}

const struct page_ref_underflows *page_ref_underflows(void)
{
    return &underflows;
}

bool get_page(const struct pv_mm_domain *d, uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    if (!pg || pg->owner != d->domid || (pg->count_info & PGC_free))
        return false;
    uint64_t count = pg->count_info & PGC_COUNT_MASK;
    /* A zero count means the frame is not allocated to anyone. */
    if (count == 0 || count == PGC_COUNT_MASK)
        return false;
    pg->count_info++;
    return true;
}

void put_page(uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    if (!pg)
        return;
    /* An unbalanced put is a hypervisor bug; never wrap the count. */
    if ((pg->count_info & PGC_COUNT_MASK) == 0) {
        note_underflow(mfn, false);
        return;
    }
    pg->count_info--;
}

uint64_t page_type_in_use(uint64_t mfn)
{
    const struct page_info *pg = frame_info(mfn);

    if (!pg || (pg->type_info & PGT_COUNT_MASK) == 0)
        return PGT_none;
    return pg->type_info & PGT_TYPE_MASK;
}

uint64_t page_type_count(uint64_t mfn)
{
    const struct page_info *pg = frame_info(mfn);
    return pg ? pg->type_info & PGT_COUNT_MASK : 0;
}

uint64_t page_ref_count(uint64_t mfn)
{
    const struct page_info *pg = frame_info(mfn);
    return pg ? pg->count_info & PGC_COUNT_MASK : 0;
}

/* Check a frame's contents for its new type and take what it references. */
static int validate_for_type(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type)
{
    unsigned int level = pgt_level(type);

    if (level)
        return pt_table_validate(d, mfn, level);
    if (type == PGT_seg_desc_page) {
        if (!d->ops || !d->ops->check_desc_page)
            return -XEN_EINVAL;
        void *page = frame_map(mfn);
        int rc = d->ops->check_desc_page(d, page);
        frame_unmap(page);
        return rc;
    }
    return 0;
}

static int take_first_type_ref(const struct pv_mm_domain *d, uint64_t mfn,
                               struct page_info *pg, uint64_t type)
{
    uint64_t old = pg->type_info;
    uint64_t old_type = old & PGT_TYPE_MASK;

    /* The same type, still validated since its last use, needs no check:
     * only writable and descriptor pages keep PGT_validated at count 0,
     * and their contents cannot have changed without a type change. */
    if (old_type == type && (old & PGT_validated)) {
        pg->type_info = type | PGT_validated | 1;
        return 0;
    }

    /* A writable frame may still be writable through some TLB, and a
     * former table may still be walked through cached paging structures:
     * either must be gone before the frame is used in its new type.  A
     * frame with no type (fresh from the allocator, its history reset
     * there) is no exception: its stamp tells which CPUs to flush, and
     * the allocator's own flush usually leaves none. */
    if (old_type != type && d->ops && d->ops->flush_before_retype)
        d->ops->flush_before_retype(d, mfn);

    pg->type_info = type | 1;
    int rc = validate_for_type(d, mfn, type);
    if (rc) {
        pg->type_info = old;
        return rc;
    }
    pg->type_info = type | PGT_validated | 1;
    return 0;
}

int get_page_type(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type)
{
    struct page_info *pg = frame_info(mfn);

    if (!pg)
        return -XEN_EINVAL;
    type &= PGT_TYPE_MASK;
    if (type == PGT_none)
        return -XEN_EINVAL;

    uint64_t x = pg->type_info;
    uint64_t count = x & PGT_COUNT_MASK;

    if (count == PGT_COUNT_MASK)
        return -XEN_EINVAL;
    if (count == 0)
        return take_first_type_ref(d, mfn, pg, type);
    /* In use: only the same, fully validated type may be shared.  A table
     * still being validated is reached through a loop: refused. */
    if ((x & PGT_TYPE_MASK) != type || !(x & PGT_validated))
        return -XEN_EINVAL;
    pg->type_info = x + 1;
    return 0;
}

void put_page_type(uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    if (!pg)
        return;
    if ((pg->type_info & PGT_COUNT_MASK) == 0) {
        note_underflow(mfn, true);
        return;
    }

    uint64_t x = pg->type_info;
    if ((x & PGT_COUNT_MASK) > 1) {
        pg->type_info = x - 1;
        return;
    }
    /* The last use in this type goes: the mapping (or the table walk)
     * may live on in some TLB until the CPU flushes. */
    pg->tlbflush_stamp = frame_tlb_clock_stamp();

    unsigned int level = pgt_level(x);
    if (level && (x & PGT_validated)) {
        /* Keep the count at one while the entries are released, so a loop
         * back to this frame cannot release it twice. */
        pg->type_info = (x & PGT_TYPE_MASK) | 1;
        pt_table_release(mfn, level);
        pg->type_info = x & PGT_TYPE_MASK;
        return;
    }
    /* Writable pages stay validated; every other type must be checked
     * again when next taken. */
    uint64_t keep = ((x & PGT_TYPE_MASK) == PGT_writable_page) ? PGT_validated : 0;
    pg->type_info = (x & PGT_TYPE_MASK) | (x & keep);
}

int get_page_and_type(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type)
{
    if (!get_page(d, mfn))
        return -XEN_EINVAL;
    int rc = get_page_type(d, mfn, type);
    if (rc)
        put_page(mfn);
    return rc;
}

void put_page_and_type(uint64_t mfn)
{
    put_page_type(mfn);
    put_page(mfn);
}

int pin_table(const struct pv_mm_domain *d, uint64_t mfn, uint64_t type)
{
    if (!pgt_level(type))
        return -XEN_EINVAL;
    int rc = get_page_and_type(d, mfn, type);
    if (rc)
        return rc;

    struct page_info *pg = frame_info(mfn);
    if (pg->type_info & PGT_pinned) {
        put_page_and_type(mfn);
        return -XEN_EINVAL;
    }
    pg->type_info |= PGT_pinned;
    return 0;
}

int unpin_table(const struct pv_mm_domain *d, uint64_t mfn)
{
    if (!get_page(d, mfn))
        return -XEN_EINVAL;

    struct page_info *pg = frame_info(mfn);
    if (!(pg->type_info & PGT_pinned)) {
        put_page(mfn);
        return -XEN_EINVAL;
    }
    pg->type_info &= ~PGT_pinned;
    put_page_and_type(mfn);
    put_page(mfn);
    return 0;
}

void frame_share_with_guest(const struct pv_mm_domain *d, uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    /* Fresh from the allocator: no type, no reference, so nothing to
     * validate and nothing that could refuse the writable type. */
    pg->owner = d->domid;
    pg->count_info = PGC_allocated | 1;
    pg->type_info = PGT_writable_page | PGT_validated | 1;
}

bool frame_unshare(uint64_t mfn)
{
    struct page_info *pg = frame_info(mfn);

    put_page_type(mfn);
    if (pg->count_info & PGC_allocated) {
        pg->count_info &= ~PGC_allocated;
        put_page(mfn);
    }
    return (pg->count_info & PGC_COUNT_MASK) == 0;
}

int frame_hold_for_hv_writes(const struct pv_mm_domain *d, uint64_t mfn)
{
    return get_page_and_type(d, mfn, PGT_writable_page);
}

void frame_release_hv_writes(uint64_t mfn)
{
    put_page_and_type(mfn);
}
