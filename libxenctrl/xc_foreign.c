/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Foreign memory: another domain's frames mapped into this process.
 * Linux wants two steps: an mmap() of the privcmd file reserves the
 * address range, then IOCTL_PRIVCMD_MMAPBATCH_V2 fills it frame by
 * frame, writing a negated errno per frame that failed.  The ioctl fails
 * with ENOENT when a frame was paged out; those frames are asked for
 * again, alone, after a growing pause (Linux lets a later batch fill the
 * holes an earlier one left).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "xc_linux.h"
#include "xc_private.h"

struct xenforeignmemory_handle {
    xentoollog_logger *logger;
    xentoollog_logger *logger_owned;
    int fd;
};

#define FMEM_LOG(fmem, errnoval, ...) \
    xc__log_to((fmem)->logger, "xenforeignmemory", XTL_ERROR, errnoval, __VA_ARGS__)

/* How often, and how patiently, paged-out frames are asked for again. */
#define PAGED_RETRIES 8
#define PAGED_FIRST_WAIT_US 100

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned open_flags)
{
    (void)open_flags;
    xenforeignmemory_handle *fmem = calloc(1, sizeof(*fmem));
    if (!fmem)
        return NULL;
    fmem->logger = logger;
    if (!logger)
        fmem->logger = fmem->logger_owned = xc__default_logger();
    fmem->fd = xc__os->open(XC_DEV_PRIVCMD, O_RDWR | O_CLOEXEC);
    if (fmem->fd < 0) {
        int saved = errno;
        FMEM_LOG(fmem, errno, "cannot open %s", XC_DEV_PRIVCMD);
        xtl_logger_destroy(fmem->logger_owned);
        free(fmem);
        errno = saved;
        return NULL;
    }
    return fmem;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
    if (!fmem)
        return 0;
    int rc = xc__os->close(fmem->fd);
    int saved = errno;
    xtl_logger_destroy(fmem->logger_owned);
    free(fmem);
    errno = saved;
    return rc;
}

static int mmapbatch(xenforeignmemory_handle *fmem, uint32_t dom, void *addr,
                     size_t num, const xen_pfn_t *arr, int *err)
{
    struct privcmd_mmapbatch_v2 batch = {
        .num = (uint32_t)num,
        .dom = (uint16_t)dom,
        .addr = (uint64_t)(uintptr_t)addr,
        .arr = (const uint64_t *)arr,
        .err = err,
    };
    return xc__os->ioctl(fmem->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch);
}

/* Ask again, one frame at a time, for the frames that were paged out. */
static int retry_paged(xenforeignmemory_handle *fmem, uint32_t dom, char *addr,
                       size_t num, const xen_pfn_t *arr, int *err)
{
    long wait_us = PAGED_FIRST_WAIT_US;

    for (int round = 0; round < PAGED_RETRIES; round++) {
        int left = 0;
        struct timespec ts = { wait_us / 1000000, (wait_us % 1000000) * 1000 };
        nanosleep(&ts, NULL);
        for (size_t i = 0; i < num; i++) {
            if (err[i] != -ENOENT)
                continue;
            int rc = mmapbatch(fmem, dom, addr + i * XC_PAGE_SIZE, 1, &arr[i], &err[i]);
            if (rc < 0 && errno != ENOENT)
                return -1;
            if (err[i] == -ENOENT)
                left++;
        }
        if (!left)
            return 0;
        wait_us *= 3;
    }
    return 0;       /* what is still paged out stays -ENOENT in err[] */
}

void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom,
                            void *addr, int prot, int flags, size_t pages,
                            const xen_pfn_t arr[], int err[])
{
    int *errs = err;
    void *va;

    if (pages == 0 || pages > UINT32_MAX || pages > SIZE_MAX / XC_PAGE_SIZE) {
        errno = EINVAL;
        FMEM_LOG(fmem, errno, "cannot map %zu frames of domain %u", pages, dom);
        return NULL;
    }
    if (!errs) {
        errs = calloc(pages, sizeof(*errs));
        if (!errs)
            return NULL;
    }
    va = xc__os->mmap(addr, pages * XC_PAGE_SIZE, prot, MAP_SHARED | flags, fmem->fd, 0);
    if (va == MAP_FAILED) {
        FMEM_LOG(fmem, errno, "cannot reserve %zu pages for domain %u's frames",
                 pages, dom);
        va = NULL;
        goto out;
    }
    int rc = mmapbatch(fmem, dom, va, pages, arr, errs);
    if (rc < 0 && errno == ENOENT)
        rc = retry_paged(fmem, dom, va, pages, arr, errs);
    if (rc < 0) {
        int saved = errno;
        FMEM_LOG(fmem, errno, "cannot map %zu frames of domain %u", pages, dom);
        xc__os->munmap(va, pages * XC_PAGE_SIZE);
        errno = saved;
        va = NULL;
        goto out;
    }
    if (!err) {
        /* No per-frame report wanted: one bad frame fails the call. */
        for (size_t i = 0; i < pages; i++) {
            if (errs[i]) {
                xc__os->munmap(va, pages * XC_PAGE_SIZE);
                errno = -errs[i];
                FMEM_LOG(fmem, errno, "cannot map frame %#lx of domain %u",
                         (unsigned long)arr[i], dom);
                va = NULL;
                break;
            }
        }
    }
out:
    if (errs != err) {
        int saved = errno;
        free(errs);
        errno = saved;
    }
    return va;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
                           int prot, size_t pages, const xen_pfn_t arr[],
                           int err[])
{
    return xenforeignmemory_map2(fmem, dom, NULL, prot, 0, pages, arr, err);
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
    (void)fmem;
    return xc__os->munmap(addr, pages * XC_PAGE_SIZE);
}

int xenforeignmemory_restrict(xenforeignmemory_handle *fmem, domid_t domid)
{
    uint16_t d = domid;
    return xc__os->ioctl(fmem->fd, IOCTL_PRIVCMD_RESTRICT, &d);
}

/* ---- Xen's older xc_map_foreign_* names, on the handle's fmem ---- */

void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
                          const xen_pfn_t *arr, int *err, unsigned int num)
{
    xenforeignmemory_handle *fmem = xc_interface_fmem_handle(xch);
    if (!fmem)
        return NULL;
    if (!err) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_map_foreign_bulk: no error array");
        return NULL;
    }
    return xenforeignmemory_map(fmem, dom, prot, num, arr, err);
}

void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                           const xen_pfn_t *arr, int num)
{
    xenforeignmemory_handle *fmem = xc_interface_fmem_handle(xch);
    if (!fmem)
        return NULL;
    if (num <= 0) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_map_foreign_pages: %d frames", num);
        return NULL;
    }
    return xenforeignmemory_map(fmem, dom, prot, (size_t)num, arr, NULL);
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
                           int prot, unsigned long mfn)
{
    if (size <= 0) {
        errno = EINVAL;
        XC_PERROR(xch, "xc_map_foreign_range: size %d", size);
        return NULL;
    }
    int num = (int)(((size_t)size + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT);
    xen_pfn_t *arr = calloc((size_t)num, sizeof(*arr));
    if (!arr) {
        XC_PERROR(xch, "xc_map_foreign_range");
        return NULL;
    }
    for (int i = 0; i < num; i++)
        arr[i] = mfn + (unsigned long)i;
    void *va = xc_map_foreign_pages(xch, dom, prot, arr, num);
    int saved = errno;
    free(arr);
    errno = saved;
    return va;
}
