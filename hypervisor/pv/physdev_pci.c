/*
 * The PCI devices dom0 tells the hypervisor about (PHYSDEVOP_manage_pci_*,
 * pci_device_add/remove, restore_msi*).  Without an IOMMU and without
 * MSI support there is nothing to program: Xen in that setting records
 * the device and succeeds, refuses to remove or restore one it never
 * heard of (-ENODEV), and allows all of it to privileged domains only.
 */
#include "arch/x86/guest_access.h"
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

/* Copy the argument in; privilege is checked first, as Xen's XSM_PRIV. */
static int fetch(guest_ptr_t arg, void *buf, size_t len)
{
    if (!current_vcpu()->domain->privileged)
        return -XEN_EPERM;
    return copy_from_guest(buf, arg, len) ? -XEN_EFAULT : 0;
}

long physdev_pci_op(unsigned int cmd, guest_ptr_t arg)
{
    int rc;

    switch (cmd) {
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
    case PHYSDEVOP_restore_msi: {
        struct physdev_manage_pci m;
        if ((rc = fetch(arg, &m, sizeof(m))))
            return rc;
        if (cmd == PHYSDEVOP_manage_pci_add)
            return physdev_pci_add(0, m.bus, m.devfn);
        if (cmd == PHYSDEVOP_manage_pci_remove)
            return physdev_pci_remove(0, m.bus, m.devfn);
        /* No MSI state is kept: restoring it is only a lookup. */
        return physdev_pci_known(0, m.bus, m.devfn) ? 0 : -XEN_ENODEV;
    }
    case PHYSDEVOP_manage_pci_add_ext: {
        struct physdev_manage_pci_ext m;
        if ((rc = fetch(arg, &m, sizeof(m))))
            return rc;
        if (m.is_extfn > 1 || m.is_virtfn > 1)
            return -XEN_EINVAL;
        return physdev_pci_add(0, m.bus, m.devfn);
    }
    case PHYSDEVOP_pci_device_add: {
        struct physdev_pci_device_add a;
        if ((rc = fetch(arg, &a, sizeof(a))))
            return rc;
        return physdev_pci_add(a.seg, a.bus, a.devfn);
    }
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_restore_msi_ext: {
        struct physdev_pci_device dev;
        if ((rc = fetch(arg, &dev, sizeof(dev))))
            return rc;
        if (cmd == PHYSDEVOP_pci_device_remove)
            return physdev_pci_remove(dev.seg, dev.bus, dev.devfn);
        return physdev_pci_known(dev.seg, dev.bus, dev.devfn) ? 0 : -XEN_ENODEV;
    }
    default:
        return -XEN_ENOSYS;
    }
}
