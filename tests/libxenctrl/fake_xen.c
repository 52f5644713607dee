/* SPDX-License-Identifier: GPL-2.0-only */
/* The fake dom0 kernel and hypervisor of fake_xen.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_xen.h"
#include "xc_linux.h"
#include "xc_os.h"

struct fake_xen fake;

enum { FD_PRIVCMD = 1000, FD_HYPERCALL, FD_EVTCHN, FD_GNTDEV };

/* ---- memory the fake kernel knows about ---- */

enum region_kind { R_FREE, R_ANON, R_SAFE_DEV, R_SAFE_LOCKED, R_PRIVCMD, R_GRANT };
struct region {
    enum region_kind kind;
    char *addr;
    size_t len;
    uint8_t filled[FAKE_MAX_FRAMES];    /* R_PRIVCMD: pages mapped */
    uint64_t index;                     /* R_GRANT: slot offset */
};
static struct region regions[256];

static struct region *region_add(enum region_kind kind, void *addr, size_t len)
{
    /* Memory the caller gave back with a plain munmap() (as Xen's
     * callers do with xc_map_foreign_* results) may come back now. */
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        struct region *r = &regions[i];
        if (r->kind != R_FREE && r->addr < (char *)addr + len &&
            (char *)addr < r->addr + r->len) {
            if (r->kind == R_PRIVCMD)
                fake.live_privcmd_vmas--;
            r->kind = R_FREE;
        }
    }
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        if (regions[i].kind == R_FREE) {
            memset(&regions[i], 0, sizeof(regions[i]));
            regions[i].kind = kind;
            regions[i].addr = addr;
            regions[i].len = len;
            return &regions[i];
        }
    }
    return NULL;
}

static struct region *region_at(const void *addr)
{
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
        if (regions[i].kind != R_FREE && regions[i].addr <= (const char *)addr &&
            (const char *)addr < regions[i].addr + regions[i].len)
            return &regions[i];
    return NULL;
}

/* May the hypervisor touch [p, p+len)?  Only hypercall-safe memory. */
static int safe(const void *p, size_t len)
{
    if (!p)
        return 0;
    struct region *r = region_at(p);
    if (!r || (r->kind != R_SAFE_DEV && r->kind != R_SAFE_LOCKED))
        return 0;
    return (const char *)p + len <= r->addr + r->len;
}

/* ---- the hypervisor ---- */

#define FAULT() do { fake.efaults++; return -EFAULT; } while (0)

static struct fake_domain *domain(unsigned id)
{
    return id < FAKE_MAX_DOMAINS && fake.dom[id].exists ? &fake.dom[id] : NULL;
}

