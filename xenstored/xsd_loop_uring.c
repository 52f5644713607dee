/* The io_uring loop.
 *
 * Every pass ends in one io_uring_enter that both submits the replies
 * produced since the last pass and waits for the next event.  A socket
 * connection always has a receive armed into its own buffer, so a request
 * arrives already read: serving it costs that one system call, where the
 * poll loop pays a poll, a recv and a send.  In a PV dom0 every system
 * call crosses the hypervisor twice, so the count is what the latency is
 * made of.
 *
 * Sends carry MSG_DONTWAIT: the kernel then completes them during the
 * submission (bytes sent, or -EAGAIN when the client's socket is full, in
 * which case a POLLOUT wait is armed and the rest goes when it fires).
 * The wait therefore asks for one completion more than the sends it
 * submitted: those sends' completions are already there when the kernel
 * starts to wait, and the one more is a real event.  Listening sockets,
 * domain event channels and the periodic timer are one-shot operations
 * re-armed when they complete. */
#define _GNU_SOURCE
#include "xsd_loop.h"
#include "xsd_txn_gate.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Bytes one receive may bring: a whole request with its header. */
#define RECV_BUF (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define QUEUE_DEPTH 256

/* What a completion is about: the tag sits in the low bits of user_data,
 * above it the connection (calloc'd, so aligned) when there is one. */
enum op_tag {
    OP_RECV = 1,       /* connection's receive */
    OP_SEND,           /* connection's send */
    OP_WAIT_OUT,       /* connection's socket writable again */
    OP_RING,           /* ring connection's event channel readable */
    OP_LISTEN_RW,      /* read-write listening socket readable */
    OP_LISTEN_RO,      /* read-only listening socket readable */
    OP_TIMER,          /* the periodic look at the rings */
    OP_GATE_TICK,      /* the transaction gate's tick */
    OP_CANCEL,         /* a cancellation's own completion */
};
#define TAG_MASK 15u

/* A socket connection's buffers: what its armed receive fills, and the
 * message its send describes, which must stay put until the send is
 * complete. */
struct xsd_uring_io {
    struct msghdr msg;
    struct iovec iov[XSD_CONN_SEND_PIECES];
    char rbuf[RECV_BUF];
};

struct uring_loop {
    struct xsd_server *s;
    struct io_uring ring;
    bool listen_armed[2];   /* read-write, read-only socket */
    bool timer_armed;
    bool gate_tick_armed;
    bool ring_fired;
    unsigned sends;    /* sends submitted whose completion is still due */
    bool more_output;  /* a send could not carry all that is queued */
};

static uint64_t op_data(struct xsd_conn *c, enum op_tag tag)
{
    return (uint64_t)(uintptr_t)c | tag;
}

/* An SQE, submitting what is queued when the ring is full. */
static struct io_uring_sqe *get_sqe(struct uring_loop *l)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&l->ring);
    if (!sqe) {
        io_uring_submit(&l->ring);
        sqe = io_uring_get_sqe(&l->ring);
    }
    return sqe;
}

static bool arm_poll(struct uring_loop *l, int fd, unsigned events,
                     uint64_t data)
{
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe)
        return false;
    io_uring_prep_poll_add(sqe, fd, events);
    io_uring_sqe_set_data64(sqe, data);
    return true;
}

static void arm_listeners(struct uring_loop *l)
{
    struct xsd_server *s = l->s;
    if (s->accept_paused)
        return;
    if (!l->listen_armed[0])
        l->listen_armed[0] = arm_poll(l, s->listen_rw, POLLIN, OP_LISTEN_RW);
    if (!l->listen_armed[1])
        l->listen_armed[1] = arm_poll(l, s->listen_ro, POLLIN, OP_LISTEN_RO);
}

/* A one-shot timeout, unless one is already armed (*armed). */
static void arm_timeout(struct uring_loop *l, struct __kernel_timespec *after,
                        enum op_tag tag, bool *armed)
{
    if (*armed)
        return;
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe)
        return;
    io_uring_prep_timeout(sqe, after, 0, 0);
    io_uring_sqe_set_data64(sqe, tag);
    *armed = true;
}

static void arm_timer(struct uring_loop *l)
{
    /* Ring output waiting for space needs the guest to consume and
     * notify; a periodic look also covers guests that forget to.  A pause
     * in accepting (out of descriptors) lasts until the next look. */
    static struct __kernel_timespec second = { .tv_sec = 1 };
    arm_timeout(l, &second, OP_TIMER, &l->timer_armed);
}

/* While a transaction start waits, the gate needs its tick. */
static void arm_gate_tick(struct uring_loop *l)
{
    static struct __kernel_timespec tick = {
        .tv_nsec = XSD_TXN_GATE_TICK_MS * 1000000L,
    };
    if (xsd_txn_gate_waiting(l->s->d))
        arm_timeout(l, &tick, OP_GATE_TICK, &l->gate_tick_armed);
}

