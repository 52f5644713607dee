#include "xsd_conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xsd_dispatch.h"
#include "xsd_ring.h"
#include "xsd_txn_gate.h"

static struct xsd_conn *conn_of(struct xsd_client *c)
{
    return (struct xsd_conn *)c->transport;
}

static void conn_send(struct xsd_client *client, const struct xsd_sockmsg *hdr,
                      const void *payload)
{
    struct xsd_conn *c = conn_of(client);
    if (c->dead)
        return;
    if (xsd_outq_push(&c->out, hdr, payload) < 0) {
        xsd_conn_kill(c, "out of memory queueing a reply");
        return;
    }
    if (c->out.bytes > XSD_CONN_OUT_MAX)
        xsd_conn_kill(c, "output queue overflow: client is not reading");
    else if (c->sendq && c->kind == XSD_CONN_SOCKET)
        xsd_sendq_add(c->sendq, c);
}

void xsd_sendq_init(struct xsd_sendq *q)
{
    q->head = NULL;
    q->tail = &q->head;
}

void xsd_sendq_add(struct xsd_sendq *q, struct xsd_conn *c)
{
    if (c->send_listed)
        return;
    c->sendq = q;
    c->send_next = NULL;
    *q->tail = c;
    q->tail = &c->send_next;
    c->send_listed = true;
}

struct xsd_conn *xsd_sendq_pop(struct xsd_sendq *q)
{
    struct xsd_conn *c = q->head;
    if (!c)
        return NULL;
    q->head = c->send_next;
    if (!q->head)
        q->tail = &q->head;
    c->send_listed = false;
    return c;
}

static void sendq_remove(struct xsd_sendq *q, struct xsd_conn *c)
{
    for (struct xsd_conn **p = &q->head; *p; p = &(*p)->send_next) {
        if (*p == c) {
            *p = c->send_next;
            if (!*p)
                q->tail = p;
            c->send_listed = false;
            return;
        }
    }
}

static const struct xsd_client_ops conn_ops = { .send = conn_send };

static struct xsd_conn *conn_alloc(struct xsd_daemon *d, unsigned domid)
{
    struct xsd_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = -1;
    c->port = -1;
    xsd_wire_in_reset(&c->in);
    xsd_outq_init(&c->out);
    xsd_client_init(&c->client, d, domid, &conn_ops, c);
    return c;
}

struct xsd_conn *xsd_conn_new_socket(struct xsd_daemon *d, int fd,
                                     bool read_only)
{
    struct xsd_conn *c = conn_alloc(d, 0);
    if (!c)
        return NULL;
    c->kind = XSD_CONN_SOCKET;
    c->fd = fd;
    c->client.read_only = read_only;
    return c;
}

struct xsd_conn *xsd_conn_new_ring(struct xsd_daemon *d, unsigned domid,
                                   struct xsd_backend *b, void *page, int port)
{
    struct xsd_conn *c = conn_alloc(d, domid);
    if (!c)
        return NULL;
    c->kind = XSD_CONN_RING;
    c->backend = b;
    c->intf = page;
    c->port = port;
    /* No reconnection or error-reporting promises: plain rings. */
    c->intf->server_features = 0;
    return c;
}

void xsd_conn_kill(struct xsd_conn *c, const char *why)
{
    if (c->dead)
        return;
    c->dead = true;
    snprintf(c->why, sizeof(c->why), "%s", why);
    /* A ring's page is its domain's: let go of it now, not when the loop
     * reaps the connection, so that a domain being destroyed right after
     * XS_RELEASE is not held alive by our mapping.  Nothing touches the
     * ring of a dead connection. */
    if (c->kind == XSD_CONN_RING && c->intf) {
        c->backend->unmap(c->backend, c->intf);
        c->intf = NULL;
    }
    xsd_trace(c->client.d, "connection of domain %u dropped: %s",
              c->client.who.domid, why);
    if (c->client.d->verbose)
        fprintf(stderr, "xenstored: connection of domain %u dropped: %s\n",
                c->client.who.domid, why);
    xsd_client_release(&c->client);
    xsd_outq_clear(&c->out);
}

void xsd_conn_free(struct xsd_conn *c)
{
    if (!c->dead)
        xsd_conn_kill(c, "shutting down");
    free(c->io);
    free(c->held);
    if (c->send_listed)
        sendq_remove(c->sendq, c);
    if (c->fd >= 0)
        close(c->fd);
    if (c->kind == XSD_CONN_RING) {
        if (c->port >= 0)
            c->backend->unbind(c->backend, c->port);
        if (c->intf)
            c->backend->unmap(c->backend, c->intf);
    }
    free(c);
}

bool xsd_conn_wants_input(const struct xsd_conn *c)
{
    if (c->dead || c->parked)
        return false;
    /* A guest gets no new requests in while its replies pile up. */
    if (!c->client.who.privileged &&
        c->out.count >= c->client.d->quota.outstanding)
        return false;
    return true;
}

