#include "xs_conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xs_dispatch.h"
#include "xs_ring.h"
#include "xs_txn_gate.h"

static struct xs_conn *conn_of(struct xs_client *c)
{
    return (struct xs_conn *)c->transport;
}

static void conn_send(struct xs_client *client, const struct xsd_sockmsg *hdr,
                      const void *payload)
{
    struct xs_conn *c = conn_of(client);
    if (c->dead)
        return;
    if (xs_outq_push(&c->out, hdr, payload) < 0) {
        xs_conn_kill(c, "out of memory queueing a reply");
        return;
    }
    if (c->out.bytes > XS_CONN_OUT_MAX)
        xs_conn_kill(c, "output queue overflow: client is not reading");
    else if (c->sendq && c->kind == XS_CONN_SOCKET)
        xs_sendq_add(c->sendq, c);
}

void xs_sendq_init(struct xs_sendq *q)
{
    q->head = NULL;
    q->tail = &q->head;
}

void xs_sendq_add(struct xs_sendq *q, struct xs_conn *c)
{
    if (c->send_listed)
        return;
    c->sendq = q;
    c->send_next = NULL;
    *q->tail = c;
    q->tail = &c->send_next;
    c->send_listed = true;
}

struct xs_conn *xs_sendq_pop(struct xs_sendq *q)
{
    struct xs_conn *c = q->head;
    if (!c)
        return NULL;
    q->head = c->send_next;
    if (!q->head)
        q->tail = &q->head;
    c->send_listed = false;
    return c;
}

static void sendq_remove(struct xs_sendq *q, struct xs_conn *c)
{
    for (struct xs_conn **p = &q->head; *p; p = &(*p)->send_next) {
        if (*p == c) {
            *p = c->send_next;
            if (!*p)
                q->tail = p;
            c->send_listed = false;
            return;
        }
    }
}

static const struct xs_client_ops conn_ops = { .send = conn_send };

static struct xs_conn *conn_alloc(struct xs_daemon *d, unsigned domid)
{
    struct xs_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = -1;
    c->port = -1;
    xs_wire_in_reset(&c->in);
    xs_outq_init(&c->out);
    xs_client_init(&c->client, d, domid, &conn_ops, c);
    return c;
}

struct xs_conn *xs_conn_new_socket(struct xs_daemon *d, int fd,
                                   bool read_only)
{
    struct xs_conn *c = conn_alloc(d, 0);
    if (!c)
        return NULL;
    c->kind = XS_CONN_SOCKET;
    c->fd = fd;
    c->client.read_only = read_only;
    return c;
}

struct xs_conn *xs_conn_new_ring(struct xs_daemon *d, unsigned domid,
                                 struct xs_backend *b, void *page, int port)
{
    struct xs_conn *c = conn_alloc(d, domid);
    if (!c)
        return NULL;
    c->kind = XS_CONN_RING;
    c->backend = b;
    c->intf = page;
    c->port = port;
    /* No reconnection or error-reporting promises: plain rings. */
    c->intf->server_features = 0;
    return c;
}

void xs_conn_kill(struct xs_conn *c, const char *why)
{
    if (c->dead)
        return;
    c->dead = true;
    snprintf(c->why, sizeof(c->why), "%s", why);
    xs_trace(c->client.d, "connection of domain %u dropped: %s",
             c->client.who.domid, why);
    if (c->client.d->verbose)
        fprintf(stderr, "xenstored: connection of domain %u dropped: %s\n",
                c->client.who.domid, why);
    xs_client_release(&c->client);
    xs_outq_clear(&c->out);
}

void xs_conn_free(struct xs_conn *c)
{
    if (!c->dead)
        xs_conn_kill(c, "shutting down");
    free(c->io);
    free(c->held);
    if (c->send_listed)
        sendq_remove(c->sendq, c);
    if (c->fd >= 0)
        close(c->fd);
    if (c->kind == XS_CONN_RING) {
        if (c->port >= 0)
            c->backend->unbind(c->backend, c->port);
        if (c->intf)
            c->backend->unmap(c->backend, c->intf);
    }
    free(c);
}

bool xs_conn_wants_input(const struct xs_conn *c)
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
static void dispatch_in(struct xs_conn *c)
{
    struct xsd_sockmsg hdr = c->in.hdr;
    xs_dispatch(&c->client, &hdr, c->in.payload);
    xs_wire_in_reset(&c->in);
}

