/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Grant mapping for dom0 processes through /dev/xen/gntdev.  The device
 * is a file of grant slots: IOCTL_GNTDEV_MAP_GRANT_REF reserves slots
 * for a list of (domain, reference) pairs and says at which offset;
 * mmap() of the file at that offset does the mapping.  Unmapping asks
 * the device which slots back an address, unmaps, and frees the slots.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xengnttab.h"
#include "xc_linux.h"
#include "xc_private.h"

struct xengntdev_handle {
    xentoollog_logger *logger;
    xentoollog_logger *logger_owned;
    int fd;
};

#define GNT_LOG(xgt, errnoval, ...) \
    xc__log_to((xgt)->logger, "xengnttab", XTL_ERROR, errnoval, __VA_ARGS__)

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
                                 unsigned open_flags)
{
    (void)open_flags;
    xengnttab_handle *xgt = calloc(1, sizeof(*xgt));
    if (!xgt)
        return NULL;
    xgt->logger = logger;
    if (!logger)
        xgt->logger = xgt->logger_owned = xc__default_logger();
    xgt->fd = xc__os->open(XC_DEV_GNTDEV, O_RDWR | O_CLOEXEC);
    if (xgt->fd < 0) {
        int saved = errno;
        GNT_LOG(xgt, errno, "cannot open %s", XC_DEV_GNTDEV);
        xtl_logger_destroy(xgt->logger_owned);
        free(xgt);
        errno = saved;
        return NULL;
    }
    return xgt;
}

int xengnttab_close(xengnttab_handle *xgt)
{
    if (!xgt)
        return 0;
    int rc = xc__os->close(xgt->fd);
    int saved = errno;
    xtl_logger_destroy(xgt->logger_owned);
    free(xgt);
    errno = saved;
    return rc;
}

int xengnttab_fd(xengnttab_handle *xgt)
{
    return xgt->fd;
}

static void release_slots(xengnttab_handle *xgt, uint64_t index, uint32_t count)
{
    int saved = errno;
    struct ioctl_gntdev_unmap_grant_ref unmap = { .index = index, .count = count };
    xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
    errno = saved;
}

/* domids: one per ref, or NULL with every ref of `domid`. */
static void *map_refs(xengnttab_handle *xgt, uint32_t count, const uint32_t *domids,
                      uint32_t domid, const uint32_t *refs, int prot,
                      uint32_t notify_offset, evtchn_port_t notify_port)
{
    /* (A 32-bit count of 8-byte refs or 4 KiB pages fits a 64-bit size.) */
    if (count == 0) {
        errno = EINVAL;
        GNT_LOG(xgt, errno, "cannot map %u grants", count);
        return NULL;
    }
    size_t size = sizeof(struct ioctl_gntdev_map_grant_ref) +
                  (count - 1) * sizeof(struct ioctl_gntdev_grant_ref);
    struct ioctl_gntdev_map_grant_ref *map = calloc(1, size);
    void *va = NULL;

    if (!map)
        return NULL;
    map->count = count;
    for (uint32_t i = 0; i < count; i++) {
        map->refs[i].domid = domids ? domids[i] : domid;
        map->refs[i].ref = refs[i];
    }
    if (xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_MAP_GRANT_REF, map) < 0) {
        GNT_LOG(xgt, errno, "cannot reserve %u grant slots", count);
        goto out;
    }
    va = xc__os->mmap(NULL, (size_t)count * XC_PAGE_SIZE, prot, MAP_SHARED,
                      xgt->fd, (off_t)map->index);
    if (va == MAP_FAILED) {
        GNT_LOG(xgt, errno, "cannot map %u grants (first: domain %u ref %u)",
                count, map->refs[0].domid, map->refs[0].ref);
        release_slots(xgt, map->index, count);
        va = NULL;
        goto out;
    }
    if (notify_offset != (uint32_t)-1 || notify_port != (evtchn_port_t)-1) {
        struct ioctl_gntdev_unmap_notify notify = { .index = map->index };
        if (notify_offset != (uint32_t)-1) {
            if (notify_offset >= XC_PAGE_SIZE * count) {
                errno = EINVAL;
                GNT_LOG(xgt, errno, "unmap notification offset %u past the mapping",
                        notify_offset);
                goto undo;
            }
            notify.index += notify_offset;
            notify.action |= UNMAP_NOTIFY_CLEAR_BYTE;
        }
        if (notify_port != (evtchn_port_t)-1) {
            notify.event_channel_port = notify_port;
            notify.action |= UNMAP_NOTIFY_SEND_EVENT;
        }
        if (xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &notify) < 0) {
            GNT_LOG(xgt, errno, "cannot set the unmap notification");
            goto undo;
        }
    }
    goto out;

undo: {
        int saved = errno;
        xc__os->munmap(va, (size_t)count * XC_PAGE_SIZE);
        release_slots(xgt, map->index, count);
        errno = saved;
        va = NULL;
    }
out: {
        int saved = errno;
        free(map);
        errno = saved;
    }
    return va;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
                              uint32_t ref, int prot)
{
    return map_refs(xgt, 1, NULL, domid, &ref, prot, (uint32_t)-1, (evtchn_port_t)-1);
}

void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
                               uint32_t *domids, uint32_t *refs, int prot)
{
    return map_refs(xgt, count, domids, 0, refs, prot, (uint32_t)-1, (evtchn_port_t)-1);
}

void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
                                      uint32_t domid, uint32_t *refs, int prot)
{
    return map_refs(xgt, count, NULL, domid, refs, prot, (uint32_t)-1, (evtchn_port_t)-1);
}

void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid,
                                     uint32_t ref, int prot,
                                     uint32_t notify_offset,
                                     evtchn_port_t notify_port)
{
    return map_refs(xgt, 1, NULL, domid, &ref, prot, notify_offset, notify_port);
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    struct ioctl_gntdev_get_offset_for_vaddr where = {
        .vaddr = (uint64_t)(uintptr_t)start_address,
    };

    if (!start_address) {
        errno = EINVAL;
        return -1;
    }
    if (xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &where) < 0)
        return -1;
    if (where.count != count) {
        errno = EINVAL;     /* not exactly one earlier mapping */
        return -1;
    }
    if (xc__os->munmap(start_address, (size_t)count * XC_PAGE_SIZE) < 0)
        return -1;
    struct ioctl_gntdev_unmap_grant_ref unmap = { .index = where.offset, .count = count };
    return xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    struct ioctl_gntdev_set_max_grants max = { .count = nr_grants };
    if (xc__os->ioctl(xgt->fd, IOCTL_GNTDEV_SET_MAX_GRANTS, &max) == 0)
        return 0;
    /* Linux dropped the per-file limit (and the ioctl with it): there is
     * nothing to set, which is success. */
    return errno == ENOTTY ? 0 : -1;
}
