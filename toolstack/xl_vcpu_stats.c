/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl vcpu-stats [Domain...]` (Subfloor's own): for each vCPU, how long
 * it waited from an event waking it to running (wake-to-run), and how
 * long it sat runnable without a CPU.  A guest sees the second only as
 * steal time and the first not at all; Xen keeps neither.  On Xen the
 * sysctl is unknown and the command says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

static void print_header(void)
{
    printf("%-32s %5s %5s %8s %9s %9s %9s %8s %9s %9s %10s\n", "Name", "ID", "VCPU",
           "Wakes", "p50(us)", "p99(us)", "max(us)", "Waits", "p50(us)", "p99(us)",
           "Waited(s)");
}

/* false when the hypervisor has no such sysctl (Xen): nothing more to ask. */
static bool print_domain(uint32_t domid)
{
    struct xl_dom d;

    if (xl_domain_info(domid, &d)) {
        fprintf(stderr, "xl: domain %u: no such domain\n", domid);
        return true;
    }
    char *name = xl_domid_to_name(domid);
    for (uint32_t v = 0; v <= d.max_vcpu_id; v++) {
        xc_subfloor_vcpu_stats_t st;
        if (xc_subfloor_vcpu_sched_stats(xl.xch, domid, v, &st) < 0) {
            bool unknown = errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL;
            fprintf(stderr, "xl: %s\n", unknown
                    ? "this hypervisor keeps no per-vCPU latency figures (Subfloor's sysctl)"
                    : strerror(errno));
            free(name);
            return !unknown;
        }
        printf("%-32.32s %5u %5u %8lu %9.1f %9.1f %9.1f %8lu %9.1f %9.1f %10.3f\n",
               name ? name : "", domid, v, (unsigned long)st.wake_count,
               st.wake_p50_ns / 1e3, st.wake_p99_ns / 1e3, st.wake_max_ns / 1e3,
               (unsigned long)st.wait_count, st.wait_p50_ns / 1e3, st.wait_p99_ns / 1e3,
               st.wait_total_ns / 1e9);
    }
    free(name);
    return true;
}

int xl_cmd_vcpu_stats(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "vcpu-stats", 0) {
    }
    print_header();
    if (optind >= argc) {
        int n;
        struct xl_dom *doms = xl_list_domains(&n);
        if (!doms) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_FAILURE;
        }
        bool ok = true;
        for (int i = 0; i < n && ok; i++)
            ok = print_domain(doms[i].domid);
        free(doms);
        return ok ? EXIT_SUCCESS : EXIT_FAILURE;
    }
    for (int i = optind; i < argc; i++) {
        if (!print_domain(xl_find_domain(argv[i])))
            return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
