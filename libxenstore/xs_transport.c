/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Byte transport to the daemon: a Unix stream socket in dom0, or the
 * xenbus character device (which speaks the same framing) in a guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_handle.h"

static int connect_socket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        int saved = errno;

        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* xenfs (/proc/xen) shows xenbus as a regular file. */
#define XENFS_SUPER_MAGIC 0xabba1974

static bool on_xenfs(const char *path)
{
    struct statfs sf;

    return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == XENFS_SUPER_MAGIC;
}

/* As Xen's library, the kind of file decides the transport: a socket is
 * connected to, a character device (/dev/xen/xenbus) or xenfs's
 * /proc/xen/xenbus opened.  Anything else cannot be a daemon and is
 * refused rather than read as one. */
int xs_connect_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return -1;
    if (S_ISSOCK(st.st_mode))
        return connect_socket(path);
    if (!S_ISCHR(st.st_mode) && !(S_ISREG(st.st_mode) && on_xenfs(path))) {
        errno = ENOTSOCK;
        return -1;
    }
    return open(path, O_RDWR | O_CLOEXEC);
}

/* On a socket, a daemon that went away must give EPIPE, not SIGPIPE:
 * the application did not ask to be killed by its xenstore library. */
static ssize_t write_vector(struct xs_handle *h, struct iovec *iov, int cnt)
{
    if (!h->not_socket) {
        struct msghdr m = { .msg_iov = iov, .msg_iovlen = (size_t)cnt };
        ssize_t done = sendmsg(h->fd, &m, MSG_NOSIGNAL);

        if (done >= 0 || errno != ENOTSOCK)
            return done;
        h->not_socket = true;   /* the xenbus device: no signal there */
    }
    return writev(h->fd, iov, cnt);
}

bool xs_send_message(struct xs_handle *h, uint32_t type, uint32_t tx_id,
                     const struct iovec *iov, unsigned int iovcnt)
{
    struct xsd_sockmsg hdr = { .type = type, .tx_id = tx_id };
    struct iovec all[1 + iovcnt];
    size_t total = sizeof(hdr);
    unsigned int first = 0;

    for (unsigned int i = 0; i < iovcnt; i++)
        hdr.len += (uint32_t)iov[i].iov_len;
    if (hdr.len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return false;
    }
    hdr.req_id = h->next_req_id++;
    all[0] = (struct iovec){ &hdr, sizeof(hdr) };
    for (unsigned int i = 0; i < iovcnt; i++)
        all[1 + i] = iov[i];
    total += hdr.len;

    /* One write normally carries the whole message; finish short ones. */
    while (total > 0) {
        ssize_t done = write_vector(h, all + first, (int)(1 + iovcnt - first));

        if (done < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        total -= (size_t)done;
        while (done > 0) {
            size_t step = (size_t)done < all[first].iov_len
                              ? (size_t)done : all[first].iov_len;

            all[first].iov_base = (char *)all[first].iov_base + step;
            all[first].iov_len -= step;
            done -= (ssize_t)step;
            if (all[first].iov_len == 0)
                first++;
        }
    }
    return true;
}

/* Ensures at least want unconsumed bytes are buffered. */
static int fill_input(struct xs_handle *h, size_t want)
{
    while (h->in_end - h->in_start < want) {
        ssize_t got;

        if (h->in_start > 0) {
            memmove(h->in_buf, h->in_buf + h->in_start,
                    h->in_end - h->in_start);
            h->in_end -= h->in_start;
            h->in_start = 0;
        }
        got = read(h->fd, h->in_buf + h->in_end, h->in_size - h->in_end);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0) {
            errno = ECONNRESET;   /* the daemon went away */
            return -1;
        }
        h->in_end += (size_t)got;
    }
    return 0;
}

int xs_read_message(struct xs_handle *h, struct xs_message *msg)
{
    if (fill_input(h, sizeof(msg->hdr)) != 0)
        return -1;
    memcpy(&msg->hdr, h->in_buf + h->in_start, sizeof(msg->hdr));
    if (msg->hdr.len > XENSTORE_PAYLOAD_MAX) {
        errno = EBADMSG;   /* framing lost: nothing after this is usable */
        return -1;
    }
    if (fill_input(h, sizeof(msg->hdr) + msg->hdr.len) != 0)
        return -1;
    msg->body = malloc(msg->hdr.len + 1);
    if (!msg->body)
        return -1;
    memcpy(msg->body, h->in_buf + h->in_start + sizeof(msg->hdr),
           msg->hdr.len);
    msg->body[msg->hdr.len] = '\0';
    h->in_start += sizeof(msg->hdr) + msg->hdr.len;
    return 0;
}
