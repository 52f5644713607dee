/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl: Subfloor's toolstack command line, with Xen 4.17 xl's commands,
 * options, output and exit codes for the part that exists
 * (docs/man/xl.1).  This header is what the command files share: the
 * context (libxenctrl and libxenstore handles, behind a small ops table
 * that the host tests replace), the view of a domain the commands print,
 * and the helpers for names, sizes, options and messages.
 */
#ifndef SUBFLOOR_XL_H
#define SUBFLOOR_XL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <xenctrl.h>

/* libxl's error numbers, which Xen's xl prints in some messages
 * ("nosuch is an invalid domain identifier (rc=-6)"). */
enum {
    XL_ERROR_FAIL = -3,
    XL_ERROR_NOMEM = -5,
    XL_ERROR_INVAL = -6,
    XL_ERROR_DOMAIN_NOTFOUND = -21,
};

/* What the toolstack reads and writes outside the commands' own
 * hypercalls: the domain list and xenstore.  Production goes through
 * libxenctrl and libxenstore (xl_ops_real, xl_domain.c); the host tests
 * supply a fake. */
struct xl_ops {
    /* Up to max domains with id >= first, in id order; the count, or -1
     * with errno set. */
    int (*domain_list)(void *priv, uint32_t first, unsigned max,
                       xc_domaininfo_t *out);
    /* The value at path (malloc'd, NUL-terminated), or NULL. */
    char *(*xs_read)(void *priv, const char *path);
    /* Writes value at path; false on failure (errno set). */
    bool (*xs_write)(void *priv, const char *path, const char *value);
};

struct xl_ctx {
    xc_interface *xch;          /* NULL in the host tests */
    struct xs_handle *xsh;
    const struct xl_ops *ops;
    void *priv;
    bool dryrun;                /* the global -N */
};
extern struct xl_ctx xl;

/* One domain as the commands see it (libxl_dominfo's fields that xl
 * prints). */
struct xl_dom {
    uint32_t domid;
    bool running, blocked, paused, shutdown, dying;
    unsigned shutdown_reason;
    uint64_t current_memkb, outstanding_memkb, max_memkb;
    uint32_t vcpu_online, max_vcpu_id;
    uint64_t cpu_time_ns;
    uint8_t uuid[16];
    uint32_t cpupool;
};

/* ---- xl_domain.c: domains by name or id ---- */
void xl_dom_from_info(struct xl_dom *d, const xc_domaininfo_t *info);
/* Every domain; *n their count.  NULL on failure (errno set). */
struct xl_dom *xl_list_domains(int *n);
/* One domain: 0, XL_ERROR_DOMAIN_NOTFOUND, or XL_ERROR_FAIL. */
int xl_domain_info(uint32_t domid, struct xl_dom *d);
/* /local/domain/N/name, malloc'd, or NULL. */
char *xl_domid_to_name(uint32_t domid);
/* 0, or XL_ERROR_INVAL when no domain has that name. */
int xl_name_to_domid(const char *name, uint32_t *domid);
/* A string of digits (the empty one too) is an id, anything else a
 * name, as libxl decides. */
int xl_qualifier_to_domid(const char *q, uint32_t *domid);
/* xl_qualifier_to_domid, or Xen's message and exit(1). */
uint32_t xl_find_domain(const char *q);
void xl_use_real_backend(void);

/* ---- xl_size.c ---- */
/* "512", "512m", "2g", "1t", "4096k", "1048576b" in KiB; -1 when the
 * text is not a size (Xen's rules: digits, optional sign, one unit). */
int64_t xl_parse_mem_size_kb(const char *text);

/* ---- xl_format.c: output formats, from plain values ---- */
#define XL_LIST_VERBOSE  1u
#define XL_LIST_CONTEXT  2u
#define XL_LIST_CPUPOOL  4u
#define XL_LIST_NUMA     8u
void xl_print_list_header(FILE *f, unsigned flags);
/* name NULL prints "(null)", as Xen's xl does for a domain without one;
 * pool/numa are the extra columns' text. */
void xl_print_list_line(FILE *f, const struct xl_dom *d, const char *name,
                        unsigned flags, const char *pool, const char *numa);
void xl_format_uuid(char out[37], const uint8_t uuid[16]);
/* "all", "none", "0-3,5": the set bits among the first len. */
void xl_format_bitmap(char *out, size_t outlen, const uint8_t *map, int len);
void xl_print_vcpu_header(FILE *f);
struct xl_vcpu {
    uint32_t vcpuid, cpu;
    bool online, running, blocked;
    uint64_t cpu_time_ns;
};
void xl_print_vcpu_line(FILE *f, const char *name, uint32_t domid,
                        const struct xl_vcpu *v, const char *hard,
                        const char *soft);
