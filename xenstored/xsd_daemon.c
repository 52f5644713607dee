#include "xsd_daemon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xsd_txn.h"
#include "xsd_txn_gate.h"
#include "xsd_watch.h"

int xsd_daemon_init(struct xsd_daemon *d)
{
    memset(d, 0, sizeof(*d));
    xsd_quota_defaults(&d->quota);
    if (xsd_perms_single(&d->intro_perms, 0, XSD_PERM_NONE) < 0 ||
        xsd_perms_single(&d->release_perms, 0, XSD_PERM_NONE) < 0) {
        xsd_perms_free(&d->intro_perms);
        return -ENOMEM;
    }
    int rc = xsd_store_init(&d->store);
    if (rc < 0) {
        xsd_perms_free(&d->intro_perms);
        xsd_perms_free(&d->release_perms);
        return rc;
    }
    return 0;
}

void xsd_daemon_destroy(struct xsd_daemon *d)
{
    while (d->clients)
        xsd_client_release(d->clients);
    while (d->domains) {
        struct xsd_domain *dom = d->domains;
        d->domains = dom->next;
        free(dom);
    }
    xsd_store_destroy(&d->store);
    xsd_undo_free(&d->undo);
    xsd_perms_free(&d->intro_perms);
    xsd_perms_free(&d->release_perms);
}

void xsd_client_init(struct xsd_client *c, struct xsd_daemon *d,
                     unsigned domid, const struct xsd_client_ops *ops,
                     void *transport)
{
    memset(c, 0, sizeof(*c));
    c->who.domid = domid;
    c->who.privileged = domid == 0;
    c->d = d;
    c->ops = ops;
    c->transport = transport;
    struct xsd_domain *dom = xsd_domain_find(d, domid);
    if (dom && dom->has_target) {
        c->who.has_target = true;
        c->who.target = dom->target;
    }
    c->next = d->clients;
    if (d->clients)
        d->clients->prev = c;
    d->clients = c;
}

void xsd_client_release(struct xsd_client *c)
{
    if (c->released)
        return;
    c->released = true;
    xsd_txn_gate_forget(c);
    xsd_txn_abort_all(c);
    xsd_watch_remove_all(c);
    if (c->prev)
        c->prev->next = c->next;
    else if (c->d->clients == c)
        c->d->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next = c->prev = NULL;
    for (struct xsd_domain *dom = c->d->domains; dom; dom = dom->next)
        if (dom->client == c)
            dom->client = NULL;
}

struct xsd_perms *xsd_special_perms(struct xsd_daemon *d, const char *name)
{
    if (!strcmp(name, "@introduceDomain"))
        return &d->intro_perms;
    if (!strcmp(name, "@releaseDomain"))
        return &d->release_perms;
    return NULL;
}

struct xsd_domain *xsd_domain_find(struct xsd_daemon *d, unsigned domid)
{
    for (struct xsd_domain *dom = d->domains; dom; dom = dom->next)
        if (dom->domid == domid)
            return dom;
    return NULL;
}

bool xsd_domain_is_introduced(struct xsd_daemon *d, unsigned domid)
{
    return domid == 0 || xsd_domain_find(d, domid) != NULL;
}

void xsd_trace(struct xsd_daemon *d, const char *fmt, ...)
{
    if (!d->trace || !d->trace_on)
        return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S",
             gmtime_r(&now, &tm));
    fprintf(d->trace, "%s ", stamp);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->trace, fmt, ap);
    va_end(ap);
    fputc('\n', d->trace);
    fflush(d->trace);
}
