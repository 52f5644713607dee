/*
 * libFuzzer target over xenstored's framing and dispatcher.
 *
 * The input is a sequence of chunks, each [client:1][length:2][bytes],
 * delivered as stream data to one of four connections: dom0, dom0 on the
 * read-only socket, and guests 1 and 2.  A connection that breaks the
 * framing is dropped and replaced, as the daemon does.  Every message the
 * daemon sends must fit the protocol, and at the end the tree must be
 * consistent (each node listed by its parent, each listed child present).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_daemon.h"
#include "xsd_dispatch.h"
#include "xsd_path.h"
#include "xsd_ring.h"
#include "xsd_wire.h"

#define NCLIENTS 4

struct fuzz_client {
    struct xsd_client c;
    struct xsd_wire_in in;
    bool live;
};

static void check_send(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                       const void *payload)
{
    (void)c;
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        fprintf(stderr, "daemon sent %u-byte payload\n", hdr->len);
        abort();
    }
    /* Touch every byte so ASan checks the whole payload is readable. */
    volatile unsigned char sum = 0;
    for (uint32_t i = 0; i < hdr->len; i++)
        sum += ((const unsigned char *)payload)[i];
    (void)sum;
}

static const struct xsd_client_ops fuzz_ops = { .send = check_send };

static void client_open(struct xsd_daemon *d, struct fuzz_client *fc, int i)
{
    static const unsigned domids[NCLIENTS] = { 0, 0, 1, 2 };
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
            xsd_dispatch(&fc->c, &hdr, fc->in.payload);
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

static void check_node(const char *path, void *value, void *arg)
{
    const struct xsd_store *s = arg;
    const struct xsd_node *n = value;
    for (const char *name = xsd_node_next_child(n, NULL); name;
         name = xsd_node_next_child(n, name)) {
        char child[4200];
        snprintf(child, sizeof(child), "%s%s%s", path,
                 strcmp(path, "/") ? "/" : "", name);
        if (!xsd_store_get(s, child)) {
            fprintf(stderr, "%s lists missing child %s\n", path, child);
            abort();
        }
    }
    if (strcmp(path, "/") == 0)
        return;
    char *parent_path = xsd_path_parent(path);
    const struct xsd_node *parent = xsd_store_get(s, parent_path);
    bool listed = parent &&
                  xsd_node_has_child(parent, xsd_path_basename(path));
    if (!listed) {
        fprintf(stderr, "%s is not listed by its parent %s\n", path,
                parent_path);
        abort();
    }
    free(parent_path);
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

    size_t pos = 0;
    while (pos + 3 <= size) {
        int which = data[pos] % NCLIENTS;
        size_t len = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8;
        pos += 3;
        if (len > size - pos)
            len = size - pos;
        bool ring = data[pos - 3] & 0x80;
        if (ring)
            ring_chunk(&d, &clients[2], data + pos, len);
        else
            feed(&d, &clients[which], which, (const char *)data + pos, len);
        pos += len;
    }
    xsd_map_foreach(&d.store.nodes, check_node, &d.store);
    xsd_daemon_destroy(&d);
    return 0;
}
