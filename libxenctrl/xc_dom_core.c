/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The domain builder's object: inputs (kernel, ramdisk, command line),
 * its errors, the choice of loader, the guest's size and the memory
 * the stages write through.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xc_dom_private.h"

/* Files larger than this are not images we would load. */
#define XC_DOM_MAX_FILE_SIZE (1UL << 30)

int xc__dom_err(struct xc_dom_image *dom, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dom->last_error, sizeof(dom->last_error), fmt, ap);
    va_end(ap);
    if (dom->xch)
        xc__log(dom->xch, XTL_ERROR, -1, "domain builder: %s", dom->last_error);
    else
        xc__log_to(NULL, "xc_dom", XTL_ERROR, -1, "%s", dom->last_error);
    errno = saved ? saved : EINVAL;
    return -1;
}

void xc__dom_debug(struct xc_dom_image *dom, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!dom->xch)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xc__log(dom->xch, XTL_DEBUG, -1, "domain builder: %s", msg);
}

struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
                                     const char *features)
{
    struct xc_dom_image *dom = calloc(1, sizeof(*dom));

    if (!dom)
        return NULL;
    dom->xch = xch;
    dom->max_kernel_size = XC_DOM_MAX_KERNEL_SIZE;
    dom->max_ramdisk_size = XC_DOM_MAX_RAMDISK_SIZE;
    dom->console_evtchn = dom->xenstore_evtchn = 0;
    dom->console_mfn = dom->xenstore_mfn = INVALID_MFN;
    dom->shared_info_mfn = INVALID_MFN;
    if (cmdline && !(dom->cmdline = strdup(cmdline))) {
        free(dom);
        return NULL;
    }
    /* Xen lets the caller ask for features on top of the kernel's; a PV
     * guest of ours gets what its notes ask for, so none are taken. */
    if (features && *features)
        xc__dom_debug(dom, "requested features '%s' ignored", features);
    return dom;
}

static void release_memory(struct xc_dom_image *dom)
{
    if (dom->guest_mem && dom->guest_mem_foreign)
        xc__os->munmap(dom->guest_mem, dom->total_pages << XC_DOM_PAGE_SHIFT);
    dom->guest_mem = NULL;
    dom->guest_mem_foreign = false;
}

void xc_dom_release(struct xc_dom_image *dom)
{
    if (!dom)
        return;
    release_memory(dom);
    if (dom->elf_owned)
        free(dom->elf);
    free(dom->kernel_blob);
    free(dom->ramdisk_blob);
    free(dom->cmdline);
    free(dom->p2m_host);
    free(dom);
}

static int read_file(struct xc_dom_image *dom, const char *what,
                     const char *filename, void **out, size_t *out_size)
{
    struct stat st;
    int fd = open(filename, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return xc__dom_err(dom, "cannot open %s '%s': %s", what, filename,
                           strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return xc__dom_err(dom, "%s '%s' is not a regular file", what, filename);
    }
    if ((uint64_t)st.st_size > XC_DOM_MAX_FILE_SIZE || st.st_size == 0) {
        close(fd);
        return xc__dom_err(dom, "%s '%s' has %lld bytes (want 1 to %lu)", what,
                           filename, (long long)st.st_size, XC_DOM_MAX_FILE_SIZE);
    }
    size_t size = (size_t)st.st_size, done = 0;
    char *buf = malloc(size);
    if (!buf) {
        close(fd);
        return xc__dom_err(dom, "no memory for %s '%s' (%zu bytes)", what, filename, size);
    }
    while (done < size) {
        ssize_t n = read(fd, buf + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            free(buf);
            close(fd);
            return xc__dom_err(dom, "reading %s '%s': %s", what, filename,
                               e ? strerror(e) : "file shrank");
        }
        done += (size_t)n;
    }
    close(fd);
    *out = buf;
    *out_size = size;
    return 0;
}

static int set_blob(struct xc_dom_image *dom, const char *what, void **blob,
                    size_t *blob_size, const void *mem, size_t size)
{
    if (!mem || !size)
        return xc__dom_err(dom, "%s: empty image", what);
    void *copy = malloc(size);
    if (!copy)
        return xc__dom_err(dom, "no memory for the %s (%zu bytes)", what, size);
    memcpy(copy, mem, size);
    free(*blob);
    *blob = copy;
    *blob_size = size;
    return 0;
}

int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename)
{
    void *buf;
    size_t size;

    if (read_file(dom, "kernel", filename, &buf, &size) < 0)
        return -1;
    free(dom->kernel_blob);
    dom->kernel_blob = buf;
    dom->kernel_size = size;
    return 0;
}

