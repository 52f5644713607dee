/*
 * Physical interrupts of the hardware domain as pirqs delivered on event
 * channels (Xen's PHYSDEVOP_map_pirq / setup_gsi / eoi and
 * EVTCHNOP_bind_pirq).  A GSI below 16 is routed through the 8259 (the
 * same path as the hypervisor's own COM1 input); dom0 sees the IO-APIC
 * of the MADT, whose pins 0-15 carry the same ISA lines, so the routing
 * underneath is invisible to it.  Xen's protocol: on an interrupt the
 * line is masked and the pirq's port raised; the guest's PHYSDEVOP_eoi
 * unmasks it.  Every pirq here needs that EOI (Xen's ACKTYPE_UNMASK, as
 * for its own 8259 interrupts), which the "needs EOI" page says too.
 */
#ifndef SUBFLOOR_PIRQ_H
#define SUBFLOOR_PIRQ_H

#include <stdint.h>
#include "common/domain.h"
#include "public/event_channel.h"

/* GSIs the platform has (QEMU's one IO-APIC) and those routed today. */
#define PIRQ_NR_GSIS     24u
#define PIRQ_ROUTED_GSIS 16u

/* pirqs a domain may name: the legacy PIC's 16 IRQs (the only static
 * ones Subfloor routes) plus Xen's defaults for dynamic ones (256 for a
 * privileged domain, extra_hwdom_irqs; 32 for others, extra_domU_irqs). */
#define PHYSDEV_NR_STATIC_IRQS   16u
#define PHYSDEV_EXTRA_IRQS_PRIV  256u
#define PHYSDEV_EXTRA_IRQS_GUEST 32u

/* Each returns 0 or a negated Xen errno, as the named sub-op. */
int pirq_map_gsi(struct domain *d, int gsi, int *pirq);               /* map_pirq */
int pirq_unmap(struct domain *d, int pirq);                            /* unmap_pirq */
int pirq_get_free(struct domain *d, int type, uint32_t *pirq);         /* get_free_pirq */
int pirq_setup_gsi(int gsi, int level, int active_low);                /* setup_gsi */
int pirq_eoi(struct domain *d, uint32_t pirq);                         /* eoi */
int pirq_bind_evtchn(struct domain *d, struct evtchn_bind_pirq *op);   /* bind_pirq */
/* The number of pirqs domain d may name. */
unsigned int pirq_count(const struct domain *d);

/* The hypervisor keeps GSI `gsi` for itself (COM1's receive interrupt):
 * dom0 may map it but not bind it, and setup_gsi says it is set up. */
void pirq_reserve_gsi(unsigned int gsi);

#endif
