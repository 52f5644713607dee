/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fake dom0 kernel of fake_xen.h: privcmd (the hypercall ioctl and
 * MMAPBATCH_V2 with Linux's rules), /dev/xen/hypercall, evtchn, gntdev,
 * mlock(), and the memory regions that make a pointer hypercall-safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_internal.h"

enum { FD_PRIVCMD = 1000, FD_HYPERCALL, FD_EVTCHN, FD_GNTDEV };

/* ---- memory the fake kernel knows about ---- */

struct region fake_regions[FAKE_REGIONS];

struct region *fake_region_add(enum region_kind kind, void *addr, size_t len)
{
    /* Memory the caller gave back with a plain munmap() (as Xen's
     * callers do with xc_map_foreign_* results) may come back now. */
    for (size_t i = 0; i < FAKE_REGIONS; i++) {
        struct region *r = &fake_regions[i];
        if (r->kind != R_FREE && r->addr < (char *)addr + len &&
            (char *)addr < r->addr + r->len) {
            if (r->kind == R_PRIVCMD)
                fake.live_privcmd_vmas--;
            r->kind = R_FREE;
        }
    }
    for (size_t i = 0; i < FAKE_REGIONS; i++) {
        if (fake_regions[i].kind == R_FREE) {
            memset(&fake_regions[i], 0, sizeof(fake_regions[i]));
            fake_regions[i].kind = kind;
            fake_regions[i].addr = addr;
            fake_regions[i].len = len;
            return &fake_regions[i];
        }
    }
    return NULL;
}

struct region *fake_region_at(const void *addr)
{
    for (size_t i = 0; i < FAKE_REGIONS; i++)
        if (fake_regions[i].kind != R_FREE && fake_regions[i].addr <= (const char *)addr &&
            (const char *)addr < fake_regions[i].addr + fake_regions[i].len)
            return &fake_regions[i];
    return NULL;
}

int fake_safe(const void *p, size_t len)
{
    if (!p)
        return 0;
    struct region *r = fake_region_at(p);
    if (!r || (r->kind != R_SAFE_DEV && r->kind != R_SAFE_LOCKED))
        return 0;
    return (const char *)p + len <= r->addr + r->len;
}

/* ---- the devices ---- */

static int privcmd_mmapbatch(struct privcmd_mmapbatch_v2 *m)
{
    struct region *vma = fake_region_at((void *)(uintptr_t)m->addr);
    size_t first, i;
    int paged = 0;

    fake.mmapbatch_calls++;
    if (!vma || vma->kind != R_PRIVCMD || m->num == 0) {
        errno = EINVAL;
        return -1;
    }
    first = ((char *)(uintptr_t)m->addr - vma->addr) / 4096;
    if (first + m->num > vma->len / 4096) {
        errno = EINVAL;
        return -1;
    }
    /* Linux: the whole area on the first try, holes only afterwards. */
    int any = 0;
    for (i = 0; i < vma->len / 4096; i++)
        any |= vma->filled[i];
    if (!any && (first != 0 || m->num != vma->len / 4096)) {
        errno = EINVAL;
        return -1;
    }
    for (i = 0; i < m->num; i++) {
        if (vma->filled[first + i]) {
            errno = EINVAL;
            return -1;
        }
    }
    for (i = 0; i < m->num; i++) {
        uint64_t f = m->arr[i];
        int e = 0;
        if (f >= FAKE_MAX_FRAMES) {
            e = -EINVAL;
        } else if (fake.paged[f] != 0) {
            if (fake.paged[f] > 0)
                fake.paged[f]--;
            e = -ENOENT;
            paged = 1;
        } else {
            memset(vma->addr + (first + i) * 4096, (int)f, 4096);
            vma->filled[first + i] = 1;
        }
        m->err[i] = e;
    }
    if (paged) {
        errno = ENOENT;
        return -1;
    }
    return 0;
}

/* evtchn: ports 1.. with a peer each; pending ones queue for read(). */
static int evtchn_peer[64], evtchn_used[64];
static uint32_t evtchn_queue[64];
static int evtchn_queued;

static int evtchn_new(void)
{
    for (int p = 1; p < 64; p++)
        if (!evtchn_used[p]) {
            evtchn_used[p] = 1;
            evtchn_peer[p] = 0;
            return p;
        }
    errno = ENOSPC;
    return -1;
}

/* gntdev: slots handed out by MAP_GRANT_REF, mapped by mmap. */
struct slot {
    int used;
    uint64_t index;
    uint32_t count;
    struct ioctl_gntdev_grant_ref refs[4];
    int notify;
};
static struct slot slots[8];
static uint64_t next_index;

static struct slot *slot_at(uint64_t index)
{
    for (size_t i = 0; i < 8; i++)
        if (slots[i].used && slots[i].index == index)
            return &slots[i];
    return NULL;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
    if (fd == FD_PRIVCMD) {
        if (req == IOCTL_PRIVCMD_HYPERCALL) {
            long rc = fake_hypercall(arg);
            if (rc < 0) {
                errno = (int)-rc;
                return -1;
            }
            return (int)rc;
        }
        if (req == IOCTL_PRIVCMD_MMAPBATCH_V2)
            return privcmd_mmapbatch(arg);
        errno = ENOTTY;
        return -1;
    }
    if (fd == FD_EVTCHN) {
        switch (req) {
        case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
            return evtchn_new();
        case IOCTL_EVTCHN_BIND_INTERDOMAIN: {
            struct ioctl_evtchn_bind_interdomain *b = arg;
            if (b->remote_domain != 0 || b->remote_port >= 64 ||
                !evtchn_used[b->remote_port] || evtchn_peer[b->remote_port]) {
                errno = EINVAL;
                return -1;
            }
            int p = evtchn_new();
            if (p > 0) {
                evtchn_peer[p] = (int)b->remote_port;
                evtchn_peer[b->remote_port] = p;
            }
            return p;
        }
        case IOCTL_EVTCHN_BIND_VIRQ:
            return evtchn_new();
        case IOCTL_EVTCHN_NOTIFY: {
            unsigned p = ((struct ioctl_evtchn_notify *)arg)->port;
            if (p >= 64 || !evtchn_used[p]) {
                errno = EINVAL;
                return -1;
            }
            if (evtchn_peer[p])
                evtchn_queue[evtchn_queued++] = (uint32_t)evtchn_peer[p];
            return 0;
        }
        case IOCTL_EVTCHN_UNBIND: {
            unsigned p = ((struct ioctl_evtchn_unbind *)arg)->port;
            if (p >= 64 || !evtchn_used[p]) {
                errno = ENOTCONN;
                return -1;
            }
            if (evtchn_peer[p])
                evtchn_peer[evtchn_peer[p]] = 0;
            evtchn_used[p] = 0;
            return 0;
        }
        }
        errno = ENOTTY;
        return -1;
    }
    if (fd == FD_GNTDEV) {
        switch (req) {
        case IOCTL_GNTDEV_MAP_GRANT_REF: {
            struct ioctl_gntdev_map_grant_ref *m = arg;
            for (size_t i = 0; i < 8; i++) {
                if (!slots[i].used && m->count <= 4) {
                    slots[i] = (struct slot){ .used = 1, .index = next_index,
                                              .count = m->count };
                    memcpy(slots[i].refs, m->refs, m->count * sizeof(m->refs[0]));
                    m->index = next_index;
                    next_index += (uint64_t)m->count * 4096;
                    fake.live_grant_slots++;
                    return 0;
                }
            }
            errno = ENOMEM;
            return -1;
        }
        case IOCTL_GNTDEV_UNMAP_GRANT_REF: {
            struct ioctl_gntdev_unmap_grant_ref *u = arg;
            struct slot *s = slot_at(u->index);
            if (!s || s->count != u->count) {
                errno = EINVAL;
                return -1;
            }
            s->used = 0;
            fake.live_grant_slots--;
            return 0;
        }
        case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: {
            struct ioctl_gntdev_get_offset_for_vaddr *g = arg;
            struct region *r = fake_region_at((void *)(uintptr_t)g->vaddr);
            if (!r || r->kind != R_GRANT || r->addr != (char *)(uintptr_t)g->vaddr) {
                errno = EINVAL;
                return -1;
            }
            g->offset = r->index;
            g->count = (uint32_t)(r->len / 4096);
            return 0;
        }
        case IOCTL_GNTDEV_SET_UNMAP_NOTIFY: {
            struct ioctl_gntdev_unmap_notify *n = arg;
            struct slot *s = NULL;
            for (size_t i = 0; i < 8; i++)
                if (slots[i].used && n->index >= slots[i].index &&
                    n->index < slots[i].index + slots[i].count * 4096ull)
                    s = &slots[i];
            if (!s) {
                errno = EINVAL;
                return -1;
            }
            s->notify = (int)n->action;
            return 0;
        }
        }
        errno = ENOTTY;     /* SET_MAX_GRANTS too, as Linux 6.1 */
        return -1;
    }
    errno = EBADF;
    return -1;
}

static int fake_open(const char *path, int flags)
{
    (void)flags;
    int fd = -1;
    if (!strcmp(path, XC_DEV_PRIVCMD) && fake.have_privcmd)
        fd = FD_PRIVCMD;
    else if (!strcmp(path, XC_DEV_HYPERCALL) && fake.have_hypercall_dev)
        fd = FD_HYPERCALL;
    else if (!strcmp(path, XC_DEV_EVTCHN) && fake.have_privcmd)
        fd = FD_EVTCHN;
    else if (!strcmp(path, XC_DEV_GNTDEV) && fake.have_privcmd)
        fd = FD_GNTDEV;
    if (fd < 0) {
        errno = ENOENT;
        return -1;
    }
    fake.open_fds++;
    return fd;
}

static int fake_close(int fd)
{
    if (fd < FD_PRIVCMD || fd > FD_GNTDEV) {
        errno = EBADF;
        return -1;
    }
    fake.open_fds--;
    return 0;
}

static void *fake_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    enum region_kind kind;

    if (fd == -1) {
        kind = R_ANON;
    } else if (fd == FD_HYPERCALL) {
        if (!(flags & MAP_SHARED) || off != 0) {
            errno = EINVAL;
            return MAP_FAILED;
        }
        if (len > fake.lock_limit) {
            errno = ENOMEM;
            return MAP_FAILED;
        }
        kind = R_SAFE_DEV;
    } else if (fd == FD_PRIVCMD) {
        if (len / 4096 > FAKE_MAX_FRAMES) {
            errno = ENOMEM;
            return MAP_FAILED;
        }
        kind = R_PRIVCMD;
    } else if (fd == FD_GNTDEV) {
        struct slot *s = slot_at((uint64_t)off);
        if (!s || s->count * 4096ull != len) {
            errno = EINVAL;
            return MAP_FAILED;
        }
        for (uint32_t i = 0; i < s->count; i++) {
            if (s->refs[i].domid != 0 || s->refs[i].ref == 0 ||
                s->refs[i].ref >= FAKE_MAX_GRANTS) {
                errno = EINVAL;     /* the hypervisor refused the grant */
                return MAP_FAILED;
            }
        }
        kind = R_GRANT;
    } else {
        errno = ENODEV;
        return MAP_FAILED;
    }
    void *p = mmap(addr, len, prot | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
                   (flags & MAP_FIXED), -1, 0);
    if (p == MAP_FAILED)
        return p;
    struct region *r = fake_region_add(kind, p, len);
    if (kind == R_SAFE_DEV) {
        fake.buffer_maps++;
        fake.live_safe_regions++;
    } else if (kind == R_PRIVCMD) {
        fake.live_privcmd_vmas++;
    } else if (kind == R_GRANT) {
        struct slot *s = slot_at((uint64_t)off);
        r->index = (uint64_t)off;
        for (uint32_t i = 0; i < s->count; i++)
            memcpy((char *)p + i * 4096, fake.grant_page[s->refs[i].ref], 64);
    }
    return p;
}