static void cancel_op(struct uring_loop *l, struct xsd_conn *c,
                      enum op_tag tag)
{
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe)
        return;
    io_uring_prep_cancel64(sqe, op_data(c, tag), 0);
    io_uring_sqe_set_data64(sqe, OP_CANCEL);
}

static struct xsd_uring_io *conn_io(struct xsd_conn *c)
{
    if (!c->io && !(c->io = malloc(sizeof(*c->io))))
        xsd_conn_kill(c, "out of memory for its buffers");
    return c->io;
}

/* A live connection gets its receive (socket) or event-channel poll
 * (ring) armed; a dead one has what it armed cancelled, so that it can be
 * freed once their completions are in. */
static void arm_conn(struct uring_loop *l, struct xsd_conn *c)
{
    if (c->dead) {
        if (!c->inflight || c->cancelled)
            return;
        if (c->recv_armed)
            cancel_op(l, c, OP_RECV);
        if (c->wait_out_armed)
            cancel_op(l, c, OP_WAIT_OUT);
        if (c->ring_armed)
            cancel_op(l, c, OP_RING);
        c->cancelled = true;
        return;
    }
    if (c->kind == XSD_CONN_RING) {
        if (c->ring_armed || c->port_gone)
            return;
        int fd = c->backend->poll_fd(c->backend, c->port);
        if (fd >= 0 && arm_poll(l, fd, POLLIN, op_data(c, OP_RING))) {
            c->ring_armed = true;
            c->inflight++;
        }
        return;
    }
    if (c->recv_armed || !xsd_conn_wants_input(c) || !conn_io(c))
        return;
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe)
        return;
    io_uring_prep_recv(sqe, c->fd, c->io->rbuf, RECV_BUF, 0);
    io_uring_sqe_set_data64(sqe, op_data(c, OP_RECV));
    c->recv_armed = true;
    c->inflight++;
}

/* Queues one send of everything the connection has waiting. */
static void queue_send(struct uring_loop *l, struct xsd_conn *c,
                       struct xsd_sendq *retry)
{
    /* One in flight or a wait for room lists it again when it ends. */
    if (c->dead || c->send_armed || c->wait_out_armed || !c->out.head ||
        !conn_io(c))
        return;
    size_t n = xsd_conn_out_iov(c, c->io->iov, XSD_CONN_SEND_PIECES);
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe) {
        xsd_sendq_add(retry, c);
        l->more_output = true;
        return;
    }
    c->io->msg = (struct msghdr){ .msg_iov = c->io->iov, .msg_iovlen = n };
    io_uring_prep_sendmsg(sqe, c->fd, &c->io->msg,
                          MSG_DONTWAIT | MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, op_data(c, OP_SEND));
    if (c->out.count > n)
        l->more_output = true;
    c->send_armed = true;
    c->inflight++;
    l->sends++;
}


static void on_recv(struct xsd_conn *c, int res)
{
    c->recv_armed = false;
    if (c->dead)
        return;
    if (res == 0) {
        xsd_conn_kill(c, "closed by client");
    } else if (res < 0) {
        if (res != -EAGAIN && res != -EINTR && res != -ECANCELED)
            xsd_conn_kill(c, strerror(-res));
    } else {
        xsd_conn_feed(c, c->io->rbuf, (size_t)res);
    }
}

static void on_send(struct uring_loop *l, struct xsd_conn *c, int res)
{
    l->sends--;
    c->send_armed = false;
    if (c->dead)
        return;
    size_t offered = 0;
    for (size_t i = 0; i < c->io->msg.msg_iovlen; i++)
        offered += c->io->iov[i].iov_len;
    if (!xsd_conn_sent(c, res))
        return;
    /* A send that carried less than it offered met a full socket: wait
     * until the client reads.  (One that carried all of it but left
     * messages beyond its pieces goes on in the next pass.) */
    if (c->out.head && (res < 0 || (size_t)res < offered)) {
        xsd_trace(c->client.d, "socket of a client is full: %zu bytes wait",
                  c->out.bytes);
        if (arm_poll(l, c->fd, POLLOUT, op_data(c, OP_WAIT_OUT))) {
            c->wait_out_armed = true;
            c->inflight++;
        }
    } else if (c->out.head) {
        xsd_sendq_add(&l->s->sendq, c);
    }
}

