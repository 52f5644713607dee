/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xc_version: HYPERVISOR_xen_version with the argument bounced.  Each
 * XENVER_ command has its own argument type (public/version.h); the
 * hypervisor writes it, except for get_features and build_id, which it
 * also reads (the feature word's index, the buffer's length).
 */
#include "xc_private.h"

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    size_t size;
    int dir = XC_BOUNCE_OUT;

    switch (cmd) {
    case XENVER_version:
    case XENVER_pagesize:
        size = 0;
        break;
    case XENVER_extraversion:
        size = sizeof(xen_extraversion_t);
        break;
    case XENVER_compile_info:
        size = sizeof(xen_compile_info_t);
        break;
    case XENVER_capabilities:
        size = sizeof(xen_capabilities_info_t);
        break;
    case XENVER_changeset:
        size = sizeof(xen_changeset_info_t);
        break;
    case XENVER_platform_parameters:
        size = sizeof(xen_platform_parameters_t);
        break;
    case XENVER_get_features:
        size = sizeof(xen_feature_info_t);
        dir = XC_BOUNCE_BOTH;
        break;
    case XENVER_guest_handle:
        size = sizeof(xen_domain_handle_t);
        break;
    case XENVER_commandline:
        size = sizeof(xen_commandline_t);
        break;
    case XENVER_build_id:
        if (!arg) {
            errno = EINVAL;
            XC_PERROR(xch, "xc_version: XENVER_build_id needs a buffer");
            return -1;
        }
        size = sizeof(xen_build_id_t) + ((xen_build_id_t *)arg)->len;
        dir = XC_BOUNCE_BOTH;
        break;
    default:
        errno = EINVAL;
        XC_PERROR(xch, "xc_version: unknown command %d", cmd);
        return -1;
    }
    if (size && !arg) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_version: command %d needs a buffer", cmd);
        return -1;
    }

    struct xc_bounce b = XC_BOUNCE(size ? arg : NULL, size, dir);
    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    long rc = xc__hypercall(xch, __HYPERVISOR_xen_version, (uint64_t)cmd,
                            (uint64_t)(uintptr_t)b.hbuf, 0, 0, 0);
    xc__bounce_post(xch, &b);
    if (rc < 0) {
        /* build_id is absent from hypervisors built without one: no
         * error to shout about; the caller decides. */
        if (cmd != XENVER_build_id)
            XC_PERROR(xch, "xc_version: command %d failed", cmd);
        return -1;
    }
    return (int)rc;
}
