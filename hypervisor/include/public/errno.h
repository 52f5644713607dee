/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: error numbers (Xen 4.17 values).
 *
 * Hypercalls fail by returning the negated value.  On x86 the numbers
 * are Linux's, so a Linux guest passes them on to user space unchanged;
 * the XEN_ prefix keeps them apart from the host's own <errno.h>.
 */
#ifndef SUBFLOOR_PUBLIC_ERRNO_H
#define SUBFLOOR_PUBLIC_ERRNO_H

#ifndef __ASSEMBLY__

enum xen_errno {
    XEN_EPERM         = 1,    /* not permitted */
    XEN_ENOENT        = 2,    /* no such entry */
    XEN_ESRCH         = 3,    /* no such domain or vCPU */
    XEN_EIO           = 5,
    XEN_ENXIO         = 6,
    XEN_E2BIG         = 7,    /* argument list or buffer too large */
    XEN_ENOEXEC       = 8,    /* not an executable image */
    XEN_EBADF         = 9,
    XEN_ECHILD        = 10,
    XEN_EAGAIN        = 11,   /* try again */
    XEN_EWOULDBLOCK   = 11,
    XEN_ENOMEM        = 12,
    XEN_EACCES        = 13,
    XEN_EFAULT        = 14,   /* bad guest address */
    XEN_EBUSY         = 16,
    XEN_EEXIST        = 17,
    XEN_EXDEV         = 18,
    XEN_ENODEV        = 19,
    XEN_ENOTDIR       = 20,
    XEN_EISDIR        = 21,
    XEN_EINVAL        = 22,
    XEN_ENFILE        = 23,
    XEN_EMFILE        = 24,
    XEN_ENOSPC        = 28,
    XEN_EROFS         = 30,
    XEN_EMLINK        = 31,
    XEN_EDOM          = 33,
    XEN_ERANGE        = 34,
    XEN_EDEADLK       = 35,
    XEN_EDEADLOCK     = 35,
    XEN_ENAMETOOLONG  = 36,
    XEN_ENOLCK        = 37,
    XEN_ENOSYS        = 38,   /* unknown hypercall or sub-op */
    XEN_ENOTEMPTY     = 39,
    XEN_ENODATA       = 61,
    XEN_ETIME         = 62,   /* timer deadline already passed */
    XEN_EBADMSG       = 74,
    XEN_EOVERFLOW     = 75,
    XEN_EILSEQ        = 84,
    XEN_ENOTSOCK      = 88,
    XEN_EMSGSIZE      = 90,
    XEN_EOPNOTSUPP    = 95,
    XEN_EADDRINUSE    = 98,
    XEN_EADDRNOTAVAIL = 99,
    XEN_ENOBUFS       = 105,
    XEN_EISCONN       = 106,
    XEN_ENOTCONN      = 107,
    XEN_ETIMEDOUT     = 110,
    XEN_ECONNREFUSED  = 111,
};

#endif /* !__ASSEMBLY__ */

#endif /* SUBFLOOR_PUBLIC_ERRNO_H */
