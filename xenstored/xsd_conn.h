/* Connections: a client of the dispatcher plus its transport, either a
 * Unix socket or a domain's shared ring, with input framing and a bounded
 * output queue. */
#ifndef XSD_CONN_H
#define XSD_CONN_H

#include <stdbool.h>

#include "xsd_backend.h"
#include "xsd_daemon.h"
#include "xsd_wire.h"

/* A client that lets this much output pile up is not reading: it goes,
 * rather than the daemon's memory. */
#define XSD_CONN_OUT_MAX (512u * 1024u)
/* Input taken from one connection per pass of the loop, for fairness. */
#define XSD_CONN_READ_BUDGET (16u * 1024u)
/* Queued messages one send may carry. */
#define XSD_CONN_SEND_PIECES 32

enum xsd_conn_kind { XSD_CONN_SOCKET, XSD_CONN_RING };

/* Socket connections with output to send, in the order their output was
 * queued, so that the watch event a write fires leaves before the write's
 * own reply (the watcher waits for it; the writer is not kept waiting
 * long by one more send). */
struct xsd_sendq {
    struct xsd_conn *head, **tail;
};

struct xsd_conn {
    struct xsd_client client;
    enum xsd_conn_kind kind;
    int fd;                                   /* socket */
    struct xsd_backend *backend;              /* ring */
    struct xenstore_domain_interface *intf;
    int port;
    bool port_gone;
    bool kick;                                /* ring: look without event */
    struct xsd_wire_in in;
    struct xsd_outq out;
    bool dead;
    /* A TRANSACTION_START the gate holds (xsd_txn_gate.h): the message
     * stays in `in`, the bytes received after it wait here. */
    bool parked;
    char *held;
    size_t held_len;
    char why[128];                            /* reason it was dropped */
    struct xsd_conn *next;
    struct xsd_sendq *sendq;                  /* where its output is listed */
    struct xsd_conn *send_next;
    bool send_listed;

    /* State of the io_uring loop (xsd_loop_uring.c); the poll loop leaves
     * it zero.  A connection is freed only once none of its operations
     * is in flight: the kernel may still write into rbuf until then. */
    struct xsd_uring_io *io;                  /* its buffers, malloc'd */
    bool recv_armed, send_armed, wait_out_armed, ring_armed, cancelled;
    unsigned inflight;                        /* operations not completed */
};

struct xsd_conn *xsd_conn_new_socket(struct xsd_daemon *d, int fd,
                                     bool read_only);
struct xsd_conn *xsd_conn_new_ring(struct xsd_daemon *d, unsigned domid,
                                   struct xsd_backend *b, void *page,
                                   int port);
/* Stops serving the connection: the client state goes at once, the
 * memory when the loop reaps it (the conn may still be on its stack). */
void xsd_conn_kill(struct xsd_conn *c, const char *why);

void xsd_sendq_init(struct xsd_sendq *q);
/* Lists a socket connection with output (once). */
void xsd_sendq_add(struct xsd_sendq *q, struct xsd_conn *c);
/* Takes the first listed connection off, or NULL. */
struct xsd_conn *xsd_sendq_pop(struct xsd_sendq *q);
void xsd_conn_free(struct xsd_conn *c);

/* Runs the START the gate has let in, then what arrived after it. */
void xsd_conn_resume(struct xsd_conn *c);

/* Socket: reads and dispatches what is there, within the budget. */
void xsd_conn_socket_input(struct xsd_conn *c);
/* Frames and dispatches bytes received; false once the connection is
 * dead (a broken stream kills it). */
bool xsd_conn_feed(struct xsd_conn *c, const char *data, size_t len);
/* Socket: what the next send carries (all queued output, up to max
 * pieces); returns the number of pieces. */
size_t xsd_conn_out_iov(const struct xsd_conn *c, struct iovec *iov,
                        size_t max);
/* Socket: accounts a send's result (bytes, or -errno); returns false when
 * the error killed the connection. */
bool xsd_conn_sent(struct xsd_conn *c, long result);
/* Socket: writes queued output as far as the socket takes it. */
void xsd_conn_socket_flush(struct xsd_conn *c);
/* Ring: moves output onto and requests off the ring, dispatching. */
void xsd_conn_ring_service(struct xsd_conn *c);

bool xsd_conn_wants_input(const struct xsd_conn *c);

#endif
