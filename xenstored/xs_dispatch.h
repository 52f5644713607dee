/* The request dispatcher: one decoded message in, one reply (and any
 * watch events it causes) out through the client's ops. */
#ifndef XS_DISPATCH_H
#define XS_DISPATCH_H

#include <stdint.h>

#include <public/io/xs_wire.h>

#include "xs_daemon.h"

/* hdr->len bytes of payload; the transport has already refused lengths
 * over XENSTORE_PAYLOAD_MAX (they break the stream, not just a request). */
void xs_dispatch(struct xs_client *c, const struct xsd_sockmsg *hdr,
                 const char *payload);

/* "ENOENT" for ENOENT; unknown numbers come out as "EINVAL". */
const char *xs_error_name(int err);
/* "READ" for XS_READ, or NULL. */
const char *xs_type_name(uint32_t type);

#endif
