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
#include "public/xen.h"

/* Fill d->mm and each vCPU's mm when the domain is created. */
void pv_mm_setup_domain(struct domain *d);

/* Load CR3 for the vCPU's current mode (kernel or user tables). */
void pv_mm_load_cr3(struct vcpu *v);

/* Whether a write fault of v may be a store into one of its L1 tables
 * (mmu/ptwr.c): from guest kernel mode, with the domain's
 * VMASST_TYPE_writable_pagetables on. */
static inline bool pv_ptwr_enabled(const struct vcpu *v)
{
    return v->kernel_mode &&
           (v->domain->vm_assist & (1ull << VMASST_TYPE_writable_pagetables));
}

#endif
