/*
 * VCPUOP_initialise: a secondary PV vCPU's first state, from the guest's
 * struct vcpu_guest_context (Linux's cpu_initialize_context).
 */
#ifndef SUBFLOOR_VCPU_CONTEXT_H
#define SUBFLOOR_VCPU_CONTEXT_H

#include <stdint.h>

struct vcpu;
struct vcpu_guest_context;

/* Make the context (read from the guest by VCPUOP_initialise's row) v's:
 * 0, -XEN_EEXIST (v already has a context) or -XEN_EINVAL (a frame or
 * selector the domain may not use; logged). */
long vcpu_initialise(struct vcpu *v, const struct vcpu_guest_context *ctxt);

#endif
