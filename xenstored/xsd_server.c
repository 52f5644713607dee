#define _GNU_SOURCE
#include "xsd_server.h"
#include "xsd_loop.h"
#include "xsd_txn_gate.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * A socket at path, listening.  It is bound under a temporary name and
 * renamed into place once it listens: a client (or a script) that waits
 * for the file and connects at once is then never refused, as it was
 * between bind() and listen().
 */
static int listen_on(const char *path, mode_t mode, char *err, size_t errlen)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path)) {
        snprintf(err, errlen, "socket path too long: %s", path);
        return -1;
    }
    /* Without room for the temporary name, bind at path itself. */
    bool staged = snprintf(addr.sun_path, sizeof(addr.sun_path), "%s.new",
                           path) < (int)sizeof(addr.sun_path);
    if (!staged)
        strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    /* A socket file left by a previous run would make bind fail. */
    unlink(addr.sun_path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        chmod(addr.sun_path, mode) < 0 || listen(fd, 64) < 0 ||
        (staged && rename(addr.sun_path, path) < 0)) {
        snprintf(err, errlen, "cannot listen on %s: %s", path,
                 strerror(errno));
        if (staged)
            unlink(addr.sun_path);
        close(fd);
        return -1;
    }
    return fd;
}

static int make_parent_dir(const char *path, char *err, size_t errlen)
{
    char *dir = strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", dir,
                     strerror(errno));
            free(dir);
            return -1;
        }
    }
    free(dir);
    return 0;
}

static void add_conn(struct xsd_server *s, struct xsd_conn *c)
{
    c->next = s->conns;
    s->conns = c;
    c->sendq = &s->sendq;
}

static int domain_connect(struct xsd_daemon *d, struct xsd_domain *dom,
                          void *arg)
{
    struct xsd_server *s = arg;
    if (!s->backend)
        return 0;   /* no hypervisor (-D): the domain is only recorded */
    void *page;
    int rc = s->backend->map(s->backend, dom->domid, dom->mfn, &page);
    if (rc < 0) {
        xsd_trace(d, "cannot map ring of domain %u: %s", dom->domid,
                  strerror(-rc));
        return rc;
    }
    int port = s->backend->bind(s->backend, dom->domid, dom->port);
    if (port < 0) {
        xsd_trace(d, "cannot bind event channel %u of domain %u: %s",
                  dom->port, dom->domid, strerror(-port));
        s->backend->unmap(s->backend, page);
        return port;
    }
    struct xsd_conn *c = xsd_conn_new_ring(d, dom->domid, s->backend, page,
                                           port);
    if (!c) {
        s->backend->unbind(s->backend, port);
        s->backend->unmap(s->backend, page);
        return -ENOMEM;
    }
    add_conn(s, c);
    dom->client = &c->client;
    c->intf->connection = XENSTORE_CONNECTED;
    s->backend->notify(s->backend, port);
    /* Requests may already be waiting, their notification lost before we
     * bound the channel; look once the current request is done (not now:
     * that would dispatch the guest's requests inside dom0's). */
    c->kick = true;
    return 0;
}

static void domain_disconnect(struct xsd_daemon *d, struct xsd_domain *dom,
                              void *arg)
{
    (void)d;
    (void)arg;
    if (dom->client)
        xsd_conn_kill((struct xsd_conn *)dom->client->transport,
                      "domain released");
    dom->client = NULL;
}

static int open_backend(struct xsd_server *s, char *err, size_t errlen)
{
    if (s->cfg.test_ring_dir) {
        s->backend = xsd_backend_test_open(s->cfg.test_ring_dir);
        if (!s->backend) {
            snprintf(err, errlen, "test ring backend on %s: %s",
                     s->cfg.test_ring_dir, strerror(errno));
            return -1;
        }
        return 0;
    }
    s->backend = xsd_backend_xen_open();
    if (!s->backend && s->cfg.domain_init) {
        snprintf(err, errlen,
                 "cannot open /dev/xen/evtchn and /dev/xen/gntdev: %s "
                 "(not running in dom0? use -D to run without a hypervisor)",
                 strerror(errno));
        return -1;
    }
    if (s->backend && s->cfg.domain_init) {
        void *page;
        int port;
        int rc = s->backend->dom0_ring(s->backend, &page, &port);
        if (rc < 0) {
            snprintf(err, errlen, "cannot set up dom0's xenstore ring: %s",
                     strerror(-rc));
            return -1;
        }
        struct xsd_conn *c = xsd_conn_new_ring(s->d, 0, s->backend, page,
                                               port);
        if (!c) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        c->kick = true;   /* dom0's kernel may have written already */
        add_conn(s, c);
        /* Dom0's kernel waits for this first event to know that its
         * xenstore has come up before it probes its devices. */
        s->backend->notify(s->backend, port);
    }
    return 0;
}

