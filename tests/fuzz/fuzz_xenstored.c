/*
 * libFuzzer target over xenstored's framing and dispatcher.
 *
 * The input is a sequence of chunks, each [client:1][length:2][bytes],
 * delivered as stream data to one of four connections: dom0, dom0 on the
 * read-only socket, and guests 1 and 2.  A connection that breaks the
 * framing is dropped and replaced, as the daemon does.  A chunk whose
 * client byte has 0x80 set is a guest's ring page; one with 0x40 (and
 * not 0x80) is a generator command (fuzz_generate.h) that expands into
 * up to thousands of requests, so that an input reaches the quotas and
 * thousand-node trees.
 *
 * What must hold: every message the daemon sends fits the protocol; a
 * WRITE, MKDIR, RM or SET_PERMS that fails changes nothing (the store,
 * what the domain owns and holds, its transaction) and fires no watch;
 * the quota counts match a recount after every chunk and once every
 * client is gone (they then hold nothing); at the end the tree is
 * consistent (each node listed by its parent, each listed child present).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_generate.h"
#include "xsd_daemon.h"
#include "xsd_dispatch.h"
#include "xsd_mem.h"
#include "xsd_path.h"
#include "xsd_ring.h"
#include "xsd_txn.h"
#include "xsd_wire.h"

#define NCLIENTS 4

struct fuzz_client {
    struct xsd_client c;
    struct xsd_wire_in in;
    bool live;
    uint32_t reply_type;              /* of the last reply sent to it */
    uint32_t txids[FUZZ_GEN_TXNS];    /* its latest transactions */
};

static unsigned long events_sent;

static void check_send(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                       const void *payload)
{
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        fprintf(stderr, "daemon sent %u-byte payload\n", hdr->len);
        abort();
    }
    /* Touch every byte so ASan checks the whole payload is readable. */
    volatile unsigned char sum = 0;
    for (uint32_t i = 0; i < hdr->len; i++)
        sum += ((const unsigned char *)payload)[i];
    (void)sum;
    struct fuzz_client *fc = c->transport;
    if (hdr->type == XS_WATCH_EVENT) {
        events_sent++;
        return;
    }
    fc->reply_type = hdr->type;
    /* The generator sends to the transactions the client started. */
    if (hdr->type == XS_TRANSACTION_START && hdr->len) {
        memmove(fc->txids + 1, fc->txids,
                (FUZZ_GEN_TXNS - 1) * sizeof(fc->txids[0]));
        fc->txids[0] = (uint32_t)strtoul(payload, NULL, 10);
    }
}

/* What a failed change must leave as it was. */
struct fingerprint {
    size_t nodes;
    struct xsd_usage usage;
    size_t overlay, accessed, events, bytes;
    int owned_delta;
};

static void take_fingerprint(struct xsd_daemon *d, struct fuzz_client *fc,
                             uint32_t tx_id, struct fingerprint *f)
{
    memset(f, 0, sizeof(*f));
    f->nodes = d->store.nodes.count;
    f->usage = *xsd_usage_get(&d->store.usage, fc->c.who.domid);
    const struct xsd_txn *t = tx_id ? xsd_txn_find(&fc->c, tx_id) : NULL;
    if (t) {
        f->overlay = t->overlay.count;
        f->accessed = t->accessed.count;
        f->events = t->event_index.count;
        f->bytes = t->bytes;
        f->owned_delta = t->owned_delta;
    }
}

static bool changes_nodes(uint32_t type)
{
    return type == XS_WRITE || type == XS_MKDIR || type == XS_RM ||
           type == XS_SET_PERMS;
}

/* A guest's request that succeeded and made its domain own or hold more
 * must have stayed within its quotas (a commit included). */
static void check_quotas(const struct xsd_daemon *d,
                         const struct fuzz_client *fc,
                         const struct xsd_sockmsg *hdr,
                         const struct xsd_usage *before)
{
    unsigned domid = fc->c.who.domid;
    const struct xsd_usage *after = xsd_usage_get(&d->store.usage, domid);
    size_t mem_before = before->node_bytes + before->held;
    size_t mem_after = after->node_bytes + after->held;
    if ((after->nodes > before->nodes && after->nodes > d->quota.nodes) ||
        (d->quota.memory && mem_after > mem_before &&
         mem_after > d->quota.memory)) {
        fprintf(stderr, "request of type %u (tx %u) took domain %u past its "
                "quotas: nodes %u -> %u (quota %lu), memory %zu -> %zu "
                "(quota %lu)\n", hdr->type, hdr->tx_id, domid, before->nodes,
                after->nodes, d->quota.nodes, mem_before, mem_after,
                d->quota.memory);
        abort();
    }
}

/* Dispatches one complete request, and checks that a change of nodes
 * that failed left no trace, and that a guest's request that succeeded
 * kept to its quotas. */
