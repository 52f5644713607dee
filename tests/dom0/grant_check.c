/*
 * gntalloc + gntdev: dom0 grants one of its pages to itself through
 * gntalloc, maps that grant through gntdev, and checks that what is
 * written through either mapping is read through the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux's uapi headers use domid_t and grant_ref_t without defining them. */
#include "public/grant_table.h"
#include "public/xen.h"
#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#include "devices_test.h"

#define DOM0_DOMID 0
#define PAGE_BYTES 4096

struct grant_state {
    int alloc_fd, dev_fd;
    uint32_t gref;
    uint64_t alloc_index, map_index;
    bool allocated, mapped;
    unsigned char *granted, *mapping;
};

static bool grant_page(struct grant_state *s, char *why, size_t len)
{
    struct ioctl_gntalloc_alloc_gref req = {
        .domid = DOM0_DOMID, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1,
    };
    if (ioctl(s->alloc_fd, IOCTL_GNTALLOC_ALLOC_GREF, &req) < 0) {
        snprintf(why, len, "IOCTL_GNTALLOC_ALLOC_GREF failed: %s", strerror(errno));
        return false;
    }
    s->allocated = true;
    s->gref = req.gref_ids[0];
    s->alloc_index = req.index;
    s->granted = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, s->alloc_fd,
                      (off_t)req.index);
    if (s->granted == MAP_FAILED) {
        s->granted = NULL;
        snprintf(why, len, "mmap of the granted page (gref %u) failed: %s", s->gref, strerror(errno));
        return false;
    }
    return true;
}

static bool map_grant(struct grant_state *s, char *why, size_t len)
{
    struct ioctl_gntdev_map_grant_ref req = {
        .count = 1, .refs = { { .domid = DOM0_DOMID, .ref = s->gref } },
    };
    if (ioctl(s->dev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &req) < 0) {
        snprintf(why, len, "IOCTL_GNTDEV_MAP_GRANT_REF of gref %u failed: %s", s->gref, strerror(errno));
        return false;
    }
    s->mapped = true;
    s->map_index = req.index;
    /* The grant is mapped into the hypervisor's page tables at mmap time. */
    s->mapping = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, s->dev_fd,
                      (off_t)req.index);
    if (s->mapping == MAP_FAILED) {
        s->mapping = NULL;
        snprintf(why, len, "mmap of gref %u through gntdev failed: %s", s->gref, strerror(errno));
        return false;
    }
    return true;
}

/* Write a pattern through `from`; `to` must show it at every offset. */
static bool crosses(unsigned char *from, const unsigned char *to, unsigned char seed,
                    const char *direction, char *why, size_t len)
{
    for (size_t i = 0; i < PAGE_BYTES; i++)
        from[i] = (unsigned char)(seed + i * 7);
    for (size_t i = 0; i < PAGE_BYTES; i++) {
        if (to[i] != (unsigned char)(seed + i * 7)) {
            snprintf(why, len, "%s: byte %zu reads 0x%02x, wrote 0x%02x", direction, i, to[i],
                     (unsigned char)(seed + i * 7));
            return false;
        }
    }
    return true;
}

static void release(struct grant_state *s)
{
    if (s->mapping)
        munmap(s->mapping, PAGE_BYTES);
    if (s->mapped) {
        struct ioctl_gntdev_unmap_grant_ref un = { .index = s->map_index, .count = 1 };
        ioctl(s->dev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
    }
    if (s->granted)
        munmap(s->granted, PAGE_BYTES);
    if (s->allocated) {
        struct ioctl_gntalloc_dealloc_gref de = { .index = s->alloc_index, .count = 1 };
        ioctl(s->alloc_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &de);
    }
    if (s->dev_fd >= 0)
        close(s->dev_fd);
    if (s->alloc_fd >= 0)
        close(s->alloc_fd);
}

bool check_grant_self_map(void)
{
    struct grant_state s = {
        .alloc_fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC),
        .dev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC),
    };
    char why[160] = "";
    bool ok = false;

    if (s.alloc_fd < 0 || s.dev_fd < 0)
        snprintf(why, sizeof(why), "cannot open %s: %s",
                 s.alloc_fd < 0 ? "/dev/xen/gntalloc" : "/dev/xen/gntdev", strerror(errno));
    else
        ok = grant_page(&s, why, sizeof(why)) && map_grant(&s, why, sizeof(why)) &&
             crosses(s.granted, s.mapping, 0x11, "gntalloc to gntdev", why, sizeof(why)) &&
             crosses(s.mapping, s.granted, 0x5a, "gntdev to gntalloc", why, sizeof(why));
    if (ok)
        snprintf(why, sizeof(why), "gref %u granted to dom0 and mapped; a page written each way read back",
                 s.gref);
    release(&s);
    return report(ok, "grant", "%s", why);
}
