/*
 * COM1 input: the UART's receive interrupt on IRQ4, through the 8259 and
 * the local APIC's virtual wire (pic.c says why not an IOAPIC yet).  The
 * handler drains the receive FIFO and hands each byte to the console
 * input router, which sends it to dom0 or to the debug keys.
 */
#include "arch/x86/pic.h"
#include "arch/x86/serial.h"
#include "common/console_input.h"
#include "common/pirq.h"
#include "common/serial_input.h"
#include "lib/console.h"
#include "lib/printk.h"

#define COM1_IRQ 4
/* A stuck "data ready" (a broken UART) must not hold the CPU forever. */
#define MAX_BYTES_PER_INTERRUPT 256

static void com1_interrupt(struct cpu_regs *regs)
{
    for (unsigned int n = 0; n < MAX_BYTES_PER_INTERRUPT; n++) {
        int c = serial_getc(COM1_PORT);
        if (c < 0)
            return;
        console_input_receive((char)c, regs);
    }
}

void serial_input_init(void)
{
    if (!console_active()) {
        printk(LOG_INFO, "serial input: off (no serial console)");
        return;
    }
    pirq_reserve_gsi(COM1_IRQ);     /* dom0 may not bind it, as on Xen */
    pic_route_irq(COM1_IRQ, com1_interrupt);
    serial_enable_rx_interrupt(COM1_PORT);
    printk(LOG_INFO, "serial input: COM1 receive interrupt on IRQ%u (8259 through LAPIC LINT0, vector %#x)",
           COM1_IRQ, PIC_VECTOR_BASE + COM1_IRQ);
}
