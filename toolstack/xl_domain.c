/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains by name or id.  A domain's name is its xenstore entry
 * /local/domain/N/name; a name is found by walking the hypervisor's
 * domain list (getdomaininfolist) and reading each one's entry, as libxl
 * does, so that a name left behind in xenstore by a domain that is gone
 * names nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#include "xl.h"

/* The hypervisor gives at most this many per sysctl; more are asked for
 * from the id after the last one. */
#define LIST_CHUNK 256

void xl_dom_from_info(struct xl_dom *d, const xc_domaininfo_t *info)
{
    memset(d, 0, sizeof(*d));
    d->domid = info->domain;
    d->running = info->flags & XEN_DOMINF_running;
    d->blocked = info->flags & XEN_DOMINF_blocked;
    d->paused = info->flags & XEN_DOMINF_paused;
    d->shutdown = info->flags & XEN_DOMINF_shutdown;
    d->dying = info->flags & XEN_DOMINF_dying;
    if (d->shutdown)
        d->shutdown_reason = (info->flags >> XEN_DOMINF_shutdownshift) &
                             XEN_DOMINF_shutdownmask;
    d->current_memkb = info->tot_pages * 4;
    d->outstanding_memkb = info->outstanding_pages * 4;
    /* max_pages of ~0 (no limit) stays "unlimited" rather than wrapping. */
    d->max_memkb = info->max_pages == UINT64_MAX ? UINT64_MAX : info->max_pages * 4;
    d->vcpu_online = info->nr_online_vcpus;
    d->max_vcpu_id = info->max_vcpu_id;
    d->cpu_time_ns = info->cpu_time;
    memcpy(d->uuid, info->handle, sizeof(d->uuid));
    d->cpupool = info->cpupool;
}

struct xl_dom *xl_list_domains(int *n)
{
    xc_domaininfo_t *chunk = calloc(LIST_CHUNK, sizeof(*chunk));
    struct xl_dom *doms = NULL;
    int count = 0;
    uint32_t next = 0;
    if (!chunk)
        return NULL;
    for (;;) {
        int got = xl.ops->domain_list(xl.priv, next, LIST_CHUNK, chunk);
        if (got < 0) {
            int saved = errno;
            free(doms);
            free(chunk);
            errno = saved;
            return NULL;
        }
        if (got == 0)
            break;
        struct xl_dom *grown = realloc(doms, sizeof(*doms) * (size_t)(count + got));
        if (!grown) {
            free(doms);
            free(chunk);
            errno = ENOMEM;
            return NULL;
        }
        doms = grown;
        for (int i = 0; i < got; i++)
            xl_dom_from_info(&doms[count + i], &chunk[i]);
        count += got;
        next = chunk[got - 1].domain + 1u;
        if (got < LIST_CHUNK || next >= DOMID_FIRST_RESERVED)
            break;
    }
    free(chunk);
    if (!doms)      /* no domain at all: an empty list, not a failure */
        doms = calloc(1, sizeof(*doms));
    *n = count;
    return doms;
}

int xl_domain_info(uint32_t domid, struct xl_dom *d)
{
    xc_domaininfo_t info;
    int got = xl.ops->domain_list(xl.priv, domid, 1, &info);
    if (got < 0)
        return XL_ERROR_FAIL;
    if (got == 0 || info.domain != domid)
        return XL_ERROR_DOMAIN_NOTFOUND;
    xl_dom_from_info(d, &info);
    return 0;
}

char *xl_domid_to_name(uint32_t domid)
{
    char path[64];
    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    return xl.ops->xs_read(xl.priv, path);
}

int xl_name_to_domid(const char *name, uint32_t *domid)
{
    int n, rc = XL_ERROR_INVAL;
    struct xl_dom *doms = xl_list_domains(&n);
    if (!doms)
        return XL_ERROR_NOMEM;
    for (int i = 0; i < n && rc; i++) {
        char *s = xl_domid_to_name(doms[i].domid);
        if (s && !strcmp(s, name)) {
            *domid = doms[i].domid;
            rc = 0;
        }
        free(s);
    }
    free(doms);
    return rc;
}

int xl_qualifier_to_domid(const char *q, uint32_t *domid)
{
    for (const char *p = q; *p; p++)
        if (!isdigit((unsigned char)*p))
            return xl_name_to_domid(q, domid);
    *domid = (uint32_t)strtoul(q, NULL, 10);
    return 0;
}

uint32_t xl_find_domain(const char *q)
{
    uint32_t domid;
    int rc = xl_qualifier_to_domid(q, &domid);
    if (rc) {
        fprintf(stderr, "%s is an invalid domain identifier (rc=%d)\n", q, rc);
        exit(EXIT_FAILURE);
    }
    return domid;
}

/* ---- the real backend: libxenctrl and libxenstore ---- */

static int real_domain_list(void *priv, uint32_t first, unsigned max,
                            xc_domaininfo_t *out)
{
    (void)priv;
    if (first >= DOMID_FIRST_RESERVED)
        return 0;
    return xc_domain_getinfolist(xl.xch, first, max, out);
}

static char *real_xs_read(void *priv, const char *path)
{
    (void)priv;
    unsigned int len;
    return xs_read(xl.xsh, XBT_NULL, path, &len);
}

static bool real_xs_write(void *priv, const char *path, const char *value)
{
    (void)priv;
    return xs_write(xl.xsh, XBT_NULL, path, value, (unsigned)strlen(value));
}

static const struct xl_ops real_ops = {
    .domain_list = real_domain_list,
    .xs_read = real_xs_read,
    .xs_write = real_xs_write,
};

void xl_use_real_backend(void)
{
    xl.ops = &real_ops;
    xl.priv = NULL;
}
