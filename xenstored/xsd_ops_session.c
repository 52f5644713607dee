/* Handlers for a client's own state: watches and transactions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_ops.h"
#include "xsd_watch.h"

/* WATCH and UNWATCH carry a reserved third string, ignored as in Xen. */
int xsd_op_watch(struct xsd_request *r)
{
    if (r->argc < 2)
        return -EINVAL;
    char *path;
    int rc = xsd_request_path(r, r->argv[0], true, &path);
    if (rc < 0)
        return rc;
    rc = xsd_watch_add(r->c, r->argv[0], path, r->argv[1]);
    free(path);
    if (rc < 0)
        return rc;
    /* The initial event tells the client the watch is live, so that it
     * can (re)read the state it watches without a race. */
    r->after_event_path = r->argv[0];
    r->after_event_token = r->argv[1];
    return xsd_reply_ok(r);
}

int xsd_op_unwatch(struct xsd_request *r)
{
    if (r->argc < 2)
        return -EINVAL;
    char *path;
    int rc = xsd_request_path(r, r->argv[0], true, &path);
    if (rc < 0)
        return rc;
    rc = xsd_watch_remove(r->c, path, r->argv[1]);
    free(path);
    return rc < 0 ? rc : xsd_reply_ok(r);
}

int xsd_op_reset_watches(struct xsd_request *r)
{
    xsd_watch_remove_all(r->c);
    xsd_txn_abort_all(r->c);
    return xsd_reply_ok(r);
}

int xsd_op_transaction_start(struct xsd_request *r)
{
    if (r->hdr->tx_id != 0)
        return -EBUSY;    /* transactions do not nest */
    uint32_t id;
    int rc = xsd_txn_start(r->c, &id);
    if (rc < 0)
        return rc;
    rc = xsd_buf_printf(&r->reply, "%u", id);
    return rc < 0 ? rc : xsd_buf_add(&r->reply, "", 1);
}

int xsd_op_transaction_end(struct xsd_request *r)
{
    if (!r->ctx.txn)
        return -ENOENT;
    if (r->argc != 1)
        return -EINVAL;
    bool commit;
    if (!strcmp(r->argv[0], "T"))
        commit = true;
    else if (!strcmp(r->argv[0], "F"))
        commit = false;
    else
        return -EINVAL;
    int rc = xsd_txn_end(r->c, r->ctx.txn, commit);
    r->ctx.txn = NULL;
    return rc < 0 ? rc : xsd_reply_ok(r);
}
