/* 16550-compatible UART: polled output, interrupt-driven input. */
#ifndef SUBFLOOR_SERIAL_H
#define SUBFLOOR_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#define COM1_PORT 0x3f8

void serial_init(uint16_t port, uint32_t baud);

/* COM1 at 115200 8n1, as the console's line (lib/console.h). */
extern const struct console_ops serial_com1_console;
void serial_write(uint16_t port, const char *s, size_t len);

/* Raise the UART's interrupt when a byte arrives (and gate it onto the
 * board's IRQ line through OUT2).  Output stays polled. */
void serial_enable_rx_interrupt(uint16_t port);

/* The next received byte, or -1 when none is waiting. */
int serial_getc(uint16_t port);

#endif
