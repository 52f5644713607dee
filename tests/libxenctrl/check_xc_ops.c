/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxenctrl's operations against the fake (fake_xen.c): the domain list
 * and its paging, Xen 4.17's getdomaininfo, the console ring read whole
 * and incrementally, reservations, MMAPBATCH_V2 with per-frame errors
 * and paged-out frames, the event-channel and grant devices.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "../check_main.h"
#include "fake_xen.h"
#include "xenevtchn.h"
#include "xenforeignmemory.h"
#include "xengnttab.h"

static struct test_logger lg;
static xc_interface *xch;

static void setup(void)
{
    fake_xen_install();
    test_logger_init(&lg);
    xch = xc_interface_open(&lg.vtable, NULL, 0);
    ck_assert_ptr_nonnull(xch);
}

static void teardown(void)
{
    xc_interface_close(xch);
    ck_assert_int_eq(fake.live_safe_regions, 0);
    ck_assert_int_eq(fake.live_privcmd_vmas, 0);
    ck_assert_int_eq(fake.live_grant_slots, 0);
    ck_assert_int_eq(fake.open_fds, 0);
    ck_assert_uint_eq(fake.efaults, 0);
    fake_xen_remove();
}

START_TEST(getinfolist_pages_through_the_domains)
{
    xc_domaininfo_t info[2];
    uint16_t seen[8];
    int n = 0, got;
    uint32_t next = 0;
    while ((got = xc_domain_getinfolist(xch, next, 2, info)) > 0) {
        ck_assert_int_le(got, 2);
        for (int i = 0; i < got; i++)
            seen[n++] = info[i].domain;
        next = info[got - 1].domain + 1u;
    }
    ck_assert_int_eq(got, 0);
    ck_assert_int_eq(n, 5);
    ck_assert_uint_eq(seen[0], 0);
    ck_assert_uint_eq(seen[1], 1);
    ck_assert_uint_eq(seen[2], 5);
    ck_assert_uint_eq(seen[3], 7);
    ck_assert_uint_eq(seen[4], 12);
    /* Past the last domain: an empty list, not an error. */
    ck_assert_int_eq(xc_domain_getinfolist(xch, 13, 2, info), 0);
    ck_assert_int_eq(lg.errors, 0);
}
END_TEST