/* "1 day,  2:03:04", " 0:00:12"; short_mode drops the seconds. */
void xl_format_uptime(char *out, size_t outlen, unsigned long secs,
                      bool short_mode);

const char *xl_scheduler_name(int id);
/* `xl sched-credit2`'s lines: the table's header, one domain, a pool's
 * scheduler parameters (ratelimit_us < 0: they could not be read). */
void xl_print_credit2_header(FILE *f);
void xl_print_credit2_line(FILE *f, const char *name, uint32_t domid,
                           int weight, int cap);
void xl_print_credit2_pool(FILE *f, const char *pool, long ratelimit_us);

/* ---- xl_cpurange.c ---- */
/* Adds and removes the CPUs of a `vcpu-pin` list ("0-3,^2", "all") in
 * map (bytes long, bits past it ignored).  0, or -1 after Xen xl's
 * message on stderr; map may then hold part of the list. */
int xl_parse_cpurange(const char *text, uint8_t *map, size_t bytes);
/* `xl vcpu-set`'s request to a PV guest: cpu/N/availability "online"
 * for N < online, "offline" for the rest up to max_vcpu_id, in the
 * domain's xenstore directory.  0, or -1 (errno) at the first failure. */
int xl_write_vcpu_availability(uint32_t domid, unsigned online,
                               uint32_t max_vcpu_id);

/* ---- xl_format.c, for xl_info.c ---- */
/* `xl info [name]`: filter NULL prints every line, else only the value
 * of the lines whose key starts with filter. */
void xl_info_set_filter(const char *filter);
int xl_info_printf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- xl_json.c ---- */
/* The JSON `xl list -l` prints for the domains given (Xen's shape for a
 * domain whose configuration xl did not create: dom0).  malloc'd. */
char *xl_list_json(const struct xl_dom *doms, char *const *names, int n);

/* ---- xl_main.c: options, help, messages ---- */
/* getopt_long over a command's arguments with Xen xl's rules: options
 * stop at the first other word, -h/--help prints the command's help and
 * exits 0, an unknown option exits 2, fewer than reqargs words left
 * exits 2 with the usage.  Returns the option, or -1 when done. */
struct option;
int xl_getopt(int argc, char *const argv[], const char *optstring,
              const struct option *longopts, const char *cmd, int reqargs);
#define XL_FOREACH_OPT(opt, opts, longopts, cmd, reqargs) \
    while (((opt) = xl_getopt(argc, argv, "+" opts "h", (longopts), \
                              (cmd), (reqargs))) != -1) \
        switch (opt)
void xl_help(const char *cmd);
/* A message in libxl's error-line format, "libxl: error: WHERE: [Domain
 * N:]MSG[: strerror(errnum)]", for the failures Xen's xl reports through
 * libxl.  WHERE is the FILE:LINE:FUNC of that message in Xen 4.17's
 * libxl, so that ours prints Xen's line to the letter (scripts and people
 * match on them); "Domain N:" only for guests, as libxl does. */
void xl_liberr(const char *where, uint32_t domid, int errnum,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same at libxl's warning level. */
void xl_libwarn(const char *where, uint32_t domid, int errnum,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define XL_NO_DOMID 0xffffffffu
#define XL_NO_ERRNO (-1)

/* Commands. */
int xl_cmd_list(int argc, char **argv);
int xl_cmd_info(int argc, char **argv);
int xl_cmd_dmesg(int argc, char **argv);
int xl_cmd_uptime(int argc, char **argv);
int xl_cmd_pause(int argc, char **argv);
int xl_cmd_unpause(int argc, char **argv);
int xl_cmd_destroy(int argc, char **argv);
int xl_cmd_mem_set(int argc, char **argv);
int xl_cmd_mem_max(int argc, char **argv);
int xl_cmd_vcpu_list(int argc, char **argv);
int xl_cmd_vcpu_stats(int argc, char **argv);
int xl_cmd_vcpu_pin(int argc, char **argv);
int xl_cmd_vcpu_set(int argc, char **argv);
int xl_cmd_sched_credit2(int argc, char **argv);
int xl_cmd_domid(int argc, char **argv);
int xl_cmd_domname(int argc, char **argv);
int xl_cmd_domxml_to_xl(int argc, char **argv);
int xl_cmd_create(int argc, char **argv);
int xl_cmd_console(int argc, char **argv);
int xl_cmd_shutdown(int argc, char **argv);
int xl_cmd_reboot(int argc, char **argv);

/* ---- xl_console.c: a guest's PV console ring, with xl as back end ---- */
struct xl_console;
/* Maps the ring and binds the event channel that xenstore names; NULL
 * with the reason printed. */
struct xl_console *xl_console_attach(uint32_t domid);
/* Terminal <-> ring until Ctrl-] or the domain's end; an exit status. */
int xl_console_run(struct xl_console *c);
void xl_console_detach(struct xl_console *c);

#endif
