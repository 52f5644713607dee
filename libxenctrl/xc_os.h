/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Every system call libxenctrl makes on a Xen device goes through this
 * table: the real kernel by default, a fake dom0 kernel with a fake
 * hypervisor behind it in the host tests (tests/libxenctrl), so that
 * the whole library, the ioctl encoding and the buffer handling
 * included, runs where there is no /dev/xen.
 */
#ifndef SUBFLOOR_XC_OS_H
#define SUBFLOOR_XC_OS_H

#include <stddef.h>
#include <sys/types.h>

struct xc_os_ops {
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    int (*ioctl)(int fd, unsigned long request, void *arg);
    void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
                  off_t offset);
    int (*munmap)(void *addr, size_t len);
    int (*mlock)(const void *addr, size_t len);
    int (*munlock)(const void *addr, size_t len);
    ssize_t (*read)(int fd, void *buf, size_t len);
    ssize_t (*write)(int fd, const void *buf, size_t len);
};

/* The table in use. */
extern const struct xc_os_ops *xc__os;

/* For the tests: use ops from now on (NULL: the real system again).
 * Not exported by the shared library. */
void xc__set_os_ops(const struct xc_os_ops *ops);

#endif
