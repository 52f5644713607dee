/*
 * HYPERVISOR_sysctl: the toolstack's view of the machine (Xen 4.17,
 * interface version 0x15).  Each command is a row of sysctl_rows, run by
 * guest_op_call_struct on the whole struct xen_sysctl: read (-EFAULT),
 * version (-EACCES), privileged callers only (-EPERM), the command, and
 * on success the struct goes back.
 *
 * The machine as Subfloor runs it: one NUMA node; one CPU pool, 0, with
 * every CPU and every domain; the null scheduler's model, each vCPU on a
 * CPU of its own, until the scheduler of issue 15.
 */
#include <stddef.h>
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/memmap.h"
#include "arch/x86/percpu.h"
#include "arch/x86/time.h"
#include "common/ctl_bitmap.h"
#include "common/domain.h"
#include "common/domain_info.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/memory_op.h"
#include "common/scheduler.h"
#include "lib/conring.h"
#include "mm/frame_table.h"
#include "public/errno.h"
#include "public/sysctl.h"

#define PAGE_SHIFT 12
/* ACPI SLIT's distance of a node to itself. */
#define LOCAL_DISTANCE 10

/*
 * The console ring from op->index (incremental) or from the oldest byte
 * held, into the caller's buffer; index comes back as the position after
 * the last byte copied, for the next incremental read.  clear forgets
 * what was read.
 */
static long readconsole(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_readconsole *op = &s->u.readconsole;
    guest_ptr_t buffer = guest_handle_ptr(op->buffer);
    uint32_t at = op->incremental ? conring_start(op->index) : conring_consumer();
    uint32_t done = 0;
    char chunk[256];

    (void)ctx;
    while (done < op->count) {
        size_t want = op->count - done < sizeof(chunk) ? op->count - done : sizeof(chunk);
        size_t n = conring_peek(at, chunk, want);
        if (!n)
            break;
        if (copy_to_guest(guest_ptr_add(buffer, done), chunk, n))
            return -XEN_EFAULT;
        at += (uint32_t)n;
        done += (uint32_t)n;
    }
    if (op->clear && done)
        conring_clear();
    op->count = done;
    op->index = at;
    return 0;
}

static uint32_t logical_per_package(void)
{
    struct cpuid_regs r = cpuid(1, 0);

    /* HTT set: EBX[23:16] counts the logical CPUs of the package. */
    if ((r.edx & (1u << 28)) && (r.ebx >> 16 & 0xff))
        return r.ebx >> 16 & 0xff;
    return 1;
}

static long physinfo(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_physinfo *pi = &s->u.physinfo;
    const struct memmap *map = memory_op_machine_map();
    unsigned int cpus = cpus_online();
    uint32_t per_package = logical_per_package();

    (void)ctx;
    memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1;
    pi->cores_per_socket = per_package < cpus ? per_package : cpus;
    pi->nr_cpus = cpus;
    pi->max_cpu_id = cpus - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = (uint32_t)tsc_khz();
    pi->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = memmap_ram_bytes(map) >> PAGE_SHIFT;
    pi->free_pages = free_frame_count();
    pi->max_mfn = (memmap_ram_end(map) >> PAGE_SHIFT) - 1;
    /* Xen's feature words, in its order: 1.edx, 1.ecx, e1.edx, e1.ecx,
     * 0xd/1.eax, 7/0.ebx, 7/0.ecx, e7.edx. */
    struct cpuid_regs l1 = cpuid(1, 0), e1 = cpuid(0x80000001, 0);
    uint32_t max_leaf = cpuid(0, 0).eax, max_ext = cpuid(0x80000000, 0).eax;
    pi->hw_cap[0] = l1.edx;
    pi->hw_cap[1] = l1.ecx;
    pi->hw_cap[2] = e1.edx;
    pi->hw_cap[3] = e1.ecx;
    pi->hw_cap[4] = max_leaf >= 0xd ? cpuid(0xd, 1).eax : 0;
    pi->hw_cap[5] = max_leaf >= 7 ? cpuid(7, 0).ebx : 0;
    pi->hw_cap[6] = max_leaf >= 7 ? cpuid(7, 0).ecx : 0;
    pi->hw_cap[7] = max_ext >= 0x80000007 ? cpuid(0x80000007, 0).edx : 0;
    return 0;
}

static long sched_id(void *ctx, struct xen_sysctl *s)
{
    (void)ctx;
    s->u.sched_id.sched_id = XEN_SCHEDULER_CREDIT2;
    return 0;
}

