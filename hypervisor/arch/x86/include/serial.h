/* 16550-compatible UART, polled. */
#ifndef SUBFLOOR_SERIAL_H
#define SUBFLOOR_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#define COM1_PORT 0x3f8

void serial_init(uint16_t port, uint32_t baud);
void serial_write(uint16_t port, const char *s, size_t len);

#endif
