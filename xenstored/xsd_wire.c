#include "xsd_wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void xsd_wire_in_reset(struct xsd_wire_in *in)
{
    memset(&in->hdr, 0, sizeof(in->hdr));
    in->got = 0;
}

int xsd_wire_in_feed(struct xsd_wire_in *in, const char *data, size_t len,
                     size_t *used, bool *complete)
{
    *used = 0;
    *complete = false;
    const size_t hdr_size = sizeof(in->hdr);
    if (in->got < hdr_size) {
        size_t n = hdr_size - in->got;
        if (n > len)
            n = len;
        memcpy((char *)&in->hdr + in->got, data, n);
        in->got += n;
        *used += n;
        if (in->got < hdr_size)
            return 0;
        if (in->hdr.len > XENSTORE_PAYLOAD_MAX)
            return -E2BIG;
    }
    size_t want = hdr_size + in->hdr.len - in->got;
    size_t n = len - *used;
    if (n > want)
        n = want;
    memcpy(in->payload + (in->got - hdr_size), data + *used, n);
    in->got += n;
    *used += n;
    if (in->got == hdr_size + in->hdr.len) {
        /* A terminator past the payload lets handlers use string functions
         * even on a payload whose last string lacks its NUL. */
        in->payload[in->hdr.len] = '\0';
        *complete = true;
    }
    return 0;
}

void xsd_outq_init(struct xsd_outq *q)
{
    q->head = NULL;
    q->tail = &q->head;
    q->bytes = 0;
    q->count = 0;
}

void xsd_outq_clear(struct xsd_outq *q)
{
    while (q->head) {
        struct xsd_outmsg *m = q->head;
        q->head = m->next;
        free(m);
    }
    xsd_outq_init(q);
}

int xsd_outq_push(struct xsd_outq *q, const struct xsd_sockmsg *hdr,
                  const void *payload)
{
    size_t len = sizeof(*hdr) + hdr->len;
    struct xsd_outmsg *m = malloc(sizeof(*m) + len);
    if (!m)
        return -ENOMEM;
    m->next = NULL;
    m->len = len;
    m->sent = 0;
    memcpy(m->data, hdr, sizeof(*hdr));
    if (hdr->len)
        memcpy(m->data + sizeof(*hdr), payload, hdr->len);
    *q->tail = m;
    q->tail = &m->next;
    q->bytes += len;
    q->count++;
    return 0;
}

const char *xsd_outq_peek(struct xsd_outq *q, size_t *len)
{
    if (!q->head) {
        *len = 0;
        return NULL;
    }
    *len = q->head->len - q->head->sent;
    return q->head->data + q->head->sent;
}

void xsd_outq_consume(struct xsd_outq *q, size_t n)
{
    while (n && q->head) {
        struct xsd_outmsg *m = q->head;
        size_t take = m->len - m->sent < n ? m->len - m->sent : n;
        m->sent += take;
        q->bytes -= take;
        n -= take;
        if (m->sent < m->len)
            return;
        q->head = m->next;
        if (!q->head)
            q->tail = &q->head;
        q->count--;
        free(m);
    }
}

size_t xsd_outq_iov(const struct xsd_outq *q, struct iovec *iov, size_t max)
{
    size_t n = 0;
    for (const struct xsd_outmsg *m = q->head; m && n < max; m = m->next)
        iov[n++] = (struct iovec){ .iov_base = (char *)m->data + m->sent,
                                   .iov_len = m->len - m->sent };
    return n;
}
