/*
 * Frames moving between a domain and the machine allocator:
 * XENMEM_increase_reservation, decrease_reservation and populate_physmap
 * for PV guests (balloon drivers, dom0 releasing firmware holes).
 *
 * A frame a domain holds has its owner set, PGC_allocated and one general
 * reference for that allocation.  Giving one back is refused while
 * anything else still references it (a mapping, a pin, a grant) or it
 * still has a type in use: freeing it then would hand the page to
 * someone else while the old owner can still reach it.  The M2P entry of
 * a returned frame becomes invalid; populate_physmap sets the M2P entry
 * of each new frame to the pfn the guest named, as Xen does for guests
 * that are not translated.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/paging.h"
#include "common/continuation.h"
#include "common/domain.h"
#include "common/memory_op.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"
#include "public/errno.h"
#include "public/memory.h"

struct reservation {
    struct xen_memory_reservation r;
    struct domain *d;
    guest_ptr_t list;           /* extent_start */
};

static unsigned int max_order_for(const struct domain *caller)
{
    return caller->privileged ? MEMOP_MAX_ORDER_PRIVILEGED : MEMOP_MAX_ORDER_GUEST;
}

static bool extent_in(const struct reservation *res, uint64_t i, uint64_t *val)
{
    return !copy_from_guest(val, guest_ptr_add(res->list, i * sizeof(xen_pfn_t)), sizeof(*val));
}

static bool extent_out(const struct reservation *res, uint64_t i, uint64_t val)
{
    return !copy_to_guest(guest_ptr_add(res->list, i * sizeof(xen_pfn_t)), &val, sizeof(val));
}

/* 2^order fresh frames for d, zeroed and owned, below the address limit
 * the guest asked for; 0 when there are none or d would exceed its
 * max_pages. */
static uint64_t allocate_for(struct domain *d, unsigned int order, unsigned int address_bits)
{
    uint64_t n = 1ull << order;

    if (d->is_shutting_down || d->tot_pages + n > d->max_pages)
        return 0;
    uint64_t phys = alloc_frames(order);
    if (!phys)
        return 0;
    if (address_bits && address_bits < 64 && phys + (n << PAGE_SHIFT) > (1ull << address_bits)) {
        /* No allocator below a limit yet: a frame above it is useless. */
        free_frames(phys, order);
        return 0;
    }
    uint64_t mfn = phys >> PAGE_SHIFT;
    for (uint64_t i = 0; i < n; i++) {
        struct page_info *pg = &frame_table[mfn + i];

        memset(phys_to_virt((mfn + i) << PAGE_SHIFT), 0, PAGE_SIZE);
        pg->owner = d->domid;
        pg->count_info = PGC_allocated | 1;
        pg->type_info = 0;
        m2p_set(mfn + i, M2P_INVALID);
    }
    d->tot_pages += n;
    return mfn;
}

/* Take back frames allocate_for gave when the guest cannot be told. */
static void unassign(struct domain *d, uint64_t mfn, unsigned int order)
{
    for (uint64_t i = 0; i < (1ull << order); i++) {
        frame_table[mfn + i].count_info = 0;
        m2p_set(mfn + i, M2P_INVALID);
    }
    d->tot_pages -= 1ull << order;
    free_frames(mfn << PAGE_SHIFT, order);
}

static bool increase(const struct reservation *res, uint64_t i)
{
    unsigned int order = res->r.extent_order;
    uint64_t mfn = allocate_for(res->d, order, XENMEMF_get_address_bits(res->r.mem_flags));

    if (!mfn)
        return false;
    /* A NULL list is allowed: the caller does not want the frames named. */
    if (res->list.va && !extent_out(res, i, mfn)) {
        unassign(res->d, mfn, order);
        return false;
    }
    return true;
}

