/* Framing of the byte stream both transports carry: incoming bytes are
 * cut into messages, outgoing messages wait in a bounded queue. */
#ifndef XS_WIRE_H
#define XS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#include <public/io/xs_wire.h>

struct xs_wire_in {
    struct xsd_sockmsg hdr;
    size_t got;                         /* header + payload bytes so far */
    char payload[XENSTORE_PAYLOAD_MAX + 1];
};

void xs_wire_in_reset(struct xs_wire_in *in);
/*
 * Takes bytes until one message is complete (*complete set) or the data
 * runs out; *used says how many were taken.  Returns -E2BIG when the header
 * announces more than XENSTORE_PAYLOAD_MAX: the stream cannot be
 * resynchronised after that, so the connection must go.
 */
int xs_wire_in_feed(struct xs_wire_in *in, const char *data, size_t len,
                    size_t *used, bool *complete);

struct xs_outmsg {
    struct xs_outmsg *next;
    size_t len, sent;
    char data[];                        /* header then payload */
};

struct xs_outq {
    struct xs_outmsg *head, **tail;
    size_t bytes;                       /* unsent bytes queued */
    unsigned count;
};

void xs_outq_init(struct xs_outq *q);
void xs_outq_clear(struct xs_outq *q);
int xs_outq_push(struct xs_outq *q, const struct xsd_sockmsg *hdr,
                 const void *payload);
/* Next bytes to send, or NULL when empty. */
const char *xs_outq_peek(struct xs_outq *q, size_t *len);
/* Marks n bytes sent, across as many messages as they cover. */
void xs_outq_consume(struct xs_outq *q, size_t n);
/* Describes up to max unsent pieces in iov, in order, so that one send
 * carries every queued message; returns how many were filled. */
size_t xs_outq_iov(const struct xs_outq *q, struct iovec *iov, size_t max);

#endif
