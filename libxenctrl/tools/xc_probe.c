/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xc-probe: what libxenctrl sees of the hypervisor, for checking the
 * library end to end in dom0 (on Xen 4.17 as the reference, and on
 * Subfloor).  Prints xen_version, physinfo and the topology, the
 * domain list, dom0's vCPUs and reservation, a console-ring read, a
 * foreign mapping with a per-frame error, an event-channel loopback and
 * a grant-table loopback.  Exits non-zero when a step fails.
 *
 *   xc-probe [section...]   sections: version phys domains vcpus memory
 *                           console foreign evtchn gnttab (default: all)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xenctrl.h"
#include "xenevtchn.h"
#include "xenforeignmemory.h"
#include "xengnttab.h"

static int failures;

#define CHECK(cond, ...) do {                                   \
        if (!(cond)) {                                          \
            printf("FAIL: ");                                   \
            printf(__VA_ARGS__);                                \
            printf(" (%s)\n", strerror(errno));                 \
            failures++;                                         \
        }                                                       \
    } while (0)

static void probe_version(xc_interface *xch)
{
    xen_extraversion_t extra = "";
    xen_capabilities_info_t caps = "";
    xen_changeset_info_t changeset = "";
    xen_compile_info_t ci;
    xen_commandline_t cmdline = "";
    memset(&ci, 0, sizeof(ci));

    int v = xc_version(xch, XENVER_version, NULL);
    CHECK(v >= 0, "xc_version(XENVER_version)");
    CHECK(xc_version(xch, XENVER_extraversion, extra) == 0, "XENVER_extraversion");
    printf("xen_version: %d.%d%s\n", v >> 16, v & 0xffff, extra);
    CHECK(xc_version(xch, XENVER_capabilities, caps) == 0, "XENVER_capabilities");
    printf("xen_caps: %s\n", caps);
    if (xc_version(xch, XENVER_changeset, changeset) == 0)
        printf("xen_changeset: %s\n", changeset);
    if (xc_version(xch, XENVER_compile_info, &ci) == 0)
        printf("xen_compiler: %s (by %s, %s)\n", ci.compiler, ci.compile_by, ci.compile_date);
    if (xc_version(xch, XENVER_commandline, cmdline) == 0)
        printf("xen_commandline: %s\n", cmdline);
    int ps = xc_version(xch, XENVER_pagesize, NULL);
    printf("xen_pagesize: %d\n", ps);
    CHECK(ps == 4096, "XENVER_pagesize is %d", ps);
}

