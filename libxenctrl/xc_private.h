/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenctrl's internals: the handle, logging, hypercall buffers and the
 * hypercall transport, shared by the files that implement the API.
 */
#ifndef SUBFLOOR_XC_PRIVATE_H
#define SUBFLOOR_XC_PRIVATE_H

#include <errno.h>
#include <stdint.h>

#include "xenctrl.h"
#include "xenforeignmemory.h"
#include "xc_os.h"

#include <pthread.h>

#define XC_BUFFER_CACHE_PAGES 4

struct xc_interface_core {
    xentoollog_logger *logger;
    xentoollog_logger *dombuild_logger;
    xentoollog_logger *logger_owned;    /* ours to destroy, or NULL */
    unsigned flags;
    int privcmd_fd;
    int hypercall_fd;                   /* /dev/xen/hypercall, or -1 */
    xenforeignmemory_handle *fmem;      /* opened on first use */
    /* Single pages kept for the next hypercall (xc_hypercall_buf.c). */
    pthread_mutex_t cache_lock;
    unsigned int cache_count;
    void *cache[XC_BUFFER_CACHE_PAGES];
    xc_error last_error;
};

/* ---- logging (xc_logger.c, xc_handle.c) ---- */

/* Log through lg (stderr when NULL) under context; errno is kept. */
void xc__vlog(xentoollog_logger *lg, const char *context,
              xentoollog_level level, int errnoval, const char *fmt,
              va_list ap) __attribute__((format(printf, 5, 0)));
void xc__log_to(xentoollog_logger *lg, const char *context,
                xentoollog_level level, int errnoval, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The default logger of a handle opened with logger NULL. */
xentoollog_logger *xc__default_logger(void);

/* Log for a handle: records the last error too at XTL_ERROR and above. */
void xc__log(xc_interface *xch, xentoollog_level level, int errnoval,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define XC_ERROR(xch, ...)  xc__log(xch, XTL_ERROR, -1, __VA_ARGS__)
#define XC_PERROR(xch, ...) xc__log(xch, XTL_ERROR, errno, __VA_ARGS__)
#define XC_DEBUG(xch, ...)  xc__log(xch, XTL_DEBUG, -1, __VA_ARGS__)

/* ---- hypercall-safe memory (xc_hypercall_buf.c) ---- */

/* npages of zeroed memory that stays resident and is not inherited by a
 * fork()ed child: an mmap of /dev/xen/hypercall when the kernel has it,
 * else anonymous memory locked with mlock().  Logs on failure. */
void *xc__alloc_pages(xc_interface *xch, size_t npages);
void xc__free_pages(xc_interface *xch, void *p, size_t npages);
/* Give back the pages the handle keeps for reuse (at close). */
void xc__buffers_release(xc_interface *xch);

/* Bouncing a caller's buffer through hypercall-safe memory. */
enum {
    XC_BOUNCE_IN = 1,       /* the hypervisor reads it */
    XC_BOUNCE_OUT = 2,      /* the hypervisor writes it */
    XC_BOUNCE_BOTH = 3,
};
struct xc_bounce {
    void *ubuf;             /* the caller's memory; NULL for none */
    size_t size;
    int dir;
    void *hbuf;             /* set by xc__bounce_pre */
    size_t npages;
};
#define XC_BOUNCE(_ubuf, _size, _dir) \
    { .ubuf = (void *)(_ubuf), .size = (_size), .dir = (_dir), .hbuf = NULL, .npages = 0 }

/* Allocate hbuf and copy in (IN, BOTH): 0, or -1 with errno, logged.
 * A NULL ubuf or a size of 0 gives a NULL hbuf. */
int xc__bounce_pre(xc_interface *xch, struct xc_bounce *b);
/* Copy out (OUT, BOTH) and free; errno is kept. */
void xc__bounce_post(xc_interface *xch, struct xc_bounce *b);

/* n * size, or SIZE_MAX on overflow (which no allocation satisfies). */
static inline size_t xc__array_size(size_t n, size_t size)
{
    size_t r;
    return __builtin_mul_overflow(n, size, &r) ? SIZE_MAX : r;
}

/* ---- the transport (xc_privcmd.c) ---- */

/* One hypercall through IOCTL_PRIVCMD_HYPERCALL: its result (>= 0), or
 * -1 with errno the negated result.  Pointer arguments must point into
 * hypercall-safe memory.  Does not log. */
long xc__hypercall(xc_interface *xch, unsigned int op, uint64_t a1,
                   uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* domctl / sysctl with the structure bounced both ways and its interface
 * version set; logs a failure with `what` (the caller's function). */
int xc__domctl(xc_interface *xch, struct xen_domctl *domctl, const char *what);
int xc__sysctl(xc_interface *xch, struct xen_sysctl *sysctl, const char *what);

#endif
