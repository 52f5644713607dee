/*
 * Port I/O of PV guests, answered as Xen 4.17 answers it (see
 * ioport_policy.h for the rules).  Ports are handled one register at a
 * time when an access straddles special ranges, so a wide access never
 * reaches a port the guest may not touch.
 */
#include <stddef.h>
#include "arch/x86/acpi.h"
#include "arch/x86/io.h"
#include "arch/x86/serial.h"
#include "lib/console.h"
#include "lib/spinlock.h"
#include "pv/ioport_policy.h"

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define CMOS_NMI_OFF 0x80   /* index bit 7 gates NMIs: never the guest's to set */
#define PIT_CH2      0x42
#define PIT_CONTROL  0x43
#define PIT_SELECT_SHIFT 6
#define PIT_SELECT_CH2   2u
#define SPEAKER_PORT 0x61
#define SPEAKER_GUEST_BITS 0x03u   /* channel-2 gate and speaker data */
#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc
#define PCI_CONF_ENABLE 0x80000000u
#define FADT_PM_TMR_BLK 76

/* The CMOS index/data and PCI address/data pairs are two-step protocols
 * shared with the hypervisor (rtc.c reads the clock at boot). */
static spinlock_t cmos_lock = SPINLOCK_INIT;
static spinlock_t pci_conf_lock = SPINLOCK_INIT;

struct port_range {
    uint16_t first, last;
};

/* Xen's dom0_setup_permissions denials, plus the console UART (Xen's
 * ns16550 driver takes its ports away from dom0 too). */
static const struct port_range hwdom_denied[] = {
    { 0x20, 0x21 },     /* master 8259 */
    { 0xa0, 0xa1 },     /* slave 8259 */
    { 0x40, 0x43 },     /* PIT (channel 2 and control are emulated below) */
    { 0x61, 0x61 },     /* speaker / channel-2 gate (likewise) */
    { 0xcfc, 0xcff },   /* PCI CONFIG_DATA (through the latched address) */
};

static bool overlaps(unsigned int port, unsigned int bytes, unsigned int first,
                     unsigned int last)
{
    return port <= last && port + bytes > first;
}

/* The ACPI PM timer block, read once from the FADT (0 = none). */
static unsigned int pm_timer_port(void)
{
    static bool looked;
    static unsigned int port;

    if (!looked) {
        const char *why = NULL;
        uint32_t len = 0;
        const uint8_t *fadt = acpi_find_table("FACP", &len, &why);
        if (fadt && len >= FADT_PM_TMR_BLK + 4) {
            uint32_t blk = fadt[FADT_PM_TMR_BLK] | (uint32_t)fadt[FADT_PM_TMR_BLK + 1] << 8 |
                           (uint32_t)fadt[FADT_PM_TMR_BLK + 2] << 16 |
                           (uint32_t)fadt[FADT_PM_TMR_BLK + 3] << 24;
            port = blk <= 0xfffc ? blk : 0;
        }
        looked = true;
    }
    return port;
}

bool ioport_hwdom_direct(unsigned int port, unsigned int bytes)
{
    if (!bytes || port + bytes > 0x10000)
        return false;
    /* CONFIG_ADDRESS exists only as a dword; smaller accesses there are
     * ordinary ports (some chipsets decode 0xcf9 as a reset control). */
    if (port == PCI_CONF_ADDR && bytes == 4)
        return false;
    if (overlaps(port, bytes, CMOS_INDEX, CMOS_DATA))
        return false;
    for (size_t i = 0; i < sizeof(hwdom_denied) / sizeof(hwdom_denied[0]); i++)
        if (overlaps(port, bytes, hwdom_denied[i].first, hwdom_denied[i].last))
            return false;
    unsigned int pmt = pm_timer_port();
    if (pmt && overlaps(port, bytes, pmt, pmt + 3))
        return false;
    if (console_active() && overlaps(port, bytes, COM1_PORT, COM1_PORT + 7))
        return false;
    return true;
}

static bool is_hwdom(const struct domain *d)
{
    return d->is_initial && d->privileged;
}

static uint32_t raw_in(unsigned int port, unsigned int bytes)
{
    switch (bytes) {
    case 1: return inb((uint16_t)port);
    case 2: return inw((uint16_t)port);
    default: return inl((uint16_t)port);
    }
}

static void raw_out(unsigned int port, unsigned int bytes, uint32_t v)
{
    switch (bytes) {
    case 1: outb((uint16_t)port, (uint8_t)v); break;
    case 2: outw((uint16_t)port, (uint16_t)v); break;
    default: outl((uint16_t)port, v); break;
    }
}

/* A CONFIG_DATA access of `size` bytes at byte `offset` of the dword. */
static uint32_t pci_conf_read(uint32_t addr, unsigned int offset, unsigned int size)
{
    uint64_t flags = spin_lock_irqsave(&pci_conf_lock);
    outl(PCI_CONF_ADDR, addr);
    uint32_t v = raw_in(PCI_CONF_DATA + offset, size);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
    return v;
}

