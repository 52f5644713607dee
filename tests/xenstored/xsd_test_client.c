#include "xsd_test_client.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_dispatch.h"
#include "xsd_mem.h"
#include "xsd_path.h"

static void tclient_send(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                         const void *payload)
{
    struct tclient *t = c->transport;
    struct tmsg *m = calloc(1, sizeof(*m));
    m->hdr = *hdr;
    m->payload = calloc(1, hdr->len + 1);
    memcpy(m->payload, payload, hdr->len);
    *t->tail = m;
    t->tail = &m->next;
    t->count++;
}

static const struct xsd_client_ops tclient_ops = { .send = tclient_send };

struct tclient *tclient_new(struct xsd_daemon *d, unsigned domid)
{
    struct tclient *t = calloc(1, sizeof(*t));
    t->tail = &t->head;
    xsd_client_init(&t->c, d, domid, &tclient_ops, t);
    return t;
}

void tmsg_free(struct tmsg *m)
{
    if (m) {
        free(m->payload);
        free(m);
    }
}

struct tmsg *tclient_pop(struct tclient *t)
{
    struct tmsg *m = t->head;
    if (!m)
        return NULL;
    t->head = m->next;
    if (!t->head)
        t->tail = &t->head;
    t->count--;
    m->next = NULL;
    return m;
}

void tclient_drain(struct tclient *t)
{
    struct tmsg *m;
    while ((m = tclient_pop(t)))
        tmsg_free(m);
}

void tclient_free(struct tclient *t)
{
    xsd_client_release(&t->c);
    tclient_drain(t);
    free(t);
}

struct tmsg *treq_raw(struct tclient *t, uint32_t type, uint32_t tx,
                      const void *payload, size_t len)
{
    tclient_drain(t);
    struct xsd_sockmsg hdr = { type, 42, tx, (uint32_t)len };
    /* The transport hands the dispatcher a NUL past the payload. */
    char *copy = calloc(1, len + 1);
    memcpy(copy, payload, len);
    xsd_dispatch(&t->c, &hdr, copy);
    free(copy);
    /* Events the request caused may come before its reply, as in Xen;
     * take the reply and leave the events queued in order. */
    for (struct tmsg **p = &t->head; *p; p = &(*p)->next) {
        struct tmsg *m = *p;
        if (m->hdr.type == XS_WATCH_EVENT)
            continue;
        *p = m->next;
        if (!*p)
            t->tail = p;
        t->count--;
        m->next = NULL;
        return m;
    }
    return NULL;
}

static struct tmsg *vreq(struct tclient *t, uint32_t type, uint32_t tx,
                         va_list ap)
{
    char buf[8192];
    size_t len = 0;
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        size_t n = strlen(s) + 1;
        memcpy(buf + len, s, n);
        len += n;
    }
    return treq_raw(t, type, tx, buf, len);
}

struct tmsg *treq(struct tclient *t, uint32_t type, uint32_t tx, ...)
{
    va_list ap;
    va_start(ap, tx);
    struct tmsg *m = vreq(t, type, tx, ap);
    va_end(ap);
    return m;
}

struct tmsg *twrite(struct tclient *t, uint32_t tx, const char *path,
                    const char *value)
{
    char buf[8192];
    size_t plen = strlen(path) + 1, vlen = strlen(value);
    memcpy(buf, path, plen);
    memcpy(buf + plen, value, vlen);
    return treq_raw(t, XS_WRITE, tx, buf, plen + vlen);
}

const char *tshow(struct tmsg *m)
{
    static char out[8192];
    if (!m)
        return "(no reply)";
    size_t o = 0;
    if (m->hdr.type == XS_ERROR)
        o = (size_t)snprintf(out, sizeof(out), "ERR:");
    for (uint32_t i = 0; i < m->hdr.len && o + 1 < sizeof(out); i++) {
        char ch = m->payload[i];
        if (ch == '\0') {
            if (i + 1 == m->hdr.len)
                break;
            ch = '|';
        }
        out[o++] = ch;
    }
    out[o] = '\0';
    return out;
}

const char *tdo(struct tclient *t, uint32_t type, uint32_t tx, ...)
{
    va_list ap;
    va_start(ap, tx);
    struct tmsg *m = vreq(t, type, tx, ap);
    va_end(ap);
    const char *s = tshow(m);
    tmsg_free(m);
    return s;
}

const char *tdo_write(struct tclient *t, uint32_t tx, const char *path,
                      const char *value)
{
    struct tmsg *m = twrite(t, tx, path, value);
    const char *s = tshow(m);
    tmsg_free(m);
    return s;
}

uint32_t tstart(struct tclient *t)
{
    struct tmsg *m = treq(t, XS_TRANSACTION_START, 0, "", NULL);
    uint32_t id = 0;
    if (m && m->hdr.type == XS_TRANSACTION_START)
        id = (uint32_t)strtoul(m->payload, NULL, 10);
    tmsg_free(m);
    return id;
}

void tmake_home(struct tclient *dom0, unsigned domid)
{
    char path[64], owner[16];
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(owner, sizeof(owner), "n%u", domid);
    ck_assert_str_eq(tdo(dom0, XS_MKDIR, 0, path, NULL), "OK");
    ck_assert_str_eq(tdo(dom0, XS_SET_PERMS, 0, path, owner, NULL), "OK");
}

void tcheck_tree(const struct xsd_daemon *d)
{
    char why[4400];
    ck_assert_msg(xsd_store_audit(&d->store, why, sizeof(why)) == 0, "%s", why);
}

void tcheck_accounting(const struct xsd_daemon *d)
{
    char why[256];
    ck_assert_msg(xsd_mem_audit(d, why, sizeof(why)) == 0, "%s", why);
}

void tdaemon_close(struct xsd_daemon *d, struct tclient *const clients[])
{
    tcheck_accounting(d);
    for (unsigned int i = 0; clients[i]; i++)
        tclient_free(clients[i]);
    tcheck_accounting(d);
    xsd_daemon_destroy(d);
}
