/*
 * Console output for test guests: a small printf into a line buffer,
 * flushed through console_io(CONSOLEIO_write).  Whole lines go out in one
 * hypercall so that the hypervisor's own log lines cannot split a
 * PASS/FAIL line the runner has to parse.
 */
#include <public/event_channel.h>
#include <public/io/console.h>
#include <public/sched.h>

#include "guest.h"
#include "pagetable.h"

struct fmt_out {
    char *buf;
    size_t size;
    size_t len;   /* would-be length, as snprintf counts */
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_number(struct fmt_out *o, unsigned long long v, unsigned int base,
                       bool negative, int width, char pad)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative)
        width--;
    if (negative && pad == '0')
        out_char(o, '-');
    for (int i = n; i < width; i++)
        out_char(o, pad);
    if (negative && pad != '0')
        out_char(o, '-');
    while (n)
        out_char(o, digits[--n]);
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0;
        bool alt = false;
        if (*fmt == '#') {
            alt = true;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int precision = -1;
        if (*fmt == '.') {
            precision = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
                precision = precision * 10 + (*fmt - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = longs ? va_arg(ap, long) : va_arg(ap, int);
            out_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10,
                       v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            unsigned long long v = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (alt && *fmt == 'x') {
                out_char(&o, '0');
                out_char(&o, 'x');
            }
            out_number(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad);
            break;
        }
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_number(&o, (unsigned long)va_arg(ap, void *), 16, false, width, pad);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = 0;
            while (s[n] && (precision < 0 || (int)n < precision))
                n++;
            for (size_t i = n; (int)i < width; i++)
                out_char(&o, ' ');
            for (size_t i = 0; i < n; i++)
                out_char(&o, s[i]);
            break;
        }
        case 'c':
            out_char(&o, (char)va_arg(ap, int));
            break;
        case '%':
            out_char(&o, '%');
            break;
        default:
            /* Unknown conversion: show it rather than silently eat arguments. */
            out_char(&o, '%');
            out_char(&o, *fmt ? *fmt : '?');
            if (!*fmt)
                fmt--;
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* A domU's PV console ring (start_info->console.domU), found through the
 * M2P in the builder's initial mapping; NULL for dom0 or before start. */
static struct xencons_interface *domu_ring(void)
{
    if (!start_info || (start_info->flags & SIF_INITDOMAIN) ||
        !start_info->console.domU.mfn)
        return NULL;
    unsigned long pfn = mfn_to_pfn(start_info->console.domU.mfn);
    return (struct xencons_interface *)(GUEST_VIRT_BASE + pfn * PAGE_SIZE);
}

/* Copy into the ring's out half, waiting (by yielding) while the back end
 * has not made room, and kick it through the console port. */
static void ring_write(struct xencons_interface *r, const char *s, size_t len)
{
    struct evtchn_send send = { .port = start_info->console.domU.evtchn };

    while (len) {
        XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
        XENCONS_RING_IDX prod = r->out_prod;
        if (prod - cons >= sizeof(r->out)) {
            hcall_page5(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                        (unsigned long)&send, 0, 0, 0);
            hcall_page5(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
            continue;
        }
        while (len && prod - cons < sizeof(r->out)) {
            r->out[prod++ & (sizeof(r->out) - 1)] = *s++;
            len--;
        }
        __atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
    }
    hcall_page5(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send,
                0, 0, 0);
}

void con_write(const char *s, size_t len)
{
    /* Always through the hypercall page: the console must work even in the
     * checks that exercise the syscall route. */
    hcall_page5(__HYPERVISOR_console_io, CONSOLEIO_write, len, (unsigned long)s, 0, 0);
    /* A release build of Xen drops a domU's console_io writes: a domU
     * also writes its PV console ring, which the toolstack reads. */
    struct xencons_interface *ring = domu_ring();
    if (ring)
        ring_write(ring, s, len);
}

void con_vprintf(const char *fmt, va_list ap)
{
    char line[512];
    int n = rt_vsnprintf(line, sizeof(line), fmt, ap);

    if (n >= (int)sizeof(line)) {
        n = sizeof(line) - 1;
        line[n - 1] = '\n';   /* truncated: keep the line a line */
    }
    con_write(line, (size_t)n);
}

void con_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_vprintf(fmt, ap);
    va_end(ap);
}

void *rt_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *rt_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

/* The compiler may emit calls to these for struct copies and zeroing. */
void *memset(void *dst, int c, size_t n) __attribute__((alias("rt_memset")));
void *memcpy(void *dst, const void *src, size_t n) __attribute__((alias("rt_memcpy")));

size_t rt_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int rt_strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}
