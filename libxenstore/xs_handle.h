/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal state of a libxenstore connection.
 *
 * Threading model: one request is in flight per handle (request_lock is
 * held from sending a request until its reply is taken).  One thread at
 * a time reads the connection: usually the thread waiting for input
 * itself, sometimes the reader thread that the first xs_watch starts
 * (xs_input.c says who reads when).  A pipe mirrors "the event queue is
 * not empty" for poll().
 */
#ifndef LIBXENSTORE_XS_HANDLE_H
#define LIBXENSTORE_XS_HANDLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

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
    bool not_socket;            /* learnt at the first send */
    uint32_t next_req_id;

    /* Buffered input: at most one header plus payload beyond what was
     * consumed, so short reads never split the protocol. */
    char *in_buf;
    size_t in_start, in_end, in_size;

    pthread_mutex_t request_lock;   /* one exchange at a time */
    pthread_mutex_t state_lock;     /* everything below */
    pthread_cond_t input_ready;     /* a message was filed, or it broke */
    pthread_cond_t reader_wake;     /* the reader thread's linger */

    bool reading;                   /* some thread is reading the fd */
    bool reader_only;               /* since xs_fileno: only the reader */
    unsigned int app_waiting;       /* application threads awaiting input */
    unsigned long app_epoch;        /* bumped as each such wait ends */
    bool reader_running;
    pthread_t reader;
    struct xs_message *reply;       /* read, not yet taken by the requester */
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

/* Reading the connection (xs_input.c).  xs_wait_for_input is called with
 * state_lock held and returns when ready(h) holds or the handle broke. */
void xs_wait_for_input(struct xs_handle *h,
                       bool (*ready)(const struct xs_handle *h));
bool xs_start_reader(struct xs_handle *h);   /* with request_lock held */
void xs_reader_only(struct xs_handle *h);
void xs_stop_reader(struct xs_handle *h);

/* Event queue (xs_watch.c); called with state_lock held. */
void xs_queue_event(struct xs_handle *h, struct xs_message *msg);
void xs_free_events(struct xs_handle *h);

/* Vector of len NUL-separated strings as one malloc block. */
char **xs_strings_to_vector(const char *strings, unsigned int len,
                            unsigned int *num);

#endif /* LIBXENSTORE_XS_HANDLE_H */
