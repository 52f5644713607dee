/*
 * VCPUOP_initialise: a secondary PV vCPU's first state, from the guest's
 * struct vcpu_guest_context (Linux's cpu_initialize_context).
 */
#ifndef SUBFLOOR_VCPU_CONTEXT_H
#define SUBFLOOR_VCPU_CONTEXT_H

#include <stdint.h>
#include "arch/x86/cpu.h"
#include "common/domain.h"

struct vcpu;
struct vcpu_guest_context;

/* Make the context (read from the guest by VCPUOP_initialise's row) v's:
 * 0, -XEN_EEXIST (v already has a context) or -XEN_EINVAL (a frame or
 * selector the domain may not use; logged). */
long vcpu_initialise(struct vcpu *v, const struct vcpu_guest_context *ctxt);

/* XEN_DOMCTL_setvcpucontext (v's domain paused by the caller): the same
 * checks and loading as VCPUOP_initialise, plus what the toolstack's call
 * carries (Xen's arch_set_info_guest): the domain's vm_assist with vCPU
 * 0's first context, VGCF_online for whether v is up.  A vCPU that
 * already has a context keeps its tables and must be given the same
 * ones (-XEN_EOPNOTSUPP otherwise).  0 or -XEN_EINVAL, nothing changed
 * on error. */
long vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* pv_ops.vcpu_set_context: vcpu_set_context, or with c NULL, v loses its
 * context (its tables' type references, its GDT) and goes down, as Xen's
 * vcpu_reset. */
long pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);

/* pv/enter.c: FNINIT's FPU state; a caller's FXSAVE image with its MXCSR
 * cut to what this CPU accepts; the CR4 a vCPU first sees. */
void pv_fpu_reset(struct vcpu *v);
void pv_fpu_load_image(struct vcpu *v, const uint8_t image[512]);
uint64_t pv_default_vcr4(void);

/* domctl getvcpucontext: v's context as Xen's arch_get_info_guest gives a
 * 64-bit PV vCPU's.  v is the calling vCPU (its hypercall frame), one
 * blocked in the hypervisor (its frame on its CPU) or one not on any CPU
 * (its saved frame); another one running guest code: -XEN_EBUSY, since
 * vCPUs cannot be paused yet.  The FPU image is not reported
 * (VGCF_i387_valid clear). */
long vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *c);

/* What the guest reads as CR0: the host's, with its own virtual TS. */
static inline uint64_t pv_guest_cr0(const struct vcpu *v)
{
    return (read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
}

/* pv/enter.c: v's live selectors and segment bases into v (v current). */
void pv_vcpu_sync_segments(struct vcpu *v);

/* pv_ops.hypercall_page_init (pv/hypercall_init.c). */
long pv_hypercall_page_init(struct domain *d, uint64_t gmfn);

#endif