START_TEST(getinfo_follows_xen_417_next_domain_semantics)
{
    xc_dominfo_t di[8];
    ck_assert_int_eq(xc_domain_getinfo(xch, 2, 8, di), 3);
    ck_assert_uint_eq(di[0].domid, 5);
    ck_assert_uint_eq(di[1].domid, 7);
    ck_assert_uint_eq(di[2].domid, 12);
    ck_assert_uint_eq(di[0].nr_pages, 500);
    ck_assert_uint_eq(di[0].max_memkb, (500 + 16) * 4);
    ck_assert(di[0].running && !di[0].paused);
    ck_assert(di[1].shutdown && di[1].crashed);
    ck_assert_uint_eq(di[1].shutdown_reason, SHUTDOWN_crash);
    ck_assert_int_eq(xc_domain_getinfo(xch, 0, 1, di), 1);
    ck_assert(di[0].xenstore);
    ck_assert_uint_eq(di[0].nr_online_vcpus, 2);
    /* Nothing at or above 13: -1, ESRCH, and quietly. */
    errno = 0;
    ck_assert_int_eq(xc_domain_getinfo(xch, 13, 1, di), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_int_eq(lg.errors, 0);
    /* The single-domain query does not move on to the next one. */
    xc_domaininfo_t one;
    errno = 0;
    ck_assert_int_eq(xc_domain_getinfo_single(xch, 6, &one), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_int_eq(xc_domain_getinfo_single(xch, 7, &one), 0);
    ck_assert_uint_eq(one.domain, 7);
    ck_assert_int_eq(xc_get_tot_pages(xch, 12), 1200);
}
END_TEST

START_TEST(domain_lifecycle_and_settings)
{
    struct xen_domctl_createdomain cfg = { .max_vcpus = 2, .max_evtchn_port = 1023 };
    uint32_t domid = 0;
    ck_assert_int_eq(xc_domain_create(xch, &domid, &cfg), 0);
    ck_assert_uint_eq(domid, 2);
    xc_domaininfo_t info;
    ck_assert_int_eq(xc_domain_getinfo_single(xch, domid, &info), 0);
    ck_assert(info.flags & XEN_DOMINF_paused);
    ck_assert_int_eq(xc_domain_unpause(xch, domid), 0);
    ck_assert_int_eq(xc_domain_max_vcpus(xch, domid, 3), 0);
    errno = 0;
    ck_assert_int_eq(xc_domain_max_vcpus(xch, domid, 99), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(xc_domain_setmaxmem(xch, domid, 65536), 0);
    ck_assert_uint_eq(fake.dom[domid].max_memkb, 65536);
    xen_domain_handle_t h;
    for (int i = 0; i < 16; i++)
        h[i] = (uint8_t)(i * 17);
    ck_assert_int_eq(xc_domain_sethandle(xch, domid, h), 0);
    ck_assert_mem_eq(fake.dom[domid].info.handle, h, 16);
    ck_assert_int_eq(xc_domain_set_time_offset(xch, domid, -3600), 0);
    ck_assert_int_eq(fake.dom[domid].time_offset, -3600);
    xc_vcpuinfo_t vi;
    ck_assert_int_eq(xc_vcpu_getinfo(xch, 0, 1, &vi), 0);
    ck_assert_uint_eq(vi.cpu, 1);
    ck_assert_uint_eq(vi.online, 1);
    ck_assert_int_eq(xc_domain_pause(xch, domid), 0);
    ck_assert_int_eq(xc_domain_destroy(xch, domid), 0);
    errno = 0;
    ck_assert_int_eq(xc_domain_getinfo_single(xch, domid, &info), -1);
    ck_assert_int_eq(errno, ESRCH);
}
END_TEST

START_TEST(physinfo_and_maps)
{
    xc_physinfo_t pi;
    ck_assert_int_eq(xc_physinfo(xch, &pi), 0);
    ck_assert_uint_eq(pi.total_pages, 262144);
    ck_assert_int_eq(xc_get_max_cpus(xch), FAKE_NR_CPUS);
    ck_assert_int_eq(xc_get_cpumap_size(xch), 1);
    int sched = 0;
    ck_assert_int_eq(xc_sched_id(xch, &sched), 0);
    ck_assert_int_eq(sched, XEN_SCHEDULER_NULL);
    unsigned nodes = 0;
    ck_assert_int_eq(xc_numainfo(xch, &nodes, NULL, NULL), 0);
    ck_assert_uint_eq(nodes, 1);
    xc_meminfo_t mi;
    uint32_t dist;
    ck_assert_int_eq(xc_numainfo(xch, &nodes, &mi, &dist), 0);
    ck_assert_uint_eq(mi.memsize, 1ull << 30);
    ck_assert_uint_eq(dist, 10);
    xc_cpumap_t map = xc_cpumap_alloc(xch);
    ck_assert_ptr_nonnull(map);
    xc_cpumap_setcpu(2, map);
    ck_assert(xc_cpumap_testcpu(2, map));
    xc_cpumap_clearcpu(2, map);
    ck_assert(!xc_cpumap_testcpu(2, map));
    free(map);
}
END_TEST

START_TEST(readconsole_whole_clear_and_incremental)
{
    char want[3000];
    for (size_t i = 0; i < sizeof(want) - 1; i++)
        want[i] = (char)('a' + i % 26);
    want[sizeof(want) - 1] = '\0';
    fake_console_write(want);

    char buf[4096];
    unsigned int n = sizeof(buf);
    ck_assert_int_eq(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
    ck_assert_uint_eq(n, sizeof(want) - 1);
    ck_assert_mem_eq(buf, want, n);

    /* 700 bytes at a time, the index carried over. */
    char got[4096];
    unsigned int total = 0;
    uint32_t index = 0;
    for (;;) {
        n = 700;
        ck_assert_int_eq(xc_readconsolering(xch, buf, &n, 0, 1, &index), 0);
        if (n == 0)
            break;
        ck_assert_uint_le(n, 700);
        memcpy(got + total, buf, n);
        total += n;
        ck_assert_uint_eq(index, total);
    }
    ck_assert_uint_eq(total, sizeof(want) - 1);
    ck_assert_mem_eq(got, want, total);
    /* New output: the next incremental read has just that. */
    fake_console_write("more");
    n = sizeof(buf);
    ck_assert_int_eq(xc_readconsolering(xch, buf, &n, 0, 1, &index), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_mem_eq(buf, "more", 4);
    /* A short buffer gets the start; clear empties the ring. */
    n = 10;
    ck_assert_int_eq(xc_readconsolering(xch, buf, &n, 1, 0, NULL), 0);
    ck_assert_uint_eq(n, 10);
    ck_assert_mem_eq(buf, want, 10);
    n = sizeof(buf);
    ck_assert_int_eq(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(memory_op_queries_and_reservations)
{
    domid_t d = 5;
    ck_assert_int_eq(xc_memory_op(xch, XENMEM_current_reservation, &d, sizeof(d)), 500);
    ck_assert_int_eq(xc_memory_op(xch, XENMEM_maximum_reservation, &d, sizeof(d)), 516);
    xen_pfn_t gpfns;
    ck_assert_int_eq(xc_domain_nr_gpfns(xch, 5, &gpfns), 0);
    ck_assert_uint_eq(gpfns, 500);
    unsigned long max_mfn;
    ck_assert_int_eq(xc_maximum_ram_page(xch, &max_mfn), 0);
    ck_assert_uint_eq(max_mfn, 0x3ffff);
    errno = 0;
    ck_assert_int_eq(xc_memory_op(xch, XENMEM_current_reservation, &d, 1), -1);
    ck_assert_int_eq(errno, EINVAL);

    /* Reservations: frames come back in the caller's array, the
     * caller's structure keeps its own pointer. */
    xen_pfn_t frames[20];
    memset(frames, 0, sizeof(frames));
    ck_assert_int_eq(xc_domain_increase_reservation(xch, 5, 4, 0, 0, frames), 4);
    ck_assert_uint_eq(frames[3], 0x1003);
    struct xen_memory_reservation res = { .nr_extents = 2, .domid = 5 };
    set_xen_guest_handle_raw(res.extent_start, frames);
    ck_assert_int_eq(xc_memory_op(xch, XENMEM_populate_physmap, &res, sizeof(res)), 2);
    ck_assert_ptr_eq(res.extent_start.p, frames);
    /* 506 of 516 pages: 20 more do not fit; _exact says ENOMEM. */
    errno = 0;
    ck_assert_int_eq(xc_domain_increase_reservation_exact(xch, 5, 20, 0, 0, frames), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_msg(strstr(lg.last, "10 of 20 extents done") != NULL, "%s", lg.last);
    frames[1] = 0xdead;
    errno = 0;
    ck_assert_int_eq(xc_domain_decrease_reservation_exact(xch, 5, 2, 0, frames), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(xc_domain_decrease_reservation(xch, 5, 2, 0, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(xc_domain_populate_physmap_exact(xch, 5, 2, 0, 0, frames), -1);
    ck_assert_int_eq(errno, EBUSY);
}
END_TEST

START_TEST(mmapbatch_v2_reports_each_frame)
{
    xenforeignmemory_handle *fmem = xenforeignmemory_open(&lg.vtable, 0);
    ck_assert_ptr_nonnull(fmem);
    xen_pfn_t arr[4] = { 3, 1000, 5, 7 };
    int err[4] = { 9, 9, 9, 9 };
    unsigned char *p = xenforeignmemory_map(fmem, 1, PROT_READ, 4, arr, err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(err[0], 0);
    ck_assert_int_eq(err[1], -EINVAL);
    ck_assert_int_eq(err[2], 0);
    ck_assert_int_eq(err[3], 0);
    ck_assert_uint_eq(p[0], 3);
    ck_assert_uint_eq(p[2 * 4096 + 17], 5);
    ck_assert_uint_eq(p[3 * 4096 + 4095], 7);
    ck_assert_int_eq(xenforeignmemory_unmap(fmem, p, 4), 0);

    /* No err array: one bad frame fails all, with its errno, and the
     * reserved range goes. */
    errno = 0;
    ck_assert_ptr_null(xenforeignmemory_map(fmem, 1, PROT_READ, 4, arr, NULL));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(fake.live_privcmd_vmas, 0);
    ck_assert_msg(strstr(lg.last, "xenforeignmemory: error: cannot map frame 0x3e8") != NULL,
                  "%s", lg.last);
    ck_assert_int_eq(xenforeignmemory_close(fmem), 0);
}
END_TEST

START_TEST(paged_out_frames_are_retried)
{
    xenforeignmemory_handle *fmem = xenforeignmemory_open(&lg.vtable, 0);
    fake.paged[4] = 2;      /* in after two tries */
    fake.paged[6] = -1;     /* never */
    xen_pfn_t arr[3] = { 4, 6, 8 };
    int err[3];
    unsigned char *p = xenforeignmemory_map(fmem, 1, PROT_READ, 3, arr, err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(err[0], 0);
    ck_assert_int_eq(err[1], -ENOENT);
    ck_assert_int_eq(err[2], 0);
    ck_assert_uint_eq(p[0], 4);
    ck_assert_uint_eq(p[2 * 4096], 8);
    ck_assert_uint_gt(fake.mmapbatch_calls, 3);
    ck_assert_uint_le(fake.mmapbatch_calls, 1 + 2 * 8);
    xenforeignmemory_unmap(fmem, p, 3);
    xenforeignmemory_close(fmem);
}
END_TEST

START_TEST(xc_map_foreign_compat_names)
{
    unsigned char *p = xc_map_foreign_range(xch, 1, 2 * 4096, PROT_READ, 10);
    ck_assert_msg(p != NULL, "%s", lg.last);
    ck_assert_uint_eq(p[0], 10);
    ck_assert_uint_eq(p[4096], 11);
    munmap(p, 2 * 4096);    /* as Xen's callers do: the range may be reused */
    xen_pfn_t arr[2] = { 1, 2000 };
    int err[2];
    p = xc_map_foreign_bulk(xch, 1, PROT_READ, arr, err, 2);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(err[1], -EINVAL);
    ck_assert_int_eq(xenforeignmemory_unmap(xc_interface_fmem_handle(xch), p, 2), 0);
    errno = 0;
    ck_assert_ptr_null(xc_map_foreign_pages(xch, 1, PROT_READ, arr, 0));
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(evtchn_device_loopback)
{
    xenevtchn_handle *xce = xenevtchn_open(&lg.vtable, 0);
    ck_assert_ptr_nonnull(xce);
    ck_assert_int_ge(xenevtchn_fd(xce), 0);
    int local = xenevtchn_bind_unbound_port(xce, 0);
    ck_assert_int_gt(local, 0);
    int peer = xenevtchn_bind_interdomain(xce, 0, (evtchn_port_t)local);
    ck_assert_int_gt(peer, 0);
    errno = 0;
    ck_assert_int_eq(xenevtchn_pending(xce), -1);
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_int_eq(xenevtchn_notify(xce, (evtchn_port_t)peer), 0);
    ck_assert_int_eq(xenevtchn_pending(xce), local);
    ck_assert_int_eq(xenevtchn_unmask(xce, (evtchn_port_t)local), 0);
    ck_assert_int_eq(xenevtchn_unbind(xce, (evtchn_port_t)peer), 0);
    errno = 0;
    ck_assert_int_eq(xenevtchn_unbind(xce, (evtchn_port_t)peer), -1);
    ck_assert_int_eq(errno, ENOTCONN);
    errno = 0;
    ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 0, 63), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(xenevtchn_close(xce), 0);
    ck_assert_int_eq(xenevtchn_close(NULL), 0);
}
END_TEST

START_TEST(evtchn_open_failure_is_logged)
{
    fake.have_privcmd = 0;
    errno = 0;
    ck_assert_ptr_null(xenevtchn_open(&lg.vtable, 0));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_msg(strstr(lg.last, "xenevtchn: error: cannot open /dev/xen/evtchn") != NULL,
                  "%s", lg.last);
    fake.have_privcmd = 1;
}
END_TEST

START_TEST(gntdev_maps_unmaps_and_undoes_failures)
{
    xengnttab_handle *xgt = xengnttab_open(&lg.vtable, 0);
    ck_assert_ptr_nonnull(xgt);
    ck_assert_int_eq(xengnttab_set_max_grants(xgt, 8), 0);    /* ENOTTY is fine */
    char *p = xengnttab_map_grant_ref(xgt, 0, 3, PROT_READ);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, "grant 3");
    ck_assert_int_eq(fake.live_grant_slots, 1);
    uint32_t refs[3] = { 4, 5, 6 };
    char *q = xengnttab_map_domain_grant_refs(xgt, 3, 0, refs, PROT_READ);
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(q + 2 * 4096, "grant 6");
    errno = 0;
    ck_assert_int_eq(xengnttab_unmap(xgt, q, 2), -1);       /* not how it was mapped */
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(xengnttab_unmap(xgt, q, 3), 0);
    ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
    ck_assert_int_eq(fake.live_grant_slots, 0);
    /* A refused grant leaves nothing behind. */
    errno = 0;
    ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 0, 999, PROT_READ));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(fake.live_grant_slots, 0);
    ck_assert_msg(strstr(lg.last, "xengnttab: error: cannot map 1 grants") != NULL, "%s", lg.last);
    /* Unmap notification inside the page is set; past it, refused. */
    p = xengnttab_map_grant_ref_notify(xgt, 0, 2, PROT_READ, 100, (evtchn_port_t)-1);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
    errno = 0;
    ck_assert_ptr_null(xengnttab_map_grant_ref_notify(xgt, 0, 2, PROT_READ, 5000, 3));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(fake.live_grant_slots, 0);
    ck_assert_int_eq(xengnttab_close(xgt), 0);
}
END_TEST

START_TEST(credit2_domain_parameters)
{
    fake.pool_sched = XEN_SCHEDULER_CREDIT2;
    struct xen_domctl_sched_credit2 p = { 0, 0 };
    ck_assert_int_eq(xc_sched_credit2_domain_get(xch, 5, &p), 0);
    ck_assert_uint_eq(p.weight, 256);
    ck_assert_uint_eq(p.cap, 0);
    ck_assert_uint_eq(fake.last_dom_schedop.sched_id, XEN_SCHEDULER_CREDIT2);
    ck_assert_uint_eq(fake.last_dom_schedop.cmd, XEN_DOMCTL_SCHEDOP_getinfo);
    p = (struct xen_domctl_sched_credit2){ .weight = 512, .cap = 50 };
    ck_assert_int_eq(xc_sched_credit2_domain_set(xch, 5, &p), 0);
    ck_assert_uint_eq(fake.last_dom_schedop.cmd, XEN_DOMCTL_SCHEDOP_putinfo);
    ck_assert_uint_eq(fake.last_dom_schedop.u.credit2.weight, 512);
    ck_assert_uint_eq(fake.dom[5].weight, 512);
    ck_assert_uint_eq(fake.dom[5].cap, 50);
    ck_assert_int_eq(lg.errors, 0);
    /* The hypervisor's refusals reach the caller with errno, logged. */
    p.cap = 101;                /* one vCPU: at most 100 */
    errno = 0;
    ck_assert_int_eq(xc_sched_credit2_domain_set(xch, 5, &p), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_uint_eq(fake.dom[5].cap, 50);
    ck_assert_int_eq(lg.errors, 1);
    errno = 0;
    ck_assert_int_eq(xc_sched_credit2_domain_get(xch, 6, &p), -1);
    ck_assert_int_eq(errno, ESRCH);
    /* Under another scheduler the credit2 call is refused. */
    fake.pool_sched = XEN_SCHEDULER_NULL;
    errno = 0;
    ck_assert_int_eq(xc_sched_credit2_domain_get(xch, 5, &p), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(credit2_scheduler_parameters)
{
    fake.pool_sched = XEN_SCHEDULER_CREDIT2;
    struct xen_sysctl_credit2_schedule c = { 0 };
    ck_assert_int_eq(xc_sched_credit2_params_get(xch, 0, &c), 0);
    ck_assert_uint_eq(c.ratelimit_us, 1000);
    ck_assert_uint_eq(fake.last_sys_schedop.cmd, XEN_SYSCTL_SCHEDOP_getinfo);
    ck_assert_uint_eq(fake.last_sys_schedop.sched_id, XEN_SCHEDULER_CREDIT2);
    ck_assert_uint_eq(fake.last_sys_schedop.cpupool_id, 0);
    c.ratelimit_us = 2500;
    ck_assert_int_eq(xc_sched_credit2_params_set(xch, 0, &c), 0);
    ck_assert_uint_eq(fake.last_sys_schedop.cmd, XEN_SYSCTL_SCHEDOP_putinfo);
    ck_assert_uint_eq(fake.ratelimit_us, 2500);
    /* Out of Xen's range: refused, nothing changed. */
    c.ratelimit_us = 50;
    errno = 0;
    ck_assert_int_eq(xc_sched_credit2_params_set(xch, 0, &c), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_uint_eq(fake.ratelimit_us, 2500);
    errno = 0;
    ck_assert_int_eq(xc_sched_credit2_params_get(xch, 3, &c), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_uint_eq(fake.last_sys_schedop.cpupool_id, 3);
}
END_TEST

START_TEST(cpupool_info)
{
    fake.pool_sched = XEN_SCHEDULER_CREDIT2;
    xc_cpupoolinfo_t *info = xc_cpupool_getinfo(xch, 0);
    ck_assert_ptr_nonnull(info);
    ck_assert_uint_eq(info->cpupool_id, 0);
    ck_assert_uint_eq(info->sched_id, XEN_SCHEDULER_CREDIT2);
    ck_assert_uint_eq(info->n_dom, 5);
    ck_assert_uint_eq(info->cpumap[0], 0x0f);
    xc_cpupool_infofree(xch, info);
    /* No pool 1: NULL and ENOENT (how libxl's pool list ends). */
    errno = 0;
    ck_assert_ptr_null(xc_cpupool_getinfo(xch, 1));
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(vcpu_affinity_hard_and_soft)
{
    uint8_t hard[1] = { 0x02 }, soft[1] = { 0xf5 };
    ck_assert_int_eq(xc_vcpu_setaffinity(xch, 5, 0, hard, soft,
                                         XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT), 0);
    /* Written back: what took effect. */
    ck_assert_uint_eq(hard[0], 0x02);
    ck_assert_uint_eq(soft[0], 0x05);
    ck_assert_uint_eq(fake.dom[5].affinity[0], 0x02);
    ck_assert_uint_eq(fake.dom[5].soft_affinity[0], 0x05);
    /* Soft alone leaves the hard map alone, and a NULL hard map is fine. */
    soft[0] = 0x08;
    ck_assert_int_eq(xc_vcpu_setaffinity(xch, 5, 0, NULL, soft, XEN_VCPUAFFINITY_SOFT), 0);
    ck_assert_uint_eq(fake.dom[5].affinity[0], 0x02);
    hard[0] = soft[0] = 0;
    ck_assert_int_eq(xc_vcpu_getaffinity(xch, 5, 0, hard, soft,
                                         XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT), 0);
    ck_assert_uint_eq(hard[0], 0x02);
    ck_assert_uint_eq(soft[0], 0x08);
    /* An empty hard map and a vCPU past the last are refused. */
    hard[0] = 0;
    errno = 0;
    ck_assert_int_eq(xc_vcpu_setaffinity(xch, 5, 0, hard, NULL, XEN_VCPUAFFINITY_HARD), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_uint_eq(fake.dom[5].affinity[0], 0x02);
    hard[0] = 1;
    errno = 0;
    ck_assert_int_eq(xc_vcpu_setaffinity(xch, 5, 3, hard, NULL, XEN_VCPUAFFINITY_HARD), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("libxenctrl operations");
    TCase *tc = tcase_create("ops");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, getinfolist_pages_through_the_domains);
    tcase_add_test(tc, getinfo_follows_xen_417_next_domain_semantics);
    tcase_add_test(tc, domain_lifecycle_and_settings);
    tcase_add_test(tc, physinfo_and_maps);
    tcase_add_test(tc, credit2_domain_parameters);
    tcase_add_test(tc, credit2_scheduler_parameters);
    tcase_add_test(tc, cpupool_info);
    tcase_add_test(tc, vcpu_affinity_hard_and_soft);
    tcase_add_test(tc, readconsole_whole_clear_and_incremental);
    tcase_add_test(tc, memory_op_queries_and_reservations);
    tcase_add_test(tc, mmapbatch_v2_reports_each_frame);
    tcase_add_test(tc, paged_out_frames_are_retried);
    tcase_add_test(tc, xc_map_foreign_compat_names);
    tcase_add_test(tc, evtchn_device_loopback);
    tcase_add_test(tc, evtchn_open_failure_is_logged);
    tcase_add_test(tc, gntdev_maps_unmaps_and_undoes_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
