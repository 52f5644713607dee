#include "fuzz_generate.h"

#include <stdio.h>
#include <string.h>

#include <public/io/xs_wire.h>

enum {
    GEN_WRITE, GEN_MKDIR, GEN_RM, GEN_READ, GEN_DIRECTORY, GEN_SET_PERMS,
    GEN_WATCH, GEN_START, GEN_COMMIT, GEN_ABORT, GEN_QUOTA, FUZZ_GEN_OPS
};

/* The request's path for the i-th of a command, into out (room for
 * XENSTORE_ABS_PATH_MAX + 64 bytes); its length. */
static size_t make_path(char *out, const char *prefix, unsigned shape,
                        unsigned i)
{
    size_t room = XENSTORE_ABS_PATH_MAX + 64, n;
    switch (shape & 3) {
    case FUZZ_SHAPE_FLAT:
        n = (size_t)snprintf(out, room, "%s/n%u", prefix, i);
        break;
    case FUZZ_SHAPE_TREE:
        n = (size_t)snprintf(out, room, "%s/d%u/n%u", prefix, i / 64,
                             i % 64);
        break;
    case FUZZ_SHAPE_SAME:
        n = (size_t)snprintf(out, room, "%s", prefix);
        break;
    default:
        n = (size_t)snprintf(out, room, "%s", prefix);
        /* Past what a path may be, now and then: refused, not crashed. */
        for (unsigned level = 0; level <= i % 256 && n + 3 < room; level++) {
            memcpy(out + n, "/x", 3);
            n += 2;
        }
        break;
    }
    return n < room ? n : room - 1;
}

/* One of a few permission lists, owners and grants mixed. */
static size_t make_perms(char *out, unsigned i)
{
    static const char *const lists[][3] = {
        { "n0", NULL, NULL }, { "b1", NULL, NULL }, { "n1", "r2", NULL },
        { "n2", "b1", "r0" }, { "w1", "r2", NULL }, { "n1", NULL, NULL },
    };
    const char *const *list = lists[i % (sizeof(lists) / sizeof(lists[0]))];
    size_t n = 0;
    for (int k = 0; k < 3 && list[k]; k++) {
        size_t l = strlen(list[k]) + 1;
        memcpy(out + n, list[k], l);
        n += l;
    }
    return n;
}

static void set_quota_profile(struct xsd_daemon *d, unsigned profile)
{
    struct xsd_quota *q = &d->quota;
    xsd_quota_defaults(q);
    switch (profile & 3) {
    case 0:   /* small: every limit within a few requests */
        q->nodes = 20;
        q->watches = 4;
        q->transactions = 3;
        q->transaction_nodes = 16;
        q->memory = 16 * 1024;
        break;
    case 1:   /* Xen 4.17's defaults */
        break;
    case 2:   /* memory runs out long before the node count */
        q->memory = 32 * 1024;
        break;
    default:  /* room for trees of thousands of nodes */
        q->nodes = 5000;
        q->transaction_nodes = 4096;
        q->memory = 8 * 1024 * 1024;
        break;
    }
}

size_t fuzz_generate(struct xsd_daemon *d, const uint8_t *cmd, size_t len,
                     const uint32_t txids[FUZZ_GEN_TXNS], size_t budget,
                     fuzz_request_fn send, void *arg)
{
    if (len < 4 || !budget)
        return 0;
    unsigned op = cmd[0] % FUZZ_GEN_OPS;
    size_t count = (size_t)cmd[1] | (size_t)cmd[2] << 8;
    unsigned shape = cmd[3];
    if (count > FUZZ_GEN_MAX)
        count = FUZZ_GEN_MAX;
    if (count > budget)
        count = budget;
    char prefix[257];
    size_t plen = len - 4 < sizeof(prefix) - 1 ? len - 4 : sizeof(prefix) - 1;
    memcpy(prefix, cmd + 4, plen);
    prefix[plen] = '\0';
    if (!prefix[0])
        strcpy(prefix, "g");
    unsigned slot = (shape >> 2) & 3;
    uint32_t tx = slot && slot <= FUZZ_GEN_TXNS ? txids[slot - 1] : 0;
    size_t size = (size_t)(shape >> 4) * 128;   /* values, tokens */

    static char payload[XENSTORE_PAYLOAD_MAX + XENSTORE_ABS_PATH_MAX + 128];
    size_t sent = 0;
    switch (op) {
    case GEN_QUOTA:
        set_quota_profile(d, shape);
        return 0;
    case GEN_START:
        for (; sent < count && sent < FUZZ_GEN_TXNS * 2; sent++)
            send(arg, XS_TRANSACTION_START, 0, "", 1);
        return sent;
    case GEN_COMMIT:
    case GEN_ABORT:
        for (int k = 0; k < FUZZ_GEN_TXNS; k++) {
            if (!txids[k] || (slot && (unsigned)k != slot - 1))
                continue;
            send(arg, XS_TRANSACTION_END, txids[k],
                 op == GEN_COMMIT ? "T" : "F", 2);
            sent++;
        }
        return sent;
    default:
        break;
    }
    for (; sent < count; sent++) {
        unsigned i = (unsigned)sent;
        size_t n = make_path(payload, prefix, shape, i) + 1;
        uint32_t type;
        switch (op) {
        case GEN_WRITE:
            type = XS_WRITE;
            /* Values that change from one write to the next. */
            memset(payload + n, 'a' + (int)(i % 26), size);
            n += size;
            break;
        case GEN_MKDIR:
            type = XS_MKDIR;
            break;
        case GEN_RM:
            type = XS_RM;
            break;
        case GEN_READ:
            type = XS_READ;
            break;
        case GEN_DIRECTORY:
            type = XS_DIRECTORY;
            break;
        case GEN_SET_PERMS:
            type = XS_SET_PERMS;
            n += make_perms(payload + n, i);
            break;
        default:      /* GEN_WATCH: a long token takes memory too */
            type = XS_WATCH;
            n += (size_t)snprintf(payload + n, 32, "t%u", i) + 1;
            memset(payload + n - 1, 'k', size / 2);
            n += size / 2;
            payload[n - 1] = '\0';
            break;
        }
        if (n > XENSTORE_PAYLOAD_MAX)
            n = XENSTORE_PAYLOAD_MAX;   /* cut, as a client could */
        send(arg, type, tx, payload, (uint32_t)n);
    }
    return sent;
}
