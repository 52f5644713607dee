#include "xsd_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xsd_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    if (!*s)
        return -EINVAL;
    unsigned long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        unsigned digit = (unsigned)(*s - '0');
        if (v > (max - digit) / 10)
            return -EINVAL;
        v = v * 10 + digit;
    }
    *out = v;
    return 0;
}

void xsd_buf_init(struct xsd_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void xsd_buf_free(struct xsd_buf *b)
{
    free(b->data);
    xsd_buf_init(b);
}

int xsd_buf_add(struct xsd_buf *b, const void *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -ENOMEM;
        b->data = d;
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';   /* keeps the buffer printable while built */
    return 0;
}

int xsd_buf_add_str0(struct xsd_buf *b, const char *s)
{
    return xsd_buf_add(b, s, strlen(s) + 1);
}

int xsd_buf_printf(struct xsd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -EINVAL;
    char *tmp = malloc((size_t)n + 1);
    if (!tmp)
        return -ENOMEM;
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = xsd_buf_add(b, tmp, (size_t)n);
    free(tmp);
    return rc;
}
