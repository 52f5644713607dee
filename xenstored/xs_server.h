/* The daemon's event loop: listening sockets, connections, domain rings. */
#ifndef XS_SERVER_H
#define XS_SERVER_H

#include <signal.h>
#include <stdbool.h>

#include "xs_backend.h"
#include "xs_conn.h"
#include "xs_daemon.h"

struct xs_server_config {
    const char *socket_path;      /* read-write socket */
    const char *ro_socket_path;   /* read-only socket */
    bool domain_init;             /* not -D: serve dom0's ring, need Xen */
    const char *test_ring_dir;    /* XENSTORED_TEST_RING_DIR, or NULL */
};

struct xs_server {
    struct xs_daemon *d;
    struct xs_server_config cfg;
    int listen_rw, listen_ro;
    struct xs_backend *backend;   /* NULL: INTRODUCE records domains only */
    struct xs_conn *conns;
    struct xs_sendq sendq;        /* socket connections with output */
    unsigned accept_paused;       /* loop passes to skip accepting */
};

/* Binds the sockets and opens the backend; on failure writes a message
 * naming what failed into err and returns -1. */
int xs_server_init(struct xs_server *s, struct xs_daemon *d,
                   const struct xs_server_config *cfg, char *err,
                   size_t errlen);
/* Serves until *stop becomes non-zero. */
int xs_server_run(struct xs_server *s, volatile sig_atomic_t *stop);
void xs_server_destroy(struct xs_server *s);

#endif
