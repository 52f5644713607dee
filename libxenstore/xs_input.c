/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who reads the connection.  Replies and watch events arrive on one byte
 * stream, which one thread at a time reads (h->reading).
 *
 * A thread that needs input -- a requester awaiting its reply, or
 * xs_read_watch with nothing queued -- reads the connection itself when
 * nobody else is, and leaves whatever arrives for whoever waits for it.
 * In the usual case of one thread per kind of wait, a message goes from
 * read() straight to the thread that asked for it, with no hand-off
 * between threads (each hand-off is a wake-up and a context switch).
 *
 * Events must also be taken in while nobody asks: left in the socket
 * they back up into the daemon, which drops a client that stops
 * reading.  So the first xs_watch starts a reader thread, as Xen's
 * library does.  It keeps out of the application's way: it reads only
 * after READER_LINGER_MS during which no application thread waited for
 * input, so an application that keeps calling xs_read_watch or making
 * requests reads for itself, and one that turned to other work has its
 * events drained soon after.  Once xs_fileno was called the pipe must
 * wake poll() as soon as an event arrives, even while every application
 * thread sleeps there, so from then on the reader thread alone reads.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "xs_handle.h"

#define READER_LINGER_MS 10

static void unlock_mutex(void *mutex)
{
    pthread_mutex_unlock(mutex);
}

/*
 * Reads one message with state_lock held on entry and on return (it is
 * dropped meanwhile) and files it: an event into the queue, anything
 * else as the reply.  A failure breaks the handle for everyone.  Only
 * the reader thread may be cancelled inside, and only in read().
 */
static void read_one(struct xs_handle *h, bool cancellable)
{
    struct xs_message *msg = malloc(sizeof(*msg));
    int rc, saved;

    h->reading = true;
    pthread_mutex_unlock(&h->state_lock);
    if (!msg) {
        rc = -1;
        errno = ENOMEM;
    } else if (cancellable) {
        pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
        pthread_cleanup_push(free, msg);
        rc = xs_read_message(h, msg);
        pthread_cleanup_pop(0);
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    } else {
        rc = xs_read_message(h, msg);
    }
    saved = errno;
    pthread_mutex_lock(&h->state_lock);
    h->reading = false;
    if (rc != 0) {
        free(msg);
        h->broken_errno = saved ? saved : EIO;
    } else if (msg->hdr.type == XS_WATCH_EVENT) {
        xs_queue_event(h, msg);
    } else {
        /* A second reply before the first was taken is a protocol
         * violation; keep the newest rather than leak or block. */
        if (h->reply) {
            free(h->reply->body);
            free(h->reply);
        }
        h->reply = msg;
    }
    pthread_cond_broadcast(&h->input_ready);
    /* An application thread that started reading before xs_fileno hands
     * the connection back at once, not after the reader's linger. */
    if (h->reader_only && !cancellable)
        pthread_cond_signal(&h->reader_wake);
}

void xs_wait_for_input(struct xs_handle *h,
                       bool (*ready)(const struct xs_handle *h))
{
    h->app_waiting++;
    while (!ready(h) && !h->broken_errno) {
        if (!h->reading && !h->reader_only)
            read_one(h, false);
        else
            pthread_cond_wait(&h->input_ready, &h->state_lock);
    }
    h->app_waiting--;
    h->app_epoch++;
}

static void linger(struct xs_handle *h)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += READER_LINGER_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_nsec -= 1000000000L;
        until.tv_sec++;
    }
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    pthread_cleanup_push(unlock_mutex, &h->state_lock);
    pthread_cond_timedwait(&h->reader_wake, &h->state_lock, &until);
    pthread_cleanup_pop(0);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
}

/* Cancelled only by xs_close, inside read() or while lingering. */
static void *reader_main(void *arg)
{
    struct xs_handle *h = arg;
    unsigned long seen;

    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    pthread_mutex_lock(&h->state_lock);
    seen = h->app_epoch;
    while (!h->broken_errno) {
        bool app_active = h->app_waiting || h->app_epoch != seen;

        if (h->reading || (!h->reader_only && app_active)) {
            seen = h->app_epoch;
            linger(h);
            continue;
        }
        read_one(h, true);
    }
    pthread_mutex_unlock(&h->state_lock);
    return NULL;
}

bool xs_start_reader(struct xs_handle *h)
{
    sigset_t all, old;
    int rc;

    /* Called with request_lock held, so no other thread starts one. */
    if (h->reader_running)
        return true;
    /* The reader must never take the application's signals. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&h->reader, NULL, reader_main, h);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        errno = rc;
        return false;
    }
    h->reader_running = true;
    return true;
}

void xs_reader_only(struct xs_handle *h)
{
    pthread_mutex_lock(&h->state_lock);
    h->reader_only = true;
    pthread_cond_signal(&h->reader_wake);
    pthread_mutex_unlock(&h->state_lock);
}

void xs_stop_reader(struct xs_handle *h)
{
    if (!h->reader_running)
        return;
    pthread_cancel(h->reader);
    pthread_join(h->reader, NULL);
    h->reader_running = false;
}