/* Holds the complete START in c->in and keeps what came after it. */
static bool park(struct xs_conn *c, const char *rest, size_t len)
{
    c->parked = true;
    if (!len)
        return true;
    c->held = malloc(len);
    if (!c->held) {
        xs_conn_kill(c, "out of memory holding its requests");
        return false;
    }
    memcpy(c->held, rest, len);
    c->held_len = len;
    return true;
}

void xs_conn_resume(struct xs_conn *c)
{
    char *rest = c->held;
    size_t len = c->held_len;
    c->held = NULL;
    c->held_len = 0;
    c->parked = false;
    if (!c->dead) {
        dispatch_in(c);
        xs_txn_gate_resumed(&c->client);
        if (len)
            xs_conn_feed(c, rest, len);
    }
    free(rest);
}

bool xs_conn_feed(struct xs_conn *c, const char *data, size_t len)
{
    while (len && !c->dead) {
        size_t used;
        bool complete;
        if (xs_wire_in_feed(&c->in, data, len, &used, &complete) < 0) {
            char why[96];
            snprintf(why, sizeof(why),
                     "message length %u over XENSTORE_PAYLOAD_MAX (%u)",
                     c->in.hdr.len, XENSTORE_PAYLOAD_MAX);
            xs_conn_kill(c, why);
            return false;
        }
        data += used;
        len -= used;
        if (complete && c->kind == XS_CONN_SOCKET &&
            c->in.hdr.type == XS_TRANSACTION_START &&
            xs_txn_gate_hold(&c->client))
            return park(c, data, len);
        if (complete)
            dispatch_in(c);
    }
    return !c->dead;
}

void xs_conn_socket_input(struct xs_conn *c)
{
    static char buf[XS_CONN_READ_BUDGET];
    if (!xs_conn_wants_input(c))
        return;
    ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) {
        xs_conn_kill(c, "closed by client");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            xs_conn_kill(c, strerror(errno));
        return;
    }
    xs_conn_feed(c, buf, (size_t)n);
}

size_t xs_conn_out_iov(const struct xs_conn *c, struct iovec *iov,
                       size_t max)
{
    return c->dead ? 0 : xs_outq_iov(&c->out, iov, max);
}

bool xs_conn_sent(struct xs_conn *c, long result)
{
    if (result < 0) {
        if (result != -EAGAIN && result != -EINTR)
            xs_conn_kill(c, strerror((int)-result));
        return !c->dead;
    }
    xs_outq_consume(&c->out, (size_t)result);
    return true;
}

void xs_conn_socket_flush(struct xs_conn *c)
{
    struct iovec iov[XS_CONN_SEND_PIECES];
    size_t n;
    while ((n = xs_conn_out_iov(c, iov, XS_CONN_SEND_PIECES)) > 0) {
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n };
        ssize_t sent = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (!xs_conn_sent(c, sent < 0 ? -errno : sent) || sent <= 0)
            return;
    }
}

static bool ring_flush(struct xs_conn *c)
{
    bool moved = false;
    while (!c->dead) {
        size_t len;
        const char *data = xs_outq_peek(&c->out, &len);
        if (!data)
            break;
        long n = xs_ring_write(c->intf, data, len);
        if (n < 0) {
            xs_conn_kill(c, "response ring indexes corrupted by guest");
            break;
        }
        if (n == 0)
            break;
        moved = true;
        xs_outq_consume(&c->out, (size_t)n);
    }
    return moved;
}

void xs_conn_ring_service(struct xs_conn *c)
{
    char buf[XENSTORE_RING_SIZE];
    /* A few rounds: replies free ring space the guest may refill, but one
     * busy guest must not hold the loop. */
    for (int round = 0; round < 8 && !c->dead; round++) {
        bool progress = ring_flush(c);
        long n = 0;
        if (xs_conn_wants_input(c)) {
            n = xs_ring_read(c->intf, buf, sizeof(buf));
            if (n < 0) {
                xs_conn_kill(c, "request ring indexes corrupted by guest");
                break;
            }
        }
        if (progress || n > 0)
            c->backend->notify(c->backend, c->port);
        if (n > 0)
            xs_conn_feed(c, buf, (size_t)n);
        if (!progress && n == 0)
            break;
    }
    if (!c->dead && ring_flush(c))
        c->backend->notify(c->backend, c->port);
}
