/* The poll() loop: rebuilds the descriptor set each pass, reads what is
 * readable, then writes what is queued. */
#include "xsd_loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "xsd_txn_gate.h"

static size_t count_conns(const struct xsd_server *s)
{
    size_t n = 0;
    for (struct xsd_conn *c = s->conns; c; c = c->next)
        n++;
    return n;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The transaction gate's tick, from the clock: read only while a start
 * waits (*next is 0 when nobody did at the last look). */
static void gate_tick(struct xsd_server *s, long long *next)
{
    if (!xsd_txn_gate_waiting(s->d)) {
        *next = 0;
        return;
    }
    long long now = now_ms();
    if (!*next) {
        *next = now + XSD_TXN_GATE_TICK_MS;
    } else if (now >= *next) {
        xsd_txn_gate_tick(s->d);
        *next = now + XSD_TXN_GATE_TICK_MS;
    }
}

int xsd_loop_poll(struct xsd_server *s, volatile sig_atomic_t *stop)
{
    long long next_tick = 0;
    while (!*stop) {
        size_t max = count_conns(s) + 2;
        struct pollfd *pfd = calloc(max, sizeof(*pfd));
        struct xsd_conn **who = calloc(max, sizeof(*who));
        if (!pfd || !who) {
            free(pfd);
            free(who);
            return -1;
        }
        size_t n = 0;
        short listen_ev = s->accept_paused ? 0 : POLLIN;
        if (s->accept_paused)
            s->accept_paused--;
        pfd[n++] = (struct pollfd){ .fd = s->listen_rw, .events = listen_ev };
        pfd[n++] = (struct pollfd){ .fd = s->listen_ro, .events = listen_ev };
        for (struct xsd_conn *c = s->conns; c; c = c->next) {
            if (c->kind == XSD_CONN_SOCKET) {
                short ev = xsd_conn_wants_input(c) ? POLLIN : 0;
                if (c->out.head)
                    ev |= POLLOUT;
                pfd[n] = (struct pollfd){ .fd = c->fd, .events = ev };
            } else {
                int fd = c->port_gone ? -1
                                      : c->backend->poll_fd(c->backend,
                                                            c->port);
                pfd[n] = (struct pollfd){ .fd = fd, .events = POLLIN };
            }
            who[n++] = c;
        }
        /* Ring output waiting for space needs the guest to consume and
         * notify; a periodic look also covers guests that forget to. */
        int timeout = s->accept_paused ? 10 : 1000;
        if (xsd_txn_gate_waiting(s->d) && timeout > XSD_TXN_GATE_TICK_MS)
            timeout = XSD_TXN_GATE_TICK_MS;
        int rc = poll(pfd, n, timeout);
        if (rc < 0 && errno != EINTR) {
            free(pfd);
            free(who);
            return -1;
        }
        if (rc > 0) {
            if (pfd[0].revents & POLLIN)
                xsd_server_accept(s, s->listen_rw, false);
            if (pfd[1].revents & POLLIN)
                xsd_server_accept(s, s->listen_ro, true);
        }
        bool ring_fired = rc == 0;
        for (size_t i = 2; rc > 0 && i < n; i++) {
            struct xsd_conn *c = who[i];
            if (!pfd[i].revents || c->dead)
                continue;
            if (c->kind == XSD_CONN_RING) {
                if (c->backend->drain(c->backend, c->port) < 0)
                    c->port_gone = true;
                ring_fired = true;
                continue;
            }
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
                xsd_conn_socket_input(c);
            if (pfd[i].revents & POLLNVAL)
                xsd_conn_kill(c, "invalid descriptor");
        }
        gate_tick(s, &next_tick);
        xsd_server_serve_pending(s, ring_fired);
        /* In the order output was queued; what a full socket keeps goes
         * back on the list, behind. */
        struct xsd_sendq again;
        xsd_sendq_init(&again);
        for (struct xsd_conn *c; (c = xsd_sendq_pop(&s->sendq));) {
            xsd_conn_socket_flush(c);
            if (!c->dead && c->out.head)
                xsd_sendq_add(&again, c);
        }
        for (struct xsd_conn *c; (c = xsd_sendq_pop(&again));)
            xsd_sendq_add(&s->sendq, c);
        free(pfd);
        free(who);
        xsd_server_reap(s);
    }
    return 0;
}
