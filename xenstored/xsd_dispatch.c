/* xs_wire.h's error table, through xsd_dispatch.h, needs errno.h first. */
#include <errno.h>

#include "xsd_dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "xsd_ops.h"
#include "xsd_path.h"
#include "xsd_watch.h"

#define OP_PRIV    1u  /* dom0 only */
#define OP_WRITES  2u  /* refused on the read-only socket */
#define OP_TXN     4u  /* honours the header's tx_id */

struct op_desc {
    const char *name;
    xsd_handler_fn fn;
    unsigned flags;
};

static const struct op_desc ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { "CONTROL", xsd_op_control, OP_PRIV | OP_WRITES },
    [XS_DIRECTORY] = { "DIRECTORY", xsd_op_directory, OP_TXN },
    [XS_READ] = { "READ", xsd_op_read, OP_TXN },
    [XS_GET_PERMS] = { "GET_PERMS", xsd_op_get_perms, OP_TXN },
    [XS_WATCH] = { "WATCH", xsd_op_watch, 0 },
    [XS_UNWATCH] = { "UNWATCH", xsd_op_unwatch, 0 },
    [XS_TRANSACTION_START] = { "TRANSACTION_START",
                               xsd_op_transaction_start, 0 },
    [XS_TRANSACTION_END] = { "TRANSACTION_END", xsd_op_transaction_end,
                             OP_TXN },
    [XS_INTRODUCE] = { "INTRODUCE", xsd_op_introduce, OP_PRIV | OP_WRITES },
    [XS_RELEASE] = { "RELEASE", xsd_op_release, OP_PRIV | OP_WRITES },
    [XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", xsd_op_get_domain_path, 0 },
    [XS_WRITE] = { "WRITE", xsd_op_write, OP_TXN | OP_WRITES },
    [XS_MKDIR] = { "MKDIR", xsd_op_mkdir, OP_TXN | OP_WRITES },
    [XS_RM] = { "RM", xsd_op_rm, OP_TXN | OP_WRITES },
    [XS_SET_PERMS] = { "SET_PERMS", xsd_op_set_perms, OP_TXN | OP_WRITES },
    [XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
    [XS_ERROR] = { "ERROR", NULL, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
                                  xsd_op_is_domain_introduced, OP_PRIV },
    [XS_RESUME] = { "RESUME", xsd_op_resume, OP_PRIV | OP_WRITES },
    [XS_SET_TARGET] = { "SET_TARGET", xsd_op_set_target, OP_PRIV | OP_WRITES },
    [XS_RESET_WATCHES] = { "RESET_WATCHES", xsd_op_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { "DIRECTORY_PART", xsd_op_directory_part, OP_TXN },
};

const char *xsd_type_name(uint32_t type)
{
    return type < XS_TYPE_COUNT ? ops[type].name : NULL;
}

const char *xsd_error_name(int err)
{
    if (err < 0)
        err = -err;
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "EINVAL";
}

static void send_error(struct xsd_client *c, const struct xsd_sockmsg *req,
                       int err)
{
    const char *name = xsd_error_name(err);
    struct xsd_sockmsg hdr = { XS_ERROR, req->req_id, req->tx_id,
                               (uint32_t)strlen(name) + 1 };
    xsd_trace(c->d, "OUT %u %s %s", c->who.domid, "ERROR", name);
    c->ops->send(c, &hdr, name);
}

static int split_args(struct xsd_request *r)
{
    /* memchr: a WRITE's value is most of the payload and has few NULs. */
    const char *end = r->payload + r->len;
    unsigned count = 0;
    for (const char *p = r->payload; (p = memchr(p, '\0', (size_t)(end - p)));
         p++)
        count++;
    r->argv = calloc(count + 1, sizeof(*r->argv));
    if (!r->argv)
        return -ENOMEM;
    const char *start = r->payload;
    for (const char *p = start; (p = memchr(p, '\0', (size_t)(end - p)));
         start = ++p)
        r->argv[r->argc++] = start;
    return 0;
}

static int check_access(const struct op_desc *op, struct xsd_request *r)
{
    if (!op->fn)
        return -EINVAL;
    if ((op->flags & OP_WRITES) && r->c->read_only)
        return -EROFS;
    if ((op->flags & OP_PRIV) && !r->c->who.privileged)
        return -EACCES;
    if (r->hdr->tx_id && (op->flags & OP_TXN)) {
        r->ctx.txn = xsd_txn_find(r->c, r->hdr->tx_id);
        if (!r->ctx.txn)
            return -ENOENT;
    }
    return 0;
}

void xsd_dispatch(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                  const char *payload)
{
    struct xsd_request r = {
        .d = c->d, .c = c, .hdr = hdr, .payload = payload, .len = hdr->len,
        .ctx = { .d = c->d, .client = c, .txn = NULL, .undo = NULL },
    };
    xsd_buf_init(&r.reply);
    const struct op_desc *op = hdr->type < XS_TYPE_COUNT ? &ops[hdr->type]
                                                         : NULL;
    if (c->d->trace && c->d->trace_on) {
        /* The first string (usually the path) says what was asked; it is
         * untrusted, so only printable characters go into the log. */
        char first[65];
        size_t n = 0;
        for (; n < hdr->len && n < sizeof(first) - 1 && payload[n]; n++)
            first[n] = payload[n] >= 0x20 && payload[n] < 0x7f ? payload[n]
                                                               : '?';
        first[n] = '\0';
        xsd_trace(c->d, "IN  %u %s len=%u tx=%u %s", c->who.domid,
                  op && op->name ? op->name : "(unknown)", hdr->len,
                  hdr->tx_id, first);
    }
    int rc = op ? check_access(op, &r) : -EINVAL;
    if (rc == 0)
        rc = split_args(&r);
    /* A request that may change nodes keeps all its changes or none. */
    if (rc == 0 && (op->flags & OP_WRITES))
        xsd_ctx_begin(&r.ctx, &c->d->undo);
    if (rc == 0)
        rc = op->fn(&r);
    rc = xsd_ctx_finish(&r.ctx, rc);
    if (rc == 0 && r.reply.len > XENSTORE_PAYLOAD_MAX)
        rc = -E2BIG;
    if (rc < 0) {
        send_error(c, hdr, rc);
    } else {
        struct xsd_sockmsg out = { hdr->type, hdr->req_id, hdr->tx_id,
                                   (uint32_t)r.reply.len };
        xsd_trace(c->d, "OUT %u %s len=%u", c->who.domid, op->name, out.len);
        c->ops->send(c, &out, r.reply.data ? r.reply.data : "");
        if (r.after_event_path)
            xsd_watch_send_event(c, r.after_event_path, r.after_event_token);
    }
    free(r.argv);
    xsd_buf_free(&r.reply);
}

int xsd_reply_ok(struct xsd_request *r)
{
    return xsd_buf_add_str0(&r->reply, "OK");
}

int xsd_request_path(struct xsd_request *r, const char *name, bool special,
                     char **out)
{
    size_t max = r->c->who.privileged ? 0 : r->d->quota.path_length;
    return xsd_path_canonical(name, r->c->who.domid, special, max, out);
}

int xsd_parse_domid(const char *s, unsigned *domid)
{
    unsigned long v;
    if (xsd_parse_ulong(s, XSD_DOMID_MAX, &v) < 0)
        return -EINVAL;
    *domid = (unsigned)v;
    return 0;
}
