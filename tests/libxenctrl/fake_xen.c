/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fake hypervisor of fake_xen.h behind the fake privcmd: domctl,
 * sysctl, xen_version and memory_op on a handful of domains, reading and
 * writing only hypercall-safe memory (EFAULT otherwise); and the state
 * set-up and test logger.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fake_internal.h"

struct fake_xen fake;

/* ---- the hypervisor ---- */

#define FAULT() do { fake.efaults++; return -EFAULT; } while (0)

static struct fake_domain *domain(unsigned id)
{
    return id < FAKE_MAX_DOMAINS && fake.dom[id].exists ? &fake.dom[id] : NULL;
}

/* One map of an affinity call; set: what takes effect (the CPUs that
 * exist) is stored, then both ways the map holds the domain's. */
static long affinity_map(struct xenctl_bitmap *m, uint8_t *mine, bool set, bool hard)
{
    size_t bytes = (m->nr_bits + 7) / 8;
    if (bytes < 1 || !fake_safe(m->bitmap.p, bytes))
        FAULT();
    if (set) {
        uint8_t eff = m->bitmap.p[0] & ((1u << FAKE_NR_CPUS) - 1);
        if (hard && !eff)
            return -EINVAL;
        *mine = eff;
    }
    memset(m->bitmap.p, 0, bytes);
    m->bitmap.p[0] = *mine;
    return 0;
}

static long vcpu_affinity(struct xen_domctl *d, struct fake_domain *dom)
{
    struct xen_domctl_vcpuaffinity *a = &d->u.vcpuaffinity;
    bool set = d->cmd == XEN_DOMCTL_setvcpuaffinity;
    if (a->vcpu > dom->info.max_vcpu_id)
        return -EINVAL;
    if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -EINVAL;
    long rc = 0;
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = affinity_map(&a->cpumap_hard, dom->affinity, set, true);
    if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
        rc = affinity_map(&a->cpumap_soft, dom->soft_affinity, set, false);
    return rc;
}

/* Credit2's rules: weight 0 leaves the weight, a cap above 100 per vCPU
 * is refused. */
static long dom_scheduler_op(struct xen_domctl_scheduler_op *op, struct fake_domain *dom)
{
    fake.last_dom_schedop = *op;
    if (op->sched_id != fake.pool_sched || op->sched_id != XEN_SCHEDULER_CREDIT2)
        return -EINVAL;
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.credit2.weight = dom->weight;
        op->u.credit2.cap = dom->cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (op->u.credit2.cap > 100 * (dom->info.max_vcpu_id + 1))
            return -EINVAL;
        if (op->u.credit2.weight)
            dom->weight = op->u.credit2.weight;
        dom->cap = op->u.credit2.cap;
        return 0;
    }
    return -EINVAL;
}

static long sys_scheduler_op(struct xen_sysctl_scheduler_op *op)
{
    fake.last_sys_schedop = *op;
    if (op->cpupool_id != 0)
        return -ESRCH;
    if (op->sched_id != fake.pool_sched || op->sched_id != XEN_SCHEDULER_CREDIT2)
        return -EINVAL;
    uint32_t r = op->u.sched_credit2.ratelimit_us;
    switch (op->cmd) {
    case XEN_SYSCTL_SCHEDOP_putinfo:
        if (r && (r < XEN_SYSCTL_SCHED_RATELIMIT_MIN || r > XEN_SYSCTL_SCHED_RATELIMIT_MAX))
            return -EINVAL;
        fake.ratelimit_us = r;
        return 0;
    case XEN_SYSCTL_SCHEDOP_getinfo:
        op->u.sched_credit2.ratelimit_us = fake.ratelimit_us;
        return 0;
    }
    return -EINVAL;
}

