/*
 * The PCI devices dom0 tells the hypervisor about (PHYSDEVOP_manage_pci_*,
 * pci_device_add/remove, restore_msi*).  Without an IOMMU and without
 * MSI support there is nothing to program: Xen in that setting records
 * the device and succeeds, refuses to remove or restore one it never
 * heard of (-ENODEV), and allows all of it to privileged domains only.
 */
#include "lib/printk.h"
#include "public/errno.h"
#include "public/physdev.h"
#include "pv/physdev.h"

#define PCI_MAX_DEVICES 256

struct pci_slot {
    bool used;
    uint16_t seg;
    uint8_t bus, devfn;
};

static struct pci_slot devices[PCI_MAX_DEVICES];

static struct pci_slot *find(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    for (unsigned int i = 0; i < PCI_MAX_DEVICES; i++)
        if (devices[i].used && devices[i].seg == seg && devices[i].bus == bus &&
            devices[i].devfn == devfn)
            return &devices[i];
    return NULL;
}

bool physdev_pci_known(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    return find(seg, bus, devfn) != NULL;
}

int physdev_pci_add(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    if (find(seg, bus, devfn))
        return 0;               /* reported again: nothing changes */
    for (unsigned int i = 0; i < PCI_MAX_DEVICES; i++) {
        if (devices[i].used)
            continue;
        devices[i] = (struct pci_slot){ .used = true, .seg = seg, .bus = bus, .devfn = devfn };
        printk(LOG_INFO, "PCI add device %04x:%02x:%02x.%u", seg, bus, devfn >> 3, devfn & 7);
        return 0;
    }
    return -XEN_ENOMEM;
}

int physdev_pci_remove(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    struct pci_slot *s = find(seg, bus, devfn);

    if (!s)
        return -XEN_ENODEV;
    s->used = false;
    printk(LOG_INFO, "PCI remove device %04x:%02x:%02x.%u", seg, bus, devfn >> 3, devfn & 7);
    return 0;
}

/* The PHYSDEVOP_* rows (physdev_op.c): privileged callers only, refused
 * before their argument is read.  The older calls have no segment. */
long physdev_manage_pci_add(struct vcpu *v, struct physdev_manage_pci *m)
{
    (void)v;
    return physdev_pci_add(0, m->bus, m->devfn);
}

long physdev_manage_pci_remove(struct vcpu *v, struct physdev_manage_pci *m)
{
    (void)v;
    return physdev_pci_remove(0, m->bus, m->devfn);
}

/* No MSI state is kept: restoring it is only a lookup. */
long physdev_restore_msi(struct vcpu *v, struct physdev_manage_pci *m)
{
    (void)v;
    return physdev_pci_known(0, m->bus, m->devfn) ? 0 : -XEN_ENODEV;
}

long physdev_manage_pci_add_ext(struct vcpu *v, struct physdev_manage_pci_ext *m)
{
    (void)v;
    if (m->is_extfn > 1 || m->is_virtfn > 1)
        return -XEN_EINVAL;
    return physdev_pci_add(0, m->bus, m->devfn);
}

long physdev_pci_device_add(struct vcpu *v, struct physdev_pci_device_add *a)
{
    (void)v;
    return physdev_pci_add(a->seg, a->bus, a->devfn);
}

long physdev_pci_device_remove(struct vcpu *v, struct physdev_pci_device *dev)
{
    (void)v;
    return physdev_pci_remove(dev->seg, dev->bus, dev->devfn);
}

long physdev_restore_msi_ext(struct vcpu *v, struct physdev_pci_device *dev)
{
    (void)v;
    return physdev_pci_known(dev->seg, dev->bus, dev->devfn) ? 0 : -XEN_ENODEV;
}
