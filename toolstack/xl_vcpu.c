/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl vcpu-list [Domain...]`: each vCPU of every domain (or of those
 * named), where it runs, its state, its time and its hard and soft CPU
 * affinity.  Domains named on the line are looked up one after the
 * other as the table is printed, so a bad name stops the table there,
 * as in Xen's xl.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

static void print_domain(uint32_t domid, int nr_cpus)
{
    struct xl_dom d;
    if (xl_domain_info(domid, &d)) {
        xl_liberr("libxl_domain.c:1667:libxl_list_vcpu", domid, ENOENT,
                  "Getting infolist");
        return;
    }
    char *name = xl_domid_to_name(domid);
    xc_cpumap_t hard = xc_cpumap_alloc(xl.xch), soft = xc_cpumap_alloc(xl.xch);
    for (uint32_t v = 0; hard && soft && v <= d.max_vcpu_id; v++) {
        xc_vcpuinfo_t info;
        if (xc_vcpu_getinfo(xl.xch, domid, v, &info) < 0) {
            xl_liberr("libxl_domain.c:1681:libxl_list_vcpu", domid, errno,
                      "Getting vcpu info");
            break;
        }
        if (xc_vcpu_getaffinity(xl.xch, domid, (int)v, hard, soft,
                                XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) < 0) {
            xl_liberr("libxl_domain.c:1686:libxl_list_vcpu", domid, errno,
                      "Getting vcpu affinity");
            break;
        }
        struct xl_vcpu vc = {
            .vcpuid = v, .cpu = info.cpu, .online = info.online,
            .running = info.running, .blocked = info.blocked,
            .cpu_time_ns = info.cpu_time,
        };
        char hs[256], ss[256];
        xl_format_bitmap(hs, sizeof(hs), hard, nr_cpus);
        xl_format_bitmap(ss, sizeof(ss), soft, nr_cpus);
        xl_print_vcpu_line(stdout, name, domid, &vc, hs, ss);
    }
    free(hard);
    free(soft);
    free(name);
}

int xl_cmd_vcpu_list(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "vcpu-list", 0) {
    }
    xc_physinfo_t phys;
    if (xc_physinfo(xl.xch, &phys) < 0) {
        fprintf(stderr, "libxl_physinfo failed.\n");
        return EXIT_SUCCESS;
    }
    int nr_cpus = (int)phys.max_cpu_id + 1;
    xl_print_vcpu_header(stdout);
    if (optind >= argc) {
        int n;
        struct xl_dom *doms = xl_list_domains(&n);
        if (!doms) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_SUCCESS;
        }
        for (int i = 0; i < n; i++)
            print_domain(doms[i].domid, nr_cpus);
        free(doms);
        return EXIT_SUCCESS;
    }
    /* No flush between table and messages: stdout keeps its buffering,
     * as in Xen's xl, so the two interleave the same way in a pipe. */
    for (int i = optind; i < argc; i++)
        print_domain(xl_find_domain(argv[i]), nr_cpus);
    return EXIT_SUCCESS;
}