/* One pool, 0, with every CPU and domain. */
static long cpupool_op(struct xen_sysctl_cpupool_op *op)
{
    if (op->op != XEN_SYSCTL_CPUPOOL_OP_INFO)
        return -EOPNOTSUPP;
    if (op->cpupool_id != 0)
        return -ENOENT;
    size_t bytes = (op->cpumap.nr_bits + 7) / 8;
    if (bytes < 1 || !fake_safe(op->cpumap.bitmap.p, bytes))
        FAULT();
    memset(op->cpumap.bitmap.p, 0, bytes);
    op->cpumap.bitmap.p[0] = (1u << FAKE_NR_CPUS) - 1;
    op->sched_id = fake.pool_sched;
    op->n_dom = 0;
    for (unsigned id = 0; id < FAKE_MAX_DOMAINS; id++)
        op->n_dom += fake.dom[id].exists ? 1 : 0;
    return 0;
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
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpu_affinity(d, dom);
    case XEN_DOMCTL_scheduler_op:
        return dom_scheduler_op(&d->u.scheduler_op, dom);
    case XEN_DOMCTL_getvcpucontext:
        if (!fake_safe(d->u.vcpucontext.ctxt.p, sizeof(vcpu_guest_context_t)))
            FAULT();
        *d->u.vcpucontext.ctxt.p = dom->ctxt;
        return 0;
    case XEN_DOMCTL_setvcpucontext:
        if (!fake_safe(d->u.vcpucontext.ctxt.p, sizeof(vcpu_guest_context_t)))
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
        s->u.sched_id.sched_id = fake.pool_sched;
        return 0;
    case XEN_SYSCTL_scheduler_op:
        return sys_scheduler_op(&s->u.scheduler_op);
    case XEN_SYSCTL_cpupool_op:
        return cpupool_op(&s->u.cpupool_op);
    case XEN_SYSCTL_getdomaininfolist: {
        struct xen_sysctl_getdomaininfolist *l = &s->u.getdomaininfolist;
        uint32_t n = 0;
        for (unsigned id = l->first_domain; id < FAKE_MAX_DOMAINS && n < l->max_domains; id++) {
            if (!fake.dom[id].exists)
                continue;
            if (!fake_safe(l->buffer.p + n, sizeof(xc_domaininfo_t)))
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
        if (n && !fake_safe(r->buffer.p, n))
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
        if (!fake_safe(t->cputopo.p, FAKE_NR_CPUS * sizeof(*t->cputopo.p)))
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
        if (!fake_safe(n->meminfo.p, sizeof(*n->meminfo.p)) || !fake_safe(n->distance.p, 4))
            FAULT();
        n->meminfo.p[0] = (xen_sysctl_meminfo_t){ 1ull << 30, 1ull << 20 };
        n->distance.p[0] = 10;
        n->num_nodes = 1;
        return 0;
    }
    case XEN_SYSCTL_getcpuinfo: {
        struct xen_sysctl_getcpuinfo *c = &s->u.getcpuinfo;
        uint32_t n = c->max_cpus < FAKE_NR_CPUS ? c->max_cpus : FAKE_NR_CPUS;
        if (n && !fake_safe(c->info.p, n * sizeof(*c->info.p)))
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
        if (!fake_safe(arg, sizeof(xen_extraversion_t)))
            FAULT();
        strcpy(arg, ".5-fake");
        return 0;
    case XENVER_capabilities:
        if (!fake_safe(arg, sizeof(xen_capabilities_info_t)))
            FAULT();
        strcpy(arg, "xen-3.0-x86_64");
        return 0;
    case XENVER_get_features: {
        xen_feature_info_t *fi = arg;
        if (!fake_safe(arg, sizeof(*fi)))
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
        if (!fake_safe(arg, sizeof(domid_t)))
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
        if (!fake_safe(r, sizeof(*r)))
            FAULT();
        struct fake_domain *d = domain(r->domid);
        if (!d)
            return -ESRCH;
        unsigned long done = 0;
        for (; done < r->nr_extents; done++) {
            if (!fake_safe(r->extent_start.p + done, sizeof(xen_pfn_t)))
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

long fake_hypercall(const struct privcmd_hypercall *h)
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
        if (!fake_safe(a1, sizeof(struct xen_domctl)))
            FAULT();
        return do_domctl(a1);
    case __HYPERVISOR_sysctl:
        if (!fake_safe(a1, sizeof(struct xen_sysctl)))
            FAULT();
        return do_sysctl(a1);
    }
    return -ENOSYS;
}

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
    d->soft_affinity[0] = 0xf;
    d->weight = 256;
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
    fake_devices_reset();
    memset(&fake, 0, sizeof(fake));
    fake.have_privcmd = 1;
    fake.have_hypercall_dev = 1;
    fake.lock_limit = 1 << 20;
    fake.privileged = 1;
    fake.domctl_version = XEN_DOMCTL_INTERFACE_VERSION;
    fake.sysctl_version = XEN_SYSCTL_INTERFACE_VERSION;
    fake.pool_sched = XEN_SCHEDULER_NULL;
    fake.ratelimit_us = 1000;
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
    xc__set_os_ops(&fake_os_ops);
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