static long do_domctl(struct xen_domctl *d)
{
    if (!fake.privileged)
        return -EPERM;
    if (d->interface_version != fake.domctl_version)
        return -EACCES;
    if (d->cmd == XEN_DOMCTL_createdomain) {
        for (unsigned id = 1; id < FAKE_MAX_DOMAINS; id++) {
            if (!fake.dom[id].exists) {
                fake_add_domain((uint16_t)id, 0);
                fake.dom[id].info.flags = XEN_DOMINF_paused;
                fake.dom[id].info.max_vcpu_id = d->u.createdomain.max_vcpus - 1;
                d->domain = (domid_t)id;
                return 0;
            }
        }
        return -ENOMEM;
    }
    if (d->cmd == XEN_DOMCTL_getdomaininfo) {
        /* Xen 4.17: the first domain at or above the id asked for. */
        for (unsigned id = d->domain; id < FAKE_MAX_DOMAINS; id++) {
            if (fake.dom[id].exists) {
                d->domain = (domid_t)id;
                d->u.getdomaininfo = fake.dom[id].info;
                return 0;
            }
        }
        return -ESRCH;
    }
    struct fake_domain *dom = domain(d->domain);
    if (!dom)
        return -ESRCH;
    switch (d->cmd) {
    case XEN_DOMCTL_destroydomain:
        dom->exists = 0;
        return 0;
    case XEN_DOMCTL_pausedomain:
        dom->info.flags |= XEN_DOMINF_paused;
        return 0;
    case XEN_DOMCTL_unpausedomain:
        dom->info.flags &= ~XEN_DOMINF_paused;
        return 0;
    case XEN_DOMCTL_max_mem:
        dom->max_memkb = d->u.max_mem.max_memkb;
        dom->info.max_pages = d->u.max_mem.max_memkb >> 2;
        return 0;
    case XEN_DOMCTL_max_vcpus:
        if (d->u.max_vcpus.max == 0 || d->u.max_vcpus.max > FAKE_NR_CPUS)
            return -EINVAL;
        dom->info.max_vcpu_id = d->u.max_vcpus.max - 1;
        return 0;
    case XEN_DOMCTL_setdomainhandle:
        memcpy(dom->info.handle, d->u.setdomainhandle.handle, sizeof(xen_domain_handle_t));
        return 0;
    case XEN_DOMCTL_settimeoffset:
        dom->time_offset = d->u.settimeoffset.time_offset_seconds;
        return 0;
    case XEN_DOMCTL_getvcpuinfo:
        if (d->u.getvcpuinfo.vcpu > dom->info.max_vcpu_id)
            return -ESRCH;
        d->u.getvcpuinfo.online = 1;
        d->u.getvcpuinfo.running = d->u.getvcpuinfo.vcpu == 0;
        d->u.getvcpuinfo.cpu = d->u.getvcpuinfo.vcpu;
        d->u.getvcpuinfo.cpu_time = 1000000000ull * (d->u.getvcpuinfo.vcpu + 1);
        return 0;
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity: {
        struct xenctl_bitmap *hard = &d->u.vcpuaffinity.cpumap_hard;
        size_t bytes = (hard->nr_bits + 7) / 8;
        if (!(d->u.vcpuaffinity.flags & XEN_VCPUAFFINITY_HARD))
            return 0;
        if (bytes < sizeof(dom->affinity) || !safe(hard->bitmap.p, bytes))
            FAULT();
        if (d->cmd == XEN_DOMCTL_setvcpuaffinity) {
            /* What takes effect: the CPUs that exist. */
            dom->affinity[0] = hard->bitmap.p[0] & ((1u << FAKE_NR_CPUS) - 1);
            if (!dom->affinity[0])
                return -EINVAL;
        }
        memset(hard->bitmap.p, 0, bytes);
        hard->bitmap.p[0] = dom->affinity[0];
        return 0;
    }
    case XEN_DOMCTL_getvcpucontext:
        if (!safe(d->u.vcpucontext.ctxt.p, sizeof(vcpu_guest_context_t)))
            FAULT();
        *d->u.vcpucontext.ctxt.p = dom->ctxt;
        return 0;
    case XEN_DOMCTL_setvcpucontext:
        if (!safe(d->u.vcpucontext.ctxt.p, sizeof(vcpu_guest_context_t)))
            FAULT();
        dom->ctxt = *d->u.vcpucontext.ctxt.p;
        return 0;
    }
    return -ENOSYS;
}

static long do_sysctl(struct xen_sysctl *s)
{
    if (!fake.privileged)
        return -EPERM;
    if (s->interface_version != fake.sysctl_version)
        return -EACCES;
    switch (s->cmd) {
    case XEN_SYSCTL_physinfo:
        memset(&s->u.physinfo, 0, sizeof(s->u.physinfo));
        s->u.physinfo.nr_cpus = FAKE_NR_CPUS;
        s->u.physinfo.max_cpu_id = FAKE_NR_CPUS - 1;
        s->u.physinfo.threads_per_core = 1;
        s->u.physinfo.cores_per_socket = FAKE_NR_CPUS;
        s->u.physinfo.nr_nodes = 1;
        s->u.physinfo.cpu_khz = 2000000;
        s->u.physinfo.total_pages = 262144;
        s->u.physinfo.free_pages = 1000;
        s->u.physinfo.capabilities = XEN_SYSCTL_PHYSCAP_pv;
        return 0;
    case XEN_SYSCTL_sched_id:
        s->u.sched_id.sched_id = XEN_SCHEDULER_NULL;
        return 0;
    case XEN_SYSCTL_getdomaininfolist: {
        struct xen_sysctl_getdomaininfolist *l = &s->u.getdomaininfolist;
        uint32_t n = 0;
        for (unsigned id = l->first_domain; id < FAKE_MAX_DOMAINS && n < l->max_domains; id++) {
            if (!fake.dom[id].exists)
                continue;
            if (!safe(l->buffer.p + n, sizeof(xc_domaininfo_t)))
                FAULT();
            l->buffer.p[n++] = fake.dom[id].info;
        }
        l->num_domains = n;
        return 0;
    }
    case XEN_SYSCTL_readconsole: {
        struct xen_sysctl_readconsole *r = &s->u.readconsole;
        uint32_t start = r->incremental ? r->index : 0;
        uint32_t n = 0;
        if (start > fake.console_len)
            start = (uint32_t)fake.console_len;
        n = (uint32_t)fake.console_len - start;
        if (n > r->count)
            n = r->count;
        if (n && !safe(r->buffer.p, n))
            FAULT();
        memcpy(r->buffer.p, fake.console + start, n);
        r->count = n;
        r->index = start + n;
        if (r->clear)
            fake.console_len = 0;
        return 0;
    }
    case XEN_SYSCTL_cputopoinfo: {
        struct xen_sysctl_cputopoinfo *t = &s->u.cputopoinfo;
        if (!t->cputopo.p) {
            t->num_cpus = FAKE_NR_CPUS;
            return 0;
        }
        if (t->num_cpus < FAKE_NR_CPUS)
            return -ENOBUFS;
        if (!safe(t->cputopo.p, FAKE_NR_CPUS * sizeof(*t->cputopo.p)))
            FAULT();
        for (uint32_t i = 0; i < FAKE_NR_CPUS; i++)
            t->cputopo.p[i] = (xen_sysctl_cputopo_t){ .core = i, .socket = 0, .node = 0 };
        t->num_cpus = FAKE_NR_CPUS;
        return 0;
    }
    case XEN_SYSCTL_numainfo: {
        struct xen_sysctl_numainfo *n = &s->u.numainfo;
        if (!n->meminfo.p && !n->distance.p) {
            n->num_nodes = 1;
            return 0;
        }
        if (!safe(n->meminfo.p, sizeof(*n->meminfo.p)) || !safe(n->distance.p, 4))
            FAULT();
        n->meminfo.p[0] = (xen_sysctl_meminfo_t){ 1ull << 30, 1ull << 20 };
        n->distance.p[0] = 10;
        n->num_nodes = 1;
        return 0;
    }
    case XEN_SYSCTL_getcpuinfo: {
        struct xen_sysctl_getcpuinfo *c = &s->u.getcpuinfo;
        uint32_t n = c->max_cpus < FAKE_NR_CPUS ? c->max_cpus : FAKE_NR_CPUS;
        if (n && !safe(c->info.p, n * sizeof(*c->info.p)))
            FAULT();
        for (uint32_t i = 0; i < n; i++)
            c->info.p[i].idletime = 1000ull * (i + 1);
        c->nr_cpus = n;
        return 0;
    }
    }
    return -ENOSYS;
}