int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem, size_t size)
{
    return set_blob(dom, "kernel", &dom->kernel_blob, &dom->kernel_size, mem, size);
}

int xc_dom_ramdisk_file(struct xc_dom_image *dom, const char *filename)
{
    void *buf;
    size_t size;

    if (read_file(dom, "ramdisk", filename, &buf, &size) < 0)
        return -1;
    if (size > dom->max_ramdisk_size) {
        free(buf);
        return xc__dom_err(dom, "ramdisk '%s' has %zu bytes, more than the %zu allowed",
                           filename, size, dom->max_ramdisk_size);
    }
    free(dom->ramdisk_blob);
    dom->ramdisk_blob = buf;
    dom->ramdisk_size = size;
    return 0;
}

int xc_dom_ramdisk_mem(struct xc_dom_image *dom, const void *mem, size_t size)
{
    if (size > dom->max_ramdisk_size)
        return xc__dom_err(dom, "ramdisk has %zu bytes, more than the %zu allowed",
                           size, dom->max_ramdisk_size);
    return set_blob(dom, "ramdisk", &dom->ramdisk_blob, &dom->ramdisk_size, mem, size);
}

int xc_dom_module_file(struct xc_dom_image *dom, const char *filename,
                       const char *cmdline)
{
    if (cmdline && *cmdline)
        return xc__dom_err(dom, "a PV module takes no command line ('%s')", cmdline);
    if (dom->ramdisk_blob)
        return xc__dom_err(dom, "a PV guest takes one module (its ramdisk)");
    return xc_dom_ramdisk_file(dom, filename);
}

int xc_dom_module_mem(struct xc_dom_image *dom, const void *mem, size_t size,
                      const char *cmdline)
{
    if (cmdline && *cmdline)
        return xc__dom_err(dom, "a PV module takes no command line ('%s')", cmdline);
    if (dom->ramdisk_blob)
        return xc__dom_err(dom, "a PV guest takes one module (its ramdisk)");
    return xc_dom_ramdisk_mem(dom, mem, size);
}

int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch,
                         uint32_t domid)
{
    dom->xch = xch;
    dom->guest_domid = domid;
    return 0;
}

/* Find the ELF inside the blob: as is, compressed, or a bzImage payload. */
int xc_dom_parse_image(struct xc_dom_image *dom)
{
    const void *img;
    size_t img_size;
    const char *refused = NULL, *fmt;

    if (!dom->kernel_blob)
        return xc__dom_err(dom, "no kernel given");
    if (dom->elf_owned)
        free(dom->elf);
    dom->elf = NULL;
    dom->elf_owned = false;

    img = dom->kernel_blob;
    img_size = dom->kernel_size;
    dom->kernel_format = "ELF";
    if (xc__dom_bzimage_probe(img, img_size)) {
        if (xc__dom_bzimage_payload(dom, img, img_size, &img, &img_size) < 0)
            return -1;
        dom->kernel_format = "bzImage";
    }
    fmt = xc__dom_compression(img, img_size, &refused);
    if (refused)
        return xc__dom_err(dom, "kernel %s is compressed with %s, which this builder "
                           "does not unpack (gzip and XZ only)",
                           dom->kernel_format, refused);
    if (fmt) {
        void *out;
        size_t out_size;
        if (xc__dom_unpack(dom, "kernel", img, img_size, dom->max_kernel_size,
                           &out, &out_size) < 0)
            return -1;
        dom->elf = out;
        dom->elf_size = out_size;
        dom->elf_owned = true;
        dom->kernel_format = !strcmp(dom->kernel_format, "bzImage")
            ? (!strcmp(fmt, "gzip") ? "bzImage/gzip" : "bzImage/xz")
            : (!strcmp(fmt, "gzip") ? "ELF/gzip" : "ELF/xz");
    } else {
        if (!strcmp(dom->kernel_format, "bzImage"))
            return xc__dom_err(dom, "bzImage payload is neither ELF nor a "
                               "compression format we know");
        dom->elf = (void *)img;
        dom->elf_size = img_size;
    }
    if (xc__dom_elf_parse(dom) < 0) {
        if (dom->elf_owned)
            free(dom->elf);
        dom->elf = NULL;
        dom->elf_owned = false;
        return -1;
    }
    xc__dom_debug(dom, "kernel: %s, entry %#llx, virt_base %#llx", dom->kernel_format,
                  (unsigned long long)dom->parms.virt_entry,
                  (unsigned long long)dom->parms.virt_base);
    return 0;
}

