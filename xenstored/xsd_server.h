/* The daemon's event loop: listening sockets, connections, domain rings. */
#ifndef XSD_SERVER_H
#define XSD_SERVER_H

#include <signal.h>
#include <stdbool.h>

#include "xsd_backend.h"
#include "xsd_conn.h"
#include "xsd_daemon.h"

struct xsd_server_config {
    const char *socket_path;      /* read-write socket */
    const char *ro_socket_path;   /* read-only socket */
    bool domain_init;             /* not -D: serve dom0's ring, need Xen */
    const char *test_ring_dir;    /* XENSTORED_TEST_RING_DIR, or NULL */
};

struct xsd_server {
    struct xsd_daemon *d;
    struct xsd_server_config cfg;
    int listen_rw, listen_ro;
    struct xsd_backend *backend;  /* NULL: INTRODUCE records domains only */
    struct xsd_conn *conns;
    struct xsd_sendq sendq;       /* socket connections with output */
    unsigned accept_paused;       /* loop passes to skip accepting */
};

/* Binds the sockets and opens the backend; on failure writes a message
 * naming what failed into err and returns -1. */
int xsd_server_init(struct xsd_server *s, struct xsd_daemon *d,
                    const struct xsd_server_config *cfg, char *err,
                    size_t errlen);
/* Serves until *stop becomes non-zero. */
int xsd_server_run(struct xsd_server *s, volatile sig_atomic_t *stop);
void xsd_server_destroy(struct xsd_server *s);

#endif
