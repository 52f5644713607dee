/*
 * privcmd: a hypercall issued through IOCTL_PRIVCMD_HYPERCALL returns the
 * hypervisor's version, and it agrees with what /sys/hypervisor shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "public/version.h"
#include "public/xen.h"

#include "devices_test.h"

/*
 * Linux's uapi <xen/privcmd.h> cannot be included from userspace (it
 * pulls in a kernel-internal header), so its ABI is spelled out here:
 * the hypercall number and five arguments, all 64-bit.
 */
struct privcmd_hypercall_args {
    uint64_t op;
    uint64_t arg[5];
};
#define PRIVCMD_IOCTL_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall_args))

static long read_sys_number(const char *path)
{
    FILE *f = fopen(path, "r");
    long value = -1;

    if (f) {
        if (fscanf(f, "%ld", &value) != 1)
            value = -1;
        fclose(f);
    }
    return value;
}

bool check_privcmd_version(void)
{
    const char *dev = "/dev/xen/privcmd";
    int fd = open(dev, O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return report(false, "privcmd", "cannot open %s: %s", dev, strerror(errno));

    struct privcmd_hypercall_args call = {
        .op = __HYPERVISOR_xen_version,
        .arg = { XENVER_version, 0 },
    };
    long ret = ioctl(fd, PRIVCMD_IOCTL_HYPERCALL, &call);
    int saved = errno;
    close(fd);
    if (ret < 0)
        return report(false, "privcmd", "xen_version hypercall failed: %s", strerror(saved));

    long major = ret >> 16, minor = ret & 0xffff;
    long sys_major = read_sys_number("/sys/hypervisor/version/major");
    long sys_minor = read_sys_number("/sys/hypervisor/version/minor");
    if (major != sys_major || minor != sys_minor)
        return report(false, "privcmd", "hypercall says %ld.%ld but /sys/hypervisor/version says %ld.%ld",
                      major, minor, sys_major, sys_minor);
    return report(true, "privcmd", "xen_version hypercall returned %ld.%ld, as /sys/hypervisor/version says",
                  major, minor);
}
