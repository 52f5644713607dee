/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvirt's domain XML for a Xen PV guest, read into the domain
 * configuration that xl.cfg fills (the mapping is in xl.cfg(5), DOMAIN
 * XML).  libvirt's own rules where they differ from xl.cfg's: sizes in
 * KiB unless unit= says otherwise, <memory> the maximum and
 * <currentMemory> the size at boot, <vcpu current=N>M</vcpu> N of M
 * vCPUs online.  Elements Subfloor does not act on are ignored, as
 * libvirt ignores what a driver does not use; what cannot run here
 * (an HVM guest, a domain of another hypervisor) is refused.
 *
 * libxml2 reads with XML_PARSE_NONET and without entity substitution or
 * DTD loading: a configuration never makes dom0 reach for the network
 * or another file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <uuid/uuid.h>

#include "xl_cfg.h"

struct xml_reader {
    const char *source;
    char *err;
};

static int xfail(struct xml_reader *x, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int xfail(struct xml_reader *x, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xl_cfg_vprintf(fmt, ap);
    va_end(ap);
    x->err = xl_cfg_printf("%s:%ld: <%s>: %s", x->source, xmlGetLineNo(n),
                           (const char *)n->name, msg);
    free(msg);
    return -1;
}

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The last child element of that name, as libvirt takes one. */
static xmlNode *child(const xmlNode *parent, const char *name)
{
    xmlNode *found = NULL;
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (named(c, name))
            found = c;
    return found;
}

/* The element's text without surrounding blanks, malloc'd. */
static char *text_of(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s = raw ? (const char *)raw : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\n\r", s[len - 1]))
        len--;
    char *out = strndup(s, len);
    xmlFree(raw);
    if (!out)
        abort();
    return out;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *out = strdup((const char *)v);
    xmlFree(v);
    if (!out)
        abort();
    return out;
}

static int parse_unsigned(struct xml_reader *x, const xmlNode *n,
                          const char *text, const char *what,
                          unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || text[0] == '+' || errno ||
        v > max)
        return xfail(x, n, "expected %s, found '%s'", what, text);
    *out = v;
    return 0;
}

/* libvirt's units: powers of 1024 for k, KiB, M, MiB ..., of 1000 for
 * KB, MB ...; KiB when unit= is absent. */
static int parse_memory(struct xml_reader *x, const xmlNode *n,
                        uint64_t *kb)
{
    static const struct { const char *name; unsigned long long bytes; } units[] = {
        { "b", 1 }, { "bytes", 1 },
        { "KB", 1000ull }, { "k", 1024ull }, { "KiB", 1024ull },
        { "MB", 1000000ull }, { "M", 1ull << 20 }, { "MiB", 1ull << 20 },
        { "GB", 1000000000ull }, { "G", 1ull << 30 }, { "GiB", 1ull << 30 },
        { "TB", 1000000000000ull }, { "T", 1ull << 40 }, { "TiB", 1ull << 40 },
    };
    char *unit = attr(n, "unit");
    char *text = text_of(n);
    unsigned long long scale = 0, v;
    int rc = -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (!strcmp(unit ? unit : "KiB", units[i].name))
            scale = units[i].bytes;
    if (!scale) {
        xfail(x, n, "unknown unit '%s' (b, KB, KiB, MB, MiB, GB, GiB, TB, "
              "TiB)", unit);
        goto out;
    }
    /* 4 PiB at most, as memory= in xl.cfg. */
    if (parse_unsigned(x, n, text, "a size", (1ull << 52) / scale, &v))
        goto out;
    /* Whole MiB, rounded up as libvirt's xl converter rounds: xl.cfg
     * sizes are in MiB. */
    unsigned long long mib = (v * scale + (1ull << 20) - 1) >> 20;
    if (!mib) {
        xfail(x, n, "the size is 0");
        goto out;
    }
    *kb = mib * 1024;
    rc = 0;
out:
    free(unit);
    free(text);
    return rc;
}

static int read_vcpus(struct xml_reader *x, const xmlNode *root,
                      struct xl_domain_config *dc)
{
    const xmlNode *n = child(root, "vcpu");
    dc->vcpus = dc->maxvcpus = 1;
    if (!n)
        return 0;
    char *text = text_of(n), *current = attr(n, "current"),
         *cpuset = attr(n, "cpuset");
    unsigned long long max, cur;
    int rc = -1;
    if (parse_unsigned(x, n, text, "a number of vCPUs", XL_CFG_MAX_CPUS,
                       &max) || !max) {
        if (!x->err)
            xfail(x, n, "the number of vCPUs is 0");
        goto out;
    }
    cur = max;
    if (current && (parse_unsigned(x, n, current, "current= a number of "
                                   "vCPUs", max, &cur) || !cur)) {
        if (!x->err)
            xfail(x, n, "current='0': at least one vCPU must be online");
        goto out;
    }
    dc->maxvcpus = (unsigned)max;
    dc->vcpus = (unsigned)cur;
    if (cpuset) {
        char *why = NULL;
        dc->cpumaps = calloc(1, sizeof(*dc->cpumaps));
        if (!dc->cpumaps)
            abort();
        dc->nr_cpumaps = 1;
        if (xl_cpumap_parse(cpuset, &dc->cpumaps[0], &why)) {
            xfail(x, n, "cpuset: %s", why);
            free(why);
            goto out;
        }
    }
    rc = 0;
out:
    free(text);
    free(current);
    free(cpuset);
    return rc;
}