static int fake_munmap(void *addr, size_t len)
{
    struct region *r = fake_region_at(addr);
    if (r && r->addr == addr) {
        if (r->kind == R_SAFE_DEV) {
            fake.buffer_unmaps++;
            fake.live_safe_regions--;
        } else if (r->kind == R_SAFE_LOCKED) {
            fake.live_safe_regions--;   /* unmapped while still locked */
        } else if (r->kind == R_PRIVCMD) {
            fake.live_privcmd_vmas--;
        }
        r->kind = R_FREE;
    }
    return munmap(addr, len);
}

static int fake_mlock(const void *addr, size_t len)
{
    struct region *r = fake_region_at(addr);
    if (!r || r->kind != R_ANON || r->addr != addr || r->len != len) {
        errno = EINVAL;
        return -1;
    }
    if (len > fake.lock_limit) {
        errno = ENOMEM;     /* RLIMIT_MEMLOCK */
        return -1;
    }
    r->kind = R_SAFE_LOCKED;
    fake.mlocks++;
    fake.live_safe_regions++;
    return 0;
}

static int fake_munlock(const void *addr, size_t len)
{
    (void)len;
    struct region *r = fake_region_at(addr);
    if (!r || r->kind != R_SAFE_LOCKED) {
        errno = EINVAL;
        return -1;
    }
    r->kind = R_ANON;
    fake.munlocks++;
    fake.live_safe_regions--;
    return 0;
}