struct info_list {
    struct xen_sysctl_getdomaininfolist *op;
    guest_ptr_t buffer;
    long rc;
};

static bool put_info(struct domain *d, void *ctx)
{
    struct info_list *l = ctx;
    struct xen_domctl_getdomaininfo info;

    if (d->domid < l->op->first_domain)
        return true;
    if (l->op->num_domains >= l->op->max_domains)
        return false;
    domain_get_info(d, &info);
    if (copy_to_guest(guest_ptr_add(l->buffer, (uint64_t)l->op->num_domains * sizeof(info)),
                      &info, sizeof(info))) {
        l->rc = -XEN_EFAULT;
        return false;
    }
    l->op->num_domains++;
    return true;
}

/* Domains are registered in creation order, which is id order while ids
 * are handed out in turn; sorted output comes with xl create. */
static long getdomaininfolist(void *ctx, struct xen_sysctl *s)
{
    struct info_list l = { &s->u.getdomaininfolist,
                           guest_handle_ptr(s->u.getdomaininfolist.buffer), 0 };

    (void)ctx;
    l.op->num_domains = 0;
    domain_for_each(put_info, &l);
    return l.rc;
}

static long getcpuinfo(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_getcpuinfo *op = &s->u.getcpuinfo;
    guest_ptr_t info = guest_handle_ptr(op->info);
    uint32_t n = op->max_cpus < cpus_online() ? op->max_cpus : cpus_online();

    (void)ctx;
    for (uint32_t i = 0; i < n; i++) {
        struct xen_sysctl_cpuinfo c = { .idletime = sched_cpu_idle_ns(i) };
        if (copy_to_guest(guest_ptr_add(info, (uint64_t)i * sizeof(c)), &c, sizeof(c)))
            return -XEN_EFAULT;
    }
    op->nr_cpus = n;
    return 0;
}

/* Each CPU its own core of socket 0, node 0.  Without an array, only the
 * count; with one, as many entries as it holds. */
static long cputopoinfo(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_cputopoinfo *ti = &s->u.cputopoinfo;
    guest_ptr_t out = guest_handle_ptr(ti->cputopo);
    uint32_t n = cpus_online();

    (void)ctx;
    if (out.va) {
        if (n > ti->num_cpus)
            n = ti->num_cpus;
        for (uint32_t i = 0; i < n; i++) {
            struct xen_sysctl_cputopo t = { .core = i, .socket = 0, .node = 0 };
            if (copy_to_guest(guest_ptr_add(out, (uint64_t)i * sizeof(t)), &t, sizeof(t)))
                return -XEN_EFAULT;
        }
    }
    ti->num_cpus = n;
    return 0;
}

/* One node with all the memory; -ENOBUFS when the caller's arrays cannot
 * hold it. */
static long numainfo(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_numainfo *ni = &s->u.numainfo;
    guest_ptr_t mem = guest_handle_ptr(ni->meminfo);
    guest_ptr_t dist = guest_handle_ptr(ni->distance);

    (void)ctx;
    if (mem.va || dist.va) {
        if (ni->num_nodes < 1) {
            ni->num_nodes = 1;
            return -XEN_ENOBUFS;
        }
        struct xen_sysctl_meminfo m = {
            .memsize = memmap_ram_bytes(memory_op_machine_map()),
            .memfree = free_frame_count() << PAGE_SHIFT,
        };
        uint32_t d = LOCAL_DISTANCE;
        if ((mem.va && copy_to_guest(mem, &m, sizeof(m))) ||
            (dist.va && copy_to_guest(dist, &d, sizeof(d))))
            return -XEN_EFAULT;
    }
    ni->num_nodes = 1;
    return 0;
}

static bool count_one(struct domain *d, void *ctx)
{
    (void)d;
    (*(uint32_t *)ctx)++;
    return true;
}

/* Pool 0 holds every CPU and domain; no other pool can be made. */
static long cpupool_op(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_cpupool_op *op = &s->u.cpupool_op;
    unsigned int cpus = cpus_online();

    (void)ctx;
    switch (op->op) {
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        if (op->cpupool_id != 0 && op->cpupool_id != XEN_SYSCTL_CPUPOOL_PAR_ANY)
            return -XEN_ENOENT;
        op->cpupool_id = 0;
        op->sched_id = XEN_SCHEDULER_CREDIT2;
        op->n_dom = 0;
        domain_for_each(count_one, &op->n_dom);
        return ctl_bitmap_put(&op->cpumap, cpus >= 64 ? ~0ull : (1ull << cpus) - 1, cpus);
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        return ctl_bitmap_put(&op->cpumap, 0, cpus);
    default:
        return -XEN_EOPNOTSUPP;
    }
}

