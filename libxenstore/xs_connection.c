/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening and closing handles, and the request/reply exchange. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "xs_handle.h"

#define INPUT_BUFFER_SIZE (2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

static struct xs_handle *handle_for_fd(int fd)
{
    struct xs_handle *h = calloc(1, sizeof(*h));

    if (!h)
        return NULL;
    h->in_size = INPUT_BUFFER_SIZE;
    h->in_buf = malloc(h->in_size);
    if (!h->in_buf) {
        free(h);
        return NULL;
    }
    h->fd = fd;
    h->event_pipe[0] = h->event_pipe[1] = -1;
    h->events_tail = &h->events_head;
    pthread_mutex_init(&h->request_lock, NULL);
    pthread_mutex_init(&h->state_lock, NULL);
    pthread_cond_init(&h->input_ready, NULL);
    pthread_cond_init(&h->reader_wake, NULL);
    return h;
}

struct xs_handle *xs_open(unsigned long flags)
{
    bool socket_only = flags & XS_OPEN_SOCKETONLY;
    const char *sock = (flags & XS_OPEN_READONLY) ? xs_daemon_socket_ro()
                                                  : xs_daemon_socket();
    struct xs_handle *h;
    int fd = xs_connect_path(sock);

    if (fd < 0 && !socket_only)
        fd = xs_connect_path(xs_domain_dev());
    if (fd < 0)
        return NULL;
    h = handle_for_fd(fd);
    if (!h) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    h->unwatch_filter = flags & XS_UNWATCH_FILTER;
    return h;
}

struct xs_handle *xs_daemon_open(void) { return xs_open(0); }
struct xs_handle *xs_domain_open(void) { return xs_open(0); }
struct xs_handle *xs_daemon_open_readonly(void)
{
    return xs_open(XS_OPEN_READONLY);
}

static void free_handle(struct xs_handle *h)
{
    xs_free_events(h);
    if (h->event_pipe[0] >= 0) {
        close(h->event_pipe[0]);
        close(h->event_pipe[1]);
    }
    pthread_mutex_destroy(&h->request_lock);
    pthread_mutex_destroy(&h->state_lock);
    pthread_cond_destroy(&h->input_ready);
    pthread_cond_destroy(&h->reader_wake);
    free(h->in_buf);
    free(h);
}

void xs_close(struct xs_handle *h)
{
    if (!h)
        return;
    xs_stop_reader(h);
    close(h->fd);
    if (h->reply) {
        free(h->reply->body);
        free(h->reply);
    }
    free_handle(h);
}

void xs_daemon_close(struct xs_handle *h) { xs_close(h); }

/* After fork() the reader thread does not exist in the child and the
 * locks may be held by threads that are gone: only release memory. */
void xs_daemon_destroy_postfork(struct xs_handle *h)
{
    if (!h)
        return;
    close(h->fd);
    if (h->event_pipe[0] >= 0) {
        close(h->event_pipe[0]);
        close(h->event_pipe[1]);
    }
    free(h->in_buf);
    free(h);
}

int xs_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strcmp(name, xsd_errors[i].errstring) == 0)
            return xsd_errors[i].errnum;
    return EINVAL;   /* an unknown name still has to be a failure */
}

static bool reply_taken(const struct xs_handle *h)
{
    return h->reply != NULL;
}

static struct xs_message *await_reply(struct xs_handle *h)
{
    struct xs_message *msg;

    pthread_mutex_lock(&h->state_lock);
    xs_wait_for_input(h, reply_taken);
    msg = h->reply;
    h->reply = NULL;
    if (!msg)
        errno = h->broken_errno;
    pthread_mutex_unlock(&h->state_lock);
    return msg;
}

void *xs_talkv(struct xs_handle *h, xs_transaction_t t, uint32_t type,
               const struct iovec *iov, unsigned int iovcnt,
               unsigned int *len)
{
    struct xs_message *msg;
    int broken;
    char *body;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    pthread_mutex_lock(&h->request_lock);
    pthread_mutex_lock(&h->state_lock);
    broken = h->broken_errno;
    pthread_mutex_unlock(&h->state_lock);
    if (broken) {
        pthread_mutex_unlock(&h->request_lock);
        errno = broken;
        return NULL;
    }
    if (!xs_send_message(h, type, t, iov, iovcnt)) {
        int saved = errno;

        pthread_mutex_unlock(&h->request_lock);
        errno = saved;
        return NULL;
    }
    msg = await_reply(h);
    pthread_mutex_unlock(&h->request_lock);
    if (!msg)
        return NULL;

    body = msg->body;
    if (msg->hdr.type == XS_ERROR) {
        int err = xs_errno_from_name(body);

        free(body);
        free(msg);
        errno = err;
        return NULL;
    }
    if (msg->hdr.type != type) {
        /* A reply to something else means both sides lost track. */
        free(body);
        free(msg);
        pthread_mutex_lock(&h->state_lock);
        h->broken_errno = EBADMSG;
        pthread_mutex_unlock(&h->state_lock);
        errno = EBADMSG;
        return NULL;
    }
    if (len)
        *len = msg->hdr.len;
    free(msg);
    return body;
}

void *xs_talk_string(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                     const char *arg, unsigned int *len)
{
    struct iovec iov;

    if (!arg) {
        errno = EINVAL;
        return NULL;
    }
    iov.iov_base = (void *)arg;
    iov.iov_len = strlen(arg) + 1;
    return xs_talkv(h, t, type, &iov, 1, len);
}

bool xs_talk_bool(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                  const struct iovec *iov, unsigned int iovcnt)
{
    char *reply = xs_talkv(h, t, type, iov, iovcnt, NULL);

    if (!reply)
        return false;
    free(reply);
    return true;
}
