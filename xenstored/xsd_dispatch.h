/* The request dispatcher: one decoded message in, one reply (and any
 * watch events it causes) out through the client's ops. */
#ifndef XSD_DISPATCH_H
#define XSD_DISPATCH_H

#include <stdint.h>

#include <public/io/xs_wire.h>

#include "xsd_daemon.h"

/* hdr->len bytes of payload; the transport has already refused lengths
 * over XENSTORE_PAYLOAD_MAX (they break the stream, not just a request). */
void xsd_dispatch(struct xsd_client *c, const struct xsd_sockmsg *hdr,
                  const char *payload);

/* "ENOENT" for ENOENT; unknown numbers come out as "EINVAL". */
const char *xsd_error_name(int err);
/* "READ" for XS_READ, or NULL. */
const char *xsd_type_name(uint32_t type);

#endif
