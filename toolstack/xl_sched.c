/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl sched-credit2`: Credit2's per-domain weight and cap, and each
 * pool's rate limit (the least time a vCPU runs before another may
 * preempt it).
 *
 *   (nothing)           every credit2 pool: its rate limit, then its
 *                       domains' weight and cap
 *   -d DOM              one domain;  -d DOM -w W / -c C  sets them
 *   -s [-r US] [-p POOL] a pool's rate limit, shown or set
 *   -p POOL             the listing, for one pool only
 *
 * Numbers are read as Xen's xl reads them (strtol: "abc" is 0) and
 * checked as libxl checks them (weight 1..65535, cap 0..100 per vCPU,
 * rate limit 0 or 100..500000, -1 meaning "leave as is"), with libxl's
 * messages, before anything is sent; the hypervisor checks again.  A
 * pool's name is /local/pool/N/name in xenstore (xen-init-dom0 writes
 * "Pool-0"), as in libxl.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define PARAM_DEFAULT (-1)      /* LIBXL_DOMAIN_SCHED_PARAM_*_DEFAULT */

static char *pool_name(uint32_t poolid)
{
    char path[48];
    snprintf(path, sizeof(path), "/local/pool/%u/name", poolid);
    return xl.ops->xs_read(xl.priv, path);
}

/* libxl_cpupool_qualifier_to_cpupoolid and _is_valid: digits are an
 * id, anything else a name; either must have a name in xenstore. */
static bool find_pool(const char *q, uint32_t *poolid)
{
    char *end;
    unsigned long id = strtoul(q, &end, 10);
    if (*q && !*end) {
        *poolid = (uint32_t)id;
    } else {
        bool found = false;
        for (uint32_t p = 0; !found; p++) {
            xc_cpupoolinfo_t *info = xc_cpupool_getinfo(xl.xch, p);
            if (!info)
                break;
            p = info->cpupool_id;
            xc_cpupool_infofree(xl.xch, info);
            char *name = pool_name(p);
            found = name && !strcmp(name, q);
            free(name);
            if (found)
                *poolid = p;
        }
        if (!found)
            return false;
    }
    char *name = pool_name(*poolid);
    free(name);
    return name != NULL;
}

/* libxl__domain_scheduler: the scheduler of the domain's pool, or -1. */
static int domain_scheduler(uint32_t domid)
{
    xc_domaininfo_t d;
    int n = xl.ops->domain_list(xl.priv, domid, 1, &d);
    if (n != 1) {
        /* libxl prints a stale errno here: ENOENT on Xen 4.17. */
        xl_liberr("libxl_dom.c:76:libxl__domain_cpupool", XL_NO_DOMID,
                  n < 0 ? errno : ENOENT, "getinfolist failed %d", n);
        return -1;
    }
    if (d.domain != domid) {
        xl_liberr("libxl_dom.c:81:libxl__domain_cpupool", XL_NO_DOMID, ENOENT,
                  "got info for dom%u, wanted dom%u\n", d.domain, domid);
        return -1;
    }
    xc_cpupoolinfo_t *info = xc_cpupool_getinfo(xl.xch, d.cpupool);
    if (!info) {
        xl_liberr("libxl_cpupool.c:36:cpupool_info", XL_NO_DOMID, errno,
                  "failed to get info for cpupool%u", d.cpupool);
        return -1;
    }
    int sched = info->cpupool_id == d.cpupool ? (int)info->sched_id : -1;
    xc_cpupool_infofree(xl.xch, info);
    return sched;
}

/* One domain's line; 1 when its parameters cannot be read. */
static int domain_output(uint32_t domid)
{
    int sched = domain_scheduler(domid);
    if (sched < 0 || !xl_scheduler_name(sched)) {
        xl_liberr("libxl_sched.c:905:libxl_domain_sched_params_get", domid,
                  XL_NO_ERRNO, "Unknown scheduler");
        fprintf(stderr, "libxl_domain_sched_params_get failed.\n");
        return 1;
    }
    if (sched != XEN_SCHEDULER_CREDIT2) {
        fprintf(stderr, "libxl_domain_sched_params_get returned %s not credit2.\n",
                xl_scheduler_name(sched));
        return 1;
    }
    struct xen_domctl_sched_credit2 p;
    if (xc_sched_credit2_domain_get(xl.xch, domid, &p) < 0) {
        xl_liberr("libxl_sched.c:410:sched_credit2_domain_get", domid, errno,
                  "Getting domain sched credit2");
        fprintf(stderr, "libxl_domain_sched_params_get failed.\n");
        return 1;
    }
    char *name = xl_domid_to_name(domid);
    xl_print_credit2_line(stdout, name, domid, p.weight, p.cap);
    free(name);
    return 0;
}

static void pool_output(uint32_t poolid)
{
    struct xen_sysctl_credit2_schedule p;
    long ratelimit = -1;
    if (xc_sched_credit2_params_get(xl.xch, poolid, &p) < 0) {
        xl_liberr("libxl_sched.c:362:libxl_sched_credit2_params_get", XL_NO_DOMID,
                  errno, "getting Credit2 scheduler parameters");
        fprintf(stderr, "libxl_sched_credit2_params_get failed.\n");
    } else {
        ratelimit = (long)p.ratelimit_us;
    }
    char *name = pool_name(poolid);
    xl_print_credit2_pool(stdout, name, ratelimit);
    free(name);
}

/* Every credit2 pool (or the one asked for) with its domains. */
static int list_pools(const char *pool)
{
    uint32_t only = 0;
    if (pool && !find_pool(pool, &only)) {
        fprintf(stderr, "unknown cpupool '%s'\n", pool);
        return EXIT_FAILURE;
    }
    int n;
    struct xl_dom *doms = xl_list_domains(&n);
    if (!doms) {
        fprintf(stderr, "libxl_list_domain failed.\n");
        return EXIT_FAILURE;
    }
    for (uint32_t p = 0;; p++) {
        xc_cpupoolinfo_t *info = xc_cpupool_getinfo(xl.xch, p);
        if (!info) {
            if (errno != ENOENT) {
                xl_liberr("libxl_cpupool.c:36:cpupool_info", XL_NO_DOMID, errno,
                          "failed to get info for cpupool%u", p);
                fprintf(stderr, "error getting cpupool info\n");
                free(doms);
                return EXIT_FAILURE;
            }
            break;
        }
        p = info->cpupool_id;
        uint32_t sched = info->sched_id;
        xc_cpupool_infofree(xl.xch, info);
        if (sched != XEN_SCHEDULER_CREDIT2 || (pool && p != only))
            continue;
        pool_output(p);
        xl_print_credit2_header(stdout);
        /* Xen's xl stops the pool at a domain it cannot show, yet exits 0. */
        for (int i = 0; i < n; i++)
            if (doms[i].cpupool == p && domain_output(doms[i].domid))
                break;
    }
    free(doms);
    return EXIT_SUCCESS;
}

static int set_ratelimit(const char *pool, bool set, int ratelimit)
{
    uint32_t poolid = 0;
    if (pool && !find_pool(pool, &poolid)) {
        fprintf(stderr, "unknown cpupool '%s'\n", pool);
        return EXIT_FAILURE;
    }
    if (!set) {
        pool_output(poolid);
        return EXIT_SUCCESS;
    }
    if (ratelimit != 0 && (ratelimit < XEN_SYSCTL_SCHED_RATELIMIT_MIN ||
                           ratelimit > XEN_SYSCTL_SCHED_RATELIMIT_MAX)) {
        xl_liberr("libxl_sched.c:270:sched_ratelimit_check", XL_NO_DOMID, XL_NO_ERRNO,
                  "Ratelimit out of range, valid range is from %d to %d",
                  XEN_SYSCTL_SCHED_RATELIMIT_MIN, XEN_SYSCTL_SCHED_RATELIMIT_MAX);
        goto failed;
    }
    struct xen_sysctl_credit2_schedule p = { .ratelimit_us = (uint32_t)ratelimit };
    if (xc_sched_credit2_params_set(xl.xch, poolid, &p) < 0) {
        xl_liberr("libxl_sched.c:389:libxl_sched_credit2_params_set", XL_NO_DOMID,
                  errno, "Setting Credit2 scheduler parameters");
        goto failed;
    }
    return EXIT_SUCCESS;
failed:
    fprintf(stderr, "libxl_sched_credit2_params_set failed.\n");
    return EXIT_FAILURE;
}

/* libxl's sched_credit2_domain_set: 0, or 1 after its message. */
static int set_domain(uint32_t domid, int weight, int cap)
{
    xc_domaininfo_t info;
    int n = xl.ops->domain_list(xl.priv, domid, 1, &info);
    if (n < 0) {
        xl_liberr("libxl_sched.c:431:sched_credit2_domain_set", domid, errno,
                  "Getting domain info");
        return 1;
    }
    if (n != 1 || info.domain != domid)
        return 1;
    struct xen_domctl_sched_credit2 p;
    if (xc_sched_credit2_domain_get(xl.xch, domid, &p) < 0) {
        xl_liberr("libxl_sched.c:439:sched_credit2_domain_set", domid, errno,
                  "Getting domain sched credit2");
        return 1;
    }
    if (weight != PARAM_DEFAULT) {
        if (weight < 1 || weight > 65535) {
            xl_liberr("libxl_sched.c:445:sched_credit2_domain_set", domid, XL_NO_ERRNO,
                      "Cpu weight out of range, valid values are within range "
                      "from 1 to 65535");
            return 1;
        }
        p.weight = (uint16_t)weight;
    }
    if (cap != PARAM_DEFAULT) {
        long max = ((long)info.max_vcpu_id + 1) * 100;
        if (cap < 0 || cap > max) {
            xl_liberr("libxl_sched.c:455:sched_credit2_domain_set", domid, XL_NO_ERRNO,
                      "Cpu cap out of range, valid range is from 0 to %ld for "
                      "specified number of vcpus", max);
            return 1;
        }
        p.cap = (uint16_t)cap;
    }
    if (xc_sched_credit2_domain_set(xl.xch, domid, &p) < 0) {
        xl_liberr("libxl_sched.c:465:sched_credit2_domain_set", domid, errno,
                  "Setting domain sched credit2");
        return 1;
    }
    return 0;
}

int xl_cmd_sched_credit2(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "weight", required_argument, NULL, 'w' },
        { "cap", required_argument, NULL, 'c' },
        { "schedparam", no_argument, NULL, 's' },
        { "ratelimit_us", required_argument, NULL, 'r' },
        { "cpupool", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dom = NULL, *pool = NULL;
    int weight = PARAM_DEFAULT, cap = PARAM_DEFAULT, ratelimit = 0;
    bool opt_s = false, opt_r = false, opt_w = false, opt_c = false;
    int opt;
    XL_FOREACH_OPT(opt, "d:w:c:p:r:s", opts, "sched-credit2", 0) {
    case 'd':
        dom = optarg;
        break;
    case 'w':
        weight = (int)strtol(optarg, NULL, 10);
        opt_w = true;
        break;
    case 'c':
        cap = (int)strtol(optarg, NULL, 10);
        opt_c = true;
        break;
    case 's':
        opt_s = true;
        break;
    case 'r':
        ratelimit = (int)strtol(optarg, NULL, 10);
        opt_r = true;
        break;
    case 'p':
        pool = optarg;
        break;
    }
    /* As in Xen's xl, -w -1 and -c -1 are given yet change nothing. */
    bool any_wc = opt_w || opt_c;
    if (pool && (dom || any_wc)) {
        fprintf(stderr, "Specifying a cpupool is not allowed with other options.\n");
        return EXIT_FAILURE;
    }
    if (!dom && any_wc) {
        fprintf(stderr, "Must specify a domain.\n");
        return EXIT_FAILURE;
    }
    if (opt_s)
        return set_ratelimit(pool, opt_r, ratelimit);
    if (!dom)
        return list_pools(pool);
    uint32_t domid = xl_find_domain(dom);
    if (!any_wc) {
        xl_print_credit2_header(stdout);
        return domain_output(domid) ? EXIT_FAILURE : EXIT_SUCCESS;
    }
    if (set_domain(domid, weight, cap)) {
        fprintf(stderr, "libxl_domain_sched_params_set failed.\n");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
