/*
 * printf-style formatting for the hypervisor (no C library here).
 * Supports %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#', a width, a
 * precision for %s (".N" or ".*"), and the length modifiers h hh l ll z.  Output is always NUL-terminated when
 * size > 0; the return value is the length the full output would have.
 */
#ifndef SUBFLOOR_FORMAT_H
#define SUBFLOOR_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
