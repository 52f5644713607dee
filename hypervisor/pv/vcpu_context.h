/*
 * VCPUOP_initialise: a secondary PV vCPU's first state, from the guest's
 * struct vcpu_guest_context (Linux's cpu_initialize_context).
 */
#ifndef SUBFLOOR_VCPU_CONTEXT_H
#define SUBFLOOR_VCPU_CONTEXT_H

#include <stdint.h>
#include "arch/x86/guest_access.h"

struct vcpu;

/* Read the context at guest address arg and make it v's: 0, -XEN_EFAULT
 * (unreadable), -XEN_EEXIST (v already has a context) or -XEN_EINVAL
 * (a frame or selector the domain may not use; logged). */
long vcpu_initialise(struct vcpu *v, guest_ptr_t arg);

#endif
