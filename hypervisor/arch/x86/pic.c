/*
 * The 8259s start out mapped over the exception vectors; remap them to
 * PIC_VECTOR_BASE before masking so a stray (spurious) IRQ cannot look
 * like a CPU exception.  All interrupts go through the local APIC.
 */
#include "io.h"
#include "pic.h"
#include "traps.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

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
