/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl.cfg settings to a domain configuration, with the defaults and rules
 * of Xen 4.17's xl (parse_config_data) and libxl: memory 32 MiB unless
 * given, maxmem = memory, one vCPU, maxvcpus = vcpus, cmdline= winning
 * over root= and extra=, on_poweroff/on_reboot/on_crash destroy, restart,
 * destroy.  Unknown keys are ignored, as Xen's xl ignores them.
 *
 * Where Xen's xl only warns and goes on with the default ("memory =
 * 'lots'", a list where a value belongs), a domain would start with a
 * size nobody asked for; here that is an error naming the key and its
 * place.  Subfloor runs PV guests only, so HVM and PVH are refused.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "xl_cfg.h"

/* libxl's memory when a configuration gives none. */
#define DEFAULT_MEMORY_KB (32 * 1024)
/* 4 PiB: beyond any machine, and far from overflowing in KiB. */
#define MAX_MEMORY_MB (1L << 32)

static const char *const action_names[] = {
    [XL_ACTION_DESTROY] = "destroy",
    [XL_ACTION_RESTART] = "restart",
    [XL_ACTION_RESTART_RENAME] = "rename-restart",
    [XL_ACTION_PRESERVE] = "preserve",
    [XL_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [XL_ACTION_COREDUMP_RESTART] = "coredump-restart",
    [XL_ACTION_SOFT_RESET] = "soft-reset",
};
#define NR_ACTIONS (sizeof(action_names) / sizeof(action_names[0]))

const char *xl_action_name(enum xl_action a)
{
    return (unsigned)a < NR_ACTIONS ? action_names[a] : NULL;
}

enum xl_action xl_action_from_name(const char *name)
{
    for (unsigned i = 1; i < NR_ACTIONS; i++)
        if (!strcmp(action_names[i], name))
            return (enum xl_action)i;
    return 0;
}

void xl_domain_config_init(struct xl_domain_config *dc)
{
    memset(dc, 0, sizeof(*dc));
}

static void strings_free(struct xl_strings *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

void xl_domain_config_dispose(struct xl_domain_config *dc)
{
    free(dc->name);
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    free(dc->cpumaps);
    free(dc->pool);
    strings_free(&dc->disk);
    strings_free(&dc->vif);
    xl_domain_config_init(dc);
}

/* ---- typed reads of one key; each sets *err naming the key ---- */

struct reader {
    const struct xl_cfg *cfg;
    char *err;
};

static int failf(struct reader *r, const struct xl_cfg_setting *s,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(struct reader *r, const struct xl_cfg_setting *s,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xl_cfg_vprintf(fmt, ap);
    va_end(ap);
    r->err = xl_cfg_printf("%s:%d: %s: %s", s->source, s->line, s->key, msg);
    free(msg);
    return -1;
}

/* The value of key, NULL when absent; -1 when it is a list. */
static int get_string(struct reader *r, const char *key, const char **out,
                      const struct xl_cfg_setting **where)
{
    const struct xl_cfg_setting *s = xl_cfg_find(r->cfg, key);
    *out = NULL;
    if (where)
        *where = s;
    if (!s)
        return 0;
    if (s->value->type != XL_CFG_STRING)
        return failf(r, s, "expected a single value, found a [list]");
    *out = s->value->string;
    return 0;
}

/* An integer in C's notation as Xen reads it (strtol base 0: "0x10" is
 * 16, "010" is 8), quoted or not.  *given false when absent. */
static int get_long(struct reader *r, const char *key, long min, long max,
                    long *out, bool *given)
{
    const char *text;
    const struct xl_cfg_setting *s;
    *given = false;
    if (get_string(r, key, &text, &s) || !text)
        return r->err ? -1 : 0;
    if (s->added)
        return failf(r, s, "'+=' does not apply to a number");
    char *end;
    errno = 0;
    long v = strtol(text, &end, 0);
    if (end == text || *end || text[0] == ' ' || text[0] == '\t')
        return failf(r, s, "expected an integer, found '%s'", text);
    if (errno == ERANGE || v < min || v > max)
        return failf(r, s, "%s is out of range (%ld to %ld)", text, min, max);
    *out = v;
    *given = true;
    return 0;
}

static int get_strings(struct reader *r, const char *key,
                       struct xl_strings *out)
{
    const struct xl_cfg_setting *s = xl_cfg_find(r->cfg, key);
    if (!s)
        return 0;
    if (s->value->type != XL_CFG_LIST)
        return failf(r, s, "expected a [list] of strings, found '%s'",
                     s->value->string);
    out->v = calloc((size_t)s->value->n + 1, sizeof(char *));
    if (!out->v)
        abort();
    for (int i = 0; i < s->value->n; i++) {
        const struct xl_cfg_value *item = s->value->items[i];
        if (item->type != XL_CFG_STRING)
            return failf(r, s, "item %d of the list is a [list], not a "
                         "string", i + 1);
        if (!(out->v[out->n++] = strdup(item->string)))
            abort();
    }
    return 0;
}

static int dup_string(struct reader *r, const char *key, char **out)
{
    const char *text;
    if (get_string(r, key, &text, NULL))
        return -1;
    if (text && !(*out = strdup(text)))
        abort();
    return 0;
}

/* ---- the keys ---- */

/* Xen matches type= and builder= by prefix, in this order ("h" is hvm,
 * "p" and "pv" are pv); only PV is a domain Subfloor can run. */
static int read_type(struct reader *r)
{
    const struct xl_cfg_setting *ts, *bs;
    const char *type, *builder;
    if (get_string(r, "type", &type, &ts) ||
        get_string(r, "builder", &builder, &bs))
        return -1;
    if (type) {
        size_t n = strlen(type);
        const char *other = !strncmp(type, "hvm", n) ? "hvm"
                          : !strncmp(type, "pv", n) ? NULL
                          : !strncmp(type, "pvh", n) ? "pvh" : "";
        if (other && *other)
            return failf(r, ts, "'%s' domains are not supported: Subfloor "
                         "runs PV guests only (type = \"pv\")", other);
        if (other)
            return failf(r, ts, "invalid domain type '%s' (Subfloor runs "
                         "type = \"pv\" only)", type);
    }
    if (builder) {
        size_t n = strlen(builder);
        if (!strncmp(builder, "hvm", n))
            return failf(r, bs, "'hvm' domains are not supported: Subfloor "
                         "runs PV guests only (builder = \"generic\")");
        if (strncmp(builder, "generic", n))
            return failf(r, bs, "invalid domain builder '%s' (\"generic\" "
                         "is PV)", builder);
    }
    return 0;
}

static int read_identity(struct reader *r, struct xl_domain_config *dc)
{
    const char *uuid;
    const struct xl_cfg_setting *s;
    if (dup_string(r, "name", &dc->name))
        return -1;
    if (!dc->name) {
        r->err = xl_cfg_printf("%s: name: missing: a domain name must be "
                               "specified", r->cfg->nr_sources ?
                               r->cfg->sources[0] : "configuration");
        return -1;
    }
    if (!dc->name[0] && (s = xl_cfg_find(r->cfg, "name")))
        return failf(r, s, "the name is empty");
    if (get_string(r, "uuid", &uuid, &s))
        return -1;
    if (uuid) {
        if (uuid_parse(uuid, dc->uuid))
            return failf(r, s, "expected a UUID like "
                         "'01234567-89ab-cdef-0123-456789abcdef', found '%s'",
                         uuid);
        dc->uuid_given = true;
    } else {
        uuid_generate(dc->uuid);
    }
    return dup_string(r, "pool", &dc->pool);
}

static int read_sizes(struct reader *r, struct xl_domain_config *dc)
{
    long mem = 0, maxmem = 0, vcpus = 1, maxvcpus = 0, v;
    bool mem_given, maxmem_given, vcpus_given, maxvcpus_given, given;
    if (get_long(r, "memory", 1, MAX_MEMORY_MB, &mem, &mem_given) ||
        get_long(r, "maxmem", 1, MAX_MEMORY_MB, &maxmem, &maxmem_given) ||
        get_long(r, "vcpus", 1, XL_CFG_MAX_CPUS, &vcpus, &vcpus_given) ||
        get_long(r, "maxvcpus", 1, XL_CFG_MAX_CPUS, &maxvcpus,
                 &maxvcpus_given))
        return -1;
    /* Either size stands for both when alone (xl sets maxmem from
     * memory, libxl memory from maxmem). */
    dc->memory_kb = mem_given ? (uint64_t)mem * 1024
                  : maxmem_given ? (uint64_t)maxmem * 1024 : DEFAULT_MEMORY_KB;
    dc->maxmem_kb = maxmem_given ? (uint64_t)maxmem * 1024 : dc->memory_kb;
    if (dc->maxmem_kb < dc->memory_kb)
        return failf(r, xl_cfg_find(r->cfg, "maxmem"), "%ld MiB is less "
                     "than memory (%ld MiB): maxmem must be at least memory",
                     maxmem, mem);
    dc->vcpus = (unsigned)vcpus;
    dc->maxvcpus = maxvcpus_given ? (unsigned)maxvcpus : dc->vcpus;
    if (dc->maxvcpus < dc->vcpus)
        return failf(r, xl_cfg_find(r->cfg, "maxvcpus"), "%ld is less than "
                     "vcpus (%ld): maxvcpus must be at least vcpus",
                     maxvcpus, vcpus);
    if (get_long(r, "cpu_weight", 1, 65535, &v, &given))
        return -1;
    dc->cpu_weight = given ? (unsigned)v : 0;
    if (get_long(r, "cap", 0, 65535, &v, &given))
        return -1;
    dc->cap_given = given;
    dc->cap = given ? (unsigned)v : 0;
    return 0;
}

/* cpus = "LIST" pins every vCPU to LIST; cpus = ["L0", "L1"] pins vCPU
 * i to Li, and items beyond maxvcpus are dropped, as Xen drops them. */
static int read_cpus(struct reader *r, struct xl_domain_config *dc)
{
    const struct xl_cfg_setting *s = xl_cfg_find(r->cfg, "cpus");
    if (!s)
        return 0;
    const struct xl_cfg_value *v = s->value;
    bool list = v->type == XL_CFG_LIST;
    int n = list ? v->n : 1;
    if (list && n > (int)dc->maxvcpus)
        n = (int)dc->maxvcpus;
    if (n == 0)
        return 0;
    dc->cpumaps = calloc((size_t)n, sizeof(*dc->cpumaps));
    if (!dc->cpumaps)
        abort();
    dc->nr_cpumaps = n;
    dc->cpumap_per_vcpu = list;
    for (int i = 0; i < n; i++) {
        const struct xl_cfg_value *item = list ? v->items[i] : v;
        char *why = NULL;
        if (item->type != XL_CFG_STRING)
            return failf(r, s, "item %d of the list is a [list], not a cpu "
                         "list", i + 1);
        if (xl_cpumap_parse(item->string, &dc->cpumaps[i], &why)) {
            if (list)
                failf(r, s, "vCPU %d: %s", i, why);
            else
                failf(r, s, "%s", why);
            free(why);
            return -1;
        }
    }
    return 0;
}

static int read_action(struct reader *r, const char *key, enum xl_action def,
                       enum xl_action *out)
{
    const char *name;
    const struct xl_cfg_setting *s;
    if (get_string(r, key, &name, &s))
        return -1;
    *out = name ? xl_action_from_name(name) : def;
    if (!*out)
        return failf(r, s, "unknown action '%s' (destroy, restart, "
                     "rename-restart, preserve, coredump-destroy, "
                     "coredump-restart, soft-reset)", name);
    return 0;
}

/* cmdline= is the whole command line; without it, "root=ROOT EXTRA"
 * from whichever of root= and extra= are given. */
static int read_boot(struct reader *r, struct xl_domain_config *dc, FILE *warn)
{
    const char *cmdline, *root, *extra, *bootloader;
    const struct xl_cfg_setting *s;
    if (dup_string(r, "kernel", &dc->kernel) ||
        dup_string(r, "ramdisk", &dc->ramdisk) ||
        get_string(r, "cmdline", &cmdline, NULL) ||
        get_string(r, "root", &root, NULL) ||
        get_string(r, "extra", &extra, NULL) ||
        get_string(r, "bootloader", &bootloader, &s))
        return -1;
    if (bootloader)
        return failf(r, s, "'%s' is not supported: Subfloor boots a PV "
                     "kernel directly (kernel= and ramdisk=)", bootloader);
    if (cmdline) {
        if ((root || extra) && warn)
            fprintf(warn, "Warning: ignoring root= and extra= in favour of "
                    "cmdline=\n");
        dc->cmdline = strdup(cmdline);
    } else if (root) {
        dc->cmdline = xl_cfg_printf("root=%s%s%s", root, extra ? " " : "",
                                    extra ? extra : "");
    } else if (extra) {
        dc->cmdline = strdup(extra);
    }
    if ((cmdline || extra) && !dc->cmdline)
        abort();
    if (!dc->kernel) {
        r->err = xl_cfg_printf("%s: kernel: missing: a PV domain needs "
                               "kernel= (Subfloor has no bootloader)",
                               r->cfg->nr_sources ? r->cfg->sources[0]
                                                  : "configuration");
        return -1;
    }
    return 0;
}

int xl_domain_config_from_cfg(const struct xl_cfg *cfg,
                              struct xl_domain_config *dc, FILE *warn,
                              char **err)
{
    struct reader r = { .cfg = cfg };
    xl_domain_config_init(dc);
    if (read_type(&r) || read_identity(&r, dc) || read_sizes(&r, dc) ||
        read_cpus(&r, dc) ||
        read_action(&r, "on_poweroff", XL_ACTION_DESTROY, &dc->on_poweroff) ||
        read_action(&r, "on_reboot", XL_ACTION_RESTART, &dc->on_reboot) ||
        read_action(&r, "on_watchdog", XL_ACTION_DESTROY, &dc->on_watchdog) ||
        read_action(&r, "on_crash", XL_ACTION_DESTROY, &dc->on_crash) ||
        read_action(&r, "on_soft_reset", XL_ACTION_SOFT_RESET,
                    &dc->on_soft_reset) ||
        read_boot(&r, dc, warn) ||
        get_strings(&r, "disk", &dc->disk) ||
        get_strings(&r, "vif", &dc->vif)) {
        xl_domain_config_dispose(dc);
        *err = r.err;
        return -1;
    }
    return 0;
}
