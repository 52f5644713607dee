/* The shared-page transport (struct xenstore_domain_interface) from the
 * daemon's side: it consumes the request ring and produces the response
 * ring.  Indexes are free-running and written by an untrusted peer. */
#ifndef XSD_RING_H
#define XSD_RING_H

#include <stddef.h>

#include <public/io/xs_wire.h>

/* Copies pending request bytes out; returns the count or -EIO when the
 * peer's indexes are impossible. */
long xsd_ring_read(struct xenstore_domain_interface *intf, char *buf,
                   size_t max);
/* Copies as much as fits into the response ring; returns the count or
 * -EIO on impossible indexes. */
long xsd_ring_write(struct xenstore_domain_interface *intf, const char *data,
                    size_t len);

#endif
