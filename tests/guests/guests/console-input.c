/*
 * console-input: dom0's console input through CONSOLEIO_read.  The
 * argument checks always run; the input itself only when someone types:
 * the guest waits `wait=SECONDS` (module command line, default 2) for a
 * line ending in CR or LF and prints it back, so a test that types into
 * the serial port (tests/qemu/console-input.test) can compare.  With
 * nothing typed (the guest runner) there is nothing more to check.
 */
#include "guest.h"
#include <public/errno.h>
#include <public/sched.h>

const char guest_name[] = "console-input";

#define DEFAULT_WAIT_SECONDS 2
#define LINE_MAX_LEN 120

static unsigned long wait_seconds(void)
{
    const char *p = (const char *)start_info->cmd_line;
    unsigned long secs = 0;

    for (; *p; p++) {
        if (rt_strncmp(p, "wait=", 5))
            continue;
        for (p += 5; *p >= '0' && *p <= '9'; p++)
            secs = secs * 10 + (unsigned long)(*p - '0');
        return secs ? secs : DEFAULT_WAIT_SECONDS;
    }
    return DEFAULT_WAIT_SECONDS;
}

/* The guest's system time from its vcpu_time_info (pvclock). */
static uint64_t now_ns(void)
{
    const struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
    uint32_t version;
    uint64_t ns;

    do {
        version = t->version;
        asm volatile("" ::: "memory");
        uint64_t delta = rdtsc() - t->tsc_timestamp;
        if (t->tsc_shift >= 0)
            delta <<= t->tsc_shift;
        else
            delta >>= -t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != t->version);
    return ns;
}

static bool printable_line(const char *s, size_t len)
{
    if (len == 0 || (s[len - 1] != '\r' && s[len - 1] != '\n'))
        return false;
    for (size_t i = 0; i + 1 < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

void guest_main(void)
{
    char line[LINE_MAX_LEN + 1];
    size_t len = 0;

    check_eq("console_io read of 0 bytes returns 0",
             hyp_console_io(CONSOLEIO_read, 0, line), 0);
    check_eq("console_io read with a count above INT_MAX: -E2BIG",
             hyp_console_io(CONSOLEIO_read, 0x80000000UL, line), -XEN_E2BIG);

    unsigned long secs = wait_seconds();
    uint64_t deadline = now_ns() + secs * 1000000000ULL;
    con_printf("INFO: waiting %lu s for a typed line (CONSOLEIO_read)\n", secs);
    while (now_ns() < deadline && len < LINE_MAX_LEN) {
        long n = hyp_console_io(CONSOLEIO_read, LINE_MAX_LEN - len, line + len);
        if (n < 0) {
            check(false, "console_io read while waiting for input", "returned %ld", n);
            break;
        }
        len += (size_t)n;
        if (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
            break;
        hyp_sched_op(SCHEDOP_yield, NULL);
    }
    if (len == 0) {
        con_printf("INFO: nothing typed within %lu s\n", secs);
        return;
    }
    line[len] = '\0';
    if (check(printable_line(line, len), "a typed line arrives whole through CONSOLEIO_read",
              "%zu bytes, last %#x", len, (unsigned char)line[len - 1])) {
        line[len - 1] = '\0';      /* the CR or LF */
        con_printf("INFO: console input line: '%s'\n", line);
    }
}