static void deliver(struct xsd_daemon *d, struct fuzz_client *fc,
                    const struct xsd_sockmsg *hdr, const char *payload)
{
    bool check = changes_nodes(hdr->type);
    struct fingerprint before, after;
    take_fingerprint(d, fc, hdr->tx_id, &before);
    unsigned long events = events_sent;
    fc->reply_type = 0;
    xsd_dispatch(&fc->c, hdr, payload);
    if (hdr->type == XS_TRANSACTION_END)
        for (int k = 0; k < FUZZ_GEN_TXNS; k++)
            if (fc->txids[k] == hdr->tx_id)
                fc->txids[k] = 0;
    if (fc->reply_type != XS_ERROR && !fc->c.who.privileged)
        check_quotas(d, fc, hdr, &before.usage);
    if (!check || fc->reply_type != XS_ERROR)
        return;
    take_fingerprint(d, fc, hdr->tx_id, &after);
    if (memcmp(&before, &after, sizeof(before)) != 0 ||
        events != events_sent) {
        fprintf(stderr, "failed request of type %u (tx %u) changed things: "
                "nodes %zu -> %zu, owned %u -> %u, bytes %zu -> %zu, "
                "held %zu -> %zu, overlay %zu -> %zu, events fired %lu\n",
                hdr->type, hdr->tx_id, before.nodes, after.nodes,
                before.usage.nodes, after.usage.nodes,
                before.usage.node_bytes, after.usage.node_bytes,
                before.usage.held, after.usage.held, before.overlay,
                after.overlay, events_sent - events);
        abort();
    }
}

static const struct xsd_client_ops fuzz_ops = { .send = check_send };

static void client_open(struct xsd_daemon *d, struct fuzz_client *fc, int i)
{
    static const unsigned domids[NCLIENTS] = { 0, 0, 1, 2 };
    memset(fc->txids, 0, sizeof(fc->txids));
    xsd_client_init(&fc->c, d, domids[i], &fuzz_ops, fc);
    fc->c.read_only = i == 1;
    xsd_wire_in_reset(&fc->in);
    fc->live = true;
}

static void feed(struct xsd_daemon *d, struct fuzz_client *fc, int which,
                 const char *bytes, size_t len)
{
    while (len) {
        size_t used;
        bool complete;
        if (xsd_wire_in_feed(&fc->in, bytes, len, &used, &complete) < 0) {
            xsd_client_release(&fc->c);
            client_open(d, fc, which);
            return;
        }
        bytes += used;
        len -= used;
        if (complete) {
            struct xsd_sockmsg hdr = fc->in.hdr;
            deliver(d, fc, &hdr, fc->in.payload);
            xsd_wire_in_reset(&fc->in);
        }
    }
}

static void ring_chunk(struct xsd_daemon *d, struct fuzz_client *guest,
                       const uint8_t *bytes, size_t len)
{
    static struct xenstore_domain_interface intf;
    memset(&intf, 0, sizeof(intf));
    memcpy(&intf, bytes, len < sizeof(intf) ? len : sizeof(intf));
    char buf[XENSTORE_RING_SIZE];
    long n = xsd_ring_read(&intf, buf, sizeof(buf));
    if (n > (long)sizeof(buf))
        abort();
    if (n > 0)
        feed(d, guest, 2, buf, (size_t)n);
    static const char reply[2 * XENSTORE_RING_SIZE];
    n = xsd_ring_write(&intf, reply, sizeof(reply));
    if (n > XENSTORE_RING_SIZE)
        abort();
}


struct gen_target {
    struct xsd_daemon *d;
    struct fuzz_client *fc;
};

static void gen_request(void *arg, uint32_t type, uint32_t tx_id,
                        const char *payload, uint32_t len)
{
    struct gen_target *g = arg;
    /* The transport hands the dispatcher a NUL past the payload. */
    static char copy[XENSTORE_PAYLOAD_MAX + 1];
    memcpy(copy, payload, len);
    copy[len] = '\0';
    struct xsd_sockmsg hdr = { type, 7, tx_id, len };
    deliver(g->d, g->fc, &hdr, copy);
}

static void audit(const struct xsd_daemon *d, const char *when)
{
    char why[256];
    if (xsd_mem_audit(d, why, sizeof(why)) < 0) {
        fprintf(stderr, "quota counts wrong %s: %s\n", when, why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xsd_daemon d;
    if (xsd_daemon_init(&d) < 0)
        return 0;
    /* Small quotas so that the limits are reached within one input. */
    d.quota.nodes = 20;
    d.quota.watches = 4;
    d.quota.transactions = 3;
    d.quota.transaction_nodes = 16;
    static struct fuzz_client clients[NCLIENTS];
    for (int i = 0; i < NCLIENTS; i++)
        client_open(&d, &clients[i], i);

    size_t pos = 0, budget = FUZZ_GEN_BUDGET;
    while (pos + 3 <= size) {
        int which = data[pos] % NCLIENTS;
        size_t len = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8;
        pos += 3;
        if (len > size - pos)
            len = size - pos;
        uint8_t kind = data[pos - 3];
        if (kind & 0x80) {
            ring_chunk(&d, &clients[2], data + pos, len);
        } else if (kind & 0x40) {
            struct gen_target g = { &d, &clients[which] };
            budget -= fuzz_generate(&d, data + pos, len,
                                    clients[which].txids, budget,
                                    gen_request, &g);
        } else {
            feed(&d, &clients[which], which, (const char *)data + pos, len);
        }
        pos += len;
        /* While transactions are open: their counts could drift and then
         * cancel out when they end. */
        audit(&d, "after a chunk");
    }
    char why[4400];
    if (xsd_store_audit(&d.store, why, sizeof(why)) < 0) {
        fprintf(stderr, "tree broken at the end: %s\n", why);
        abort();
    }
    audit(&d, "at the end");
    for (int i = 0; i < NCLIENTS; i++)
        xsd_client_release(&clients[i].c);
    audit(&d, "once the clients are gone");
    xsd_daemon_destroy(&d);
    return 0;
}
