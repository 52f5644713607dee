/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What xl prints, from plain values: the columns of `xl list` and
 * `xl vcpu-list`, UUIDs, CPU sets and uptimes.  Widths, tabs and
 * letters are Xen 4.17 xl's, column for column; the host tests drive
 * these with fixed domains.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "xl.h"

void xl_print_list_header(FILE *f, unsigned flags)
{
    fputs("Name                                        ID   Mem VCPUs\tState\tTime(s)", f);
    if (flags & XL_LIST_VERBOSE)
        fputs("   UUID                            Reason-Code\tSecurity Label", f);
    else if (flags & XL_LIST_CONTEXT)
        fputs("   Security Label", f);
    if (flags & XL_LIST_CPUPOOL)
        fputs("         Cpupool", f);
    if (flags & XL_LIST_NUMA)
        fputs(" NODE Affinity", f);
    fputc('\n', f);
}

/* The fifth state letter is the shutdown reason by its SHUTDOWN_*
 * number: none, poweroff (r), reboot (s), suspend (c), crash (w),
 * watchdog (S); Xen's xl prints '?' past the list. */
static char reason_letter(const struct xl_dom *d)
{
    static const char letters[] = "-rscwS";
    unsigned reason = d->shutdown ? d->shutdown_reason : 0;
    return reason < sizeof(letters) - 1 ? letters[reason] : '?';
}

void xl_print_list_line(FILE *f, const struct xl_dom *d, const char *name,
                        unsigned flags, const char *pool, const char *numa)
{
    fprintf(f, "%-40s %5u %5lu %5u     %c%c%c%c%c%c  %8.1f",
            name ? name : "(null)", d->domid,
            (unsigned long)((d->current_memkb + d->outstanding_memkb) / 1024),
            d->vcpu_online,
            d->running ? 'r' : '-', d->blocked ? 'b' : '-',
            d->paused ? 'p' : '-', d->shutdown ? 's' : '-',
            reason_letter(d), d->dying ? 'd' : '-',
            (double)((float)d->cpu_time_ns / 1e9f));
    if (flags & XL_LIST_VERBOSE) {
        char uuid[37];
        xl_format_uuid(uuid, d->uuid);
        fprintf(f, " %s", uuid);
        if (d->shutdown)
            fprintf(f, " %8x", d->shutdown_reason);
        else
            fprintf(f, " %8s", "-");
    }
    /* No security labels without XSM/FLASK: always "-". */
    if (flags & (XL_LIST_VERBOSE | XL_LIST_CONTEXT))
        fprintf(f, " %16s", "-");
    if (flags & XL_LIST_CPUPOOL)
        fprintf(f, "%16s", pool ? pool : "(null)");
    if (flags & XL_LIST_NUMA)
        fprintf(f, " %s", numa ? numa : "");
    fputc('\n', f);
}

/* libuuid's lower-case text form, which is what Xen's xl prints. */
void xl_format_uuid(char out[37], const uint8_t u[16])
{
    uuid_unparse_lower(u, out);
}

static void append(char *out, size_t outlen, const char *fmt, int a, int b)
{
    size_t used = strlen(out);
    if (used < outlen)
        snprintf(out + used, outlen - used, fmt, a, b);
}

void xl_format_bitmap(char *out, size_t outlen, const uint8_t *map, int len)
{
    int ranges = 0, i = 0;
    if (outlen)
        out[0] = '\0';
    while (i < len) {
        if (!(map[i / 8] & (1u << (i % 8)))) {
            i++;
            continue;
        }
        int first = i;
        while (i < len && (map[i / 8] & (1u << (i % 8))))
            i++;
        if (first == 0 && i == len) {
            snprintf(out, outlen, "all");
            return;
        }
        if (i - 1 > first)
            append(out, outlen, ranges ? ",%d-%d" : "%d-%d", first, i - 1);
        else
            append(out, outlen, ranges ? ",%d" : "%d", first, 0);
        ranges++;
    }
    if (!ranges)
        snprintf(out, outlen, "none");
}

void xl_print_vcpu_header(FILE *f)
{
    fprintf(f, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
            "State", "Time(s)", "Affinity (Hard / Soft)");
}

void xl_print_vcpu_line(FILE *f, const char *name, uint32_t domid,
                        const struct xl_vcpu *v, const char *hard,
                        const char *soft)
{
    fprintf(f, "%-32s %5u %5u", name ? name : "(null)", domid, v->vcpuid);
    if (!v->online)
        fprintf(f, "%5c %3c%cp ", '-', '-', '-');
    else
        fprintf(f, "%5u %3c%c- ", v->cpu, v->running ? 'r' : '-',
                v->blocked ? 'b' : '-');
    fprintf(f, "%9.1f  %s / %s\n", (double)((float)v->cpu_time_ns / 1e9f),
            hard, soft);
}

void xl_format_uptime(char *out, size_t outlen, unsigned long secs,
                      bool short_mode)
{
    int day = (int)(secs / 86400);
    secs %= 86400;
    int hour = (int)(secs / 3600);
    secs %= 3600;
    int min = (int)(secs / 60);
    int sec = (int)(secs % 60);
    const char *days = day > 1 ? "days" : "day";
    if (short_mode) {
        if (day)
            snprintf(out, outlen, "%d %s, %2d:%02d", day, days, hour, min);
        else
            snprintf(out, outlen, "%2d:%02d", hour, min);
    } else {
        if (day)
            snprintf(out, outlen, "%d %s, %2d:%02d:%02d", day, days, hour, min, sec);
        else
            snprintf(out, outlen, "%2d:%02d:%02d", hour, min, sec);
    }
}

/* `xl info NAME` prints only the values of the lines whose key starts
 * with NAME. */
static const char *info_filter;

void xl_info_set_filter(const char *filter)
{
    info_filter = filter;
}

int xl_info_printf(FILE *f, const char *fmt, ...)
{
    char *line;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    int count = 0;
    if (!info_filter) {
        count = fputs(line, f);
    } else if (!strncmp(line, info_filter, strlen(info_filter))) {
        char *colon = strchr(line, ':');
        if (colon && colon[1] == ' ')
            count = fputs(colon + 2, f);
    }
    free(line);
    return count;
}


/* libxl's names of the XEN_SCHEDULER_* ids; NULL for another. */
const char *xl_scheduler_name(int id)
{
    switch (id) {
    case XEN_SCHEDULER_CREDIT: return "credit";
    case XEN_SCHEDULER_CREDIT2: return "credit2";
    case XEN_SCHEDULER_ARINC653: return "arinc653";
    case XEN_SCHEDULER_RTDS: return "rtds";
    case XEN_SCHEDULER_NULL: return "null";
    default: return NULL;
    }
}

void xl_print_credit2_header(FILE *f)
{
    fprintf(f, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

void xl_print_credit2_line(FILE *f, const char *name, uint32_t domid,
                           int weight, int cap)
{
    fprintf(f, "%-33s %4u %6d %4d\n", name ? name : "(null)", domid, weight, cap);
}

void xl_print_credit2_pool(FILE *f, const char *pool, long ratelimit_us)
{
    if (!pool)
        pool = "(null)";
    if (ratelimit_us < 0)
        fprintf(f, "Cpupool %s: [sched params unavailable]\n", pool);
    else
        fprintf(f, "Cpupool %s: ratelimit=%ldus\n", pool, ratelimit_us);
}
