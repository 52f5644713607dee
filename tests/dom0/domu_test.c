/*
 * dom0-domu-test: the hypervisor side of a domU's life, driven from dom0
 * through our libxenctrl, as a toolstack drives it (Xen 4.17's domctl
 * and memory_op sequence): create a domain, give it memory, map and
 * write its frames, pause and unpause it, destroy it, and check the
 * machine's free memory is back where it was; then 20 create/destroy
 * cycles, and the bad inputs a toolstack may pass, each with Xen's
 * errno.  Runs on Xen 4.17 and on Subfloor; prints PASS/FAIL lines and
 * exits 0 only when every check passed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

#include "domu_common.h"

#define DOMU_PAGES 16u
#define CYCLES     20u

/* libxl's config, with a handle the checks recognise. */
static struct xen_domctl_createdomain pv_config(unsigned int vcpus)
{
    struct xen_domctl_createdomain c = domu_pv_config(vcpus);

    for (unsigned int i = 0; i < sizeof(c.handle); i++)
        c.handle[i] = (uint8_t)(0xa0 + i);
    return c;
}

/* Xen frees a killed domain's memory after an RCU grace period and
 * scrubs it in the background: free_pages_settled waits for the count. */
static bool gone(xc_interface *xch, uint32_t domid)
{
    xc_domaininfo_t info;

    for (int i = 0; i < 50; i++) {
        if (xc_domain_getinfo_single(xch, domid, &info) < 0 && errno == ESRCH)
            return true;
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return false;
}

/* A call that must fail: its errno (0 when it succeeded). */
static void lifecycle(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    struct xen_domctl_createdomain cfg = pv_config(1);
    uint32_t domid = 0;
    xc_domaininfo_t info;

    int rc = xc_domain_create(xch, &domid, &cfg);
    if (!check(rc == 0, "create", "xc_domain_create: domid %u (errno %d)", domid,
               rc ? errno : 0))
        return;
    check(domid > 0 && domid < DOMID_FIRST_RESERVED, "create-domid", "domid %u", domid);
    memset(&info, 0, sizeof(info));
    rc = xc_domain_getinfo_single(xch, domid, &info);
    /* Paused by the toolstack, no shutdown code yet (Xen's all-ones),
     * no vCPU online, nothing else. */
    check(rc == 0 && info.flags == (XEN_DOMINF_paused | 0xffff0000u) &&
          info.nr_online_vcpus == 0 &&
          info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID && info.tot_pages == 0 && info.max_pages == 0 &&
          info.handle[0] == 0xa0, "create-info",
          "flags %#x online %u max_vcpu_id %u tot_pages %lu max_pages %lu",
          info.flags, info.nr_online_vcpus, info.max_vcpu_id,
          (unsigned long)info.tot_pages, (unsigned long)info.max_pages);

    /* Xen 4.17 makes the vCPUs at XEN_DOMCTL_max_vcpus, which must
     * repeat createdomain's count. */
    int e = ERRNO_OF(xc_domain_max_vcpus(xch, domid, 2));
    check(e == EINVAL, "max-vcpus-other-count", "errno %d (EINVAL %d)", e, EINVAL);
    rc = xc_domain_max_vcpus(xch, domid, 1) || xc_domain_getinfo_single(xch, domid, &info);
    check(rc == 0 && info.max_vcpu_id == 0 && info.nr_online_vcpus == 0, "max-vcpus",
          "max_vcpu_id %u, online %u", info.max_vcpu_id, info.nr_online_vcpus);
    e = ERRNO_OF(xc_domain_max_vcpus(xch, 0, 2));
    check(e == EINVAL, "max-vcpus-self", "errno %d (EINVAL %d)", e, EINVAL);

    /* Its id is taken now. */
    uint32_t again = domid;
    struct xen_domctl_createdomain cfg2 = pv_config(1);
    e = ERRNO_OF(xc_domain_create(xch, &again, &cfg2));
    check(e == EEXIST, "create-domid-in-use", "errno %d (EEXIST %d)", e, EEXIST);

    /* Memory: the limit first, then frames at pfns 0..15; one more is
     * past the limit. */
    rc = xc_domain_setmaxmem(xch, domid, DOMU_PAGES * 4);
    check(rc == 0, "max-mem", "%u KiB (errno %d)", DOMU_PAGES * 4, rc ? errno : 0);
    xen_pfn_t pfns[DOMU_PAGES + 1];
    for (unsigned int i = 0; i <= DOMU_PAGES; i++)
        pfns[i] = i;
    rc = xc_domain_populate_physmap_exact(xch, domid, DOMU_PAGES, 0, 0, pfns);
    check(rc == 0, "populate", "%u frames, first mfn %#lx (errno %d)", DOMU_PAGES,
          (unsigned long)pfns[0], rc ? errno : 0);
    xen_pfn_t extra = DOMU_PAGES;
    e = ERRNO_OF(xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, &extra));
    check(e != 0, "populate-past-max", "refused (errno %d)", e);
    long tot = xc_get_tot_pages(xch, domid);
    check(tot == DOMU_PAGES, "tot-pages", "%ld", tot);
    uint64_t during = free_pages(xch);
    check(during + DOMU_PAGES <= before, "free-pages-dropped",
          "%lu -> %lu", (unsigned long)before, (unsigned long)during);

    /* dom0 maps the domU's frames (privcmd: mmu_update with the domU as
     * foreign domain), writes them and reads them back. */
    uint8_t *map = xc_map_foreign_pages(xch, domid, PROT_READ | PROT_WRITE, pfns, DOMU_PAGES);
    if (check(map != NULL, "map-foreign", "%u frames (errno %d)", DOMU_PAGES,
              map ? 0 : errno)) {
        bool fresh = true, kept = true;
        for (unsigned int i = 0; i < DOMU_PAGES * 4096u; i++)
            fresh &= map[i] == 0;
        for (unsigned int i = 0; i < DOMU_PAGES; i++)
            memset(map + i * 4096u, 0x40 + (int)i, 4096);
        munmap(map, DOMU_PAGES * 4096u);
        map = xc_map_foreign_pages(xch, domid, PROT_READ, pfns, DOMU_PAGES);
        for (unsigned int i = 0; map && i < DOMU_PAGES; i++)
            kept &= map[i * 4096u] == 0x40 + i && map[i * 4096u + 4095] == 0x40 + i;
        check(fresh, "frames-zeroed", "a new domain's frames read as zero");
        check(map && kept, "frames-written", "what dom0 wrote is there when mapped again");
        if (map)
            munmap(map, DOMU_PAGES * 4096u);
    }

    /* A frame the domU does not own (dom0's shared_info) through the
     * domU as foreign domain. */
    xc_domaininfo_t d0;
    if (xc_domain_getinfo_single(xch, 0, &d0) == 0) {
        xen_pfn_t alien = d0.shared_info_frame;
        int err = 0;
        void *p = xc_map_foreign_bulk(xch, domid, PROT_READ, &alien, &err, 1);
        check(p == NULL || err != 0, "map-foreign-not-owned",
              "dom0's frame %#lx through d%u: refused (err %d, errno %d)",
              (unsigned long)alien, domid, err, errno);
        if (p)
            munmap(p, 4096);
    }

    /* The toolstack's pauses stack, and unpause undoes one each. */
    rc = xc_domain_pause(xch, domid);
    check(rc == 0, "pause", "second pause (errno %d)", rc ? errno : 0);
    rc = xc_domain_unpause(xch, domid) || xc_domain_getinfo_single(xch, domid, &info);
    check(rc == 0 && (info.flags & XEN_DOMINF_paused), "unpause-one",
          "still paused once: flags %#x", info.flags);
    rc = xc_domain_unpause(xch, domid) || xc_domain_getinfo_single(xch, domid, &info);
    check(rc == 0 && !(info.flags & XEN_DOMINF_paused), "unpause-last",
          "not paused: flags %#x", info.flags);
    e = ERRNO_OF(xc_domain_unpause(xch, domid));
    check(e == EINVAL, "unpause-unpaused", "errno %d (EINVAL %d)", e, EINVAL);

    rc = xc_domain_destroy(xch, domid);
    check(rc == 0, "destroy", "d%u (errno %d)", domid, rc ? errno : 0);
    check(gone(xch, domid), "destroy-gone", "getdomaininfo of d%u: ESRCH", domid);
    uint64_t after = free_pages_settled(xch, before, 50);
    check(after == before, "destroy-free-pages", "free pages %lu before, %lu after",
          (unsigned long)before, (unsigned long)after);
    e = ERRNO_OF(xc_domain_destroy(xch, domid));
    check(e == ESRCH, "destroy-again", "errno %d (ESRCH %d)", e, ESRCH);
}