/* Pool 0's credit2 parameters: the context-switch rate limit. */
static long scheduler_op(void *ctx, struct xen_sysctl *s)
{
    struct xen_sysctl_scheduler_op *op = &s->u.scheduler_op;

    (void)ctx;
    if (op->cpupool_id != 0)
        return -XEN_ESRCH;
    if (op->sched_id != XEN_SCHEDULER_CREDIT2)
        return -XEN_EINVAL;
    switch (op->cmd) {
    case XEN_SYSCTL_SCHEDOP_getinfo:
        op->u.sched_credit2.ratelimit_us = sched_ratelimit_us();
        return 0;
    case XEN_SYSCTL_SCHEDOP_putinfo:
        return sched_set_ratelimit_us(op->u.sched_credit2.ratelimit_us);
    default:
        return -XEN_EINVAL;
    }
}

static long vcpu_sched_stats(void *ctx, struct xen_sysctl *s)
{
    _Static_assert(sizeof(struct subfloor_sysctl_vcpu_sched_stats) <= sizeof(s->u.pad),
                   "the stats fit xen_sysctl's union");
    struct subfloor_sysctl_vcpu_sched_stats *op = (void *)s->u.pad;
    struct sched_vcpu_stats st;

    (void)ctx;
    struct domain *d = op->domid < DOMID_FIRST_RESERVED ? domain_find((uint16_t)op->domid)
                                                        : NULL;
    if (!d)
        return -XEN_ESRCH;
    if (op->vcpu >= d->nr_vcpus || !d->vcpus[op->vcpu])
        return -XEN_ENOENT;
    sched_vcpu_stats(d->vcpus[op->vcpu], &st);
    op->state = st.state;
    op->cpu = st.cpu;
    op->credit = st.credit;
    op->run_ns = st.run_ns;
    op->wake_count = st.wake_count;
    op->wake_p50_ns = st.wake_p50_ns;
    op->wake_p99_ns = st.wake_p99_ns;
    op->wake_max_ns = st.wake_max_ns;
    op->wait_count = st.wait_count;
    op->wait_total_ns = st.wait_total_ns;
    op->wait_p50_ns = st.wait_p50_ns;
    op->wait_p99_ns = st.wait_p99_ns;
    op->wait_max_ns = st.wait_max_ns;
    return 0;
}

#define SYSCTL_OPS(OP)                                                                         \
    OP(XEN_SYSCTL_readconsole, OP_ANY, INOUT, struct xen_sysctl, readconsole, 0)               \
    OP(XEN_SYSCTL_physinfo, OP_ANY, INOUT, struct xen_sysctl, physinfo, 0)                     \
    OP(XEN_SYSCTL_sched_id, OP_ANY, INOUT, struct xen_sysctl, sched_id, 0)                     \
    OP(XEN_SYSCTL_getdomaininfolist, OP_ANY, INOUT, struct xen_sysctl, getdomaininfolist, 0)   \
    OP(XEN_SYSCTL_getcpuinfo, OP_ANY, INOUT, struct xen_sysctl, getcpuinfo, 0)                 \
    OP(XEN_SYSCTL_cputopoinfo, OP_ANY, INOUT, struct xen_sysctl, cputopoinfo, 0)               \
    OP(XEN_SYSCTL_numainfo, OP_ANY, INOUT, struct xen_sysctl, numainfo, 0)                     \
    OP(XEN_SYSCTL_cpupool_op, OP_ANY, INOUT, struct xen_sysctl, cpupool_op, 0)                 \
    OP(XEN_SYSCTL_scheduler_op, OP_ANY, INOUT, struct xen_sysctl, scheduler_op, 0)             \
    OP(SUBFLOOR_SYSCTL_vcpu_sched_stats, OP_ANY, INOUT, struct xen_sysctl, vcpu_sched_stats, 0)

GUEST_OP_ROWS(sysctl_rows, SYSCTL_OPS);

static const struct guest_op_struct sysctl_ops = {
    .ops = GUEST_OP_TABLE_OF(sysctl_rows),
    .size = sizeof(struct xen_sysctl),
    .cmd_offset = offsetof(struct xen_sysctl, cmd),
    .version_offset = offsetof(struct xen_sysctl, interface_version),
    .version = XEN_SYSCTL_INTERFACE_VERSION,
    .who = OP_PRIV_READ,
};

long do_sysctl(guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    return guest_op_call_struct(&sysctl_ops, arg, d, d->privileged);
}
