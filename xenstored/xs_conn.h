/* Connections: a client of the dispatcher plus its transport, either a
 * Unix socket or a domain's shared ring, with input framing and a bounded
 * output queue. */
#ifndef XS_CONN_H
#define XS_CONN_H

#include <stdbool.h>

#include "xs_backend.h"
#include "xs_daemon.h"
#include "xs_wire.h"

/* A client that lets this much output pile up is not reading: it goes,
 * rather than the daemon's memory. */
#define XS_CONN_OUT_MAX (512u * 1024u)
/* Input taken from one connection per pass of the loop, for fairness. */
#define XS_CONN_READ_BUDGET (16u * 1024u)
/* Queued messages one send may carry. */
#define XS_CONN_SEND_PIECES 32

enum xs_conn_kind { XS_CONN_SOCKET, XS_CONN_RING };

/* Socket connections with output to send, in the order their output was
 * queued, so that the watch event a write fires leaves before the write's
 * own reply (the watcher waits for it; the writer is not kept waiting
 * long by one more send). */
struct xs_sendq {
    struct xs_conn *head, **tail;
};

struct xs_conn {
    struct xs_client client;
    enum xs_conn_kind kind;
    int fd;                                   /* socket */
    struct xs_backend *backend;               /* ring */
    struct xenstore_domain_interface *intf;
    int port;
    bool port_gone;
    bool kick;                                /* ring: look without event */
    struct xs_wire_in in;
    struct xs_outq out;
    bool dead;
    /* A TRANSACTION_START the gate holds (xs_txn_gate.h): the message
     * stays in `in`, the bytes received after it wait here. */
    bool parked;
    char *held;
    size_t held_len;
    char why[128];                            /* reason it was dropped */
    struct xs_conn *next;
    struct xs_sendq *sendq;                   /* where its output is listed */
    struct xs_conn *send_next;
    bool send_listed;

    /* State of the io_uring loop (xs_loop_uring.c); the poll loop leaves
     * it zero.  A connection is freed only once none of its operations
     * is in flight: the kernel may still write into rbuf until then. */
    struct xs_uring_io *io;                   /* its buffers, malloc'd */
    bool recv_armed, send_armed, wait_out_armed, ring_armed, cancelled;
    unsigned inflight;                        /* operations not completed */
};

struct xs_conn *xs_conn_new_socket(struct xs_daemon *d, int fd,
                                   bool read_only);
struct xs_conn *xs_conn_new_ring(struct xs_daemon *d, unsigned domid,
                                 struct xs_backend *b, void *page, int port);
/* Stops serving the connection: the client state goes at once, the
 * memory when the loop reaps it (the conn may still be on its stack). */
void xs_conn_kill(struct xs_conn *c, const char *why);

void xs_sendq_init(struct xs_sendq *q);
/* Lists a socket connection with output (once). */
void xs_sendq_add(struct xs_sendq *q, struct xs_conn *c);
/* Takes the first listed connection off, or NULL. */
struct xs_conn *xs_sendq_pop(struct xs_sendq *q);
void xs_conn_free(struct xs_conn *c);

/* Runs the START the gate has let in, then what arrived after it. */
void xs_conn_resume(struct xs_conn *c);

/* Socket: reads and dispatches what is there, within the budget. */
void xs_conn_socket_input(struct xs_conn *c);
/* Frames and dispatches bytes received; false once the connection is
 * dead (a broken stream kills it). */
bool xs_conn_feed(struct xs_conn *c, const char *data, size_t len);
/* Socket: what the next send carries (all queued output, up to max
 * pieces); returns the number of pieces. */
size_t xs_conn_out_iov(const struct xs_conn *c, struct iovec *iov,
                       size_t max);
/* Socket: accounts a send's result (bytes, or -errno); returns false when
 * the error killed the connection. */
bool xs_conn_sent(struct xs_conn *c, long result);
/* Socket: writes queued output as far as the socket takes it. */
void xs_conn_socket_flush(struct xs_conn *c);
/* Ring: moves output onto and requests off the ring, dispatching. */
void xs_conn_ring_service(struct xs_conn *c);

bool xs_conn_wants_input(const struct xs_conn *c);

#endif
