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
 * Xen's header pulls the wire protocol from <xen/io/xs_wire.h>, and
 * programs use some of it (XS_WATCH_PATH, the XS_* message types).  Ours
 * is the project's public ABI header, installed beside this one as
 * xenstore_wire.h (in the source tree a link to
 * hypervisor/include/public/io/xs_wire.h), so there is one definition,
 * the one the ABI test checks against Xen's.  When Xen's wire header was
 * included first, that one serves; after ours, Xen's is kept out.
 */
#ifndef _XS_WIRE_H
#include "xenstore_wire.h"
#define _XS_WIRE_H
#endif

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
