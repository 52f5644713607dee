/* What the ring transport needs from the platform: map a domain's
 * xenstore page and speak on its event channel.  In dom0 that is
 * /dev/xen/gntdev and /dev/xen/evtchn; on a plain host the tests use the
 * file-and-socket backend selected by XENSTORED_TEST_RING_DIR. */
#ifndef XSD_BACKEND_H
#define XSD_BACKEND_H

#include <stdint.h>

struct xsd_backend {
    const char *name;
    /* Maps the page in *page; returns 0 or -errno. */
    int (*map)(struct xsd_backend *b, unsigned domid, uint64_t mfn,
               void **page);
    void (*unmap)(struct xsd_backend *b, void *page);
    /* Binds to the domain's unbound port; returns our port or -errno. */
    int (*bind)(struct xsd_backend *b, unsigned domid, unsigned remote_port);
    void (*unbind)(struct xsd_backend *b, int port);
    int (*notify)(struct xsd_backend *b, int port);
    /* Descriptor that becomes readable when the port fires (may be shared
     * by all ports), or -1. */
    int (*poll_fd)(struct xsd_backend *b, int port);
    /* Acknowledges and unmasks; -EPIPE when the channel is gone for good. */
    int (*drain)(struct xsd_backend *b, int port);
    /* Sets up dom0's own ring when the daemon does domain init: its page
     * and the local port already bound to it. */
    int (*dom0_ring)(struct xsd_backend *b, void **page, int *port);
    void (*close)(struct xsd_backend *b);
};

/* NULL with errno set when /dev/xen is not there. */
struct xsd_backend *xsd_backend_xen_open(void);
/* The test backend over dir/ring-<domid> and dir/evtchn-<domid>. */
struct xsd_backend *xsd_backend_test_open(const char *dir);

#endif