static void on_completion(struct uring_loop *l, uint64_t data, int res)
{
    struct xsd_server *s = l->s;
    enum op_tag tag = (enum op_tag)(data & TAG_MASK);
    struct xsd_conn *c =
        (struct xsd_conn *)(uintptr_t)(data & ~(uint64_t)TAG_MASK);

    switch (tag) {
    case OP_RECV:
        c->inflight--;
        on_recv(c, res);
        break;
    case OP_SEND:
        c->inflight--;
        on_send(l, c, res);
        break;
    case OP_WAIT_OUT:
        c->inflight--;
        c->wait_out_armed = false;
        if (!c->dead && c->out.head)
            xsd_sendq_add(&s->sendq, c);
        break;
    case OP_RING:
        c->inflight--;
        c->ring_armed = false;
        if (c->dead || res == -ECANCELED)
            break;
        if (res < 0 || c->backend->drain(c->backend, c->port) < 0)
            c->port_gone = true;
        l->ring_fired = true;
        break;
    case OP_LISTEN_RW:
    case OP_LISTEN_RO:
        if (res > 0)
            xsd_server_accept(s, tag == OP_LISTEN_RW ? s->listen_rw
                                                     : s->listen_ro,
                              tag == OP_LISTEN_RO);
        l->listen_armed[tag == OP_LISTEN_RO] = false;
        break;
    case OP_TIMER:
        l->timer_armed = false;
        l->ring_fired = true;
        s->accept_paused = 0;
        break;
    case OP_GATE_TICK:
        l->gate_tick_armed = false;
        xsd_txn_gate_tick(s->d);
        break;
    case OP_CANCEL:
        break;
    }
}

/* Reads every completion there is. */
static void drain_completions(struct uring_loop *l)
{
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&l->ring, head, cqe) {
        on_completion(l, cqe->user_data, cqe->res);
        seen++;
    }
    io_uring_cq_advance(&l->ring, seen);
}

static int setup(struct uring_loop *l)
{
    /* Only this thread submits, and completions are wanted only when it
     * waits: the kernel then runs their work at that moment instead of
     * interrupting the daemon for it.  Older kernels refuse the flags. */
    struct io_uring_params p = {
        .flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    };
    int rc = io_uring_queue_init_params(QUEUE_DEPTH, &l->ring, &p);
    if (rc == -EINVAL) {
        memset(&p, 0, sizeof(p));
        rc = io_uring_queue_init_params(QUEUE_DEPTH, &l->ring, &p);
    }
    if (rc < 0)
        return rc;
    /* A probe that the kernel knows what the loop submits. */
    struct io_uring_probe *probe = io_uring_get_probe_ring(&l->ring);
    bool ok = probe && io_uring_opcode_supported(probe, IORING_OP_RECV) &&
              io_uring_opcode_supported(probe, IORING_OP_SENDMSG) &&
              io_uring_opcode_supported(probe, IORING_OP_POLL_ADD) &&
              io_uring_opcode_supported(probe, IORING_OP_TIMEOUT) &&
              io_uring_opcode_supported(probe, IORING_OP_ASYNC_CANCEL);
    io_uring_free_probe(probe);
    if (!ok) {
        io_uring_queue_exit(&l->ring);
        return -ENOSYS;
    }
    return 0;
}

int xsd_loop_uring(struct xsd_server *s, volatile sig_atomic_t *stop)
{
    struct uring_loop l = { .s = s };
    int rc = setup(&l);
    if (rc < 0) {
        xsd_trace(s->d, "io_uring: %s", strerror(-rc));
        return -ENOSYS;
    }
    xsd_trace(s->d, "serving with io_uring");
    rc = 0;
    while (!*stop) {
        xsd_server_serve_pending(s, l.ring_fired);
        l.ring_fired = false;
        arm_listeners(&l);
        arm_timer(&l);
        arm_gate_tick(&l);
        struct xsd_sendq retry;
        xsd_sendq_init(&retry);
        for (struct xsd_conn *c; (c = xsd_sendq_pop(&s->sendq));)
            queue_send(&l, c, &retry);
        for (struct xsd_conn *c; (c = xsd_sendq_pop(&retry));)
            xsd_sendq_add(&s->sendq, c);
        for (struct xsd_conn *c = s->conns; c; c = c->next)
            arm_conn(&l, c);
        xsd_server_reap(s);
        /* With output left over, come back as soon as the sends are
         * done instead of waiting for an event. */
        int n = io_uring_submit_and_wait(&l.ring,
                                         l.sends + (l.more_output ? 0 : 1));
        l.more_output = false;
        if (n < 0 && n != -EINTR && n != -ETIME && n != -EBUSY) {
            xsd_trace(s->d, "io_uring_enter: %s", strerror(-n));
            rc = -1;
            break;
        }
        drain_completions(&l);
    }
    /* Connections are freed by xsd_server_destroy; what the kernel still
     * holds goes with the ring. */
    io_uring_queue_exit(&l.ring);
    for (struct xsd_conn *c = s->conns; c; c = c->next)
        c->inflight = 0;
    return rc;
}
