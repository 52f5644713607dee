/* Small parsing and buffer helpers shared by the daemon's modules. */
#ifndef XS_UTIL_H
#define XS_UTIL_H

#include <stddef.h>

/* Domain ids at or above DOMID_FIRST_RESERVED (0x7ff0) name no domain. */
#define XS_DOMID_MAX 0x7fefu

/* Strict decimal: no sign, no spaces, no trailing junk, <= max. */
int xs_parse_ulong(const char *s, unsigned long max, unsigned long *out);

/* A growable byte buffer for building reply payloads. */
struct xs_buf {
    char *data;
    size_t len, cap;
};
void xs_buf_init(struct xs_buf *b);
void xs_buf_free(struct xs_buf *b);
int xs_buf_add(struct xs_buf *b, const void *data, size_t len);
/* Appends the string including its terminating NUL. */
int xs_buf_add_str0(struct xs_buf *b, const char *s);
int xs_buf_printf(struct xs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
