/*
 * What a PV guest's port I/O reaches once the virtual IOPL or I/O bitmap
 * has let it through (physdev_io_permitted): Xen 4.17's answers.  The
 * hardware domain owns every port except those the hypervisor drives
 * itself (the 8259s, the PIT, the console UART, the ACPI PM timer and
 * PCI CONFIG_DATA); the CMOS/RTC pair and the PCI configuration
 * mechanism go through a per-domain latched index so the hypervisor's
 * own accesses and dom0's never interleave; PIT channel 2 and port 0x61
 * (speaker gate) are dom0's.  Other domains see no hardware: reads float
 * high, writes vanish, except the CMOS index latch every PV domain has.
 */
#ifndef SUBFLOOR_IOPORT_POLICY_H
#define SUBFLOOR_IOPORT_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "common/domain.h"

/* Read `bytes` (1, 2 or 4) from `port` as domain d sees it. */
uint32_t ioport_guest_read(struct domain *d, unsigned int port, unsigned int bytes);
/* Write the low `bytes` of `value` to `port` as domain d may. */
void ioport_guest_write(struct domain *d, unsigned int port, unsigned int bytes,
                        uint32_t value);
/* Does the hardware domain reach [port, port + bytes) directly?  (Ports
 * with a latched or emulated answer say false here.) */
bool ioport_hwdom_direct(unsigned int port, unsigned int bytes);

#endif
