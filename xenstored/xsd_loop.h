/* The two event loops that serve a struct xsd_server: io_uring, where one
 * system call per pass sends every reply and waits for the next request
 * (the default), and poll(), where a pass costs a poll, a recv and a send
 * (the fallback when the kernel or a sandbox refuses io_uring, or when
 * XENSTORED_EVENT_LOOP=poll asks for it).  Both share the steps below. */
#ifndef XSD_LOOP_H
#define XSD_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "xsd_server.h"

/* Serves until *stop; -ENOSYS, before serving anything, when io_uring
 * cannot be set up. */
int xsd_loop_uring(struct xsd_server *s, volatile sig_atomic_t *stop);
int xsd_loop_poll(struct xsd_server *s, volatile sig_atomic_t *stop);

/* Accepts what is pending on a listening socket. */
void xsd_server_accept(struct xsd_server *s, int fd, bool read_only);
/* Moves ring traffic (every ring when fired: an event or the periodic
 * look; else those with output waiting or a kick) and runs the
 * transaction starts the gate has let in (xsd_txn_gate.h), until neither
 * has anything left that a request just served could have produced. */
void xsd_server_serve_pending(struct xsd_server *s, bool rings_fired);
/* Frees dead connections that have nothing in flight. */
void xsd_server_reap(struct xsd_server *s);

#endif