static long do_xen_version(uint64_t cmd, void *arg)
{
    switch (cmd) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_pagesize:
        return 4096;
    case XENVER_extraversion:
        if (!safe(arg, sizeof(xen_extraversion_t)))
            FAULT();
        strcpy(arg, ".5-fake");
        return 0;
    case XENVER_capabilities:
        if (!safe(arg, sizeof(xen_capabilities_info_t)))
            FAULT();
        strcpy(arg, "xen-3.0-x86_64");
        return 0;
    case XENVER_get_features: {
        xen_feature_info_t *fi = arg;
        if (!safe(arg, sizeof(*fi)))
            FAULT();
        fi->submap = fi->submap_idx == 0 ? 0x5a : 0;
        return 0;
    }
    }
    return -ENOSYS;
}

static long do_memory_op(uint64_t cmd, void *arg)
{
    switch (cmd) {
    case XENMEM_maximum_ram_page:
        return 0x3ffff;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn: {
        if (!safe(arg, sizeof(domid_t)))
            FAULT();
        struct fake_domain *d = domain(*(domid_t *)arg);
        if (!d)
            return -ESRCH;
        return cmd == XENMEM_current_reservation ? (long)d->info.tot_pages :
               cmd == XENMEM_maximum_reservation ? (long)d->info.max_pages :
                                                   (long)d->info.tot_pages - 1;
    }
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap: {
        struct xen_memory_reservation *r = arg;
        if (!safe(r, sizeof(*r)))
            FAULT();
        struct fake_domain *d = domain(r->domid);
        if (!d)
            return -ESRCH;
        unsigned long done = 0;
        for (; done < r->nr_extents; done++) {
            if (!safe(r->extent_start.p + done, sizeof(xen_pfn_t)))
                FAULT();
            if (cmd == XENMEM_decrease_reservation) {
                if (r->extent_start.p[done] == 0xdead)
                    break;      /* not the domain's: stop, as Xen does */
                d->info.tot_pages--;
            } else {
                if (d->info.tot_pages >= d->info.max_pages)
                    break;      /* over the limit */
                d->info.tot_pages++;
                r->extent_start.p[done] = 0x1000 + done;
            }
        }
        return (long)done;
    }
    }
    return -ENOSYS;
}