/* Serves the complete message framed in c->in. */
static void dispatch_in(struct xsd_conn *c)
{
    struct xsd_sockmsg hdr = c->in.hdr;
    xsd_dispatch(&c->client, &hdr, c->in.payload);
    xsd_wire_in_reset(&c->in);
}

/* Holds the complete START in c->in and keeps what came after it. */
static bool park(struct xsd_conn *c, const char *rest, size_t len)
{
    c->parked = true;
    if (!len)
        return true;
    c->held = malloc(len);
    if (!c->held) {
        xsd_conn_kill(c, "out of memory holding its requests");
        return false;
    }
    memcpy(c->held, rest, len);
    c->held_len = len;
    return true;
}

void xsd_conn_resume(struct xsd_conn *c)
{
    char *rest = c->held;
    size_t len = c->held_len;
    c->held = NULL;
    c->held_len = 0;
    c->parked = false;
    if (!c->dead) {
        dispatch_in(c);
        xsd_txn_gate_resumed(&c->client);
        if (len)
            xsd_conn_feed(c, rest, len);
    }
    free(rest);
}

bool xsd_conn_feed(struct xsd_conn *c, const char *data, size_t len)
{
    while (len && !c->dead) {
        size_t used;
        bool complete;
        if (xsd_wire_in_feed(&c->in, data, len, &used, &complete) < 0) {
            char why[96];
            snprintf(why, sizeof(why),
                     "message length %u over XENSTORE_PAYLOAD_MAX (%u)",
                     c->in.hdr.len, XENSTORE_PAYLOAD_MAX);
            xsd_conn_kill(c, why);
            return false;
        }
        data += used;
        len -= used;
        if (complete && c->kind == XSD_CONN_SOCKET &&
            c->in.hdr.type == XS_TRANSACTION_START &&
            xsd_txn_gate_hold(&c->client))
            return park(c, data, len);
        if (complete)
            dispatch_in(c);
    }
    return !c->dead;
}

void xsd_conn_socket_input(struct xsd_conn *c)
{
    static char buf[XSD_CONN_READ_BUDGET];
    if (!xsd_conn_wants_input(c))
        return;
    ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) {
        xsd_conn_kill(c, "closed by client");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            xsd_conn_kill(c, strerror(errno));
        return;
    }
    xsd_conn_feed(c, buf, (size_t)n);
}

size_t xsd_conn_out_iov(const struct xsd_conn *c, struct iovec *iov,
                        size_t max)
{
    return c->dead ? 0 : xsd_outq_iov(&c->out, iov, max);
}

bool xsd_conn_sent(struct xsd_conn *c, long result)
{
    if (result < 0) {
        if (result != -EAGAIN && result != -EINTR)
            xsd_conn_kill(c, strerror((int)-result));
        return !c->dead;
    }
    xsd_outq_consume(&c->out, (size_t)result);
    return true;
}

void xsd_conn_socket_flush(struct xsd_conn *c)
{
    struct iovec iov[XSD_CONN_SEND_PIECES];
    size_t n;
    while ((n = xsd_conn_out_iov(c, iov, XSD_CONN_SEND_PIECES)) > 0) {
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n };
        ssize_t sent = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (!xsd_conn_sent(c, sent < 0 ? -errno : sent) || sent <= 0)
            return;
    }
}

static bool ring_flush(struct xsd_conn *c)
{
    bool moved = false;
    while (!c->dead) {
        size_t len;
        const char *data = xsd_outq_peek(&c->out, &len);
        if (!data)
            break;
        long n = xsd_ring_write(c->intf, data, len);
        if (n < 0) {
            xsd_conn_kill(c, "response ring indexes corrupted by guest");
            break;
        }
        if (n == 0)
            break;
        moved = true;
        xsd_outq_consume(&c->out, (size_t)n);
    }
    return moved;
}

void xsd_conn_ring_service(struct xsd_conn *c)
{
    char buf[XENSTORE_RING_SIZE];
    /* A few rounds: replies free ring space the guest may refill, but one
     * busy guest must not hold the loop. */
    for (int round = 0; round < 8 && !c->dead; round++) {
        bool progress = ring_flush(c);
        long n = 0;
        if (xsd_conn_wants_input(c)) {
            n = xsd_ring_read(c->intf, buf, sizeof(buf));
            if (n < 0) {
                xsd_conn_kill(c, "request ring indexes corrupted by guest");
                break;
            }
        }
        if (progress || n > 0)
            c->backend->notify(c->backend, c->port);
        if (n > 0)
            xsd_conn_feed(c, buf, (size_t)n);
        if (!progress && n == 0)
            break;
    }
    if (!c->dead && ring_flush(c))
        c->backend->notify(c->backend, c->port);
}
