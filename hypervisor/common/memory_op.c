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
#include "common/domain.h"
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

/* Xen's XSM_TARGET default: a domain may ask about itself, a privileged
 * one about anyone. */
static bool may_control(const struct domain *target)
{
    const struct domain *cur = current_vcpu()->domain;

    return cur == target || cur->privileged;
}

/* A PV guest's highest pfn is what it published in shared_info. */
static long maximum_gpfn(const struct domain *d)
{
    uint64_t max_pfn = d->shared_info ? d->shared_info->arch.max_pfn : 0;

    return (long)(max_pfn ? max_pfn : 1) - 1;
}

static long reservation_query(unsigned int op, guest_ptr_t arg)
{
    domid_t domid;

    if (copy_from_guest(&domid, arg, sizeof(domid)))
        return -XEN_EFAULT;
    struct domain *d = domain_find_or_self(domid);
    if (!d)
        return -XEN_ESRCH;
    if (!may_control(d))
        return -XEN_EPERM;
    switch (op) {
    case XENMEM_current_reservation: return (long)d->tot_pages;
    case XENMEM_maximum_reservation: return (long)d->max_pages;
    default:                         return maximum_gpfn(d);
    }
}

/* Where the guest finds the read-only M2P: the ABI's address range, and
 * the highest frame the table really covers. */
static long machphys_mapping(guest_ptr_t arg)
{
    struct xen_machphys_mapping m = {
        .v_start = MACH2PHYS_VIRT_START,
        .v_end = MACH2PHYS_VIRT_END,
        .max_mfn = m2p_entries() ? m2p_entries() - 1 : 0,
    };

    return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
}

/*
 * dom0's view of the host map.  A NULL buffer asks only for the count;
 * otherwise the buffer must have room for every entry plus one (Xen
 * keeps a spare slot for I/O ranges it may report), else -EINVAL.
 */
static long machine_memory_map(guest_ptr_t arg)
{
    struct xen_memory_map map;

    if (!current_vcpu()->domain->privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    guest_ptr_t buffer = guest_handle_ptr(map.buffer);
    if (buffer.va && map.nr_entries < machine_map.n + 1)
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
    map.nr_entries = machine_map.n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/* No toolstack has set a pseudo-physical map (XENMEM_set_memory_map is
 * not offered yet), and Xen answers a PV domain without one -ENOSYS:
 * Linux then assumes one RAM range from 0. */
static long memory_map(guest_ptr_t arg)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    return -XEN_ENOSYS;
}

/* add_to_physmap only means something for translated guests; Xen
 * refuses it for PV with -EACCES once the domain is known. */
static long add_to_physmap(guest_ptr_t arg)
{
    struct xen_add_to_physmap xatp;

    if (copy_from_guest(&xatp, arg, sizeof(xatp)))
        return -XEN_EFAULT;
    if (xatp.space == XENMAPSPACE_gmfn_foreign)
        return -XEN_ENOSYS;
    struct domain *d = domain_find_or_self(xatp.domid);
    if (!d)
        return -XEN_ESRCH;
    return -XEN_EACCES;
}

long do_memory_op(uint64_t cmd, guest_ptr_t arg)
{
    unsigned int op = (unsigned int)(cmd & MEMOP_CMD_MASK);
    uint64_t start_extent = cmd >> MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return memory_reservation_op(op, start_extent, arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        if (start_extent)
            return -XEN_EINVAL;
        return reservation_query(op, arg);
    case XENMEM_maximum_ram_page:
        if (start_extent)
            return -XEN_EINVAL;
        return (long)frame_table_nr_frames();
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_add_to_physmap:
        return add_to_physmap(arg);
    default:
        /* exchange, machphys_mfn_list, acquire_resource and the HVM
         * ops: not offered.  Linux copes (exchange must fail without
         * touching nr_exchanged, which it does here). */
        return -XEN_ENOSYS;
    }
}