static void cycles(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    unsigned int done = 0;
    uint32_t last = 0;

    for (unsigned int i = 0; i < CYCLES; i++) {
        struct xen_domctl_createdomain cfg = pv_config(2);
        uint32_t domid = 0;
        xen_pfn_t pfns[DOMU_PAGES];

        for (unsigned int j = 0; j < DOMU_PAGES; j++)
            pfns[j] = j;
        if (xc_domain_create(xch, &domid, &cfg) ||
            xc_domain_max_vcpus(xch, domid, 2) ||
            xc_domain_setmaxmem(xch, domid, DOMU_PAGES * 4) ||
            xc_domain_populate_physmap_exact(xch, domid, DOMU_PAGES, 0, 0, pfns) ||
            xc_domain_destroy(xch, domid) || !gone(xch, domid))
            break;
        /* Xen hands ids out round-robin. */
        if (i && domid != last + 1)
            break;
        last = domid;
        done++;
    }
    check(done == CYCLES, "cycles", "%u of %u create/populate/destroy cycles, "
          "each domid one past the last", done, CYCLES);
    uint64_t after = free_pages_settled(xch, before, 50);
    /* Subfloor gives every frame back at once.  Xen 4.17 keeps some
     * memory from a domain's life (seen 7 to 18 pages after 20 cycles in
     * the full system batch, never when run alone): there only "no more
     * than before" is checked, and the shortfall reported. */
    if (after != before)
        printf("INFO: cycles: free pages %lu before, %lu after\n", (unsigned long)before,
               (unsigned long)after);
    bool exact = on_subfloor(xch);
    check(exact ? after == before : after <= before, "cycles-free-pages",
          "free pages %lu before, %lu after (%s)", (unsigned long)before,
          (unsigned long)after, exact ? "all back" : "Xen may keep some");
}

