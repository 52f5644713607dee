/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Hypercall buffers.  Linux runs a hypercall that privcmd issues with
 * the caller's page tables, and the hypervisor copies through them: a
 * page that is not present (never touched, swapped out, or being
 * migrated by the kernel) makes the hypercall fail with EFAULT.  So
 * every buffer a hypercall sees is memory that stays put:
 *
 *  - /dev/xen/hypercall (Linux 4.18+): mmap() of it gives zeroed pages
 *    the kernel keeps resident and never copies into a fork()ed child.
 *    This is what Xen's own libraries use when it exists.
 *  - Otherwise anonymous memory, locked with mlock() and marked
 *    MADV_DONTFORK so that a child's copy-on-write cannot move it.
 *
 * Callers' own memory is bounced: copied into such a buffer before the
 * hypercall and back out after it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_private.h"

/* Byte-granular buffers keep their page count in front of them. */
#define XC_BUF_HEADER 16

xc_hypercall_buffer_t XC__HYPERCALL_BUFFER_NAME(HYPERCALL_BUFFER_NULL) = {
    .hbuf = NULL, .param_shadow = NULL, HYPERCALL_BUFFER_INIT_NO_BOUNCE
};

static void *os_alloc_pages(xc_interface *xch, size_t npages)
{
    size_t len = npages * XC_PAGE_SIZE;
    void *p;

    if (xch->hypercall_fd >= 0) {
        p = xc__os->mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
                         xch->hypercall_fd, 0);
        if (p == MAP_FAILED) {
            XC_PERROR(xch, "cannot map %zu hypercall buffer pages", npages);
            return NULL;
        }
        return p;
    }
    p = xc__os->mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        XC_PERROR(xch, "cannot allocate %zu hypercall buffer pages", npages);
        return NULL;
    }
    if (madvise(p, len, MADV_DONTFORK) < 0) {
        XC_PERROR(xch, "cannot keep hypercall buffer pages from fork()");
        goto fail;
    }
    if (xc__os->mlock(p, len) < 0) {
        XC_PERROR(xch, "cannot lock %zu hypercall buffer pages", npages);
        goto fail;
    }
    return p;

fail: {
        int saved = errno;
        xc__os->munmap(p, len);
        errno = saved;
        return NULL;
    }
}

static void os_free_pages(xc_interface *xch, void *p, size_t npages)
{
    int saved = errno;
    size_t len = npages * XC_PAGE_SIZE;
    if (xch->hypercall_fd < 0)
        xc__os->munlock(p, len);
    xc__os->munmap(p, len);
    errno = saved;
}

void *xc__alloc_pages(xc_interface *xch, size_t npages)
{
    if (npages == 0 || npages > SIZE_MAX / XC_PAGE_SIZE) {
        errno = npages ? ENOMEM : EINVAL;
        XC_PERROR(xch, "cannot allocate %zu hypercall buffer pages", npages);
        return NULL;
    }
    if (npages == 1) {
        void *p = NULL;
        pthread_mutex_lock(&xch->cache_lock);
        if (xch->cache_count)
            p = xch->cache[--xch->cache_count];
        pthread_mutex_unlock(&xch->cache_lock);
        if (p) {
            memset(p, 0, XC_PAGE_SIZE);     /* as fresh pages are */
            return p;
        }
    }
    return os_alloc_pages(xch, npages);
}

void xc__free_pages(xc_interface *xch, void *p, size_t npages)
{
    if (!p)
        return;
    if (npages == 1) {
        int kept = 0;
        pthread_mutex_lock(&xch->cache_lock);
        if (xch->cache_count < XC_BUFFER_CACHE_PAGES) {
            xch->cache[xch->cache_count++] = p;
            kept = 1;
        }
        pthread_mutex_unlock(&xch->cache_lock);
        if (kept)
            return;
    }
    os_free_pages(xch, p, npages);
}

void xc__buffers_release(xc_interface *xch)
{
    while (xch->cache_count)
        os_free_pages(xch, xch->cache[--xch->cache_count], 1);
}

static size_t pages_for(size_t bytes)
{
    if (bytes > SIZE_MAX - (XC_PAGE_SIZE - 1))
        return SIZE_MAX;        /* xc__alloc_pages refuses it */
    return (bytes + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT;
}

int xc__bounce_pre(xc_interface *xch, struct xc_bounce *b)
{
    b->hbuf = NULL;
    b->npages = 0;
    if (!b->ubuf || !b->size)
        return 0;
    size_t npages = pages_for(b->size);
    b->hbuf = xc__alloc_pages(xch, npages);
    if (!b->hbuf) {
        XC_ERROR(xch, "cannot bounce a buffer of %zu bytes", b->size);
        return -1;
    }
    b->npages = npages;
    if (b->dir & XC_BOUNCE_IN)
        memcpy(b->hbuf, b->ubuf, b->size);
    return 0;
}

void xc__bounce_post(xc_interface *xch, struct xc_bounce *b)
{
    if (!b->hbuf)
        return;
    if (b->dir & XC_BOUNCE_OUT)
        memcpy(b->ubuf, b->hbuf, b->size);
    xc__free_pages(xch, b->hbuf, b->npages);
    b->hbuf = NULL;
    b->npages = 0;
}

/* ---- Xen's public buffer API ---- */

void *xc__hypercall_buffer_alloc_pages(xc_interface *xch,
                                       xc_hypercall_buffer_t *b, int nr_pages)
{
    if (nr_pages <= 0) {
        errno = EINVAL;
        XC_PERROR(xch, "cannot allocate %d hypercall buffer pages", nr_pages);
        return NULL;
    }
    void *p = xc__alloc_pages(xch, (size_t)nr_pages);
    b->hbuf = p;
    return p;
}

void xc__hypercall_buffer_free_pages(xc_interface *xch,
                                     xc_hypercall_buffer_t *b, int nr_pages)
{
    if (b->hbuf && nr_pages > 0)
        xc__free_pages(xch, b->hbuf, (size_t)nr_pages);
    b->hbuf = NULL;
}

void *xc__hypercall_buffer_alloc(xc_interface *xch, xc_hypercall_buffer_t *b,
                                 size_t size)
{
    size_t total = size > SIZE_MAX - XC_BUF_HEADER ? SIZE_MAX : size + XC_BUF_HEADER;
    size_t npages = pages_for(total);
    char *p = xc__alloc_pages(xch, npages);
    if (!p) {
        b->hbuf = NULL;
        return NULL;
    }
    memcpy(p, &npages, sizeof(npages));
    b->hbuf = p + XC_BUF_HEADER;
    return b->hbuf;
}

void xc__hypercall_buffer_free(xc_interface *xch, xc_hypercall_buffer_t *b)
{
    if (!b->hbuf)
        return;
    char *p = (char *)b->hbuf - XC_BUF_HEADER;
    size_t npages;
    memcpy(&npages, p, sizeof(npages));
    xc__free_pages(xch, p, npages);
    b->hbuf = NULL;
}
