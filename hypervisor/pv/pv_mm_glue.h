/*
 * The hypervisor side of the PV MMU (pv_mmu.h, page_type.h): the frame
 * accessors over the frame table and direct map, the one platform
 * instance, and the hypercalls that copy guest arguments in and out.
 *
 * Locking: there is one CPU and the hypervisor runs with interrupts off,
 * so every PV MMU operation already runs alone; the frame_access.h rule
 * "callers serialise" holds without a lock until SMP arrives.
 */
#ifndef SUBFLOOR_PV_MM_GLUE_H
#define SUBFLOOR_PV_MM_GLUE_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"
#include "common/domain.h"

/* Fill d->mm and each vCPU's mm when the domain is created. */
void pv_mm_setup_domain(struct domain *d);

/* Load CR3 for the vCPU's current mode (kernel or user tables). */
void pv_mm_load_cr3(struct vcpu *v);

/*
 * Writable page-table emulation (pv/ptwr.c): a write fault from guest
 * kernel mode on a read-only page.  When the page is an L1 table in use
 * and the domain enabled VMASST_TYPE_writable_pagetables, decode the
 * store, apply it through the PV MMU and step over it: true.  false: the
 * guest gets its page fault.
 */
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2, uint32_t ec);

#endif
