/* Small parsing and buffer helpers shared by the daemon's modules. */
#ifndef XSD_UTIL_H
#define XSD_UTIL_H

#include <stddef.h>

/* Domain ids at or above DOMID_FIRST_RESERVED (0x7ff0) name no domain. */
#define XSD_DOMID_MAX 0x7fefu

/* Strict decimal: no sign, no spaces, no trailing junk, <= max. */
int xsd_parse_ulong(const char *s, unsigned long max, unsigned long *out);

/* A growable byte buffer for building reply payloads. */
struct xsd_buf {
    char *data;
    size_t len, cap;
};
void xsd_buf_init(struct xsd_buf *b);
void xsd_buf_free(struct xsd_buf *b);
int xsd_buf_add(struct xsd_buf *b, const void *data, size_t len);
/* Appends the string including its terminating NUL. */
int xsd_buf_add_str0(struct xsd_buf *b, const char *s);
int xsd_buf_printf(struct xsd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
