/* Admission of transactions under contention.
 *
 * Transactions are optimistic: they run side by side and a commit that
 * finds what it read changed fails with EAGAIN, to be retried.  When
 * several of dom0's processes keep changing the same nodes, most of that
 * work is thrown away: four clients incrementing one counter lose two
 * commits of three.
 *
 * So once a commit of domain 0 has failed on a conflict, the gate turns
 * on: a TRANSACTION_START from another of dom0's socket connections then
 * waits (its reply is held and the connection is not read further) while
 * dom0 has a transaction open, and the waiting ones are let in one at a
 * time, oldest first, as transactions end.  The transactions of dom0's
 * processes then run one after another, and each commits at its first
 * try.  The gate turns off when a START finds no transaction open and
 * nobody waiting.
 *
 * Waiting only ever delays a reply; what the client sees is what it would
 * have seen had its request arrived later.  It is bounded: when nobody
 * has been let in over XSD_TXN_GATE_TICK_MS twice in a row, the open
 * transactions stop holding anyone up (their owner may be idle or
 * stuck) and the next waiter goes in.  A connection that already has a
 * transaction open never waits (it could be waiting on itself), and a
 * guest never waits or holds anyone: only the sockets, which belong to
 * dom0's processes, wait, and only for dom0's own transactions. */
#ifndef XSD_TXN_GATE_H
#define XSD_TXN_GATE_H

#include <stdbool.h>

#include "xsd_daemon.h"

/* How often the event loop calls xsd_txn_gate_tick while someone waits. */
#define XSD_TXN_GATE_TICK_MS 10

struct xsd_txn;

/* A complete TRANSACTION_START from c, whose transport can hold it: true
 * when it must wait (c is queued), false when it goes ahead now. */
bool xsd_txn_gate_hold(struct xsd_client *c);
/* The client whose held START is to be dispatched now, or NULL.  After
 * dispatching it the transport calls xsd_txn_gate_resumed. */
struct xsd_client *xsd_txn_gate_admitted(struct xsd_daemon *d);
void xsd_txn_gate_resumed(struct xsd_client *c);
/* Whether anyone waits: the loop then calls xsd_txn_gate_tick every
 * XSD_TXN_GATE_TICK_MS. */
bool xsd_txn_gate_waiting(const struct xsd_daemon *d);
void xsd_txn_gate_tick(struct xsd_daemon *d);

/* From the transaction code: t was opened, t ended (conflict: its commit
 * failed on one). */
void xsd_txn_gate_opened(struct xsd_client *c, struct xsd_txn *t);
void xsd_txn_gate_closed(struct xsd_client *c, struct xsd_txn *t,
                         bool conflict);
/* A client going away leaves the queue. */
void xsd_txn_gate_forget(struct xsd_client *c);

#endif
