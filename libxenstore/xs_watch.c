/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Watches: registration, the event queue and its pollable descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "xs_handle.h"

char **xs_strings_to_vector(const char *strings, unsigned int len,
                            unsigned int *num)
{
    unsigned int count = xs_count_strings(strings, len);
    char **vec = malloc((count + 1) * sizeof(char *) + len);
    char *copy;

    if (!vec) {
        errno = ENOMEM;
        return NULL;
    }
    copy = (char *)(vec + count + 1);
    memcpy(copy, strings, len);
    for (unsigned int i = 0; i < count; i++) {
        vec[i] = copy;
        copy += strlen(copy) + 1;
    }
    vec[count] = NULL;
    if (num)
        *num = count;
    return vec;
}

/* The pipe holds one byte exactly while the queue is non-empty. */
static void signal_pipe(struct xs_handle *h, bool nonempty)
{
    char byte = 0;

    if (h->event_pipe[1] < 0 || h->event_pipe_signalled == nonempty)
        return;
    if (nonempty) {
        if (write(h->event_pipe[1], &byte, 1) == 1)
            h->event_pipe_signalled = true;
    } else {
        if (read(h->event_pipe[0], &byte, 1) == 1)
            h->event_pipe_signalled = false;
    }
}

void xs_queue_event(struct xs_handle *h, struct xs_message *msg)
{
    struct xs_event *ev = malloc(sizeof(*ev));
    unsigned int num;

    /* An event that cannot be stored is dropped: the caller re-reads the
     * store on the next one, as with an event coalesced by the daemon. */
    if (ev) {
        ev->vec = xs_strings_to_vector(msg->body, msg->hdr.len, &num);
        if (ev->vec && num >= 2) {
            ev->next = NULL;
            *h->events_tail = ev;
            h->events_tail = &ev->next;
            signal_pipe(h, true);
        } else {
            free(ev->vec);
            free(ev);
        }
    }
    free(msg->body);
    free(msg);
}

static char **dequeue_event(struct xs_handle *h, unsigned int *num)
{
    struct xs_event *ev = h->events_head;
    char **vec;

    h->events_head = ev->next;
    if (!h->events_head)
        h->events_tail = &h->events_head;
    vec = ev->vec;
    free(ev);
    signal_pipe(h, h->events_head != NULL);
    if (num) {
        *num = 0;
        while (vec[*num])
            (*num)++;
    }
    return vec;
}

void xs_free_events(struct xs_handle *h)
{
    while (h->events_head) {
        struct xs_event *ev = h->events_head;

        h->events_head = ev->next;
        free(ev->vec);
        free(ev);
    }
    h->events_tail = &h->events_head;
}

static bool ensure_reader(struct xs_handle *h)
{
    bool ok;

    pthread_mutex_lock(&h->request_lock);
    ok = xs_start_reader(h);
    pthread_mutex_unlock(&h->request_lock);
    return ok;
}

int xs_fileno(struct xs_handle *h)
{
    int fd;

    if (!h) {
        errno = EINVAL;
        return -1;
    }
    /* Events must arrive without a request for the fd to ever wake. */
    if (!ensure_reader(h))
        return -1;
    xs_reader_only(h);
    pthread_mutex_lock(&h->state_lock);
    if (h->event_pipe[0] < 0) {
        if (pipe2(h->event_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
            h->event_pipe[0] = h->event_pipe[1] = -1;
            pthread_mutex_unlock(&h->state_lock);
            return -1;
        }
        h->event_pipe_signalled = false;
        signal_pipe(h, h->events_head != NULL);
    }
    fd = h->event_pipe[0];
    pthread_mutex_unlock(&h->state_lock);
    return fd;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    struct iovec iov[2];

    if (!h || !path || !token) {
        errno = EINVAL;
        return false;
    }
    if (!ensure_reader(h))
        return false;
    iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
    iov[1] = (struct iovec){ (void *)token, strlen(token) + 1 };
    return xs_talk_bool(h, XBT_NULL, XS_WATCH, iov, 2);
}

char **xs_check_watch(struct xs_handle *h)
{
    char **vec = NULL;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    pthread_mutex_lock(&h->state_lock);
    if (h->events_head)
        vec = dequeue_event(h, NULL);
    else
        errno = h->broken_errno ? h->broken_errno : EAGAIN;
    pthread_mutex_unlock(&h->state_lock);
    return vec;
}

static bool event_queued(const struct xs_handle *h)
{
    return h->events_head != NULL;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
    char **vec = NULL;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    if (!ensure_reader(h))
        return NULL;
    pthread_mutex_lock(&h->state_lock);
    xs_wait_for_input(h, event_queued);
    if (h->events_head)
        vec = dequeue_event(h, num);
    else
        errno = h->broken_errno;
    pthread_mutex_unlock(&h->state_lock);
    return vec;
}

/* Drops queued events of the watch (token, path) so none arrives after
 * xs_unwatch returned. */
static void filter_events(struct xs_handle *h, const char *path,
                          const char *token)
{
    struct xs_event **link = &h->events_head;

    h->events_tail = &h->events_head;
    while (*link) {
        struct xs_event *ev = *link;

        if (strcmp(ev->vec[XS_WATCH_TOKEN], token) == 0 &&
            xs_path_is_subpath(path, ev->vec[XS_WATCH_PATH])) {
            *link = ev->next;
            free(ev->vec);
            free(ev);
        } else {
            link = &ev->next;
            h->events_tail = link;
        }
    }
    signal_pipe(h, h->events_head != NULL);
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    struct iovec iov[2];
    bool ok;

    if (!h || !path || !token) {
        errno = EINVAL;
        return false;
    }
    iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
    iov[1] = (struct iovec){ (void *)token, strlen(token) + 1 };
    ok = xs_talk_bool(h, XBT_NULL, XS_UNWATCH, iov, 2);
    if (ok && h->unwatch_filter) {
        pthread_mutex_lock(&h->state_lock);
        filter_events(h, path, token);
        pthread_mutex_unlock(&h->state_lock);
    }
    return ok;
}
