/* The real backend for dom0: grant-map the guest's page through gntdev
 * and bind its event channel through the evtchn device.  The ioctl
 * layouts are Linux's Xen device ABI, restated here. */
#include "xsd_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define XSD_PAGE_SIZE 4096
/* Grant reference every toolstack reserves for the xenstore page. */
#define GRANT_REF_XENSTORE 1

struct gntdev_map_one {
    uint32_t count;
    uint32_t pad;
    uint64_t index;
    uint32_t domid;
    uint32_t ref;
};
struct gntdev_unmap {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};
struct evtchn_bind_interdomain {
    uint32_t remote_domain;
    uint32_t remote_port;
};
struct evtchn_port_arg {
    uint32_t port;
};

#define GNTDEV_MAP _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_one))
#define GNTDEV_UNMAP _IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap))
#define EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain))
#define EVTCHN_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))
#define XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)

struct xen_backend {
    struct xsd_backend ops;
    int gntdev, evtchn;
    /* gntdev offsets of mapped pages, to unmap them by address. */
    struct mapping { void *page; uint64_t index; } maps[256];
};

static int xen_map(struct xsd_backend *b, unsigned domid, uint64_t mfn,
                   void **page)
{
    struct xen_backend *x = (struct xen_backend *)b;
    (void)mfn;   /* the reserved grant makes the frame number unnecessary */
    struct gntdev_map_one req = { 1, 0, 0, domid, GRANT_REF_XENSTORE };
    if (ioctl(x->gntdev, GNTDEV_MAP, &req) < 0)
        return -errno;
    void *p = mmap(NULL, XSD_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   x->gntdev, (off_t)req.index);
    if (p == MAP_FAILED) {
        int err = errno;
        struct gntdev_unmap un = { req.index, 1, 0 };
        ioctl(x->gntdev, GNTDEV_UNMAP, &un);
        return -err;
    }
    for (size_t i = 0; i < sizeof(x->maps) / sizeof(x->maps[0]); i++) {
        if (!x->maps[i].page) {
            x->maps[i].page = p;
            x->maps[i].index = req.index;
            *page = p;
            return 0;
        }
    }
    munmap(p, XSD_PAGE_SIZE);
    struct gntdev_unmap un = { req.index, 1, 0 };
    ioctl(x->gntdev, GNTDEV_UNMAP, &un);
    return -ENOSPC;
}

static void xen_unmap(struct xsd_backend *b, void *page)
{
    struct xen_backend *x = (struct xen_backend *)b;
    munmap(page, XSD_PAGE_SIZE);
    for (size_t i = 0; i < sizeof(x->maps) / sizeof(x->maps[0]); i++) {
        if (x->maps[i].page == page) {
            struct gntdev_unmap un = { x->maps[i].index, 1, 0 };
            ioctl(x->gntdev, GNTDEV_UNMAP, &un);
            x->maps[i].page = NULL;
        }
    }
}

static int xen_bind(struct xsd_backend *b, unsigned domid, unsigned port)
{
    struct xen_backend *x = (struct xen_backend *)b;
    struct evtchn_bind_interdomain req = { domid, port };
    int local = ioctl(x->evtchn, EVTCHN_BIND_INTERDOMAIN, &req);
    return local < 0 ? -errno : local;
}

static void xen_unbind(struct xsd_backend *b, int port)
{
    struct xen_backend *x = (struct xen_backend *)b;
    struct evtchn_port_arg req = { (uint32_t)port };
    ioctl(x->evtchn, EVTCHN_UNBIND, &req);
}

static int xen_notify(struct xsd_backend *b, int port)
{
    struct xen_backend *x = (struct xen_backend *)b;
    struct evtchn_port_arg req = { (uint32_t)port };
    return ioctl(x->evtchn, EVTCHN_NOTIFY, &req) < 0 ? -errno : 0;
}

static int xen_poll_fd(struct xsd_backend *b, int port)
{
    (void)port;
    return ((struct xen_backend *)b)->evtchn;
}

/* Reading the device yields fired ports; writing them back unmasks. */
static int xen_drain(struct xsd_backend *b, int port)
{
    struct xen_backend *x = (struct xen_backend *)b;
    (void)port;
    uint32_t fired[64];
    ssize_t n = read(x->evtchn, fired, sizeof(fired));
    if (n > 0 && write(x->evtchn, fired, (size_t)n) < 0)
        return -errno;
    return 0;
}

static int xen_dom0_ring(struct xsd_backend *b, void **page, int *port)
{
    int fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int remote = ioctl(fd, XENBUS_BACKEND_EVTCHN);
    int err = remote < 0 ? errno : 0;
    close(fd);
    if (remote < 0)
        return -err;
    fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    void *p = mmap(NULL, XSD_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   fd, 0);
    err = errno;
    close(fd);
    if (p == MAP_FAILED)
        return -err;
    int local = xen_bind(b, 0, (unsigned)remote);
    if (local < 0) {
        munmap(p, XSD_PAGE_SIZE);
        return local;
    }
    *page = p;
    *port = local;
    return 0;
}

static void xen_close(struct xsd_backend *b)
{
    struct xen_backend *x = (struct xen_backend *)b;
    close(x->gntdev);
    close(x->evtchn);
    free(x);
}

struct xsd_backend *xsd_backend_xen_open(void)
{
    struct xen_backend *x = calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    x->evtchn = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    x->gntdev = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    if (x->evtchn < 0 || x->gntdev < 0) {
        int err = errno;
        if (x->evtchn >= 0)
            close(x->evtchn);
        if (x->gntdev >= 0)
            close(x->gntdev);
        free(x);
        errno = err;
        return NULL;
    }
    x->ops = (struct xsd_backend){
        .name = "xen", .map = xen_map, .unmap = xen_unmap, .bind = xen_bind,
        .unbind = xen_unbind, .notify = xen_notify, .poll_fd = xen_poll_fd,
        .drain = xen_drain, .dom0_ring = xen_dom0_ring, .close = xen_close,
    };
    return &x->ops;
}
