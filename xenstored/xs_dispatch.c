#include <errno.h>

#include "xs_dispatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"
#include "xs_path.h"
#include "xs_watch.h"

#define OP_PRIV    1u  /* dom0 only */
#define OP_WRITES  2u  /* refused on the read-only socket */
#define OP_TXN     4u  /* honours the header's tx_id */

struct op_desc {
    const char *name;
    xs_handler_fn fn;
    unsigned flags;
};

static const struct op_desc ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { "CONTROL", xs_op_control, OP_PRIV | OP_WRITES },
    [XS_DIRECTORY] = { "DIRECTORY", xs_op_directory, OP_TXN },
    [XS_READ] = { "READ", xs_op_read, OP_TXN },
    [XS_GET_PERMS] = { "GET_PERMS", xs_op_get_perms, OP_TXN },
    [XS_WATCH] = { "WATCH", xs_op_watch, 0 },
    [XS_UNWATCH] = { "UNWATCH", xs_op_unwatch, 0 },
    [XS_TRANSACTION_START] = { "TRANSACTION_START",
                               xs_op_transaction_start, 0 },
    [XS_TRANSACTION_END] = { "TRANSACTION_END", xs_op_transaction_end,
                             OP_TXN },
    [XS_INTRODUCE] = { "INTRODUCE", xs_op_introduce, OP_PRIV | OP_WRITES },
    [XS_RELEASE] = { "RELEASE", xs_op_release, OP_PRIV | OP_WRITES },
    [XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", xs_op_get_domain_path, 0 },
    [XS_WRITE] = { "WRITE", xs_op_write, OP_TXN | OP_WRITES },
    [XS_MKDIR] = { "MKDIR", xs_op_mkdir, OP_TXN | OP_WRITES },
    [XS_RM] = { "RM", xs_op_rm, OP_TXN | OP_WRITES },
    [XS_SET_PERMS] = { "SET_PERMS", xs_op_set_perms, OP_TXN | OP_WRITES },
    [XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
    [XS_ERROR] = { "ERROR", NULL, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
                                  xs_op_is_domain_introduced, OP_PRIV },
    [XS_RESUME] = { "RESUME", xs_op_resume, OP_PRIV | OP_WRITES },
    [XS_SET_TARGET] = { "SET_TARGET", xs_op_set_target, OP_PRIV | OP_WRITES },
    [XS_RESET_WATCHES] = { "RESET_WATCHES", xs_op_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { "DIRECTORY_PART", xs_op_directory_part, OP_TXN },
};

const char *xs_type_name(uint32_t type)
{
    return type < XS_TYPE_COUNT ? ops[type].name : NULL;
}

const char *xs_error_name(int err)
{
    if (err < 0)
        err = -err;
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "EINVAL";
}

static void send_error(struct xs_client *c, const struct xsd_sockmsg *req,
                       int err)
{
    const char *name = xs_error_name(err);
    struct xsd_sockmsg hdr = { XS_ERROR, req->req_id, req->tx_id,
                               (uint32_t)strlen(name) + 1 };
    xs_trace(c->d, "OUT %u %s %s", c->who.domid, "ERROR", name);
    c->ops->send(c, &hdr, name);
}

static int split_args(struct xs_request *r)
{
    unsigned count = 0;
    for (uint32_t i = 0; i < r->len; i++)
        if (r->payload[i] == '\0')
            count++;
    r->argv = calloc(count + 1, sizeof(*r->argv));
    if (!r->argv)
        return -ENOMEM;
    const char *start = r->payload;
    for (uint32_t i = 0; i < r->len; i++) {
        if (r->payload[i] == '\0') {
            r->argv[r->argc++] = start;
            start = r->payload + i + 1;
        }
    }
    return 0;
}

static int check_access(const struct op_desc *op, struct xs_request *r)
{
    if (!op->fn)
        return -EINVAL;
    if ((op->flags & OP_WRITES) && r->c->read_only)
        return -EROFS;
    if ((op->flags & OP_PRIV) && !r->c->who.privileged)
        return -EACCES;
    if (r->hdr->tx_id && (op->flags & OP_TXN)) {
        r->ctx.txn = xs_txn_find(r->c, r->hdr->tx_id);
        if (!r->ctx.txn)
            return -ENOENT;
    }
    return 0;
}

void xs_dispatch(struct xs_client *c, const struct xsd_sockmsg *hdr,
                 const char *payload)
{
    struct xs_request r = {
        .d = c->d, .c = c, .hdr = hdr, .payload = payload, .len = hdr->len,
        .ctx = { .d = c->d, .client = c, .txn = NULL },
    };
    xs_buf_init(&r.reply);
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
        xs_trace(c->d, "IN  %u %s len=%u tx=%u %s", c->who.domid,
                 op && op->name ? op->name : "(unknown)", hdr->len,
                 hdr->tx_id, first);
    }
    int rc = op ? check_access(op, &r) : -EINVAL;
    if (rc == 0)
        rc = split_args(&r);
    if (rc == 0)
        rc = op->fn(&r);
    if (rc == 0 && r.reply.len > XENSTORE_PAYLOAD_MAX)
        rc = -E2BIG;
    if (rc < 0) {
        send_error(c, hdr, rc);
    } else {
        struct xsd_sockmsg out = { hdr->type, hdr->req_id, hdr->tx_id,
                                   (uint32_t)r.reply.len };
        xs_trace(c->d, "OUT %u %s len=%u", c->who.domid, op->name, out.len);
        c->ops->send(c, &out, r.reply.data ? r.reply.data : "");
        if (r.after_event_path)
            xs_watch_send_event(c, r.after_event_path, r.after_event_token);
    }
    free(r.argv);
    xs_buf_free(&r.reply);
}

int xs_reply_ok(struct xs_request *r)
{
    return xs_buf_add_str0(&r->reply, "OK");
}

int xs_request_path(struct xs_request *r, const char *name, bool special,
                    char **out)
{
    size_t max = r->c->who.privileged ? 0 : r->d->quota.path_length;
    return xs_path_canonical(name, r->c->who.domid, special, max, out);
}

int xs_parse_domid(const char *s, unsigned *domid)
{
    unsigned long v;
    if (xs_parse_ulong(s, XS_DOMID_MAX, &v) < 0)
        return -EINVAL;
    *domid = (unsigned)v;
    return 0;
}
