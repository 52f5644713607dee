/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The xc_interface handle: opening the privcmd device (and the hypercall
 * buffer device where the kernel has one), closing, and the handle's
 * error reporting.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xc_linux.h"
#include "xc_private.h"

void xc__log(xc_interface *xch, xentoollog_level level, int errnoval,
             const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    if (xch && level >= XTL_ERROR) {
        xc_error *e = &xch->last_error;
        e->code = XC_INTERNAL_ERROR;
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof(e->message), fmt, ap);
        va_end(ap);
        if (errnoval >= 0) {
            size_t len = strlen(e->message);
            snprintf(e->message + len, sizeof(e->message) - len, ": %s",
                     strerror(errnoval));
        }
    }
    va_start(ap, fmt);
    xc__vlog(xch ? xch->logger : NULL, "xc", level, errnoval, fmt, ap);
    va_end(ap);
    errno = saved;
}

xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags)
{
    xc_interface *xch = calloc(1, sizeof(*xch));
    if (!xch) {
        xc__log_to(logger, "xc", XTL_CRITICAL, errno, "cannot allocate a handle");
        return NULL;
    }
    xch->flags = open_flags;
    pthread_mutex_init(&xch->cache_lock, NULL);
    xch->privcmd_fd = -1;
    xch->hypercall_fd = -1;
    xch->logger = logger;
    if (!logger) {
        xch->logger = xch->logger_owned = xc__default_logger();
        if (!xch->logger)
            goto fail;
    }
    xch->dombuild_logger = dombuild_logger ? dombuild_logger : xch->logger;

    if (open_flags & XC_OPENFLAG_DUMMY)
        return xch;

    xch->privcmd_fd = xc__os->open(XC_DEV_PRIVCMD, O_RDWR | O_CLOEXEC);
    if (xch->privcmd_fd < 0) {
        XC_PERROR(xch, "cannot open %s (is this dom0 of a Xen-compatible "
                  "hypervisor, with the xen-privcmd module loaded?)",
                  XC_DEV_PRIVCMD);
        goto fail;
    }
    /* Linux 4.18 and later hand out hypercall-safe pages from this
     * device; without it, locked anonymous memory does (see
     * xc_hypercall_buf.c).  Its absence is not an error. */
    xch->hypercall_fd = xc__os->open(XC_DEV_HYPERCALL, O_RDWR | O_CLOEXEC);
    if (xch->hypercall_fd < 0) {
        if (errno != ENOENT && errno != ENODEV && errno != ENXIO)
            xc__log(xch, XTL_DEBUG, errno, "no %s; using mlock()ed memory",
                    XC_DEV_HYPERCALL);
        xch->hypercall_fd = -1;
    }
    return xch;

fail: {
        int saved = errno;
        xtl_logger_destroy(xch->logger_owned);
        free(xch);
        errno = saved;
        return NULL;
    }
}

int xc_interface_close(xc_interface *xch)
{
    int rc = 0;

    if (!xch)
        return 0;
    if (xch->fmem && xenforeignmemory_close(xch->fmem) < 0)
        rc = -1;
    xc__buffers_release(xch);
    if (xch->hypercall_fd >= 0 && xc__os->close(xch->hypercall_fd) < 0)
        rc = -1;
    if (xch->privcmd_fd >= 0 && xc__os->close(xch->privcmd_fd) < 0) {
        XC_PERROR(xch, "closing %s", XC_DEV_PRIVCMD);
        rc = -1;
    }
    int saved = errno;
    xtl_logger_destroy(xch->logger_owned);
    pthread_mutex_destroy(&xch->cache_lock);
    free(xch);
    errno = saved;
    return rc;
}

struct xenforeignmemory_handle *xc_interface_fmem_handle(xc_interface *xch)
{
    if (!xch->fmem)
        xch->fmem = xenforeignmemory_open(xch->logger, 0);
    return xch->fmem;
}

const char *xc_error_code_to_desc(int code)
{
    switch (code) {
    case XC_ERROR_NONE: return "No error details";
    case XC_INTERNAL_ERROR: return "Internal error";
    case XC_INVALID_KERNEL: return "Invalid kernel";
    case XC_INVALID_PARAM: return "Invalid configuration";
    case XC_OUT_OF_MEMORY: return "Out of memory";
    }
    return "Unknown error code";
}

const char *xc_strerror(xc_interface *xch, int errcode)
{
    (void)xch;
    /* strerror() of glibc is thread-safe for known codes; unknown ones
     * share a static buffer, as Xen's does. */
    return strerror(errcode);
}

const xc_error *xc_get_last_error(xc_interface *xch)
{
    return &xch->last_error;
}

void xc_clear_last_error(xc_interface *xch)
{
    xch->last_error.code = XC_ERROR_NONE;
    xch->last_error.message[0] = '\0';
}
