/*
 * HYPERVISOR_physdev_op for a dom0 without devices the hypervisor
 * manages: the virtual I/O privilege of a vCPU (set_iopl, set_iobitmap,
 * honoured by the port-I/O emulation), the pirq queries a device-less
 * dom0 makes at boot, and the PCI devices dom0 reports.
 */
#ifndef SUBFLOOR_PHYSDEV_H
#define SUBFLOOR_PHYSDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "common/domain.h"
#include "public/physdev.h"


/* Size of the guest's I/O bitmap (one bit per port, a set bit denies). */
#define PHYSDEV_IOBMP_BYTES 8192u

/* May v access ports [port, port + bytes) right now?  Guest kernel mode
 * needs virtual IOPL >= 1, user mode IOPL 3 or the ports clear in the
 * bitmap set_iobitmap registered, as in Xen. */
bool physdev_io_permitted(const struct vcpu *v, unsigned int port, unsigned int bytes);

/* PCI devices dom0 reported (physdev_pci.c).  Each returns 0 or a
 * negated Xen errno. */
int physdev_pci_add(uint16_t seg, uint8_t bus, uint8_t devfn);
int physdev_pci_remove(uint16_t seg, uint8_t bus, uint8_t devfn);
bool physdev_pci_known(uint16_t seg, uint8_t bus, uint8_t devfn);
/* The PCI sub-ops of physdev_op, rows of its table (physdev_op.c). */
long physdev_manage_pci_add(struct vcpu *v, struct physdev_manage_pci *m);
long physdev_manage_pci_remove(struct vcpu *v, struct physdev_manage_pci *m);
long physdev_restore_msi(struct vcpu *v, struct physdev_manage_pci *m);
long physdev_manage_pci_add_ext(struct vcpu *v, struct physdev_manage_pci_ext *m);
long physdev_pci_device_add(struct vcpu *v, struct physdev_pci_device_add *a);
long physdev_pci_device_remove(struct vcpu *v, struct physdev_pci_device *dev);
long physdev_restore_msi_ext(struct vcpu *v, struct physdev_pci_device *dev);

#endif