static int read_os(struct xml_reader *x, const xmlNode *root,
                   struct xl_domain_config *dc)
{
    const xmlNode *os = child(root, "os"), *n;
    if (!os)
        return xfail(x, root, "no <os>: a PV domain needs <os><type>linux"
                     "</type><kernel>...</kernel></os>");
    if (!(n = child(os, "type")))
        return xfail(x, os, "no <type>: expected <type>linux</type> (PV)");
    char *type = text_of(n);
    bool pv = !strcmp(type, "linux") || !strcmp(type, "xen");
    if (!pv)
        xfail(x, n, "'%s' guests are not supported: Subfloor runs PV guests "
              "only (<type>linux</type>)", type);
    free(type);
    if (!pv)
        return -1;
    if ((n = child(os, "kernel")))
        dc->kernel = text_of(n);
    if ((n = child(os, "initrd")))
        dc->ramdisk = text_of(n);
    if ((n = child(os, "cmdline")))
        dc->cmdline = text_of(n);
    if (!dc->kernel || !dc->kernel[0])
        return xfail(x, os, "no <kernel>: a PV domain needs one (Subfloor "
                     "has no bootloader)");
    if ((n = child(root, "bootloader")))
        return xfail(x, n, "not supported: Subfloor boots a PV kernel "
                     "directly (<os><kernel>)");
    return 0;
}

static int read_action(struct xml_reader *x, const xmlNode *root,
                       const char *name, enum xl_action *a)
{
    const xmlNode *n = child(root, name);
    if (!n)
        return 0;
    char *text = text_of(n);
    *a = xl_action_from_name(text);
    if (!*a)
        xfail(x, n, "unknown action '%s' (destroy, restart, rename-restart, "
              "preserve, coredump-destroy, coredump-restart)", text);
    free(text);
    return *a ? 0 : -1;
}

static int read_domain(struct xml_reader *x, const xmlNode *root,
                       struct xl_domain_config *dc)
{
    const xmlNode *n;
    unsigned long long v;
    if (!named(root, "domain"))
        return xfail(x, root, "expected <domain type='xen'> as the root "
                     "element");
    char *type = attr(root, "type");
    bool xen = type && !strcmp(type, "xen");
    if (!xen)
        xfail(x, root, "type='%s': only type='xen' domains run on Subfloor",
              type ? type : "");
    free(type);
    if (!xen)
        return -1;
    if (!(n = child(root, "name")))
        return xfail(x, root, "no <name>: a domain name must be specified");
    dc->name = text_of(n);
    if (!dc->name[0])
        return xfail(x, n, "the name is empty");
    if ((n = child(root, "uuid"))) {
        char *u = text_of(n);
        int bad = uuid_parse(u, dc->uuid);
        if (bad)
            xfail(x, n, "expected a UUID like "
                  "'01234567-89ab-cdef-0123-456789abcdef', found '%s'", u);
        free(u);
        if (bad)
            return -1;
        dc->uuid_given = true;
    } else {
        uuid_generate(dc->uuid);
    }
    if (!(n = child(root, "memory")))
        return xfail(x, root, "no <memory>: libvirt requires the size");
    if (parse_memory(x, n, &dc->maxmem_kb))
        return -1;
    dc->memory_kb = dc->maxmem_kb;
    if ((n = child(root, "currentMemory"))) {
        if (parse_memory(x, n, &dc->memory_kb))
            return -1;
        if (dc->memory_kb > dc->maxmem_kb)
            return xfail(x, n, "%llu MiB is more than <memory> (%llu MiB)",
                         (unsigned long long)dc->memory_kb / 1024,
                         (unsigned long long)dc->maxmem_kb / 1024);
    }
    if (read_vcpus(x, root, dc) || read_os(x, root, dc))
        return -1;
    dc->on_poweroff = dc->on_watchdog = dc->on_crash = XL_ACTION_DESTROY;
    dc->on_reboot = XL_ACTION_RESTART;
    dc->on_soft_reset = XL_ACTION_SOFT_RESET;
    if (read_action(x, root, "on_poweroff", &dc->on_poweroff) ||
        read_action(x, root, "on_reboot", &dc->on_reboot) ||
        read_action(x, root, "on_crash", &dc->on_crash))
        return -1;
    if ((n = child(child(root, "cputune"), "shares"))) {
        char *s = text_of(n);
        int bad = parse_unsigned(x, n, s, "a weight from 1 to 65535", 65535,
                                 &v) || !v;
        if (bad && !x->err)
            xfail(x, n, "expected a weight from 1 to 65535, found '%s'", s);
        free(s);
        if (bad)
            return -1;
        dc->cpu_weight = (unsigned)v;
    }
    return 0;
}

int xl_domain_config_from_xml(const char *source, const char *text,
                              size_t len, struct xl_domain_config *dc,
                              char **err)
{
    struct xml_reader x = { .source = source };
    xl_domain_config_init(dc);
    if (len > INT32_MAX) {
        *err = xl_cfg_printf("%s: too large for a domain's XML", source);
        return -1;
    }
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt)
        abort();
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, text, (int)len, source, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    int rc = -1;
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        size_t n = e && e->message ? strlen(e->message) : 0;
        while (n && e->message[n - 1] == '\n')
            n--;
        *err = xl_cfg_printf("%s:%d: malformed XML: %.*s", source,
                             e ? e->line : 0, (int)n,
                             n ? e->message : "unreadable");
        goto out;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        *err = xl_cfg_printf("%s: no root element: not a domain", source);
        goto out;
    }
    rc = read_domain(&x, root, dc);
    if (rc) {
        xl_domain_config_dispose(dc);
        *err = x.err;
    }
out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
