/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Subfloor libxenstore: helpers shared by xenstore clients, with the names
 * and types of Xen 4.17's <xenstore_lib.h> so that programs written for
 * Xen's library build unchanged against this one.
 */
#ifndef XENSTORE_LIB_H
#define XENSTORE_LIB_H

#include <stddef.h>
#include <stdbool.h>
#include <limits.h>
#include <errno.h>
#include <stdint.h>

/*
 * Xen's header pulls the wire protocol from <xen/io/xs_wire.h>.  Programs
 * use some of it (XS_WATCH_PATH, the XS_* message types), so it is
 * provided here without depending on any hypervisor header.  When Xen's
 * or Subfloor's own wire header was included first, that one is used.
 */
#if !defined(_XS_WIRE_H) && !defined(SUBFLOOR_PUBLIC_IO_XS_WIRE_H)
#define _XS_WIRE_H
#define SUBFLOOR_PUBLIC_IO_XS_WIRE_H

enum xsd_sockmsg_type {
    XS_CONTROL = 0,
#define XS_DEBUG XS_CONTROL
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
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,
    XS_INVALID = 0xffff,
};

#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

struct xsd_errors {
    int errnum;
    const char *errstring;
};
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

struct xsd_sockmsg {
    uint32_t type;
    uint32_t req_id;
    uint32_t tx_id;
    uint32_t len;
};

enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN = 1,
};

#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;
    uint32_t error;
};

#define XENSTORE_PAYLOAD_MAX 4096
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
#endif /* wire definitions */

/* Access rights; older Xen releases name this enum, 4.17 only the
 * constants, so both spellings work (the self-referring macros keep
 * "#ifdef XS_PERM_READ" true as with Xen's header). */
enum xs_perm_type {
    XS_PERM_NONE = 0x00,
    XS_PERM_READ = 0x01,
    XS_PERM_WRITE = 0x02,
    /* Used inside daemons; never sent on the wire. */
    XS_PERM_ENOENT_OK = 0x04,
    XS_PERM_OWNER = 0x08,
    XS_PERM_IGNORE = 0x10,
};
#define XS_PERM_NONE XS_PERM_NONE
#define XS_PERM_READ XS_PERM_READ
#define XS_PERM_WRITE XS_PERM_WRITE
#define XS_PERM_ENOENT_OK XS_PERM_ENOENT_OK
#define XS_PERM_OWNER XS_PERM_OWNER
#define XS_PERM_IGNORE XS_PERM_IGNORE

/* One entry of a node's access list: the first entry names the owner and
 * gives the rights of every domain not listed after it. */
struct xs_permissions {
    unsigned int id;     /* domain id */
    unsigned int perms;  /* enum xs_perm_type bits */
};

/* Decimal digits needed to print an integer of type x, plus sign and NUL. */
#define MAX_STRLEN(x) ((sizeof(x) * CHAR_BIT + CHAR_BIT - 1) / 10 * 3 + 2)

/* Where the daemon lives; XENSTORED_RUNDIR and XENSTORED_PATH override. */
const char *xs_daemon_rundir(void);
const char *xs_daemon_socket(void);
const char *xs_daemon_socket_ro(void);
/* The xenbus device used inside a guest (XENSTORED_PATH overrides). */
const char *xs_domain_dev(void);

/* Writes all of data, retrying short writes and EINTR. */
bool xs_write_all(int fd, const void *data, unsigned int len);

/* Parses num NUL-separated permission strings ("r0", "b5") into perms.
 * Returns false with errno EINVAL on a malformed string. */
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
                         const char *strings);

/* Formats one permission as its wire string into buffer (at least
 * MAX_STRLEN(unsigned int) + 1 bytes).  False with errno EINVAL if the
 * permission bits have no letter. */
bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
                       size_t buf_len);

/* Number of NUL-terminated strings in the len bytes at strings. */
unsigned int xs_count_strings(const char *strings, unsigned int len);

#endif /* XENSTORE_LIB_H */
