/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_nmi_op and the NMI reason bits
 * (Xen 4.17 numbering).
 */
#ifndef SUBFLOOR_PUBLIC_NMI_H
#define SUBFLOOR_PUBLIC_NMI_H

#include "public/xen.h"

/* Bits of arch_shared_info.nmi_reason, telling dom0 why an NMI came. */
#define _XEN_NMIREASON_io_error 0
#define XEN_NMIREASON_io_error  (1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr 1
#define XEN_NMIREASON_pci_serr  (1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown  2
#define XEN_NMIREASON_unknown   (1UL << _XEN_NMIREASON_unknown)

/* The older way to set the NMI entry point (see CALLBACKTYPE_nmi). */
#define XENNMI_register_callback 0
struct xennmi_callback {
    unsigned long handler_address;
    unsigned long pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);

#define XENNMI_unregister_callback 1

#endif /* SUBFLOOR_PUBLIC_NMI_H */