static void probe_phys(xc_interface *xch)
{
    xc_physinfo_t pi;
    int sched = -1;

    if (xc_physinfo(xch, &pi) < 0) {
        CHECK(0, "xc_physinfo");
        return;
    }
    printf("nr_cpus: %u max_cpu_id: %u threads_per_core: %u cores_per_socket: %u\n",
           pi.nr_cpus, pi.max_cpu_id, pi.threads_per_core, pi.cores_per_socket);
    printf("nr_nodes: %u max_node_id: %u cpu_mhz: %u\n", pi.nr_nodes, pi.max_node_id,
           pi.cpu_khz / 1000);
    printf("total_memory: %" PRIu64 " MiB free_memory: %" PRIu64 " MiB max_mfn: %#" PRIx64 "\n",
           (uint64_t)pi.total_pages >> 8, (uint64_t)pi.free_pages >> 8, (uint64_t)pi.max_mfn);
    printf("phys_caps: %#x%s%s\n", pi.capabilities,
           pi.capabilities & XEN_SYSCTL_PHYSCAP_pv ? " pv" : "",
           pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm ? " hvm" : "");
    CHECK(xc_sched_id(xch, &sched) == 0, "xc_sched_id");
    printf("sched_id: %d\n", sched);
    printf("max_cpus: %d online_cpus: %d cpumap_size: %d\n", xc_get_max_cpus(xch),
           xc_get_online_cpus(xch), xc_get_cpumap_size(xch));

    unsigned n = 0;
    CHECK(xc_cputopoinfo(xch, &n, NULL) == 0, "xc_cputopoinfo(count)");
    xc_cputopo_t *topo = calloc(n ? n : 1, sizeof(*topo));
    if (topo && xc_cputopoinfo(xch, &n, topo) == 0) {
        for (unsigned i = 0; i < n; i++)
            printf("cpu%u: core %u socket %u node %u\n", i, topo[i].core,
                   topo[i].socket, topo[i].node);
    } else {
        CHECK(0, "xc_cputopoinfo");
    }
    free(topo);

    unsigned nodes = 0;
    CHECK(xc_numainfo(xch, &nodes, NULL, NULL) == 0, "xc_numainfo(count)");
    xc_meminfo_t *mem = calloc(nodes ? nodes : 1, sizeof(*mem));
    uint32_t *dist = calloc(nodes ? (size_t)nodes * nodes : 1, sizeof(*dist));
    if (mem && dist && xc_numainfo(xch, &nodes, mem, dist) == 0) {
        for (unsigned i = 0; i < nodes; i++)
            printf("node%u: %" PRIu64 " MiB, %" PRIu64 " MiB free, distance to self %u\n",
                   i, mem[i].memsize >> 20, mem[i].memfree >> 20, dist[i * nodes + i]);
    } else {
        CHECK(0, "xc_numainfo");
    }
    free(mem);
    free(dist);

    int max = xc_get_max_cpus(xch), nr = 0;
    xc_cpuinfo_t *ci = calloc(max > 0 ? (size_t)max : 1, sizeof(*ci));
    if (ci && xc_getcpuinfo(xch, max, ci, &nr) == 0) {
        for (int i = 0; i < nr; i++)
            printf("cpu%d idle: %" PRIu64 " ms\n", i, (uint64_t)ci[i].idletime / 1000000);
    } else {
        CHECK(0, "xc_getcpuinfo");
    }
    free(ci);
}

