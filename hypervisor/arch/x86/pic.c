/*
 * The 8259s start out mapped over the exception vectors; remap them to
 * PIC_VECTOR_BASE before masking so a stray (spurious) IRQ cannot look
 * like a CPU exception.
 *
 * Interrupts the hypervisor wants from ISA devices (only COM1 so far)
 * come through the 8259 and the local APIC's LINT0 programmed as ExtINT,
 * the PC's "virtual wire" mode: with one CPU it needs no ACPI MADT parse
 * and no IOAPIC, and the 8259 exists on every PC QEMU models.  ExtINT
 * interrupts are acknowledged at the 8259, not the local APIC.
 */
#include <stdbool.h>
#include "arch/x86/apic.h"
#include "arch/x86/io.h"
#include "arch/x86/pic.h"
#include "arch/x86/traps.h"
#include "lib/panic.h"
#include "lib/printk.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

#define ELCR1 0x4d0
#define ELCR2 0x4d1

#define OCW2_EOI      0x20
#define OCW3_READ_ISR 0x0b
#define CASCADE_IRQ   2

#define LVT_DELIVERY_EXTINT (7u << 8)

static interrupt_handler_fn irq_handlers[PIC_NR_IRQS];
static bool virtual_wire_open;

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11);               /* ICW1: init, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, PIC_VECTOR_BASE);   /* ICW2: vector base */
    outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
    outb(PIC1_DATA, 0x04);              /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);              /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff);              /* mask everything */
    outb(PIC2_DATA, 0xff);
}

static void unmask(unsigned int irq)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

    outb(port, inb(port) & (uint8_t)~(1u << (irq & 7)));
    if (irq >= 8)
        unmask(CASCADE_IRQ);
}

void pic_unmask_irq(unsigned int irq)
{
    if (irq < PIC_NR_IRQS && irq != CASCADE_IRQ)
        unmask(irq);
}

void pic_mask_irq(unsigned int irq)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

    if (irq < PIC_NR_IRQS && irq != CASCADE_IRQ)
        outb(port, inb(port) | (uint8_t)(1u << (irq & 7)));
}

/* The ELCR (one bit per IRQ at 0x4d0/0x4d1) picks level triggering;
 * IRQs 0-2 are edge-only on every PC. */
void pic_set_level_triggered(unsigned int irq, bool level)
{
    uint16_t port = irq < 8 ? ELCR1 : ELCR2;
    uint8_t bit = (uint8_t)(1u << (irq & 7));

    if (irq >= PIC_NR_IRQS || irq <= CASCADE_IRQ)
        return;
    uint8_t v = inb(port);
    outb(port, level ? (uint8_t)(v | bit) : (uint8_t)(v & ~bit));
}

void pic_route_irq(unsigned int irq, interrupt_handler_fn fn)
{
    BUG_ON(irq >= PIC_NR_IRQS || irq == CASCADE_IRQ || !fn);
    irq_handlers[irq] = fn;
    if (!virtual_wire_open) {
        apic_write(APIC_LVT_LINT0, LVT_DELIVERY_EXTINT);
        virtual_wire_open = true;
    }
    unmask(irq);
}

static bool in_service(unsigned int irq)
{
    uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;

    outb(cmd, OCW3_READ_ISR);
    return inb(cmd) & (1u << (irq & 7));
}

void pic_dispatch(unsigned int irq, struct cpu_regs *regs)
{
    /* IRQ7/15 with no ISR bit is the 8259's spurious interrupt: no EOI,
     * except that a spurious IRQ15 did go through the master's cascade. */
    if ((irq == 7 || irq == 15) && !in_service(irq)) {
        if (irq == 15)
            outb(PIC1_CMD, OCW2_EOI);
        return;
    }
    if (irq_handlers[irq])
        irq_handlers[irq](regs);
    else
        printk(LOG_WARNING, "unexpected 8259 IRQ %u ignored", irq);
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}
