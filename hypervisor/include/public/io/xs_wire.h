/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: the xenstore wire protocol of Xen 4.17.
 *
 * Every message, on a Unix socket or on the shared ring, is a fixed
 * 16-byte header followed by `len` bytes of payload, usually a sequence of
 * NUL-terminated strings.  Type numbers and error names are part of the
 * ABI: clients built against Xen's headers must understand our daemon.
 */
#ifndef SUBFLOOR_PUBLIC_IO_XS_WIRE_H
#define SUBFLOOR_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type {
    XS_CONTROL = 0,
#define XS_DEBUG XS_CONTROL          /* old name of XS_CONTROL */
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, withdrawn; the number stays unused. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,
    XS_INVALID = 0xffff,
};

/* Legacy write-mode strings, still accepted by some old clients. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Errors travel as the symbolic name of the errno ("ENOENT").  The table
 * order is fixed by the ABI: new names only ever go at the end.  It needs
 * <errno.h>, so it is only declared when errno names are visible.
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
#ifdef EINVAL
#define XSD_ERROR_ENTRY(e) { e, #e }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    XSD_ERROR_ENTRY(EINVAL),   XSD_ERROR_ENTRY(EACCES),
    XSD_ERROR_ENTRY(EEXIST),   XSD_ERROR_ENTRY(EISDIR),
    XSD_ERROR_ENTRY(ENOENT),   XSD_ERROR_ENTRY(ENOMEM),
    XSD_ERROR_ENTRY(ENOSPC),   XSD_ERROR_ENTRY(EIO),
    XSD_ERROR_ENTRY(ENOTEMPTY), XSD_ERROR_ENTRY(ENOSYS),
    XSD_ERROR_ENTRY(EROFS),    XSD_ERROR_ENTRY(EBUSY),
    XSD_ERROR_ENTRY(EAGAIN),   XSD_ERROR_ENTRY(EISCONN),
    XSD_ERROR_ENTRY(E2BIG),    XSD_ERROR_ENTRY(EPERM),
};
#endif

struct xsd_sockmsg {
    uint32_t type;    /* enum xsd_sockmsg_type */
    uint32_t req_id;  /* chosen by the client, echoed in the reply */
    uint32_t tx_id;   /* transaction, or 0 outside one */
    uint32_t len;     /* payload bytes after this header */
};

/* A WATCH_EVENT payload is "path\0token\0": these index its two strings. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN = 1,
};

/*
 * The shared page between a guest and xenstored: one request ring, one
 * response ring (which also carries watch events), free-running indexes.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;   /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;        /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;             /* XENSTORE_ERROR_* */
};

/* Longest payload a peer may send; longer messages break the protocol. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longer paths are refused with EINVAL. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

#endif /* SUBFLOOR_PUBLIC_IO_XS_WIRE_H */
