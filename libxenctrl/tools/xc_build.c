/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xc-build: create and start a 64-bit PV domU with libxenctrl's domain
 * builder, then copy its PV console ring to stdout while it runs.  No
 * xenstore or xenconsoled is involved: this tool is the console's back
 * end (it maps the ring and consumes it).
 *
 *   xc-build [--memory MIB] [--ramdisk FILE] [--cmdline TEXT]
 *            [--timeout SECS] [--until TEXT] [--keep] KERNEL
 *
 * Exit status: 0 when the guest shut down (or --until's text appeared),
 * 1 when the domain could not be built or started, 2 on timeout, 3 when
 * the guest crashed.  The domain is destroyed at the end unless --keep.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "public/io/console.h"
#include "xc_dom.h"
#include "xenctrl.h"

struct opts {
    unsigned memory_mib;
    const char *ramdisk, *cmdline, *until, *kernel;
    unsigned timeout;
    int keep;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: xc-build [--memory MIB] [--ramdisk FILE] [--cmdline TEXT]\n"
               "                [--timeout SECS] [--until TEXT] [--keep] KERNEL\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "memory", required_argument, NULL, 'm' },
        { "ramdisk", required_argument, NULL, 'r' },
        { "cmdline", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "until", required_argument, NULL, 'u' },
        { "keep", no_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;

    *o = (struct opts){ .memory_mib = 32, .cmdline = "", .timeout = 60 };
    while ((c = getopt_long(argc, argv, "m:r:c:t:u:kh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->memory_mib = (unsigned)strtoul(optarg, &end, 10);
            if (*end || !o->memory_mib) {
                fprintf(stderr, "xc-build: --memory: '%s' is not a size in MiB\n", optarg);
                return -1;
            }
            break;
        case 't':
            o->timeout = (unsigned)strtoul(optarg, &end, 10);
            if (*end || !o->timeout) {
                fprintf(stderr, "xc-build: --timeout: '%s' is not a number of seconds\n",
                        optarg);
                return -1;
            }
            break;
        case 'r': o->ramdisk = optarg; break;
        case 'c': o->cmdline = optarg; break;
        case 'u': o->until = optarg; break;
        case 'k': o->keep = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return -1;
    }
    o->kernel = argv[optind];
    return 0;
}

static int create(xc_interface *xch, const struct opts *o, uint32_t *domid)
{
    struct xen_domctl_createdomain cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = 0;                      /* PV: neither hvm nor hap */
    cfg.max_vcpus = 1;
    cfg.max_evtchn_port = 1023;
    cfg.max_grant_frames = 64;
    cfg.max_maptrack_frames = 1024;
    cfg.grant_opts = XEN_DOMCTL_GRANT_version(1);
    *domid = 0;
    if (xc_domain_create(xch, domid, &cfg) < 0) {
        fprintf(stderr, "xc-build: createdomain failed\n");
        return -1;
    }
    if (xc_domain_max_vcpus(xch, *domid, 1) < 0 ||
        xc_domain_setmaxmem(xch, *domid, ((uint64_t)o->memory_mib << 10) + 1024) < 0) {
        fprintf(stderr, "xc-build: max_vcpus/max_mem for domain %u failed\n", *domid);
        return -1;
    }
    return 0;
}

static int build(xc_interface *xch, const struct opts *o, uint32_t domid,
                 xen_pfn_t *console_mfn)
{
    struct xc_dom_image *dom = xc_dom_allocate(xch, o->cmdline, NULL);
    int console_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    int store_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    int rc = -1;

    if (!dom || console_port < 0 || store_port < 0) {
        fprintf(stderr, "xc-build: no builder or no event channels for domain %u\n",
                domid);
        goto out;
    }
    dom->console_evtchn = (uint32_t)console_port;
    dom->xenstore_evtchn = (uint32_t)store_port;
    dom->console_domid = dom->xenstore_domid = 0;
    if (xc_dom_kernel_file(dom, o->kernel) < 0 ||
        (o->ramdisk && xc_dom_ramdisk_file(dom, o->ramdisk) < 0) ||
        xc_dom_boot_xen_init(dom, xch, domid) < 0 ||
        xc_dom_parse_image(dom) < 0 ||
        xc_dom_mem_init(dom, o->memory_mib) < 0 ||
        xc_dom_boot_mem_init(dom) < 0 ||
        xc_dom_build_image(dom) < 0 ||
        xc_dom_boot_image(dom) < 0 ||
        xc_dom_gnttab_init(dom) < 0) {
        fprintf(stderr, "xc-build: %s\n", dom->last_error);
        goto out;
    }
    printf("xc-build: domain %u: %s kernel, entry %#llx, %u MiB, console mfn %#llx "
           "port %d, xenstore mfn %#llx port %d\n", domid, dom->kernel_format,
           (unsigned long long)dom->parms.virt_entry, o->memory_mib,
           (unsigned long long)dom->console_mfn, console_port,
           (unsigned long long)dom->xenstore_mfn, store_port);
    fflush(stdout);
    *console_mfn = dom->console_mfn;
    rc = 0;
out:
    xc_dom_release(dom);
    return rc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Move what the guest wrote to stdout; keep a tail to look for --until. */
static void drain(volatile struct xencons_interface *r, char *tail, size_t tail_size)
{
    XENCONS_RING_IDX cons = r->out_cons;
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);

    if (prod - cons > sizeof(r->out))
        cons = prod - sizeof(r->out);   /* a confused guest: keep the newest */
    while (cons != prod) {
        char ch = r->out[cons++ & (sizeof(r->out) - 1)];
        putchar(ch);
        size_t n = strlen(tail);
        if (n + 1 >= tail_size) {
            memmove(tail, tail + n / 2, n - n / 2 + 1);
            n = strlen(tail);
        }
        tail[n] = ch;
        tail[n + 1] = '\0';
    }
    __atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
    fflush(stdout);
}

static int watch(xc_interface *xch, const struct opts *o, uint32_t domid,
                 xen_pfn_t console_mfn)
{
    volatile struct xencons_interface *ring =
        xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ | PROT_WRITE,
                             console_mfn);
    char tail[4096] = "";
    double deadline = now() + o->timeout;

    if (!ring) {
        fprintf(stderr, "xc-build: cannot map domain %u's console ring\n", domid);
        return 1;
    }
    for (;;) {
        xc_domaininfo_t info;
        drain(ring, tail, sizeof(tail));
        if (o->until && strstr(tail, o->until)) {
            munmap((void *)ring, XC_PAGE_SIZE);
            return 0;
        }
        if (xc_domain_getinfo_single(xch, domid, &info) < 0) {
            fprintf(stderr, "xc-build: domain %u vanished\n", domid);
            munmap((void *)ring, XC_PAGE_SIZE);
            return 3;
        }
        if (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) {
            drain(ring, tail, sizeof(tail));
            unsigned reason = (info.flags >> XEN_DOMINF_shutdownshift) &
                              XEN_DOMINF_shutdownmask;
            printf("\nxc-build: domain %u shut down (reason %u%s)\n", domid, reason,
                   reason == SHUTDOWN_crash ? ", crash" : "");
            munmap((void *)ring, XC_PAGE_SIZE);
            return reason == SHUTDOWN_crash ? 3 : 0;
        }
        if (now() > deadline) {
            printf("\nxc-build: timeout after %u s\n", o->timeout);
            munmap((void *)ring, XC_PAGE_SIZE);
            return 2;
        }
        usleep(20000);
    }
}

int main(int argc, char **argv)
{
    struct opts o;
    uint32_t domid = 0;
    xen_pfn_t console_mfn = 0;
    int rc;

    if (parse(argc, argv, &o) < 0)
        return 1;
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "xc-build: cannot open libxenctrl\n");
        return 1;
    }
    if (create(xch, &o, &domid) < 0) {
        rc = 1;
    } else if (build(xch, &o, domid, &console_mfn) < 0) {
        rc = 1;
    } else if (xc_domain_unpause(xch, domid) < 0) {
        fprintf(stderr, "xc-build: unpausing domain %u failed\n", domid);
        rc = 1;
    } else {
        rc = watch(xch, &o, domid, console_mfn);
    }
    if (domid && !o.keep)
        xc_domain_destroy(xch, domid);
    xc_interface_close(xch);
    return rc;
}
