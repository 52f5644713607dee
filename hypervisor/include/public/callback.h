/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_callback_op (Xen 4.17 numbering).
 *
 * The entry points the hypervisor bounces into: event upcalls, the
 * failsafe path for a bad segment on return to the guest, system calls
 * from guest user mode, and NMIs.
 */
#ifndef SUBFLOOR_PUBLIC_CALLBACK_H
#define SUBFLOOR_PUBLIC_CALLBACK_H

#include "public/xen.h"

#define CALLBACKTYPE_event                 0
#define CALLBACKTYPE_failsafe              1
#define CALLBACKTYPE_syscall               2  /* 64-bit SYSCALL */
#define CALLBACKTYPE_sysenter_deprecated   3
#define CALLBACKTYPE_nmi                   4
#define CALLBACKTYPE_sysenter              5
#define CALLBACKTYPE_syscall32             7  /* SYSCALL from compat mode */

/* Deliver with events masked, as an interrupt gate would clear IF. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register 0
struct callback_register {
    uint16_t type;             /* CALLBACKTYPE_* */
    uint16_t flags;            /* CALLBACKF_* */
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);

/* Only the NMI callback can be unregistered. */
#define CALLBACKOP_unregister 1
struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);

#endif /* SUBFLOOR_PUBLIC_CALLBACK_H */
