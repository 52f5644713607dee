/*
 * HYPERVISOR_console_io: a privileged domain's console.  As on Xen, the
 * hardware domain's output goes to the serial console byte for byte, as
 * written (it is an interactive terminal: a shell prompt has no newline),
 * while other domains' output is shown line by line behind "(dN) ".  The
 * log ring gets every domain's output as "(dN) " lines.  Input typed on the
 * serial line while it is switched to dom0 waits in console_input's ring
 * for CONSOLEIO_read.
 */
#include "arch/x86/guest_access.h"
#include "common/console_input.h"
#include "common/continuation.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "lib/conring.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/log_ring.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/xen.h"

#define CHUNK 128
/* The slice units a chunk costs: serial output is slow work. */
#define CHUNK_UNITS 32
#define LINE_MAX_LEN 256

/* A line in progress (guests write partial lines too). */
static char line[LINE_MAX_LEN];
static unsigned int line_len;

/* dom0 is Xen's hardware domain: its console is the machine's console. */
static bool writes_directly(const struct domain *d)
{
    return d->domid == 0;
}

static void flush_line(const struct domain *d)
{
    char prefix[8];
    char text[LINE_MAX_LEN + 8];
    int n = snprintf(prefix, sizeof(prefix), "(d%u) ", d->domid);

    snprintf(text, sizeof(text), "%s%.*s", prefix, (int)line_len, line);
    log_ring_append(LOG_INFO, text, (size_t)n + line_len);
    if (!writes_directly(d)) {
        console_write_raw_line(text, (size_t)n + line_len);
        conring_put(text, (size_t)n + line_len);
        conring_put("\n", 1);
    }
    line_len = 0;
}

static void put_char(const struct domain *d, char c)
{
    if (c == '\n') {
        flush_line(d);
        return;
    }
    if (c == '\r' || c == '\0')
        return;
    /* Control characters other than tab would garble the console. */
    if ((unsigned char)c < 0x20 && c != '\t')
        c = '?';
    line[line_len++] = c;
    if (line_len == LINE_MAX_LEN)
        flush_line(d);
}

/*
 * Copy waiting input out, chunk by chunk; a chunk is only taken from the
 * ring once it reached the guest, so a fault loses nothing.  Xen's count
 * is an unsigned int whose int reading must not go negative (the result
 * is a count or a negative errno).
 */
static long console_read(uint64_t count64, guest_ptr_t buffer)
{
    unsigned int count = (unsigned int)count64;
    char chunk[CHUNK];
    long done = 0;

    if ((int)count < 0)
        return -XEN_E2BIG;
    while ((unsigned long)done < count) {
        unsigned int want = count - done < CHUNK ? count - done : CHUNK;
        unsigned int n = console_input_peek(chunk, want);
        if (n == 0)
            break;
        if (copy_to_guest(guest_ptr_add(buffer, done), chunk, n))
            return -XEN_EFAULT;
        console_input_consume(n);
        done += n;
    }
    return done;
}

long do_console_io(uint64_t cmd, uint64_t count, guest_ptr_t buffer)
{
    struct domain *d = current_vcpu()->domain;
    char chunk[CHUNK];

    /* Only privileged callers get here (HC_PRIV in hypercall_table.h): Xen
     * lets only the hardware domain, or XSM-permitted ones, use it. */
    switch (cmd) {
    case CONSOLEIO_write:
        for (uint64_t done = 0; done < count;) {
            /* A long write goes out a slice at a time (continuation.h). */
            if (done && hypercall_preempt_check(CHUNK_UNITS)) {
                const uint64_t rest[3] = { CONSOLEIO_write, count - done,
                                           guest_ptr_add(buffer, done).va };
                hypercall_continue(__HYPERVISOR_console_io, 3, rest);
                return 0;
            }
            uint64_t n = count - done < CHUNK ? count - done : CHUNK;
            if (copy_from_guest(chunk, guest_ptr_add(buffer, done), n))
                return -XEN_EFAULT;
            if (writes_directly(d))
                console_write_bytes(chunk, n);
            for (uint64_t i = 0; i < n; i++)
                put_char(d, chunk[i]);
            done += n;
        }
        return 0;
    case CONSOLEIO_read:
        return console_read(count, buffer);
    default:
        return -XEN_ENOSYS;
    }
}
