/*
 * A stand-in for gntdev and evtchn so the ring transport can be tested on
 * a host without Xen.  Selected by XENSTORED_TEST_RING_DIR=<dir>:
 *   <dir>/ring-<domid>    a file of at least one page: the shared page;
 *   <dir>/evtchn-<domid>  a Unix stream socket the test peer listens on;
 *                         each byte either side sends is one notification.
 * The "local port" is the descriptor of the connected socket.
 */
#include "xsd_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define XSD_PAGE_SIZE 4096

struct test_backend {
    struct xsd_backend ops;
    char dir[256];
};

static int test_map(struct xsd_backend *b, unsigned domid, uint64_t mfn,
                    void **page)
{
    struct test_backend *t = (struct test_backend *)b;
    (void)mfn;
    char path[300];
    snprintf(path, sizeof(path), "%s/ring-%u", t->dir, domid);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    void *p = mmap(NULL, XSD_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   fd, 0);
    int err = errno;
    close(fd);
    if (p == MAP_FAILED)
        return -err;
    *page = p;
    return 0;
}

static void test_unmap(struct xsd_backend *b, void *page)
{
    (void)b;
    munmap(page, XSD_PAGE_SIZE);
}

static int test_bind(struct xsd_backend *b, unsigned domid, unsigned port)
{
    struct test_backend *t = (struct test_backend *)b;
    (void)port;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path),
                         "%s/evtchn-%u", t->dir, domid) >=
        sizeof(addr.sun_path))
        return -ENAMETOOLONG;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

static void test_unbind(struct xsd_backend *b, int port)
{
    (void)b;
    close(port);
}

static int test_notify(struct xsd_backend *b, int port)
{
    (void)b;
    /* A full socket already holds a pending notification: enough. */
    if (send(port, "!", 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
        errno != EAGAIN)
        return -errno;
    return 0;
}

static int test_poll_fd(struct xsd_backend *b, int port)
{
    (void)b;
    return port;
}

static int test_drain(struct xsd_backend *b, int port)
{
    (void)b;
    char buf[64];
    for (;;) {
        ssize_t n = recv(port, buf, sizeof(buf), MSG_DONTWAIT);
        if (n > 0)
            continue;
        if (n == 0)
            return -EPIPE;
        return errno == EAGAIN || errno == EINTR ? 0 : -EPIPE;
    }
}

static int test_dom0_ring(struct xsd_backend *b, void **page, int *port)
{
    (void)b;
    (void)page;
    (void)port;
    return -ENODEV;
}

static void test_close(struct xsd_backend *b)
{
    free(b);
}

struct xsd_backend *xsd_backend_test_open(const char *dir)
{
    struct test_backend *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    if (strlen(dir) >= sizeof(t->dir)) {
        free(t);
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(t->dir, dir);
    t->ops = (struct xsd_backend){
        .name = "test", .map = test_map, .unmap = test_unmap,
        .bind = test_bind, .unbind = test_unbind, .notify = test_notify,
        .poll_fd = test_poll_fd, .drain = test_drain,
        .dom0_ring = test_dom0_ring, .close = test_close,
    };
    return &t->ops;
}