static ssize_t fake_read(int fd, void *buf, size_t len)
{
    if (fd != FD_EVTCHN) {
        errno = EBADF;
        return -1;
    }
    if (!evtchn_queued) {
        errno = EAGAIN;
        return -1;
    }
    if (len < 4) {
        errno = EINVAL;
        return -1;
    }
    memcpy(buf, &evtchn_queue[0], 4);
    memmove(evtchn_queue, evtchn_queue + 1, (size_t)--evtchn_queued * 4);
    return 4;
}

static ssize_t fake_write(int fd, const void *buf, size_t len)
{
    (void)buf;
    if (fd != FD_EVTCHN) {
        errno = EBADF;
        return -1;
    }
    return (ssize_t)len;
}

void fake_devices_reset(void)
{
    for (size_t i = 0; i < FAKE_REGIONS; i++)
        fake_regions[i].kind = R_FREE;
    memset(evtchn_used, 0, sizeof(evtchn_used));
    evtchn_queued = 0;
    memset(slots, 0, sizeof(slots));
    next_index = 0;
}

const struct xc_os_ops fake_os_ops = {
    .open = fake_open, .close = fake_close, .ioctl = fake_ioctl,
    .mmap = fake_mmap, .munmap = fake_munmap, .mlock = fake_mlock,
    .munlock = fake_munlock, .read = fake_read, .write = fake_write,
};

