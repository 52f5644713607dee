/* Framing of the byte stream both transports carry: incoming bytes are
 * cut into messages, outgoing messages wait in a bounded queue. */
#ifndef XSD_WIRE_H
#define XSD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#include <public/io/xs_wire.h>

struct xsd_wire_in {
    struct xsd_sockmsg hdr;
    size_t got;                         /* header + payload bytes so far */
    char payload[XENSTORE_PAYLOAD_MAX + 1];
};

void xsd_wire_in_reset(struct xsd_wire_in *in);
/*
 * Takes bytes until one message is complete (*complete set) or the data
 * runs out; *used says how many were taken.  Returns -E2BIG when the header
 * announces more than XENSTORE_PAYLOAD_MAX: the stream cannot be
 * resynchronised after that, so the connection must go.
 */
int xsd_wire_in_feed(struct xsd_wire_in *in, const char *data, size_t len,
                     size_t *used, bool *complete);

struct xsd_outmsg {
    struct xsd_outmsg *next;
    size_t len, sent;
    char data[];                        /* header then payload */
};

struct xsd_outq {
    struct xsd_outmsg *head, **tail;
    size_t bytes;                       /* unsent bytes queued */
    unsigned count;
};

void xsd_outq_init(struct xsd_outq *q);
void xsd_outq_clear(struct xsd_outq *q);
int xsd_outq_push(struct xsd_outq *q, const struct xsd_sockmsg *hdr,
                  const void *payload);
/* Next bytes to send, or NULL when empty. */
const char *xsd_outq_peek(struct xsd_outq *q, size_t *len);
/* Marks n bytes sent, across as many messages as they cover. */
void xsd_outq_consume(struct xsd_outq *q, size_t n);
/* Describes up to max unsent pieces in iov, in order, so that one send
 * carries every queued message; returns how many were filled. */
size_t xsd_outq_iov(const struct xsd_outq *q, struct iovec *iov, size_t max);

#endif
