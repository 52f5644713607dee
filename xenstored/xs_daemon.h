/* The daemon's state as the request handlers see it: the store, the
 * quotas, the clients (one per socket connection or domain ring) and the
 * introduced domains.  Transports live outside; they reach a client
 * through its ops. */
#ifndef XS_DAEMON_H
#define XS_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <public/io/xs_wire.h>

#include "xs_perms.h"
#include "xs_quota.h"
#include "xs_store.h"

struct xs_client;
struct xs_txn;
struct xs_watch_set;

struct xs_client_ops {
    /* Queues one message for the client; it never fails visibly: a client
     * whose queue overflows is marked for disconnection by its transport. */
    void (*send)(struct xs_client *c, const struct xsd_sockmsg *hdr,
                 const void *payload);
};

struct xs_client {
    struct xs_identity who;
    bool read_only;              /* came in through socket_ro */
    bool released;               /* gone: sending to it is a no-op */
    struct xs_daemon *d;
    const struct xs_client_ops *ops;
    void *transport;
    struct xs_txn *txns;
    unsigned ntxns;
    uint32_t next_txid;
    unsigned txn_conflicts;      /* its commits refused in a row */
    bool gate_waiting;           /* its TRANSACTION_START waits (xs_txn_gate.h) */
    struct xs_client *gate_next; /* the next one waiting */
    struct xs_watch_set *watches;
    unsigned nwatches;
    struct xs_client *next, *prev;
};

struct xs_domain {
    unsigned domid;
    uint64_t mfn;
    unsigned port;
    bool shutdown;
    bool has_target;
    unsigned target;
    struct xs_client *client;    /* its ring connection, if any */
    struct xs_domain *next;
};

struct xs_daemon;
struct xs_domain_hooks {
    /* Maps the domain's ring and binds its event channel, setting
     * dom->client; returns 0 or -errno. */
    int (*connect)(struct xs_daemon *d, struct xs_domain *dom, void *arg);
    /* Tears down the domain's ring connection (client may be NULL). */
    void (*disconnect)(struct xs_daemon *d, struct xs_domain *dom, void *arg);
    void *arg;
};

/* Admission of dom0's transactions under contention (xs_txn_gate.h). */
struct xs_txn_gate {
    bool on;                     /* a commit failed on a conflict */
    unsigned holders;            /* open transactions holding up starts,
                                    plus an admission not yet started */
    struct xs_client *admitted;  /* let in, its START not yet run */
    struct xs_client *head;      /* waiting, oldest first */
    unsigned long admissions, admissions_seen;
    unsigned stalled_ticks;      /* ticks without an admission */
};

struct xs_daemon {
    struct xs_store store;
    struct xs_quota quota;
    struct xs_client *clients;
    struct xs_domain *domains;
    struct xs_domain_hooks hooks;
    /* Who may watch @introduceDomain and @releaseDomain: dom0 alone
     * unless dom0 grants more with SET_PERMS on the special name. */
    struct xs_perms intro_perms, release_perms;
    /* The open transaction protected from starvation (xs_txn.c), and how
     * many commits were refused on its behalf. */
    struct xs_txn *favoured;
    unsigned favour_refusals;
    struct xs_txn_gate txn_gate;
    FILE *trace;                    /* -T and CONTROL log; may be NULL */
    bool trace_on;
    bool verbose;
};

int xs_daemon_init(struct xs_daemon *d);
void xs_daemon_destroy(struct xs_daemon *d);

void xs_client_init(struct xs_client *c, struct xs_daemon *d,
                    unsigned domid, const struct xs_client_ops *ops,
                    void *transport);
/* Drops the client's transactions and watches and unlinks it. */
void xs_client_release(struct xs_client *c);

/* Permissions of "@introduceDomain" / "@releaseDomain", else NULL. */
struct xs_perms *xs_special_perms(struct xs_daemon *d, const char *name);

struct xs_domain *xs_domain_find(struct xs_daemon *d, unsigned domid);
/* Domain 0 is always there: the daemon runs in it. */
bool xs_domain_is_introduced(struct xs_daemon *d, unsigned domid);

void xs_trace(struct xs_daemon *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
