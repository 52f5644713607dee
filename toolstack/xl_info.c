/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl info [-n] [name]`: the host (uname), the machine (physinfo, the
 * free CPUs), with -n the CPU, device and NUMA topology, and the
 * hypervisor (xen_version, the scheduler), in Xen xl's lines.  A name
 * prints only the value of the lines whose key starts with it.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "xl.h"

#define P(...) xl_info_printf(stdout, __VA_ARGS__)

static void host_info(void)
{
    struct utsname u;
    if (uname(&u) < 0)
        return;
    P("host                   : %s\n", u.nodename);
    P("release                : %s\n", u.release);
    P("version                : %s\n", u.version);
    P("machine                : %s\n", u.machine);
}

static int popcount_map(const uint8_t *map, int bytes)
{
    int n = 0;
    for (int i = 0; i < bytes; i++)
        n += __builtin_popcount(map[i]);
    return n;
}

static void machine_info(void)
{
    xc_physinfo_t p;
    if (xc_physinfo(xl.xch, &p) < 0) {
        fprintf(stderr, "libxl_physinfo failed.\n");
        return;
    }
    P("nr_cpus                : %u\n", p.nr_cpus);
    P("max_cpu_id             : %u\n", p.max_cpu_id);
    P("nr_nodes               : %u\n", p.nr_nodes);
    P("cores_per_socket       : %u\n", p.cores_per_socket);
    P("threads_per_core       : %u\n", p.threads_per_core);
    P("cpu_mhz                : %u.%03u\n", p.cpu_khz / 1000, p.cpu_khz % 1000);
    P("hw_caps                : %08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n",
      p.hw_cap[0], p.hw_cap[1], p.hw_cap[2], p.hw_cap[3], p.hw_cap[4],
      p.hw_cap[5], p.hw_cap[6], p.hw_cap[7]);
    uint32_t c = p.capabilities;
    bool pv = c & XEN_SYSCTL_PHYSCAP_pv, hvm = c & XEN_SYSCTL_PHYSCAP_hvm;
    bool dio = c & XEN_SYSCTL_PHYSCAP_directio;
    P("virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n",
      pv ? " pv" : "", hvm ? " hvm" : "", hvm && dio ? " hvm_directio" : "",
      pv && dio ? " pv_directio" : "",
      c & XEN_SYSCTL_PHYSCAP_hap ? " hap" : "",
      c & XEN_SYSCTL_PHYSCAP_shadow ? " shadow" : "",
      c & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
      c & XEN_SYSCTL_PHYSCAP_vmtrace ? " vmtrace" : "",
      c & XEN_SYSCTL_PHYSCAP_vpmu ? " vpmu" : "",
      c & XEN_SYSCTL_PHYSCAP_gnttab_v1 ? " gnttab-v1" : "",
      c & XEN_SYSCTL_PHYSCAP_gnttab_v2 ? " gnttab-v2" : "");
    long pagesize = xc_version(xl.xch, XENVER_pagesize, NULL);
    if (pagesize > 0) {
        uint64_t per_mib = (1u << 20) / (uint64_t)pagesize;
        P("total_memory           : %" PRIu64 "\n", p.total_pages / per_mib);
        P("free_memory            : %" PRIu64 "\n",
          (p.free_pages - p.outstanding_pages) / per_mib);
        P("sharing_freed_memory   : %" PRIu64 "\n", (uint64_t)0);
        P("sharing_used_memory    : %" PRIu64 "\n", (uint64_t)0);
        P("outstanding_claims     : %" PRIu64 "\n", p.outstanding_pages / per_mib);
    }
    xc_cpumap_t free_map = xc_cpupool_freeinfo(xl.xch);
    if (free_map) {
        P("free_cpus              : %d\n",
          popcount_map(free_map, xc_get_cpumap_size(xl.xch)));
        free(free_map);
    }
}

static void topology_info(void)
{
    unsigned n = 0;
    if (xc_cputopoinfo(xl.xch, &n, NULL) < 0) {
        fprintf(stderr, "libxl_get_cpu_topology failed.\n");
        return;
    }
    xc_cputopo_t *t = calloc(n ? n : 1, sizeof(*t));
    if (!t || xc_cputopoinfo(xl.xch, &n, t) < 0) {
        free(t);
        fprintf(stderr, "libxl_get_cpu_topology failed.\n");
        return;
    }
    printf("cpu_topology           :\n");
    printf("cpu:    core    socket     node\n");
    for (unsigned i = 0; i < n; i++)
        if (t[i].core != XEN_INVALID_CORE_ID)
            printf("%3u:    %4u     %4u     %4u\n", i, t[i].core, t[i].socket,
                   t[i].node);
    free(t);
    /* PCI devices' nodes need physdev's pci topology: none known. */
    printf("device topology        :\n");
    printf("device           node\n");
    printf("No device topology data available\n");
}

static void numa_info(void)
{
    unsigned n = 0;
    if (xc_numainfo(xl.xch, &n, NULL, NULL) < 0 || n == 0) {
        fprintf(stderr, "libxl_get_numainfo failed.\n");
        return;
    }
    xc_meminfo_t *m = calloc(n, sizeof(*m));
    uint32_t *dist = calloc((size_t)n * n, sizeof(*dist));
    if (!m || !dist || xc_numainfo(xl.xch, &n, m, dist) < 0) {
        free(m);
        free(dist);
        fprintf(stderr, "libxl_get_numainfo failed.\n");
        return;
    }
    printf("numa_info              :\n");
    printf("node:    memsize    memfree    distances\n");
    for (unsigned i = 0; i < n; i++) {
        if (m[i].memsize == XEN_INVALID_MEM_SZ)
            continue;
        printf("%4u:    %6" PRIu64 "     %6" PRIu64 "      %u", i,
               (uint64_t)m[i].memsize >> 20, (uint64_t)m[i].memfree >> 20,
               dist[i * n]);
        for (unsigned j = 1; j < n; j++)
            printf(",%u", dist[i * n + j]);
        printf("\n");
    }
    free(m);
    free(dist);
}

static void hypervisor_info(void)
{
    int sched;
    if (xc_sched_id(xl.xch, &sched) < 0) {
        fprintf(stderr, "get_scheduler sysctl failed.\n");
        return;
    }
    long version = xc_version(xl.xch, XENVER_version, NULL);
    xen_extraversion_t extra = "";
    xen_compile_info_t cc;
    xen_capabilities_info_t caps = "";
    xen_changeset_info_t changeset = "";
    xen_platform_parameters_t params = { 0 };
    xen_commandline_t cmdline = "";
    memset(&cc, 0, sizeof(cc));
    xc_version(xl.xch, XENVER_extraversion, &extra);
    xc_version(xl.xch, XENVER_compile_info, &cc);
    xc_version(xl.xch, XENVER_capabilities, &caps);
    xc_version(xl.xch, XENVER_changeset, &changeset);
    xc_version(xl.xch, XENVER_platform_parameters, &params);
    xc_version(xl.xch, XENVER_commandline, &cmdline);
    long pagesize = xc_version(xl.xch, XENVER_pagesize, NULL);

    /* The build id is raw bytes; xl prints them in hex. */
    char build_id[2 * 256 + 1] = "";
    union { xen_build_id_t id; uint8_t raw[sizeof(xen_build_id_t) + 256]; } b;
    b.id.len = 256;
    int len = xc_version(xl.xch, XENVER_build_id, &b.id);
    for (int i = 0; i < len && i < 256; i++)
        snprintf(build_id + 2 * i, 3, "%02hhx", b.id.buf[i]);

    int major = (int)(version >> 16), minor = (int)(version & 0xff);
    P("xen_major              : %d\n", major);
    P("xen_minor              : %d\n", minor);
    P("xen_extra              : %s\n", extra);
    P("xen_version            : %d.%d%s\n", major, minor, extra);
    P("xen_caps               : %s\n", caps);
    P("xen_scheduler          : %s\n", xl_scheduler_name(sched) ? xl_scheduler_name(sched) : "unknown");
    P("xen_pagesize           : %ld\n", pagesize);
    P("platform_params        : virt_start=0x%" PRIx64 "\n", (uint64_t)params.virt_start);
    P("xen_changeset          : %s\n", changeset);
    P("xen_commandline        : %s\n", cmdline);
    P("cc_compiler            : %s\n", cc.compiler);
    P("cc_compile_by          : %s\n", cc.compile_by);
    P("cc_compile_domain      : %s\n", cc.compile_domain);
    P("cc_compile_date        : %s\n", cc.compile_date);
    P("build_id               : %s\n", build_id);
}

int xl_cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "numa", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool numa = false;
    int opt;
    XL_FOREACH_OPT(opt, "n", longopts, "info", 0) {
    case 'n': numa = true; break;
    }
    if (!numa && argc > optind)
        xl_info_set_filter(argv[optind]);
    host_info();
    machine_info();
    if (numa) {
        topology_info();
        numa_info();
    }
    hypervisor_info();
    P("xend_config_format     : 4\n");
    return EXIT_SUCCESS;
}