static long hypercall(const struct privcmd_hypercall *h)
{
    fake.hypercalls++;
    if (fake.fail_next) {
        long e = -fake.fail_next;
        fake.fail_next = 0;
        return e;
    }
    void *a1 = (void *)(uintptr_t)h->arg[0], *a2 = (void *)(uintptr_t)h->arg[1];
    switch (h->op) {
    case __HYPERVISOR_xen_version:
        return do_xen_version(h->arg[0], a2);
    case __HYPERVISOR_memory_op:
        return do_memory_op(h->arg[0], a2);
    case __HYPERVISOR_domctl:
        if (!safe(a1, sizeof(struct xen_domctl)))
            FAULT();
        return do_domctl(a1);
    case __HYPERVISOR_sysctl:
        if (!safe(a1, sizeof(struct xen_sysctl)))
            FAULT();
        return do_sysctl(a1);
    }
    return -ENOSYS;
}

/* ---- the devices ---- */

static int privcmd_mmapbatch(struct privcmd_mmapbatch_v2 *m)
{
    struct region *vma = region_at((void *)(uintptr_t)m->addr);
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
            long rc = hypercall(arg);
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
            struct region *r = region_at((void *)(uintptr_t)g->vaddr);
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
    struct region *r = region_add(kind, p, len);
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
    struct region *r = region_at(addr);
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
    struct region *r = region_at(addr);
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
    struct region *r = region_at(addr);
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

static const struct xc_os_ops fake_ops = {
    .open = fake_open, .close = fake_close, .ioctl = fake_ioctl,
    .mmap = fake_mmap, .munmap = fake_munmap, .mlock = fake_mlock,
    .munlock = fake_munlock, .read = fake_read, .write = fake_write,
};

void fake_add_domain(uint16_t domid, uint64_t pages)
{
    struct fake_domain *d = &fake.dom[domid];
    memset(d, 0, sizeof(*d));
    d->exists = 1;
    d->info.domain = domid;
    d->info.tot_pages = pages;
    d->info.max_pages = pages + 16;
    d->info.nr_online_vcpus = 1;
    d->info.flags = XEN_DOMINF_running;
    d->info.cpu_time = 1000000000ull * domid;
    d->affinity[0] = 0xf;
    d->ctxt.ctrlreg[3] = 0x1234000 + domid;
}

void fake_console_write(const char *s)
{
    size_t n = strlen(s);
    if (fake.console_len + n > sizeof(fake.console))
        n = sizeof(fake.console) - fake.console_len;
    memcpy(fake.console + fake.console_len, s, n);
    fake.console_len += n;
}

void fake_xen_install(void)
{
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
        regions[i].kind = R_FREE;
    memset(&fake, 0, sizeof(fake));
    memset(evtchn_used, 0, sizeof(evtchn_used));
    evtchn_queued = 0;
    memset(slots, 0, sizeof(slots));
    next_index = 0;
    fake.have_privcmd = 1;
    fake.have_hypercall_dev = 1;
    fake.lock_limit = 1 << 20;
    fake.privileged = 1;
    fake.domctl_version = XEN_DOMCTL_INTERFACE_VERSION;
    fake.sysctl_version = XEN_SYSCTL_INTERFACE_VERSION;
    fake_add_domain(0, 4096);
    fake.dom[0].info.nr_online_vcpus = 2;
    fake.dom[0].info.max_vcpu_id = 1;
    fake.dom[0].info.flags |= XEN_DOMINF_xs_domain;
    fake_add_domain(1, 100);
    fake_add_domain(5, 500);
    fake_add_domain(7, 700);
    fake.dom[7].info.flags = XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    fake_add_domain(12, 1200);
    for (int r = 1; r < FAKE_MAX_GRANTS; r++)
        snprintf(fake.grant_page[r], sizeof(fake.grant_page[r]), "grant %d", r);
    xc__set_os_ops(&fake_ops);
}

void fake_xen_remove(void)
{
    xc__set_os_ops(NULL);
}

/* ---- the test logger ---- */

static void test_vmessage(xentoollog_logger *logger, xentoollog_level level,
                          int errnoval, const char *context, const char *format,
                          va_list al)
{
    struct test_logger *lg = (struct test_logger *)logger;
    char msg[900];
    vsnprintf(msg, sizeof(msg), format, al);
    snprintf(lg->last, sizeof(lg->last), "%s: %s: %s%s%s", context ? context : "",
             xtl_level_to_string(level), msg, errnoval >= 0 ? ": " : "",
             errnoval >= 0 ? strerror(errnoval) : "");
    if (level >= XTL_ERROR)
        lg->errors++;
    errno = 12345;      /* a careless logger: the library must not care */
}

static void test_destroy(xentoollog_logger *logger)
{
    (void)logger;
}

void test_logger_init(struct test_logger *lg)
{
    memset(lg, 0, sizeof(*lg));
    lg->vtable.vmessage = test_vmessage;
    lg->vtable.destroy = test_destroy;
}