int xsd_server_init(struct xsd_server *s, struct xsd_daemon *d,
                    const struct xsd_server_config *cfg, char *err,
                    size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->d = d;
    s->cfg = *cfg;
    s->listen_rw = s->listen_ro = -1;
    xsd_sendq_init(&s->sendq);
    d->domain_ops.connect = domain_connect;
    d->domain_ops.disconnect = domain_disconnect;
    d->domain_ops.arg = s;
    if (make_parent_dir(cfg->socket_path, err, errlen) < 0 ||
        make_parent_dir(cfg->ro_socket_path, err, errlen) < 0)
        return -1;
    /* The read-only socket first: once the main one shows, both serve. */
    s->listen_ro = listen_on(cfg->ro_socket_path, 0660, err, errlen);
    if (s->listen_ro < 0)
        return -1;
    s->listen_rw = listen_on(cfg->socket_path, 0600, err, errlen);
    if (s->listen_rw < 0)
        return -1;
    return open_backend(s, err, errlen);
}

void xsd_server_accept(struct xsd_server *s, int fd, bool read_only)
{
    for (int i = 0; i < 16; i++) {
        int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (cfd < 0) {
            /* Out of descriptors the pending connection stays pending and
             * the socket stays readable: pause accepting for a moment
             * rather than spin. */
            if (errno == EMFILE || errno == ENFILE) {
                xsd_trace(s->d, "accept: %s", strerror(errno));
                s->accept_paused = 10;
            }
            return;
        }
        struct xsd_conn *c = xsd_conn_new_socket(s->d, cfd, read_only);
        if (!c) {
            close(cfd);
            return;
        }
        add_conn(s, c);
    }
}

void xsd_server_reap(struct xsd_server *s)
{
    struct xsd_conn **p = &s->conns;
    while (*p) {
        struct xsd_conn *c = *p;
        if (c->dead && !c->inflight) {
            *p = c->next;
            xsd_conn_free(c);
        } else {
            p = &c->next;
        }
    }
}

static void service_rings(struct xsd_server *s, bool fired)
{
    for (struct xsd_conn *c = s->conns; c; c = c->next) {
        if (c->kind != XSD_CONN_RING || c->dead)
            continue;
        if (fired || c->out.head || c->kick) {
            c->kick = false;
            xsd_conn_ring_service(c);
        }
    }
}

/* Each resume either opens the admitted one's transaction or passes the
 * slot on, so this ends. */
static void resume_admitted(struct xsd_server *s)
{
    struct xsd_client *c;
    while ((c = xsd_txn_gate_admitted(s->d)))
        xsd_conn_resume((struct xsd_conn *)c->transport);
}

void xsd_server_serve_pending(struct xsd_server *s, bool rings_fired)
{
    /* A resumed request can queue ring output (a watch event), and a
     * guest's request served from its ring can let a start in. */
    do {
        resume_admitted(s);
        service_rings(s, rings_fired);
        rings_fired = false;
    } while (xsd_txn_gate_admitted(s->d));
}


int xsd_server_run(struct xsd_server *s, volatile sig_atomic_t *stop)
{
    const char *choice = getenv("XENSTORED_EVENT_LOOP");
    if (choice && *choice && strcmp(choice, "poll") != 0 &&
        strcmp(choice, "io_uring") != 0) {
        fprintf(stderr, "xenstored: XENSTORED_EVENT_LOOP is '%s'; it must be "
                        "'io_uring' or 'poll'\n", choice);
        return -1;
    }
    if (!choice || strcmp(choice, "poll") != 0) {
        int rc = xsd_loop_uring(s, stop);
        if (rc != -ENOSYS)
            return rc;
        if (choice && *choice) {
            fprintf(stderr, "xenstored: io_uring is not available here\n");
            return -1;
        }
        xsd_trace(s->d, "io_uring not available: serving with poll()");
    }
    return xsd_loop_poll(s, stop);
}

void xsd_server_destroy(struct xsd_server *s)
{
    while (s->conns) {
        struct xsd_conn *c = s->conns;
        s->conns = c->next;
        xsd_conn_free(c);
    }
    if (s->listen_rw >= 0) {
        close(s->listen_rw);
        unlink(s->cfg.socket_path);
    }
    if (s->listen_ro >= 0) {
        close(s->listen_ro);
        unlink(s->cfg.ro_socket_path);
    }
    if (s->backend)
        s->backend->close(s->backend);
}