static bool populate(const struct reservation *res, uint64_t i)
{
    unsigned int order = res->r.extent_order;
    uint64_t gpfn;

    if (!extent_in(res, i, &gpfn))
        return false;
    if (gpfn + (1ull << order) < gpfn) {
        printk(LOG_DEBUG, "d%u: populate_physmap: pfn %#lx order %u wraps",
               res->d->domid, gpfn, order);
        return false;
    }
    uint64_t mfn = allocate_for(res->d, order, XENMEMF_get_address_bits(res->r.mem_flags));
    if (!mfn)
        return false;
    if (!extent_out(res, i, mfn)) {
        unassign(res->d, mfn, order);
        return false;
    }
    for (uint64_t j = 0; j < (1ull << order); j++)
        m2p_set(mfn + j, gpfn + j);
    return true;
}

/* The frame may go back only if the allocation is its last reference
 * and no type is in use. */
static const char *why_not_releasable(const struct domain *d, uint64_t mfn)
{
    if (mfn >= frame_table_nr_frames())
        return "is not a RAM frame";
    if (mfn == d->shared_info_mfn)
        return "is the shared_info page";
    const struct page_info *pg = &frame_table[mfn];
    if (pg->owner != d->domid || (pg->count_info & (PGC_free | PGC_reserved)))
        return "is not the domain's";
    if (!(pg->count_info & PGC_allocated))
        return "is not allocated to the domain";
    if ((pg->count_info & PGC_COUNT_MASK) != 1)
        return "is still referenced (mapped, pinned or granted)";
    if (pg->type_info & PGT_COUNT_MASK)
        return "still has a type in use";
    return NULL;
}

static void release_frame(struct domain *d, uint64_t mfn)
{
    frame_table[mfn].count_info = 0;
    frame_table[mfn].type_info = 0;
    m2p_set(mfn, M2P_INVALID);
    d->tot_pages--;
    free_frames(mfn << PAGE_SHIFT, 0);
}

static bool decrease(const struct reservation *res, uint64_t i)
{
    unsigned int order = res->r.extent_order;
    uint64_t first;

    if (!extent_in(res, i, &first))
        return false;
    /* Check the whole extent before releasing any of it. */
    for (uint64_t j = 0; j < (1ull << order); j++) {
        const char *why = first + j < first ? "wraps" : why_not_releasable(res->d, first + j);
        if (why) {
            printk(LOG_DEBUG, "d%u: decrease_reservation: frame %#lx %s",
                   res->d->domid, first + j, why);
            return false;
        }
    }
    /* The guest may still hold a stale translation on any of its CPUs
     * (Linux clears the PTE without a flush): free_frames stamps the
     * frames, and nothing reuses them before those CPUs have flushed
     * (alloc_frames, arch/x86/tlbflush.h). */
    for (uint64_t j = 0; j < (1ull << order); j++)
        release_frame(res->d, first + j);
    return true;
}

long memory_reservation_op(unsigned int op, uint64_t start_extent,
                           const struct xen_memory_reservation *r, bool *preempted)
{
    struct reservation res = { .r = *r };
    struct domain *caller = current_vcpu()->domain;

    /* A count too large to encode as a continuation is refused. */
    if (res.r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) ||
        start_extent >= res.r.nr_extents)
        return (long)start_extent;
    if (op != XENMEM_decrease_reservation && res.r.extent_order > max_order_for(caller))
        return (long)start_extent;
    if (res.r.extent_order > BUDDY_MAX_ORDER)
        return (long)start_extent;
    res.d = domain_find_or_self(res.r.domid);
    if (!res.d || (res.d != caller && !caller->privileged))
        return (long)start_extent;
    res.list = guest_handle_ptr(res.r.extent_start);

    uint64_t i = start_extent;
    for (; i < res.r.nr_extents; i++) {
        /* A slice's work is counted in frames (continuation.h). */
        if (i != start_extent && hypercall_preempt_check(1u << res.r.extent_order)) {
            *preempted = true;
            break;
        }
        bool ok = op == XENMEM_increase_reservation ? increase(&res, i)
                : op == XENMEM_populate_physmap    ? populate(&res, i)
                                                   : decrease(&res, i);
        if (!ok)
            break;
    }
    return (long)i;
}
