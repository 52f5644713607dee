/* Handlers for domains: introduction, release, targets, paths. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_ops.h"
#include "xsd_path.h"
#include "xsd_watch.h"

static int one_domid(struct xsd_request *r, unsigned *domid)
{
    if (r->argc != 1)
        return -EINVAL;
    return xsd_parse_domid(r->argv[0], domid);
}

/* The frame number travels as signed decimal (a historical quirk that
 * xenstore.txt documents); it only matters to the foreign-mapping path. */
static int parse_mfn(const char *s, unsigned long *mfn)
{
    bool negative = s[0] == '-';
    int rc = xsd_parse_ulong(s + negative, ~0UL, mfn);
    if (rc == 0 && negative)
        *mfn = -*mfn;
    return rc;
}

int xsd_op_introduce(struct xsd_request *r)
{
    /* A fourth, reserved string may follow. */
    if (r->argc < 3)
        return -EINVAL;
    unsigned domid, port;
    unsigned long mfn, port_ul;
    if (xsd_parse_domid(r->argv[0], &domid) < 0 || domid == 0 ||
        parse_mfn(r->argv[1], &mfn) < 0 ||
        xsd_parse_ulong(r->argv[2], 0xffffffffUL, &port_ul) < 0)
        return -EINVAL;
    port = (unsigned)port_ul;
    struct xsd_domain *dom = xsd_domain_find(r->d, domid);
    if (dom) {
        /* Re-introducing with the same page rebinds the event channel
         * (a guest that reconnects); a different page is a mistake. */
        if (dom->mfn != mfn)
            return -EEXIST;
        if (r->d->domain_ops.disconnect)
            r->d->domain_ops.disconnect(r->d, dom, r->d->domain_ops.arg);
        dom->port = port;
        int rc = r->d->domain_ops.connect
                     ? r->d->domain_ops.connect(r->d, dom,
                                                r->d->domain_ops.arg)
                     : 0;
        if (rc < 0)
            return rc;
        return xsd_reply_ok(r);
    }
    dom = calloc(1, sizeof(*dom));
    if (!dom)
        return -ENOMEM;
    dom->domid = domid;
    dom->mfn = mfn;
    dom->port = port;
    int rc = r->d->domain_ops.connect
                 ? r->d->domain_ops.connect(r->d, dom, r->d->domain_ops.arg)
                 : 0;
    if (rc < 0) {
        xsd_trace(r->d, "introduce of domain %u failed", domid);
        free(dom);
        return rc;
    }
    dom->next = r->d->domains;
    r->d->domains = dom;
    xsd_watch_fire_special(r->d, "@introduceDomain");
    return xsd_reply_ok(r);
}

int xsd_op_release(struct xsd_request *r)
{
    unsigned domid;
    if (one_domid(r, &domid) < 0 || domid == 0)
        return -EINVAL;
    struct xsd_domain **p = &r->d->domains;
    while (*p && (*p)->domid != domid)
        p = &(*p)->next;
    if (!*p)
        return -ENOENT;
    struct xsd_domain *dom = *p;
    *p = dom->next;
    if (r->d->domain_ops.disconnect)
        r->d->domain_ops.disconnect(r->d, dom, r->d->domain_ops.arg);
    /* Domains that act for this one lose that power with it. */
    for (struct xsd_domain *o = r->d->domains; o; o = o->next) {
        if (o->has_target && o->target == domid) {
            o->has_target = false;
            if (o->client)
                o->client->who.has_target = false;
        }
    }
    free(dom);
    xsd_watch_fire_special(r->d, "@releaseDomain");
    return xsd_reply_ok(r);
}

int xsd_op_get_domain_path(struct xsd_request *r)
{
    unsigned domid;
    if (one_domid(r, &domid) < 0)
        return -EINVAL;
    char path[48];
    xsd_domain_path(domid, path, sizeof(path));
    return xsd_buf_add_str0(&r->reply, path);
}

int xsd_op_is_domain_introduced(struct xsd_request *r)
{
    unsigned domid;
    if (one_domid(r, &domid) < 0)
        return -EINVAL;
    return xsd_buf_add_str0(&r->reply,
                            xsd_domain_is_introduced(r->d, domid) ? "T" : "F");
}

int xsd_op_resume(struct xsd_request *r)
{
    unsigned domid;
    if (one_domid(r, &domid) < 0)
        return -EINVAL;
    struct xsd_domain *dom = xsd_domain_find(r->d, domid);
    if (!dom)
        return -ENOENT;
    dom->shutdown = false;
    return xsd_reply_ok(r);
}

int xsd_op_set_target(struct xsd_request *r)
{
    if (r->argc != 2)
        return -EINVAL;
    unsigned domid, target;
    if (xsd_parse_domid(r->argv[0], &domid) < 0 ||
        xsd_parse_domid(r->argv[1], &target) < 0)
        return -EINVAL;
    struct xsd_domain *dom = xsd_domain_find(r->d, domid);
    if (!dom || !xsd_domain_is_introduced(r->d, target))
        return -ENOENT;
    dom->has_target = true;
    dom->target = target;
    if (dom->client) {
        dom->client->who.has_target = true;
        dom->client->who.target = target;
    }
    return xsd_reply_ok(r);
}
