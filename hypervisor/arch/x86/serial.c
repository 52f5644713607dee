/* 16550 UART: programmed for 8 data bits, no parity, 1 stop bit. */
#include "arch/x86/io.h"
#include "arch/x86/serial.h"
#include "lib/console.h"

#define UART_THR   0    /* transmit holding register */
#define UART_RBR   0    /* receive buffer register */
#define UART_IER   1
#define UART_FCR   2
#define UART_LCR   3
#define UART_MCR   4
#define UART_LSR   5
#define UART_DLL   0    /* with LCR.DLAB set */
#define UART_DLM   1

#define LCR_8N1    0x03
#define LCR_DLAB   0x80
#define LSR_THRE   0x20
#define LSR_DR     0x01 /* data ready */
#define IER_RDA    0x01 /* interrupt on received data */
#define MCR_OUT2   0x08 /* PC wiring: gates the UART's IRQ line */
#define UART_CLOCK 115200u

void serial_init(uint16_t port, uint32_t baud)
{
    uint16_t divisor = (uint16_t)(UART_CLOCK / baud);

    outb(port + UART_IER, 0);               /* polled: no interrupts */
    outb(port + UART_LCR, LCR_DLAB);
    outb(port + UART_DLL, divisor & 0xff);
    outb(port + UART_DLM, divisor >> 8);
    outb(port + UART_LCR, LCR_8N1);
    outb(port + UART_FCR, 0x07);            /* enable and clear FIFOs */
    outb(port + UART_MCR, 0x03);            /* DTR, RTS */
}

static void serial_putc(uint16_t port, char c)
{
    /* Bounded wait: a missing UART reads 0xff (THRE set) or never drains;
     * either way the log must not hang the boot. */
    for (unsigned int spins = 0; spins < 100000; spins++)
        if (inb(port + UART_LSR) & LSR_THRE)
            break;
    outb(port + UART_THR, (uint8_t)c);
}

void serial_write(uint16_t port, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc(port, '\r');
        serial_putc(port, s[i]);
    }
}

void serial_enable_rx_interrupt(uint16_t port)
{
    outb(port + UART_MCR, inb(port + UART_MCR) | MCR_OUT2);
    outb(port + UART_IER, IER_RDA);
}

int serial_getc(uint16_t port)
{
    uint8_t lsr = inb(port + UART_LSR);

    /* A missing UART reads 0xff: DR "set" forever.  Bit 7 (FIFO error)
     * never comes together with all the others on a real one. */
    if (lsr == 0xff || !(lsr & LSR_DR))
        return -1;
    return inb(port + UART_RBR);
}

static void com1_init(void)
{
    serial_init(COM1_PORT, 115200);
}

static void com1_write(const char *bytes, size_t len)
{
    serial_write(COM1_PORT, bytes, len);
}

const struct console_ops serial_com1_console = {
    .init = com1_init,
    .write = com1_write,
};
