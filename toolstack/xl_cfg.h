/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain configuration for `xl create` and `xl domxml-to-xl`
 * (docs/man/xl.cfg.5): Xen 4.17's xl.cfg syntax, read by our own parser
 * into settings (xl_cfg_parse.c), the settings turned into a domain
 * configuration with xl's defaults and rules (xl_cfg_domain.c), the same
 * configuration from libvirt's domain XML (xl_cfg_xml.c), and printed back
 * as xl.cfg text (xl_cfg_print.c).
 *
 * No function here prints an error: each failure comes back as one
 * malloc'd message in *err, "SOURCE:LINE: KEY: what was wrong", and the
 * output is left empty.  Warnings (what Xen's xl warns about and carries
 * on) go to the FILE given, which may be NULL.
 */
#ifndef SUBFLOOR_XL_CFG_H
#define SUBFLOOR_XL_CFG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- xl_cfg_parse.c: the syntax ---- */

enum xl_cfg_type { XL_CFG_STRING, XL_CFG_LIST };

struct xl_cfg_value {
    enum xl_cfg_type type;
    int line, column;
    /* XL_CFG_STRING: the text, unquoted; quoted tells '...'/"..." from a
     * bare number. */
    char *string;
    bool quoted;
    /* XL_CFG_LIST */
    int n;
    struct xl_cfg_value **items;
};

struct xl_cfg_setting {
    char *key;
    struct xl_cfg_value *value;
    const char *source;     /* file name, or "command line" */
    int line;
    bool added;             /* key += value */
    struct xl_cfg_setting *next;
};

/* The settings of one or more texts, in order; a later setting of a key
 * replaces an earlier one, `+=` appends to it. */
struct xl_cfg {
    struct xl_cfg_setting *first, *last;
    char **sources;
    int nr_sources;
};

void xl_cfg_init(struct xl_cfg *cfg);
void xl_cfg_dispose(struct xl_cfg *cfg);
/* Adds the settings of text (len bytes; NUL bytes refused) read from
 * source.  0, or -1 with *err set and cfg unchanged. */
int xl_cfg_parse_text(struct xl_cfg *cfg, const char *source,
                      const char *text, size_t len, char **err);
/* The last setting of key, or NULL. */
const struct xl_cfg_setting *xl_cfg_find(const struct xl_cfg *cfg,
                                         const char *key);

/* ---- xl_cfg_domain.c: the domain configuration ---- */

/* Xen's actions on a domain's shutdown, in libxl's order. */
enum xl_action {
    XL_ACTION_DESTROY = 1,
    XL_ACTION_RESTART,
    XL_ACTION_RESTART_RENAME,
    XL_ACTION_PRESERVE,
    XL_ACTION_COREDUMP_DESTROY,
    XL_ACTION_COREDUMP_RESTART,
    XL_ACTION_SOFT_RESET,
};
/* "destroy", "rename-restart" ...; NULL for a value out of the enum. */
const char *xl_action_name(enum xl_action a);
/* 0 for a name Xen does not know. */
enum xl_action xl_action_from_name(const char *name);

#define XL_CFG_MAX_CPUS 1024
/* Room for xl_cpumap_format of any map. */
#define XL_CPUMAP_TEXT 4096
struct xl_cpumap {
    uint64_t bits[XL_CFG_MAX_CPUS / 64];
};
static inline bool xl_cpumap_test(const struct xl_cpumap *m, unsigned cpu)
{
    return cpu < XL_CFG_MAX_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}
/* Xen's cpu-list syntax ("all", "0-3,^2", "5"); "nodes:" needs the NUMA
 * layout and is refused.  0, or -1 with a message (no key, no place) in
 * *err. */
int xl_cpumap_parse(const char *text, struct xl_cpumap *map, char **err);
/* "all", "0-3,6", "" for none: xl_cpumap_parse's syntax. */
void xl_cpumap_format(const struct xl_cpumap *map, char *out, size_t len);

/* Keys that xl accepts and keeps for later: the device lists are not
 * acted on yet (docs/man/xl.cfg.5). */
struct xl_strings {
    int n;
    char **v;
};

struct xl_domain_config {
    char *name;
    uint8_t uuid[16];
    bool uuid_given;            /* else generated */
    uint64_t memory_kb;         /* memory=, MiB in xl.cfg */
    uint64_t maxmem_kb;         /* maxmem=, default memory */
    unsigned vcpus;             /* default 1 */
    unsigned maxvcpus;          /* default vcpus */
    char *kernel, *ramdisk;
    char *cmdline;              /* cmdline=, or root= and extra= combined */
    enum xl_action on_poweroff, on_reboot, on_watchdog, on_crash,
                   on_soft_reset;
    /* cpus=: none (nr_cpumaps 0), one map for every vCPU (a string), or
     * one map per vCPU (a list). */
    int nr_cpumaps;
    bool cpumap_per_vcpu;
    struct xl_cpumap *cpumaps;
    unsigned cpu_weight;        /* 0: not given (the scheduler's 256) */
    bool cap_given;
    unsigned cap;
    char *pool;
    struct xl_strings disk, vif;
};

void xl_domain_config_init(struct xl_domain_config *dc);
void xl_domain_config_dispose(struct xl_domain_config *dc);
/* The domain that the settings describe, with xl's defaults.  0, or -1
 * with *err set. */
int xl_domain_config_from_cfg(const struct xl_cfg *cfg,
                              struct xl_domain_config *dc, FILE *warn,
                              char **err);
/* The configuration of `xl create FILE [KEY=VALUE ...]`: FILE is libvirt
 * domain XML when its first character other than white space is '<',
 * else xl.cfg; the overrides are xl.cfg text read after the file, their
 * source "command line", one line each.  0, or -1 with *err set. */
int xl_domain_config_load(const char *path, char *const overrides[],
                          int nr_overrides, struct xl_domain_config *dc,
                          FILE *warn, char **err);
/* True when text (len bytes) is to be read as XML: see above. */
bool xl_cfg_text_is_xml(const char *text, size_t len);
/* The whole file, NUL-terminated; NULL with *err set. */
char *xl_cfg_read_file(const char *path, size_t *len, char **err);

/* ---- xl_cfg_xml.c ---- */
/* libvirt's <domain type='xen'> (text, len bytes, named source in
 * messages).  0, or -1 with *err set. */
int xl_domain_config_from_xml(const char *source, const char *text,
                              size_t len, struct xl_domain_config *dc,
                              char **err);

/* ---- xl_cfg_print.c ---- */
/* xl.cfg text that xl_domain_config_from_cfg reads back into dc.
 * malloc'd. */
char *xl_domain_config_to_cfg(const struct xl_domain_config *dc);
/* A string as an xl.cfg value: quoted, with the escapes the parser
 * takes.  malloc'd. */
char *xl_cfg_quote(const char *s);

/* ---- shared by the files above ---- */
/* malloc'd printf, or abort: the configuration is small, and a message
 * that cannot be built is nothing to recover from. */
char *xl_cfg_vprintf(const char *fmt, va_list ap);
char *xl_cfg_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
