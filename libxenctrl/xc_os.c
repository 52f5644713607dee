/* SPDX-License-Identifier: LGPL-2.1-only */
/* The system calls behind struct xc_os_ops: the real ones, by default. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xc_os.h"

static int os_open(const char *path, int flags) { return open(path, flags); }
static int os_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static const struct xc_os_ops real_os = {
    .open = os_open,
    .close = close,
    .ioctl = os_ioctl,
    .mmap = mmap,
    .munmap = munmap,
    .mlock = mlock,
    .munlock = munlock,
    .read = read,
    .write = write,
};

const struct xc_os_ops *xc__os = &real_os;

void xc__set_os_ops(const struct xc_os_ops *ops)
{
    xc__os = ops ? ops : &real_os;
}
