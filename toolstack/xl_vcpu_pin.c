/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl vcpu-pin [-f] <Domain> <VCPU|all> <Hard|-|all> [<Soft|-|all>]`:
 * the CPUs a vCPU may run on (hard affinity) and prefers (soft), set
 * through XEN_DOMCTL_setvcpuaffinity.  "-" leaves a map as it is; -f
 * (one vCPU only) undoes a pinning the guest kernel asked for
 * (SCHEDOP_pin_override).  With the global -N only the parsed maps are
 * printed.  Texts and exit codes are Xen 4.17 xl's: note that Xen's xl
 * exits 0 when setting "all" vCPUs fails for some of them, after
 * saying so.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

/* One vCPU; 0, or -1 after libxl's message. */
static int set_one(uint32_t domid, uint32_t vcpu, const uint8_t *hard,
                   const uint8_t *soft, size_t bytes, uint32_t flags)
{
    uint8_t h[bytes], s[bytes];     /* Xen writes back what took effect */
    if (hard) {
        memcpy(h, hard, bytes);
        flags |= XEN_VCPUAFFINITY_HARD;
    }
    if (soft) {
        memcpy(s, soft, bytes);
        flags |= XEN_VCPUAFFINITY_SOFT;
    }
    if (!flags)
        return -1;                  /* "- -": nothing to do, libxl refuses */
    if (xc_vcpu_setaffinity(xl.xch, domid, (int)vcpu, hard ? h : NULL,
                            soft ? s : NULL, flags) < 0) {
        xl_liberr("libxl_sched.c:62:libxl__set_vcpuaffinity", domid, errno,
                  "Setting vcpu affinity");
        return -1;
    }
    bool any = false;
    for (size_t i = 0; soft && i < bytes; i++)
        any |= s[i] != 0;
    if (soft && !any)
        xl_libwarn("libxl_sched.c:84:libxl__set_vcpuaffinity", domid, XL_NO_ERRNO,
                   "All cpus in soft affinity of vcpu %u are unreachable. "
                   "Only hard affinity will be considered for scheduling", vcpu);
    return 0;
}

static int dryrun(const uint8_t *hard, const uint8_t *soft)
{
    int cpus = xc_get_max_cpus(xl.xch);
    if (cpus < 0) {
        fprintf(stderr, "libxl_get_max_cpus failed.\n");
        return EXIT_FAILURE;
    }
    char buf[1024];
    printf("cpumap: ");
    if (hard) {
        xl_format_bitmap(buf, sizeof(buf), hard, cpus);
        fputs(buf, stdout);
    } else {
        fputs("-", stdout);
    }
    if (soft) {
        xl_format_bitmap(buf, sizeof(buf), soft, cpus);
        printf(" %s", buf);
    }
    printf("\n");
    if (ferror(stdout) || fflush(stdout)) {
        perror("stdout");
        exit(EXIT_FAILURE);
    }
    return EXIT_SUCCESS;
}

int xl_cmd_vcpu_pin(int argc, char **argv)
{
    static const struct option opts[] = {
        { "force", no_argument, NULL, 'f' },
        { "ignore-global-affinity-masks", no_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool force = false;
    int opt;
    XL_FOREACH_OPT(opt, "fi", opts, "vcpu-pin", 3) {
    case 'f':
        force = true;
        break;
    case 'i':
        break;      /* no global masks: xl.conf sets none here */
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    const char *vcpu = argv[optind + 1];
    const char *hard_text = argv[optind + 2];
    const char *soft_text = argc > optind + 3 ? argv[optind + 3] : NULL;

    char *end;
    long vcpuid = strtol(vcpu, &end, 10);
    if (end == vcpu || vcpuid < 0) {
        if (strcmp(vcpu, "all")) {
            fprintf(stderr, "Error: Invalid argument %s as VCPU.\n", vcpu);
            return EXIT_FAILURE;
        }
        if (force) {
            fprintf(stderr, "Error: --force and 'all' as VCPU not allowed.\n");
            return EXIT_FAILURE;
        }
        vcpuid = -1;
    }

    int size = xc_get_cpumap_size(xl.xch);
    if (size <= 0) {
        fprintf(stderr, "libxl_get_max_cpus failed.\n");
        return EXIT_FAILURE;
    }
    size_t bytes = (size_t)size;
    uint8_t hard_map[bytes], soft_map[bytes];
    memset(hard_map, 0, bytes);
    memset(soft_map, 0, bytes);
    const uint8_t *hard = NULL, *soft = NULL;
    if (strcmp(hard_text, "-")) {
        if (xl_parse_cpurange(hard_text, hard_map, bytes))
            return EXIT_FAILURE;
        hard = hard_map;
    }
    if (soft_text && strcmp(soft_text, "-")) {
        if (xl_parse_cpurange(soft_text, soft_map, bytes))
            return EXIT_FAILURE;
        soft = soft_map;
    }
    if (xl.dryrun)
        return dryrun(hard, soft);

    if (vcpuid >= 0) {
        if (set_one(domid, (uint32_t)vcpuid, hard, soft, bytes,
                    force ? XEN_VCPUAFFINITY_FORCE : 0)) {
            fprintf(stderr, "Could not set affinity for vcpu `%ld'.\n", vcpuid);
            return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
    }
    struct xl_dom d;
    if (xl_domain_info(domid, &d)) {
        fprintf(stderr, "libxl_list_vcpu failed.\n");
        return EXIT_FAILURE;
    }
    bool failed = false;
    for (uint32_t v = 0; v <= d.max_vcpu_id; v++) {
        if (set_one(domid, v, hard, soft, bytes, 0)) {
            xl_libwarn("libxl_sched.c:124:libxl_set_vcpuaffinity_all", domid,
                       XL_NO_ERRNO, "Failed to set affinity for %u", v);
            failed = true;
        }
    }
    if (failed)
        fprintf(stderr, "Could not set affinity.\n");
    return EXIT_SUCCESS;
}