int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mib)
{
    if (mem_mib == 0 || mem_mib > (1U << 20))
        return xc__dom_err(dom, "guest memory of %u MiB (want 1 MiB to 1 TiB)", mem_mib);
    if (dom->guest_mem)
        return xc__dom_err(dom, "guest memory is already set up");
    dom->total_pages = (xen_pfn_t)mem_mib << (20 - XC_DOM_PAGE_SHIFT);
    return 0;
}

int xc__dom_attach_memory(struct xc_dom_image *dom, void *mem,
                          const xen_pfn_t *p2m)
{
    if (!dom->total_pages)
        return xc__dom_err(dom, "attach memory: xc_dom_mem_init first");
    xen_pfn_t *copy = malloc(xc__array_size(dom->total_pages, sizeof(*copy)));
    if (!copy)
        return xc__dom_err(dom, "no memory for the p2m");
    memcpy(copy, p2m, dom->total_pages * sizeof(*copy));
    release_memory(dom);
    free(dom->p2m_host);
    dom->p2m_host = copy;
    dom->guest_mem = mem;
    dom->guest_mem_foreign = false;
    return 0;
}

xen_pfn_t xc_dom_p2m(struct xc_dom_image *dom, xen_pfn_t pfn)
{
    if (!dom->p2m_host || pfn >= dom->total_pages)
        return INVALID_MFN;
    return dom->p2m_host[pfn];
}

void *xc_dom_pfn_to_ptr(struct xc_dom_image *dom, xen_pfn_t pfn, xen_pfn_t count)
{
    if (!dom->guest_mem || pfn >= dom->total_pages || count > dom->total_pages - pfn)
        return NULL;
    return dom->guest_mem + (pfn << XC_DOM_PAGE_SHIFT);
}

int xc_dom_build_image(struct xc_dom_image *dom)
{
    if (!dom->elf)
        return xc__dom_err(dom, "build: xc_dom_parse_image first");
    if (!dom->guest_mem || !dom->p2m_host)
        return xc__dom_err(dom, "build: the guest's memory is not set up "
                           "(xc_dom_boot_mem_init first)");
    if (xc__dom_x86_pv_layout(dom) < 0)
        return -1;
    /* Fresh frames need not be zero (Xen does not clear what
     * populate_physmap hands out): the guest gets no stale bytes. */
    memset(dom->guest_mem, 0, dom->total_pages << XC_DOM_PAGE_SHIFT);
    if (xc__dom_elf_load(dom) < 0)
        return -1;
    if (dom->ramdisk_blob)
        memcpy(xc_dom_pfn_to_ptr(dom, dom->ramdisk_seg.pfn, dom->ramdisk_seg.pages),
               dom->ramdisk_blob, dom->ramdisk_size);
    if (xc__dom_x86_pv_write(dom) < 0)
        return -1;
    dom->console_mfn = xc_dom_p2m(dom, dom->console_pfn);
    dom->xenstore_mfn = xc_dom_p2m(dom, dom->xenstore_pfn);
    return 0;
}