static void pci_conf_write(uint32_t addr, unsigned int offset, unsigned int size, uint32_t v)
{
    uint64_t flags = spin_lock_irqsave(&pci_conf_lock);
    outl(PCI_CONF_ADDR, addr);
    raw_out(PCI_CONF_DATA + offset, size, v);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
}

static uint8_t cmos_read(uint8_t index)
{
    uint64_t flags = spin_lock_irqsave(&cmos_lock);
    outb(CMOS_INDEX, index & (uint8_t)~CMOS_NMI_OFF);
    uint8_t v = inb(CMOS_DATA);
    spin_unlock_irqrestore(&cmos_lock, flags);
    return v;
}

static void cmos_write(uint8_t index, uint8_t v)
{
    uint64_t flags = spin_lock_irqsave(&cmos_lock);
    outb(CMOS_INDEX, index & (uint8_t)~CMOS_NMI_OFF);
    outb(CMOS_DATA, v);
    spin_unlock_irqrestore(&cmos_lock, flags);
}

/* How many bytes of a CONFIG_DATA access at `port` go as one piece:
 * never across the dword, never 3 (as Xen splits them). */
static unsigned int conf_piece(unsigned int port, unsigned int bytes)
{
    unsigned int size = 4 - (port & 3);

    if (size > bytes)
        size = bytes;
    return size == 3 ? 2 : size;
}

uint32_t ioport_guest_read(struct domain *d, unsigned int port, unsigned int bytes)
{
    bool hw = is_hwdom(d);

    if (hw && ioport_hwdom_direct(port, bytes))
        return raw_in(port, bytes);

    uint32_t data = 0;
    unsigned int shift = 0;
    while (bytes) {
        unsigned int size = 1;
        uint32_t piece = 0xffffffffu;

        if (port == CMOS_INDEX) {
            piece = d->cmos_index;
        } else if (port == CMOS_DATA) {
            if (hw)
                piece = cmos_read(d->cmos_index);
        } else if (port == PIT_CH2 || port == SPEAKER_PORT) {
            if (hw)
                piece = inb((uint16_t)port);
        } else if (port == PCI_CONF_ADDR && bytes == 4) {
            size = 4;
            piece = d->pci_cf8;
        } else if ((port & ~3u) == PCI_CONF_DATA) {
            size = conf_piece(port, bytes);
            if (hw && (d->pci_cf8 & PCI_CONF_ENABLE))
                piece = pci_conf_read(d->pci_cf8, port & 3, size);
        } else if (hw && ioport_hwdom_direct(port, 1)) {
            piece = inb((uint16_t)port);
        }
        if (size < 4)
            piece &= (1u << (size * 8)) - 1;
        data |= piece << shift;
        shift += size * 8;
        port += size;
        bytes -= size;
    }
    return data;
}

void ioport_guest_write(struct domain *d, unsigned int port, unsigned int bytes,
                        uint32_t value)
{
    bool hw = is_hwdom(d);

    if (hw && ioport_hwdom_direct(port, bytes)) {
        raw_out(port, bytes, value);
        return;
    }
    while (bytes) {
        unsigned int size = 1;

        if (port == CMOS_INDEX) {
            d->cmos_index = (uint8_t)value;
        } else if (port == CMOS_DATA) {
            if (hw)
                cmos_write(d->cmos_index, (uint8_t)value);
        } else if (port == PIT_CH2) {
            if (hw)
                outb(PIT_CH2, (uint8_t)value);
        } else if (port == PIT_CONTROL) {
            /* Channels 0 and 1 are the hypervisor's; a control word
             * selecting them (or the read-back command) is dropped. */
            if (hw && ((value & 0xff) >> PIT_SELECT_SHIFT) == PIT_SELECT_CH2)
                outb(PIT_CONTROL, (uint8_t)value);
        } else if (port == SPEAKER_PORT) {
            /* Only the gate and speaker bits: the others enable NMI
             * sources the hypervisor owns. */
            if (hw)
                outb(SPEAKER_PORT, (uint8_t)((inb(SPEAKER_PORT) & ~SPEAKER_GUEST_BITS) |
                                             (value & SPEAKER_GUEST_BITS)));
        } else if (port == PCI_CONF_ADDR && bytes == 4) {
            size = 4;
            d->pci_cf8 = value;
        } else if ((port & ~3u) == PCI_CONF_DATA) {
            size = conf_piece(port, bytes);
            if (hw && (d->pci_cf8 & PCI_CONF_ENABLE))
                pci_conf_write(d->pci_cf8, port & 3, size, value);
        } else if (hw && ioport_hwdom_direct(port, 1)) {
            outb((uint16_t)port, (uint8_t)value);
        }
        value = size < 4 ? value >> (size * 8) : 0;
        port += size;
        bytes -= size;
    }
}
