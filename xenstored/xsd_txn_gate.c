#include "xsd_txn_gate.h"

#include "xsd_txn.h"

/* Only dom0's transactions hold up, and only its sockets wait. */
static bool gated_domain(const struct xsd_client *c)
{
    return c->who.domid == 0;
}

static void enqueue(struct xsd_txn_gate *g, struct xsd_client *c)
{
    struct xsd_client **p = &g->head;
    while (*p)
        p = &(*p)->gate_next;
    c->gate_next = NULL;
    c->gate_waiting = true;
    *p = c;
}

/* Lets the oldest waiter in when nothing holds it up any more.  Its
 * admission counts as a holder until its START has run, so that no
 * newcomer slips in between. */
static void admit_next(struct xsd_daemon *d)
{
    struct xsd_txn_gate *g = &d->txn_gate;
    if (g->holders || !g->head)
        return;
    struct xsd_client *c = g->head;
    g->head = c->gate_next;
    c->gate_next = NULL;
    c->gate_waiting = false;
    g->admitted = c;
    g->holders = 1;
    g->admissions++;
}

bool xsd_txn_gate_hold(struct xsd_client *c)
{
    struct xsd_txn_gate *g = &c->d->txn_gate;
    if (!g->on || !gated_domain(c) || c->txns)
        return false;
    if (!g->holders && !g->head) {
        g->on = false;   /* no overlap: contention is over */
        return false;
    }
    if (!g->head) {
        g->stalled_ticks = 0;
        g->admissions_seen = g->admissions;
    }
    enqueue(g, c);
    xsd_trace(c->d, "transaction start of a dom0 client waits its turn");
    return true;
}

struct xsd_client *xsd_txn_gate_admitted(struct xsd_daemon *d)
{
    return d->txn_gate.admitted;
}

void xsd_txn_gate_resumed(struct xsd_client *c)
{
    struct xsd_txn_gate *g = &c->d->txn_gate;
    if (g->admitted != c)
        return;   /* its START opened a transaction, which took the slot */
    /* The START failed (a quota, memory): the slot goes to the next. */
    g->admitted = NULL;
    g->holders--;
    admit_next(c->d);
}

bool xsd_txn_gate_waiting(const struct xsd_daemon *d)
{
    return d->txn_gate.head != NULL;
}

void xsd_txn_gate_tick(struct xsd_daemon *d)
{
    struct xsd_txn_gate *g = &d->txn_gate;
    if (!g->head)
        return;
    if (g->admissions != g->admissions_seen) {
        g->admissions_seen = g->admissions;
        g->stalled_ticks = 0;
        return;
    }
    if (++g->stalled_ticks < 2)
        return;
    /* Nobody got in for a whole tick: whoever holds the gate is idle or
     * stuck.  Its transactions stop holding anyone up. */
    g->stalled_ticks = 0;
    for (struct xsd_client *c = d->clients; c; c = c->next)
        for (struct xsd_txn *t = c->txns; t; t = t->next)
            t->holds_gate = false;
    g->holders = g->admitted ? 1 : 0;
    xsd_trace(d, "transaction gate: open transactions idle too long, "
                "letting the next start in");
    admit_next(d);
}

void xsd_txn_gate_opened(struct xsd_client *c, struct xsd_txn *t)
{
    struct xsd_txn_gate *g = &c->d->txn_gate;
    if (!gated_domain(c))
        return;
    t->holds_gate = true;
    if (g->admitted == c)
        g->admitted = NULL;   /* the admission's slot becomes this one */
    else
        g->holders++;
}

void xsd_txn_gate_closed(struct xsd_client *c, struct xsd_txn *t,
                         bool conflict)
{
    struct xsd_txn_gate *g = &c->d->txn_gate;
    if (!gated_domain(c))
        return;
    if (conflict)
        g->on = true;
    if (t->holds_gate) {
        t->holds_gate = false;
        g->holders--;
        admit_next(c->d);
    }
}

void xsd_txn_gate_forget(struct xsd_client *c)
{
    struct xsd_txn_gate *g = &c->d->txn_gate;
    if (c->gate_waiting) {
        for (struct xsd_client **p = &g->head; *p; p = &(*p)->gate_next) {
            if (*p == c) {
                *p = c->gate_next;
                break;
            }
        }
        c->gate_waiting = false;
        c->gate_next = NULL;
    }
    if (g->admitted == c) {
        g->admitted = NULL;
        g->holders--;
        admit_next(c->d);
    }
}
