/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Event channels for dom0 processes through /dev/xen/evtchn: binding is
 * an ioctl that returns the local port; the file reads as the ports
 * that fired (each masked until written back, which unmasks it).
 */
#include <fcntl.h>
#include <stdlib.h>

#include "xenevtchn.h"
#include "xc_linux.h"
#include "xc_private.h"

struct xenevtchn_handle {
    xentoollog_logger *logger;
    xentoollog_logger *logger_owned;
    int fd;
};

#define EVTCHN_LOG(xce, errnoval, ...) \
    xc__log_to((xce)->logger, "xenevtchn", XTL_ERROR, errnoval, __VA_ARGS__)

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
                                 unsigned int flags)
{
    xenevtchn_handle *xce = calloc(1, sizeof(*xce));
    if (!xce)
        return NULL;
    xce->logger = logger;
    if (!logger)
        xce->logger = xce->logger_owned = xc__default_logger();
    int oflags = O_RDWR | ((flags & XENEVTCHN_NO_CLOEXEC) ? 0 : O_CLOEXEC);
    xce->fd = xc__os->open(XC_DEV_EVTCHN, oflags);
    if (xce->fd < 0) {
        int saved = errno;
        EVTCHN_LOG(xce, errno, "cannot open %s", XC_DEV_EVTCHN);
        xtl_logger_destroy(xce->logger_owned);
        free(xce);
        errno = saved;
        return NULL;
    }
    return xce;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
    if (!xce)
        return 0;
    int rc = xc__os->close(xce->fd);
    int saved = errno;
    xtl_logger_destroy(xce->logger_owned);
    free(xce);
    errno = saved;
    return rc;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
    return xce->fd;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct ioctl_evtchn_notify op = { .port = port };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_NOTIFY, &op);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
                                                      uint32_t domid)
{
    struct ioctl_evtchn_bind_unbound_port op = { .remote_domain = domid };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &op);
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
                                                     uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain op = {
        .remote_domain = domid,
        .remote_port = remote_port,
    };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &op);
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
                                              unsigned int virq)
{
    struct ioctl_evtchn_bind_virq op = { .virq = virq };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_BIND_VIRQ, &op);
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct ioctl_evtchn_unbind op = { .port = port };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_UNBIND, &op);
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    evtchn_port_t port;
    ssize_t n = xc__os->read(xce->fd, &port, sizeof(port));
    if (n < 0)
        return -1;
    if (n != (ssize_t)sizeof(port)) {
        errno = EIO;        /* the device hands out whole ports only */
        return -1;
    }
    return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    ssize_t n = xc__os->write(xce->fd, &port, sizeof(port));
    if (n < 0)
        return -1;
    if (n != (ssize_t)sizeof(port)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid)
{
    struct ioctl_evtchn_restrict_domid op = { .domid = domid };
    return xc__os->ioctl(xce->fd, IOCTL_EVTCHN_RESTRICT_DOMID, &op);
}

/* ---- xc_evtchn_alloc_unbound: a port in another domain (the builder's
 * console and xenstore ports), through the hypercall, not the device ---- */

int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom)
{
    struct evtchn_alloc_unbound op = { .dom = (domid_t)dom,
                                       .remote_dom = (domid_t)remote_dom };
    struct xc_bounce b = XC_BOUNCE(&op, sizeof(op), XC_BOUNCE_BOTH);
    long rc;

    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    rc = xc__hypercall(xch, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                       (uint64_t)(uintptr_t)b.hbuf, 0, 0, 0);
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        XC_PERROR(xch, "xc_evtchn_alloc_unbound: domain %u for %u", dom, remote_dom);
        return -1;
    }
    return (int)op.port;
}
