/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal state of a libxenstore connection.
 *
 * Threading model: one request is in flight per handle (request_lock is
 * held from sending a request until its reply is taken).  Until the first
 * watch, the requesting thread reads the connection itself.  Watches need
 * events to arrive while nobody is asking, so the first xs_watch (or
 * xs_fileno) starts a reader thread that owns the connection's read side
 * from then on: it hands replies to the waiting requester and queues
 * events.  A pipe mirrors "the event queue is not empty" for poll().
 */
#ifndef LIBXENSTORE_XS_HANDLE_H
#define LIBXENSTORE_XS_HANDLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <public/io/xs_wire.h>
#include "xenstore.h"

struct xs_message {
    struct xsd_sockmsg hdr;
    char *body;                 /* hdr.len bytes plus a NUL */
};

struct xs_event {
    struct xs_event *next;
    char **vec;                 /* as returned by xs_read_watch */
};

struct xs_handle {
    int fd;
    uint32_t next_req_id;

    /* Buffered input: at most one header plus payload beyond what was
     * consumed, so short reads never split the protocol. */
    char *in_buf;
    size_t in_start, in_end, in_size;

    pthread_mutex_t request_lock;   /* one exchange at a time */
    pthread_mutex_t state_lock;     /* everything below */
    pthread_cond_t reply_ready;
    pthread_cond_t event_ready;

    bool reader_running;
    pthread_t reader;
    struct xs_message *reply;       /* handed from reader to requester */
    int broken_errno;               /* connection unusable when non-zero */

    struct xs_event *events_head, **events_tail;
    int event_pipe[2];              /* -1 until xs_fileno */
    bool event_pipe_signalled;
    bool unwatch_filter;
};

/* Transport (xs_transport.c). */
int xs_connect_path(const char *path);
int xs_read_message(struct xs_handle *h, struct xs_message *msg);
bool xs_send_message(struct xs_handle *h, uint32_t type, uint32_t tx_id,
                     const struct iovec *iov, unsigned int iovcnt);

/* Request/reply with errno mapping (xs_connection.c). */
void *xs_talkv(struct xs_handle *h, xs_transaction_t t, uint32_t type,
               const struct iovec *iov, unsigned int iovcnt,
               unsigned int *len);
void *xs_talk_string(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                     const char *arg, unsigned int *len);
bool xs_talk_bool(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                  const struct iovec *iov, unsigned int iovcnt);
int xs_errno_from_name(const char *name);
bool xs_start_reader(struct xs_handle *h);

/* Event queue (xs_watch.c); called with state_lock held. */
void xs_queue_event(struct xs_handle *h, struct xs_message *msg);
void xs_free_events(struct xs_handle *h);

/* Vector of len NUL-separated strings as one malloc block. */
char **xs_strings_to_vector(const char *strings, unsigned int len,
                            unsigned int *num);

#endif /* LIBXENSTORE_XS_HANDLE_H */
