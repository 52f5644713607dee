/* printf-style formatting; see format.h for what is supported. */
#include <stdbool.h>
#include <stdint.h>
#include "lib/format.h"

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
                       bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    if (!left)
        while (fill-- > 0)
            put(o, pad);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base,
                       bool upper, int width, bool left, bool zero)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);

    /* The sign goes before zero padding, after space padding. */
    if (negative && zero) {
        put(o, '-');
        width--;
        negative = false;
    }
    if (negative)
        tmp[n++] = '-';

    char rev[24];
    for (int i = 0; i < n; i++)
        rev[i] = tmp[n - 1 - i];
    put_padded(o, rev, (size_t)n, width, left, zero && !left ? '0' : ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        bool left = false, zero = false, alt = false;
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                zero = true;
            else if (*p == '#')
                alt = true;
            else
                break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(ap, int);
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        int precision = -1;
        if (*p == '.') {
            p++;
            precision = 0;
            if (*p == '*') {
                precision = va_arg(ap, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    precision = precision * 10 + (*p++ - '0');
            }
        }
        int lng = 0;                /* 0 int, 1 long, 2 long long, -1 short */
        for (;; p++) {
            if (*p == 'l')
                lng++;
            else if (*p == 'z')
                lng = 1;
            else if (*p == 'h')
                lng = -1;
            else
                break;
        }

        uint64_t u;
        int64_t s;
        switch (*p) {
        case 'd':
        case 'i':
            s = lng > 0 ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (lng < 0)
                s = (short)s;
            put_number(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10,
                       false, width, left, zero);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = lng > 0 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            if (lng < 0)
                u = (unsigned short)u;
            if (alt && (*p == 'x' || *p == 'X')) {
                put(&o, '0');
                put(&o, *p);
                width -= 2;
            }
            put_number(&o, u, false, *p == 'u' ? 10 : *p == 'o' ? 8 : 16,
                       *p == 'X', width, left, zero);
            break;
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
                       16, false, true);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            size_t n = 0;
            if (!str)
                str = "(null)";
            while ((precision < 0 || (int)n < precision) && str[n])
                n++;
            put_padded(&o, str, n, width, left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case '\0':
            p--;            /* a lone '%' at the end: stop cleanly */
            break;
        default:            /* unknown conversion: show it as written */
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
