/*
 * HYPERVISOR_memory_op: a domain's reservation of machine frames, the
 * memory maps, and where the M2P table is (Xen 4.17 semantics for 64-bit
 * PV guests, which are not translated: the frames they name are machine
 * frames, and the hypervisor keeps only the M2P, never a p2m).
 */
#ifndef SUBFLOOR_MEMORY_OP_H
#define SUBFLOOR_MEMORY_OP_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/memmap.h"
#include "common/domain.h"
#include "public/memory.h"

/* The low bits of cmd are the sub-op; the rest is where a preempted
 * reservation op resumes (Xen's MEMOP_EXTENT_SHIFT encoding). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)

/* Largest extent order a domain may ask for (Xen's hwdom/ctldom_max_order
 * and domu_max_order defaults). */
#define MEMOP_MAX_ORDER_PRIVILEGED 12u
#define MEMOP_MAX_ORDER_GUEST      9u

/* The machine's E820 map, as XENMEM_machine_memory_map reports it to
 * dom0: the sanitised firmware map (clipped by mem=), recorded at boot. */
void memory_op_set_machine_map(const struct memmap *map);
const struct memmap *memory_op_machine_map(void);

/* XENMEM_increase_reservation, decrease_reservation and populate_physmap
 * (memory_reservation.c) on the request read from the guest: the number
 * of extents done, counting from start_extent; a short count means the
 * next one failed, or, with *preempted set, that the slice was spent and
 * the op continues from there (continuation.h). */
long memory_reservation_op(unsigned int op, uint64_t start_extent,
                           const struct xen_memory_reservation *r, bool *preempted);

#endif
