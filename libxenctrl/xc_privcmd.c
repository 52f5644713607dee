/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The transport: a hypercall issued by dom0's kernel through privcmd's
 * IOCTL_PRIVCMD_HYPERCALL, and the domctl/sysctl calls on top of it.
 * The ioctl returns the hypercall's result, or -1 with errno set to the
 * negated result; arguments that are pointers must already point into
 * hypercall-safe memory (xc_hypercall_buf.c).
 */
#include <string.h>

#include "xc_linux.h"
#include "xc_private.h"

long xc__hypercall(xc_interface *xch, unsigned int op, uint64_t a1,
                   uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct privcmd_hypercall call = {
        .op = op,
        .arg = { a1, a2, a3, a4, a5 },
    };

    if (xch->privcmd_fd < 0) {          /* XC_OPENFLAG_DUMMY */
        errno = EBADF;
        return -1;
    }
    return xc__os->ioctl(xch->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &call);
}

/*
 * One toolstack hypercall: the structure (domctl or sysctl, `size`
 * bytes) goes in and comes back through a hypercall buffer, with the
 * interface version filled in.  -EACCES is the hypervisor refusing that
 * version: a library built for another hypervisor release.
 */
static int control_call(xc_interface *xch, unsigned int op, void *op_struct,
                        size_t size, const char *name, uint32_t cmd,
                        const char *what)
{
    struct xc_bounce b = XC_BOUNCE(op_struct, size, XC_BOUNCE_BOTH);

    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    long rc = xc__hypercall(xch, op, (uint64_t)(uintptr_t)b.hbuf, 0, 0, 0, 0);
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        if (errno == EACCES)
            XC_ERROR(xch, "%s %u refused (interface version 0x%x): the "
                     "hypervisor speaks another version of the toolstack "
                     "interface; rebuild the tools for it", name, cmd,
                     name[0] == 'd' ? XEN_DOMCTL_INTERFACE_VERSION
                                    : XEN_SYSCTL_INTERFACE_VERSION);
        else if (what)
            XC_PERROR(xch, "%s: %s %u failed", what, name, cmd);
        return -1;
    }
    return (int)rc;
}

int xc__domctl(xc_interface *xch, struct xen_domctl *domctl, const char *what)
{
    domctl->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return control_call(xch, __HYPERVISOR_domctl, domctl, sizeof(*domctl),
                        "domctl", domctl->cmd, what);
}

int xc__sysctl(xc_interface *xch, struct xen_sysctl *sysctl, const char *what)
{
    sysctl->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return control_call(xch, __HYPERVISOR_sysctl, sysctl, sizeof(*sysctl),
                        "sysctl", sysctl->cmd, what);
}

int xc_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
    return xc__domctl(xch, domctl, NULL);
}

int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl)
{
    return xc__sysctl(xch, sysctl, NULL);
}