static void probe_domains(xc_interface *xch)
{
    xc_domaininfo_t info[16];
    int n = xc_domain_getinfolist(xch, 0, 16, info);
    CHECK(n >= 1, "xc_domain_getinfolist returned %d", n);
    printf("%-6s %8s %6s %-6s %10s\n", "ID", "Mem(MiB)", "VCPUs", "State", "Time(s)");
    for (int i = 0; i < n; i++) {
        uint32_t f = info[i].flags;
        printf("%-6u %8" PRIu64 " %6u %c%c%c%c%c%c %10.1f\n", info[i].domain,
               (uint64_t)info[i].tot_pages >> 8, info[i].nr_online_vcpus,
               f & XEN_DOMINF_running ? 'r' : '-', f & XEN_DOMINF_blocked ? 'b' : '-',
               f & XEN_DOMINF_paused ? 'p' : '-', f & XEN_DOMINF_shutdown ? 's' : '-',
               (f & XEN_DOMINF_shutdown) &&
                   ((f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) == SHUTDOWN_crash
                   ? 'c' : '-',
               f & XEN_DOMINF_dying ? 'd' : '-', (double)info[i].cpu_time / 1e9);
    }
    /* Paging: one domain at a time must walk the same list. */
    int walked = 0;
    uint32_t next = 0;
    xc_domaininfo_t one;
    while (xc_domain_getinfolist(xch, next, 1, &one) == 1) {
        walked++;
        next = one.domain + 1u;
    }
    printf("getinfolist one at a time: %d domains\n", walked);
    CHECK(walked == n, "paging gave %d domains, the list %d", walked, n);

    xc_dominfo_t di;
    CHECK(xc_domain_getinfo(xch, 0, 1, &di) == 1 && di.domid == 0, "xc_domain_getinfo(0)");
    printf("dom0: max_memkb %lu nr_pages %lu vcpus %u max_vcpu_id %u shared_info_frame %#lx "
           "handle %02x%02x... cpupool %u\n", di.max_memkb, di.nr_pages, di.nr_online_vcpus,
           di.max_vcpu_id, di.shared_info_frame, di.handle[0], di.handle[1], di.cpupool);
    errno = 0;
    CHECK(xc_domain_getinfo_single(xch, 0x7000, NULL) < 0 && errno == ESRCH,
          "xc_domain_getinfo_single(0x7000) should be ESRCH");
    CHECK(xc_domain_pause(xch, 0x7000) < 0 && errno == ESRCH,
          "xc_domain_pause of no domain should be ESRCH");
    printf("tot_pages(dom0): %ld\n", xc_get_tot_pages(xch, 0));
}

static void probe_vcpus(xc_interface *xch)
{
    xc_dominfo_t di;
    if (xc_domain_getinfo(xch, 0, 1, &di) != 1) {
        CHECK(0, "xc_domain_getinfo");
        return;
    }
    xc_cpumap_t hard = xc_cpumap_alloc(xch), soft = xc_cpumap_alloc(xch);
    int size = xc_get_cpumap_size(xch);
    for (unsigned v = 0; v <= di.max_vcpu_id && v < 64; v++) {
        xc_vcpuinfo_t vi;
        if (xc_vcpu_getinfo(xch, 0, v, &vi) < 0) {
            CHECK(0, "xc_vcpu_getinfo(0, %u)", v);
            continue;
        }
        printf("d0v%u: online %u blocked %u running %u cpu %u time %.1f s", v, vi.online,
               vi.blocked, vi.running, vi.cpu, (double)vi.cpu_time / 1e9);
        if (hard && soft && xc_vcpu_getaffinity(xch, 0, (int)v, hard, soft,
                                                XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) == 0) {
            printf(" hard");
            for (int b = 0; b < size; b++)
                printf(" %02x", hard[b]);
            printf(" soft");
            for (int b = 0; b < size; b++)
                printf(" %02x", soft[b]);
        } else {
            CHECK(0, "xc_vcpu_getaffinity(0, %u)", v);
        }
        printf("\n");
    }
    free(hard);
    free(soft);
    vcpu_guest_context_any_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    if (xc_vcpu_getcontext(xch, 0, 0, &ctx) == 0)
        printf("d0v0 context: ctrlreg[3] %#lx kernel_sp %#lx\n",
               (unsigned long)ctx.c.ctrlreg[3], (unsigned long)ctx.c.kernel_sp);
    else
        printf("d0v0 context: %s\n", strerror(errno));
}

static void probe_memory(xc_interface *xch)
{
    unsigned long max_mfn = 0;
    CHECK(xc_maximum_ram_page(xch, &max_mfn) == 0, "xc_maximum_ram_page");
    printf("maximum_ram_page: %#lx\n", max_mfn);
    domid_t d = 0;
    long cur = xc_memory_op(xch, XENMEM_current_reservation, &d, sizeof(d));
    long max = xc_memory_op(xch, XENMEM_maximum_reservation, &d, sizeof(d));
    CHECK(cur > 0, "XENMEM_current_reservation");
    printf("dom0 reservation: current %ld pages (%ld MiB), maximum %ld pages\n",
           cur, cur >> 8, max);
    xen_pfn_t gpfns = 0;
    CHECK(xc_domain_nr_gpfns(xch, 0, &gpfns) == 0, "xc_domain_nr_gpfns");
    printf("dom0 nr_gpfns: %lu\n", (unsigned long)gpfns);
}

static void probe_console(xc_interface *xch)
{
    static char buf[16384];
    unsigned int n = sizeof(buf) - 1;
    if (xc_readconsolering(xch, buf, &n, 0, 0, NULL) < 0) {
        CHECK(0, "xc_readconsolering");
        return;
    }
    buf[n] = '\0';
    const char *last = n > 240 ? buf + n - 240 : buf;
    printf("console ring: %u bytes, ending: ...%s\n", n, last);
    /* Incremental: a small buffer, index carried from read to read. */
    uint32_t index = 0;
    unsigned int total = 0, reads = 0;
    for (;;) {
        unsigned int m = 512;
        if (xc_readconsolering(xch, buf, &m, 0, 1, &index) < 0) {
            CHECK(0, "xc_readconsolering(incremental)");
            break;
        }
        if (m == 0 || ++reads > 1000)
            break;
        total += m;
    }
    printf("console incremental: %u bytes in %u reads, index now %u\n", total, reads, index);
}

static void probe_foreign(xc_interface *xch)
{
    xc_dominfo_t di;
    if (xc_domain_getinfo(xch, 0, 1, &di) != 1) {
        CHECK(0, "xc_domain_getinfo");
        return;
    }
    xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
    if (!fmem) {
        CHECK(0, "xenforeignmemory_open");
        return;
    }
    /* dom0's shared_info page, and vCPU 0's top-level page table, both
     * asked for writable: Xen refuses a writable mapping of a page-table
     * page, so the second frame alone fails (EINVAL).  A domain maps its
     * own frames as DOMID_SELF: Xen refuses a "foreign" domain that is
     * the caller itself (ESRCH). */
    vcpu_guest_context_any_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    if (xc_vcpu_getcontext(xch, 0, 0, &ctx) < 0) {
        CHECK(0, "xc_vcpu_getcontext");
        xenforeignmemory_close(fmem);
        return;
    }
    xen_pfn_t arr[2] = { di.shared_info_frame, (xen_pfn_t)(ctx.c.ctrlreg[3] >> 12) };
    int err[2] = { 1, 1 };
    uint8_t *p = xenforeignmemory_map(fmem, DOMID_SELF, PROT_READ | PROT_WRITE, 2, arr, err);
    if (p) {
        printf("foreign map of %#lx (shared_info) and %#lx (an L4), writable: err %d (%s), %d (%s)\n",
               (unsigned long)arr[0], (unsigned long)arr[1], err[0],
               err[0] ? strerror(-err[0]) : "ok", err[1], err[1] ? strerror(-err[1]) : "ok");
        if (!err[0])
            printf("shared_info: vcpu0 evtchn_upcall_mask %u\n", p[1]);
        CHECK(err[0] == 0, "mapping dom0's shared_info");
        CHECK(err[1] < 0, "a page table mapped writable");
        xenforeignmemory_unmap(fmem, p, 2);
    } else {
        CHECK(0, "xenforeignmemory_map");
    }
    /* Without an error array one bad frame fails the whole call. */
    errno = 0;
    void *q = xc_map_foreign_pages(xch, DOMID_SELF, PROT_READ | PROT_WRITE, &arr[1], 1);
    printf("xc_map_foreign_pages of a page table, writable: %s (%s)\n",
           q ? "mapped" : "refused", strerror(errno));
    CHECK(q == NULL, "a page table mapped writable");
    /* Another domain's frames, of a domain that does not exist. */
    err[0] = 1;
    p = xenforeignmemory_map(fmem, 0x7000, PROT_READ, 1, arr, err);
    printf("foreign map from domain 0x7000: %s, err %d (%s)\n", p ? "issued" : "refused",
           err[0], strerror(p ? -err[0] : errno));
    if (p)
        xenforeignmemory_unmap(fmem, p, 1);
    xenforeignmemory_close(fmem);
}

static void probe_evtchn(void)
{
    xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
    if (!xce) {
        CHECK(0, "xenevtchn_open");
        return;
    }
    int local = xenevtchn_bind_unbound_port(xce, 0);
    CHECK(local > 0, "xenevtchn_bind_unbound_port");
    int peer = xenevtchn_bind_interdomain(xce, 0, (evtchn_port_t)local);
    CHECK(peer > 0, "xenevtchn_bind_interdomain");
    if (local > 0 && peer > 0) {
        CHECK(xenevtchn_notify(xce, (evtchn_port_t)peer) == 0, "xenevtchn_notify");
        /* Xen also marks the new interdomain port pending when it is
         * bound (a notification the unbound end might have lost), so
         * the local port may come second. */
        int fired = -1;
        for (int i = 0; i < 3 && fired != local; i++) {
            struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
            if (poll(&pfd, 1, 2000) != 1)
                break;      /* nothing fired: do not block in read() */
            fired = xenevtchn_pending(xce);
            printf("evtchn loopback: ports %d <-> %d, notified %d, pending %d\n",
                   local, peer, peer, fired);
            if (fired > 0)
                CHECK(xenevtchn_unmask(xce, (evtchn_port_t)fired) == 0, "xenevtchn_unmask");
        }
        CHECK(fired == local, "pending port %d, wanted %d", fired, local);
        CHECK(xenevtchn_unbind(xce, (evtchn_port_t)peer) == 0, "xenevtchn_unbind");
        CHECK(xenevtchn_unbind(xce, (evtchn_port_t)local) == 0, "xenevtchn_unbind");
    }
    int virq = xenevtchn_bind_virq(xce, 3 /* VIRQ_DEBUG */);
    printf("evtchn VIRQ_DEBUG bound to port %d\n", virq);
    if (virq > 0)
        xenevtchn_unbind(xce, (evtchn_port_t)virq);
    xenevtchn_close(xce);
}

/* /dev/xen/gntalloc, for the grant loopback only (Linux's uapi
 * xen/gntalloc.h): dom0 grants itself a page, then maps it by gntdev. */
struct probe_gntalloc_alloc_gref {
    uint16_t domid;
    uint16_t flags;
    uint32_t count;
    uint64_t index;
    uint32_t gref_ids[1];
};
#define PROBE_IOCTL_GNTALLOC_ALLOC_GREF \
    _IOC(_IOC_NONE, 'G', 5, sizeof(struct probe_gntalloc_alloc_gref))

static void probe_gnttab(void)
{
    int ga = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
    if (ga < 0) {
        printf("gnttab loopback: no /dev/xen/gntalloc (%s)\n", strerror(errno));
        return;
    }
    struct probe_gntalloc_alloc_gref alloc = { .domid = 0, .flags = 1, .count = 1 };
    if (ioctl(ga, PROBE_IOCTL_GNTALLOC_ALLOC_GREF, &alloc) < 0) {
        CHECK(0, "gntalloc ALLOC_GREF");
        close(ga);
        return;
    }
    char *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ga, (off_t)alloc.index);
    CHECK(mine != MAP_FAILED, "mmap of the granted page");
    xengnttab_handle *xgt = xengnttab_open(NULL, 0);
    CHECK(xgt != NULL, "xengnttab_open");
    if (mine != MAP_FAILED && xgt) {
        strcpy(mine, "granted by dom0 to itself");
        CHECK(xengnttab_set_max_grants(xgt, 16) == 0, "xengnttab_set_max_grants");
        char *seen = xengnttab_map_grant_ref(xgt, 0, alloc.gref_ids[0], PROT_READ | PROT_WRITE);
        if (seen) {
            printf("gnttab loopback: gref %u reads \"%s\"\n", alloc.gref_ids[0], seen);
            CHECK(strcmp(seen, mine) == 0, "the grant mapping shows other bytes");
            CHECK(xengnttab_unmap(xgt, seen, 1) == 0, "xengnttab_unmap");
        } else {
            CHECK(0, "xengnttab_map_grant_ref(0, %u)", alloc.gref_ids[0]);
        }
        errno = 0;
        void *bad = xengnttab_map_grant_ref(xgt, 0, 0x7ffffff, PROT_READ);
        printf("gnttab map of a bad ref: %s (%s)\n", bad ? "mapped" : "refused", strerror(errno));
        CHECK(bad == NULL, "a bad grant ref mapped");
    }
    if (mine != MAP_FAILED)
        munmap(mine, 4096);
    xengnttab_close(xgt);
    close(ga);
}

static int wanted(int argc, char **argv, const char *name)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], name))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch)
        return 2;
    if (wanted(argc, argv, "version")) probe_version(xch);
    if (wanted(argc, argv, "phys")) probe_phys(xch);
    if (wanted(argc, argv, "domains")) probe_domains(xch);
    if (wanted(argc, argv, "vcpus")) probe_vcpus(xch);
    if (wanted(argc, argv, "memory")) probe_memory(xch);
    if (wanted(argc, argv, "console")) probe_console(xch);
    if (wanted(argc, argv, "foreign")) probe_foreign(xch);
    if (wanted(argc, argv, "evtchn")) probe_evtchn();
    if (wanted(argc, argv, "gnttab")) probe_gnttab();
    xc_interface_close(xch);
    printf("xc-probe: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