static void bad_config(xc_interface *xch, const char *name,
                       struct xen_domctl_createdomain cfg, int want)
{
    uint32_t domid = 0;
    int e = ERRNO_OF(xc_domain_create(xch, &domid, &cfg));

    if (e == 0)
        xc_domain_destroy(xch, domid);
    check(e == want, name, "errno %d (want %d)", e, want);
}

static void bad_inputs(xc_interface *xch)
{
    struct xen_domctl_createdomain c;

    c = pv_config(0);
    bad_config(xch, "create-no-vcpus", c, EINVAL);
    c = pv_config(100000);
    bad_config(xch, "create-too-many-vcpus", c, EINVAL);
    c = pv_config(1);
    c.flags = XEN_DOMCTL_CDF_hap;
    bad_config(xch, "create-hap-without-hvm", c, EINVAL);
    c = pv_config(1);
    c.flags = 1u << 20;
    bad_config(xch, "create-unknown-flag", c, EINVAL);
    c = pv_config(1);
    c.grant_opts = XEN_DOMCTL_GRANT_version(0);
    bad_config(xch, "create-grant-version-0", c, EINVAL);
    c = pv_config(1);
    c.grant_opts = 1u << 8;
    bad_config(xch, "create-grant-opts-unknown", c, EINVAL);
    c = pv_config(1);
    c.max_grant_frames = 0;
    bad_config(xch, "create-no-grant-frames", c, EINVAL);
    c = pv_config(1);
    c.iommu_opts = 1;
    bad_config(xch, "create-iommu-opts-without-iommu", c, EINVAL);
    c = pv_config(1);
    c.arch.emulation_flags = XEN_X86_EMU_LAPIC;
    bad_config(xch, "create-pv-with-emulation", c, EOPNOTSUPP);

    int e = ERRNO_OF(xc_domain_pause(xch, 4000));
    check(e == ESRCH, "pause-unknown", "errno %d (ESRCH %d)", e, ESRCH);
    e = ERRNO_OF(xc_domain_unpause(xch, 4000));
    check(e == ESRCH, "unpause-unknown", "errno %d (ESRCH %d)", e, ESRCH);
    e = ERRNO_OF(xc_domain_destroy(xch, 4000));
    check(e == ESRCH, "destroy-unknown", "errno %d (ESRCH %d)", e, ESRCH);
    e = ERRNO_OF(xc_domain_pause(xch, 0));
    check(e == EINVAL, "pause-self", "errno %d (EINVAL %d)", e, EINVAL);
    e = ERRNO_OF(xc_domain_setmaxmem(xch, 4000, 1024));
    check(e == ESRCH, "max-mem-unknown", "errno %d (ESRCH %d)", e, ESRCH);
    xen_pfn_t pfn = 0;
    /* Xen's memory_op returns 0 extents done, which the _exact call
     * reports as EBUSY. */
    e = ERRNO_OF(xc_domain_populate_physmap_exact(xch, 4000, 1, 0, 0, &pfn));
    check(e == EBUSY, "populate-unknown", "errno %d (EBUSY %d)", e, EBUSY);
}

int main(int argc, char **argv)
{
    (void)argv;
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);

    if (argc > 1) {
        fprintf(stderr, "usage: dom0-domu-test\n");
        return 2;
    }
    if (!xch) {
        fprintf(stderr, "dom0-domu-test: cannot open the hypervisor interface: %s\n",
                strerror(errno));
        return 1;
    }
    lifecycle(xch);
    bad_inputs(xch);
    cycles(xch);
    xc_interface_close(xch);
    printf("dom0-domu-test: %u failed\n", domu_failures);
    return domu_failures ? 1 : 0;
}
