#include "xs_daemon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xs_txn.h"
#include "xs_txn_gate.h"
#include "xs_watch.h"

int xs_daemon_init(struct xs_daemon *d)
{
    memset(d, 0, sizeof(*d));
    xs_quota_defaults(&d->quota);
    if (xs_perms_single(&d->intro_perms, 0, XS_PERM_NONE) < 0 ||
        xs_perms_single(&d->release_perms, 0, XS_PERM_NONE) < 0) {
        xs_perms_free(&d->intro_perms);
        return -ENOMEM;
    }
    int rc = xs_store_init(&d->store);
    if (rc < 0) {
        xs_perms_free(&d->intro_perms);
        xs_perms_free(&d->release_perms);
        return rc;
    }
    return 0;
}

void xs_daemon_destroy(struct xs_daemon *d)
{
    while (d->clients)
        xs_client_release(d->clients);
    while (d->domains) {
        struct xs_domain *dom = d->domains;
        d->domains = dom->next;
        free(dom);
    }
    xs_store_destroy(&d->store);
    xs_perms_free(&d->intro_perms);
    xs_perms_free(&d->release_perms);
}

void xs_client_init(struct xs_client *c, struct xs_daemon *d,
                    unsigned domid, const struct xs_client_ops *ops,
                    void *transport)
{
    memset(c, 0, sizeof(*c));
    c->who.domid = domid;
    c->who.privileged = domid == 0;
    c->d = d;
    c->ops = ops;
    c->transport = transport;
    struct xs_domain *dom = xs_domain_find(d, domid);
    if (dom && dom->has_target) {
        c->who.has_target = true;
        c->who.target = dom->target;
    }
    c->next = d->clients;
    if (d->clients)
        d->clients->prev = c;
    d->clients = c;
}

void xs_client_release(struct xs_client *c)
{
    if (c->released)
        return;
    c->released = true;
    xs_txn_gate_forget(c);
    xs_txn_abort_all(c);
    xs_watch_remove_all(c);
    if (c->prev)
        c->prev->next = c->next;
    else if (c->d->clients == c)
        c->d->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next = c->prev = NULL;
    for (struct xs_domain *dom = c->d->domains; dom; dom = dom->next)
        if (dom->client == c)
            dom->client = NULL;
}

struct xs_perms *xs_special_perms(struct xs_daemon *d, const char *name)
{
    if (!strcmp(name, "@introduceDomain"))
        return &d->intro_perms;
    if (!strcmp(name, "@releaseDomain"))
        return &d->release_perms;
    return NULL;
}

struct xs_domain *xs_domain_find(struct xs_daemon *d, unsigned domid)
{
    for (struct xs_domain *dom = d->domains; dom; dom = dom->next)
        if (dom->domid == domid)
            return dom;
    return NULL;
}

bool xs_domain_is_introduced(struct xs_daemon *d, unsigned domid)
{
    return domid == 0 || xs_domain_find(d, domid) != NULL;
}

void xs_trace(struct xs_daemon *d, const char *fmt, ...)
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
