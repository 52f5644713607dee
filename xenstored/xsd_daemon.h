/* The daemon's state as the request handlers see it: the store, the
 * quotas, the clients (one per socket connection or domain ring) and the
 * introduced domains.  Transports live outside; they reach a client
 * through its ops. */
#ifndef XSD_DAEMON_H
#define XSD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <public/io/xs_wire.h>

#include "xsd_perms.h"
#include "xsd_quota.h"
#include "xsd_store.h"
#include "xsd_undo.h"

struct xsd_client;
struct xsd_txn;
struct xsd_watch_set;

struct xsd_client_ops {
    /* Queues one message for the client; it never fails visibly: a client
     * whose queue overflows is marked for disconnection by its transport. */
    void (*send)(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                 const void *payload);
};

struct xsd_client {
    struct xsd_identity who;
    bool read_only;              /* came in through socket_ro */
    bool released;               /* gone: sending to it is a no-op */
    struct xsd_daemon *d;
    const struct xsd_client_ops *ops;
    void *transport;
    struct xsd_txn *txns;
    unsigned ntxns;
    uint32_t next_txid;
    unsigned txn_conflicts;      /* its commits refused in a row */
    bool gate_waiting;           /* its TRANSACTION_START waits
                                    (xsd_txn_gate.h) */
    struct xsd_client *gate_next; /* the next one waiting */
    struct xsd_watch_set *watches;
    unsigned nwatches;
    struct xsd_client *next, *prev;
};

struct xsd_domain {
    unsigned domid;
    uint64_t mfn;
    unsigned port;
    bool shutdown;
    bool has_target;
    unsigned target;
    struct xsd_client *client;   /* its ring connection, if any */
    struct xsd_domain *next;
};

struct xsd_daemon;
struct xsd_domain_ops {
    /* Maps the domain's ring and binds its event channel, setting
     * dom->client; returns 0 or -errno. */
    int (*connect)(struct xsd_daemon *d, struct xsd_domain *dom, void *arg);
    /* Tears down the domain's ring connection (client may be NULL). */
    void (*disconnect)(struct xsd_daemon *d, struct xsd_domain *dom,
                       void *arg);
    void *arg;
};

/* Admission of dom0's transactions under contention (xsd_txn_gate.h). */
struct xsd_txn_gate {
    bool on;                     /* a commit failed on a conflict */
    unsigned holders;            /* open transactions holding up starts,
                                    plus an admission not yet started */
    struct xsd_client *admitted; /* let in, its START not yet run */
    struct xsd_client *head;     /* waiting, oldest first */
    unsigned long admissions, admissions_seen;
    unsigned stalled_ticks;      /* ticks without an admission */
};

struct xsd_daemon {
    struct xsd_store store;
    struct xsd_quota quota;
    struct xsd_client *clients;
    struct xsd_domain *domains;
    struct xsd_domain_ops domain_ops;
    /* Who may watch @introduceDomain and @releaseDomain: dom0 alone
     * unless dom0 grants more with SET_PERMS on the special name. */
    struct xsd_perms intro_perms, release_perms;
    /* The open transaction protected from starvation (xsd_txn.c), and how
     * many commits were refused on its behalf. */
    struct xsd_txn *favoured;
    unsigned favour_refusals;
    struct xsd_txn_gate txn_gate;
    /* The undo log of the request being handled (xsd_dispatch), kept
     * between requests so that its array is not allocated for each. */
    struct xsd_undo undo;
    FILE *trace;                    /* -T and CONTROL log; may be NULL */
    bool trace_on;
    bool verbose;
};

int xsd_daemon_init(struct xsd_daemon *d);
void xsd_daemon_destroy(struct xsd_daemon *d);

void xsd_client_init(struct xsd_client *c, struct xsd_daemon *d,
                     unsigned domid, const struct xsd_client_ops *ops,
                     void *transport);
/* Drops the client's transactions and watches and unlinks it. */
void xsd_client_release(struct xsd_client *c);

/* Permissions of "@introduceDomain" / "@releaseDomain", else NULL. */
struct xsd_perms *xsd_special_perms(struct xsd_daemon *d, const char *name);

struct xsd_domain *xsd_domain_find(struct xsd_daemon *d, unsigned domid);
/* Domain 0 is always there: the daemon runs in it. */
bool xsd_domain_is_introduced(struct xsd_daemon *d, unsigned domid);

void xsd_trace(struct xsd_daemon *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
