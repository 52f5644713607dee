/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl vcpu-set <Domain> <vCPUs>`: how many of a PV domain's vCPUs should
 * be online.  As libxl does for PV, xl only states the wish in xenstore
 * (cpu/N/availability, "online" or "offline", for every vCPU up to the
 * domain's maximum); the guest's own hotplug driver watches those keys
 * and brings its CPUs up or down (Linux: drivers/xen/cpu_hotplug.c).
 * dom0 is a PV domain like any other here.  Checks and messages are Xen
 * 4.17 xl's and libxl's; a refused request writes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define LIBXL_ERROR_FAIL (-3)

static int vcpu_set(uint32_t domid, const char *text, bool check_host)
{
    char *end;
    unsigned long want = strtoul(text, &end, 10);
    if (end == text || want > INT_MAX) {
        fprintf(stderr, "Error: Invalid argument.\n");
        return 1;
    }
    struct xl_dom d;
    bool known = xl_domain_info(domid, &d) == 0;
    /* An id nobody has: Xen's xl ends quietly in its host check, and
     * without it libxl says so.  (The -i text is libxl's; not yet seen
     * side by side on Xen.) */
    if (!known && check_host)
        return 1;
    if (!known) {
        xl_liberr("libxl_domain.c:1856:libxl_set_vcpuonline", domid, ENOSYS,
                  "Getting domain info list");
        fprintf(stderr, "Domain %u does not exist.\n", domid);
        return 1;
    }
    if (check_host) {
        int host_cpus = xc_get_max_cpus(xl.xch);
        if (want > d.vcpu_online && host_cpus >= 0 && want > (unsigned long)host_cpus) {
            fprintf(stderr, "You are overcommmitting! You have %d physical CPUs "
                    "and want %ld vCPUs! Aborting, use --ignore-host to continue\n",
                    host_cpus, (long)want);
            return 1;
        }
    }
    /* libxl logs these two with whatever errno holds, which is ENOSYS
     * from its own start-up on Xen 4.17: the same text here. */
    if (want == 0) {
        xl_liberr("libxl_domain.c:1863:libxl_set_vcpuonline", domid, ENOSYS,
                  "Requested 0 VCPUs!");
        goto failed;
    }
    if (want > d.max_vcpu_id + 1ul) {
        xl_liberr("libxl_domain.c:1869:libxl_set_vcpuonline", domid, ENOSYS,
                  "Requested %ld VCPUs, however maxcpus is %u!", (long)want,
                  d.max_vcpu_id + 1);
        goto failed;
    }
    if (xl_write_vcpu_availability(domid, (unsigned)want, d.max_vcpu_id) == 0)
        return 0;
failed:
    fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%ld, rc: %d\n",
            domid, (long)want, LIBXL_ERROR_FAIL);
    return 1;
}

int xl_cmd_vcpu_set(int argc, char **argv)
{
    static const struct option opts[] = {
        { "ignore-host", no_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool check_host = true;
    int opt;
    XL_FOREACH_OPT(opt, "i", opts, "vcpu-set", 2) {
    case 'i':
        check_host = false;
        break;
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    return vcpu_set(domid, argv[optind + 1], check_host) ? EXIT_FAILURE : EXIT_SUCCESS;
}
