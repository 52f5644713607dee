/*
 * Boot command-line parsing, Xen style: space-separated `name`,
 * `name=value`, and `no-name` for booleans.  Unknown names are reported
 * through a callback and otherwise ignored, as Xen does.
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_CMDLINE_H
#define SUBFLOOR_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cmdline_kind {
    CMDLINE_BOOL,     /* bool: `x`, `x=1|0|yes|no|on|off|true|false`, `no-x` */
    CMDLINE_UINT,     /* uint64_t: decimal, 0x hex */
    CMDLINE_SIZE,     /* uint64_t bytes: number with optional B/K/M/G/T suffix;
                       * no suffix means KiB, as in Xen */
    CMDLINE_STRING,   /* char[len]: copied, NUL-terminated, truncation is an error */
    CMDLINE_CUSTOM,   /* parse(value, var): 0 or -1 */
};

struct cmdline_option {
    const char *name;
    enum cmdline_kind kind;
    void *var;
    size_t len;                               /* CMDLINE_STRING buffer size */
    int (*parse)(const char *value, void *var); /* CMDLINE_CUSTOM */
};

/* Called for each problem: an unknown name, or a value that does not parse
 * (msg says which).  The variable of a bad value is left unchanged. */
typedef void (*cmdline_report_fn)(void *ctx, const char *name, const char *msg);

/*
 * Apply every option of `cmdline` found in table[0..n).  Later settings
 * override earlier ones.  Returns the number of problems reported.
 */
int cmdline_parse(const char *cmdline, const struct cmdline_option *table,
                  size_t n, cmdline_report_fn report, void *ctx);

/* Parse "512M", "1G", "4096" (KiB, as Xen), "100B": returns 0 and *out, or -1. */
int parse_size(const char *s, uint64_t *out);

/* Parse decimal or 0x-hex: returns 0 and *out, or -1 (overflow, junk). */
int parse_uint(const char *s, uint64_t *out);

#endif
