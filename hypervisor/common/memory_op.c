/*
 * HYPERVISOR_memory_op: the dispatcher and the sub-ops that only report
 * (reservation sizes, memory maps, the M2P's place).  The ops that move
 * frames live in memory_reservation.c.
 *
 * Error conventions follow Xen 4.17: the reservation ops return how many
 * extents they did (so a bad argument there is "0 done"), every other op
 * returns 0, a value, or a negated errno.
 */
#include <string.h>
#include "arch/x86/guest_access.h"
#include "common/continuation.h"
#include "common/domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/memory_op.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"
#include "public/errno.h"
#include "public/memory.h"

/* struct e820entry as the ABI lays it out: packed, 20 bytes. */
struct e820_entry_abi {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

static struct memmap machine_map;

void memory_op_set_machine_map(const struct memmap *map)
{
    machine_map = *map;
}

const struct memmap *memory_op_machine_map(void)
{
    return &machine_map;
}

/* Xen's XSM_TARGET default: a domain may ask about itself, a privileged
 * one about anyone. */
static bool may_control(const struct domain *target)
{
    const struct domain *cur = current_vcpu()->domain;

    return cur == target || cur->privileged;
}

/* A PV guest's highest pfn is what it published in shared_info. */
static long maximum_gpfn_of(const struct domain *d)
{
    uint64_t max_pfn = d->shared_info ? d->shared_info->arch.max_pfn : 0;

    return (long)(max_pfn ? max_pfn : 1) - 1;
}

/* What every row gets: the continuation of a preempted reservation op. */
struct memory_call {
    uint64_t start_extent;
    bool preempted;             /* the op stopped with its slice spent */
};

/* The reservation ops answer in extents done, from start_extent. */
static long increase_reservation(struct memory_call *c, struct xen_memory_reservation *r)
{
    return memory_reservation_op(XENMEM_increase_reservation, c->start_extent, r, &c->preempted);
}

static long decrease_reservation(struct memory_call *c, struct xen_memory_reservation *r)
{
    return memory_reservation_op(XENMEM_decrease_reservation, c->start_extent, r, &c->preempted);
}

static long populate_physmap(struct memory_call *c, struct xen_memory_reservation *r)
{
    return memory_reservation_op(XENMEM_populate_physmap, c->start_extent, r, &c->preempted);
}

/* The domain a reservation query names, if the caller may ask. */
static long queried_domain(domid_t domid, struct domain **out)
{
    struct domain *d = domain_find_or_self(domid);

    if (!d)
        return -XEN_ESRCH;
    if (!may_control(d))
        return -XEN_EPERM;
    *out = d;
    return 0;
}

static long current_reservation(struct memory_call *c, domid_t *domid)
{
    struct domain *d;
    long rc = queried_domain(*domid, &d);

    (void)c;
    return rc ? rc : (long)d->tot_pages;
}

static long maximum_reservation(struct memory_call *c, domid_t *domid)
{
    struct domain *d;
    long rc = queried_domain(*domid, &d);

    (void)c;
    return rc ? rc : (long)d->max_pages;
}

static long maximum_gpfn(struct memory_call *c, domid_t *domid)
{
    struct domain *d;
    long rc = queried_domain(*domid, &d);

    (void)c;
    return rc ? rc : maximum_gpfn_of(d);
}

static long maximum_ram_page(struct memory_call *c)
{
    (void)c;
    return (long)frame_table_nr_frames();
}

/* Where the guest finds the read-only M2P: the ABI's address range, and
 * the highest frame the table really covers. */
static long machphys_mapping(struct memory_call *c, struct xen_machphys_mapping *m)
{
    (void)c;
    m->v_start = MACH2PHYS_VIRT_START;
    m->v_end = MACH2PHYS_VIRT_END;
    m->max_mfn = m2p_entries() ? m2p_entries() - 1 : 0;
    return 0;
}

/*
 * dom0's view of the host map.  A NULL buffer asks only for the count;
 * otherwise the buffer must have room for every entry plus one (Xen
 * keeps a spare slot for I/O ranges it may report), else -EINVAL.  The
 * entries go out one by one into the guest's array.
 */
static long machine_memory_map(struct memory_call *c, struct xen_memory_map *map)
{
    guest_ptr_t buffer = guest_handle_ptr(map->buffer);

    (void)c;
    if (buffer.va && map->nr_entries < machine_map.n + 1)
        return -XEN_EINVAL;
    for (unsigned int i = 0; buffer.va && i < machine_map.n; i++) {
        struct e820_entry_abi e = {
            .addr = machine_map.e[i].base,
            .size = machine_map.e[i].len,
            .type = machine_map.e[i].type,
        };
        if (copy_to_guest(guest_ptr_add(buffer, i * sizeof(e)), &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    map->nr_entries = machine_map.n;
    return 0;
}

/* No toolstack has set a pseudo-physical map (XENMEM_set_memory_map is
 * not offered yet), and Xen answers a PV domain without one -ENOSYS:
 * Linux then assumes one RAM range from 0. */
static long memory_map(struct memory_call *c, struct xen_memory_map *map)
{
    (void)c;
    (void)map;
    return -XEN_ENOSYS;
}

/* add_to_physmap only means something for translated guests; Xen
 * refuses it for PV with -EACCES once the domain is known. */
static long add_to_physmap(struct memory_call *c, struct xen_add_to_physmap *xatp)
{
    (void)c;
    if (xatp->space == XENMAPSPACE_gmfn_foreign)
        return -XEN_ENOSYS;
    if (!domain_find_or_self(xatp->domid))
        return -XEN_ESRCH;
    return -XEN_EACCES;
}

/*
 * Flags of this table.  MEMOP_EXTENTS: the op answers in extents done,
 * so a request it cannot read is "start_extent done", not -EFAULT.
 * MEMOP_NO_CONTINUATION: the op takes no start_extent (-EINVAL with one).
 */
#define MEMOP_EXTENTS 1
#define MEMOP_NO_CONTINUATION 2

#define MEMORY_OPS(OP)                                                                           \
    OP(XENMEM_increase_reservation, OP_ANY, IN, struct xen_memory_reservation,                   \
       increase_reservation, MEMOP_EXTENTS)                                                      \
    OP(XENMEM_decrease_reservation, OP_ANY, IN, struct xen_memory_reservation,                   \
       decrease_reservation, MEMOP_EXTENTS)                                                      \
    OP(XENMEM_populate_physmap, OP_ANY, IN, struct xen_memory_reservation, populate_physmap,     \
       MEMOP_EXTENTS)                                                                            \
    OP(XENMEM_current_reservation, OP_ANY, IN, domid_t, current_reservation,                     \
       MEMOP_NO_CONTINUATION)                                                                    \
    OP(XENMEM_maximum_reservation, OP_ANY, IN, domid_t, maximum_reservation,                     \
       MEMOP_NO_CONTINUATION)                                                                    \
    OP(XENMEM_maximum_gpfn, OP_ANY, IN, domid_t, maximum_gpfn, MEMOP_NO_CONTINUATION)            \
    OP(XENMEM_maximum_ram_page, OP_ANY, NONE, void, maximum_ram_page, MEMOP_NO_CONTINUATION)     \
    OP(XENMEM_machphys_mapping, OP_ANY, OUT, struct xen_machphys_mapping, machphys_mapping, 0)   \
    OP(XENMEM_machine_memory_map, OP_PRIV, INOUT, struct xen_memory_map, machine_memory_map, 0)  \
    OP(XENMEM_memory_map, OP_ANY, IN, struct xen_memory_map, memory_map, 0)                      \
    OP(XENMEM_add_to_physmap, OP_ANY, IN, struct xen_add_to_physmap, add_to_physmap, 0)

GUEST_OP_TABLE(static, memory_subops, MEMORY_OPS);

/* exchange, machphys_mfn_list, acquire_resource and the HVM ops have no
 * row: -ENOSYS.  Linux copes (exchange must fail without touching
 * nr_exchanged, which it does here). */
long do_memory_op(uint64_t cmd, guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;
    struct memory_call call = { .start_extent = cmd >> MEMOP_EXTENT_SHIFT };
    const struct guest_op *op = guest_op_find(&memory_subops, cmd & MEMOP_CMD_MASK);

    if (!op)
        return -XEN_ENOSYS;
    if ((op->flags & MEMOP_NO_CONTINUATION) && call.start_extent)
        return -XEN_EINVAL;
    long rc = guest_op_run(op, arg, &call, d->privileged);
    /* Those handlers never fail with an errno: this one is the read's. */
    if ((op->flags & MEMOP_EXTENTS) && rc == -XEN_EFAULT)
        return (long)call.start_extent;
    if (call.preempted) {
        /* The rest of the extents, from the one reached (Xen's encoding). */
        const uint64_t rest[2] = { (cmd & MEMOP_CMD_MASK) | ((uint64_t)rc << MEMOP_EXTENT_SHIFT),
                                   arg.va };
        hypercall_continue(__HYPERVISOR_memory_op, 2, rest);
    }
    return rc;
}
