/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Event channels from dom0 user space through /dev/xen/evtchn, with Xen
 * 4.17 libxenevtchn's API (shipped inside Subfloor's libxenctrl).
 * Failures return -1 (or NULL) with errno set.
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>
#include "public/xen.h"
#include "public/event_channel.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;

/* A port, or -1 with errno. */
typedef int xenevtchn_port_or_error_t;
typedef struct xenevtchn_handle xenevtchn_handle;

#define XENEVTCHN_NO_CLOEXEC (1 << 0)

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
                                 unsigned int flags);
int xenevtchn_close(xenevtchn_handle *xce);             /* NULL is fine */
/* Readable when a bound port is pending: poll() it, then
 * xenevtchn_pending(). */
int xenevtchn_fd(xenevtchn_handle *xce);
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
                                                      uint32_t domid);
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
                                                     uint32_t domid,
                                                     evtchn_port_t remote_port);
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
                                              unsigned int virq);
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
/* The next pending port (now masked), blocking unless the fd was made
 * non-blocking. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);
/* Limit this handle to ports of one domain, irrevocably. */
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid);

#ifdef __cplusplus
}
#endif

#endif
