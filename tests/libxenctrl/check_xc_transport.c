/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxenctrl's handle, buffers, transport and errors against the fake
 * kernel and hypervisor (fake_xen.c): opening with and without the
 * devices, hypercall buffers from /dev/xen/hypercall or mlock(), the
 * bounce in and out, short and oversized buffers, errno propagation and
 * the logged messages, the interface version.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "fake_xen.h"

static struct test_logger lg;

static xc_interface *open_xc(void)
{
    test_logger_init(&lg);
    xc_interface *xch = xc_interface_open(&lg.vtable, NULL, 0);
    ck_assert_ptr_nonnull(xch);
    return xch;
}

static void setup(void) { fake_xen_install(); }
static void teardown(void) { fake_xen_remove(); }

START_TEST(open_without_privcmd_fails_with_enoent_and_a_message)
{
    fake.have_privcmd = 0;
    test_logger_init(&lg);
    errno = 0;
    xc_interface *xch = xc_interface_open(&lg.vtable, NULL, 0);
    ck_assert_ptr_null(xch);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(lg.errors, 1);
    ck_assert_msg(strstr(lg.last, "xc: error: cannot open /dev/xen/privcmd") != NULL,
                  "%s", lg.last);
    ck_assert_msg(strstr(lg.last, "No such file or directory") != NULL, "%s", lg.last);
    ck_assert_int_eq(fake.open_fds, 0);
}
END_TEST

START_TEST(default_logger_prints_xc_error_lines_to_stderr)
{
    fake.have_privcmd = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    FILE *saved = stderr;
    stderr = mem;
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    stderr = saved;
    fclose(mem);
    ck_assert_ptr_null(xch);
    ck_assert_msg(strncmp(text, "xc: error: cannot open /dev/xen/privcmd", 39) == 0, "%s", text);
    ck_assert_msg(strstr(text, ": No such file or directory\n") != NULL, "%s", text);
    free(text);
}
END_TEST

START_TEST(dummy_open_touches_no_device)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, XC_OPENFLAG_DUMMY);
    ck_assert_ptr_nonnull(xch);
    ck_assert_int_eq(fake.open_fds, 0);
    ck_assert_int_eq(xc_interface_close(xch), 0);
}
END_TEST

START_TEST(buffers_come_from_the_hypercall_device_and_are_all_given_back)
{
    xc_interface *xch = open_xc();
    ck_assert_int_eq(fake.open_fds, 2);     /* privcmd and hypercall */
    xc_physinfo_t pi;
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(xc_physinfo(xch, &pi), 0);
    ck_assert_uint_eq(pi.nr_cpus, FAKE_NR_CPUS);
    ck_assert_uint_gt(fake.buffer_maps, 0);
    /* Single pages are kept for the next call, not mapped each time. */
    ck_assert_uint_lt(fake.buffer_maps, 5);
    ck_assert_uint_eq(fake.mlocks, 0);
    ck_assert_uint_eq(fake.efaults, 0);
    ck_assert_int_eq(xc_interface_close(xch), 0);
    ck_assert_int_eq(fake.live_safe_regions, 0);
    ck_assert_int_eq(fake.open_fds, 0);
}
END_TEST

START_TEST(without_the_device_buffers_are_mlocked)
{
    fake.have_hypercall_dev = 0;
    xc_interface *xch = open_xc();
    ck_assert_int_eq(fake.open_fds, 1);
    ck_assert_int_eq(lg.errors, 0);         /* its absence is no error */
    xc_physinfo_t pi;
    ck_assert_int_eq(xc_physinfo(xch, &pi), 0);
    xc_domaininfo_t info[8];
    ck_assert_int_eq(xc_domain_getinfolist(xch, 0, 8, info), 5);
    ck_assert_uint_gt(fake.mlocks, 0);
    ck_assert_uint_eq(fake.buffer_maps, 0);
    ck_assert_uint_eq(fake.efaults, 0);
    xc_interface_close(xch);
    ck_assert_uint_eq(fake.mlocks, fake.munlocks);
    ck_assert_int_eq(fake.live_safe_regions, 0);
}
END_TEST

START_TEST(structures_bounce_in_and_out)
{
    xc_interface *xch = open_xc();
    /* Out: strings written by the hypervisor land in the caller's memory
     * (a stack array the hypervisor could not have touched directly). */
    xen_extraversion_t extra;
    memset(extra, 'x', sizeof(extra));
    ck_assert_int_eq(xc_version(xch, XENVER_extraversion, extra), 0);
    ck_assert_str_eq(extra, ".5-fake");
    ck_assert_int_eq(xc_version(xch, XENVER_version, NULL), (4 << 16) | 17);
    /* Both ways: get_features reads the index it is given. */
    xen_feature_info_t fi = { .submap_idx = 0 };
    ck_assert_int_eq(xc_version(xch, XENVER_get_features, &fi), 0);
    ck_assert_uint_eq(fi.submap, 0x5a);
    /* In: a vCPU context set then read back. */
    vcpu_guest_context_any_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.c.ctrlreg[3] = 0xabc000;
    ctx.c.kernel_sp = 0xffff8000;
    ck_assert_int_eq(xc_vcpu_setcontext(xch, 5, 0, &ctx), 0);
    memset(&ctx, 0, sizeof(ctx));
    ck_assert_int_eq(xc_vcpu_getcontext(xch, 5, 0, &ctx), 0);
    ck_assert_uint_eq(ctx.c.ctrlreg[3], 0xabc000);
    ck_assert_uint_eq(ctx.c.kernel_sp, 0xffff8000);
    /* Both ways with a CPU map: the effective affinity comes back. */
    uint8_t hard[1] = { 0xff };
    ck_assert_int_eq(xc_vcpu_setaffinity(xch, 1, 0, hard, NULL, XEN_VCPUAFFINITY_HARD), 0);
    ck_assert_uint_eq(hard[0], 0x0f);
    hard[0] = 0;
    ck_assert_int_eq(xc_vcpu_getaffinity(xch, 1, 0, hard, NULL, XEN_VCPUAFFINITY_HARD), 0);
    ck_assert_uint_eq(hard[0], 0x0f);
    ck_assert_uint_eq(fake.efaults, 0);
    xc_interface_close(xch);
}
END_TEST

START_TEST(public_hypercall_buffers_are_safe_memory)
{
    xc_interface *xch = open_xc();
    DECLARE_HYPERCALL_BUFFER(xc_domaininfo_t, info);
    info = xc_hypercall_buffer_alloc(xch, info, 3 * sizeof(*info));
    ck_assert_ptr_nonnull(info);
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_getdomaininfolist,
        .u.getdomaininfolist.first_domain = 1,
        .u.getdomaininfolist.max_domains = 3,
    };
    set_xen_guest_handle(sysctl.u.getdomaininfolist.buffer, info);
    ck_assert_int_eq(xc_sysctl(xch, &sysctl), 0);
    ck_assert_uint_eq(sysctl.u.getdomaininfolist.num_domains, 3);
    ck_assert_uint_eq(info[0].domain, 1);
    ck_assert_uint_eq(info[2].domain, 7);
    xc_hypercall_buffer_free(xch, info);
    ck_assert_ptr_null(HYPERCALL_BUFFER(info)->hbuf);

    DECLARE_HYPERCALL_BUFFER(uint8_t, pages);
    pages = xc_hypercall_buffer_alloc_pages(xch, pages, 3);
    ck_assert_ptr_nonnull(pages);
    pages[3 * 4096 - 1] = 1;
    xc_hypercall_buffer_free_pages(xch, pages, 3);
    ck_assert_uint_eq(fake.efaults, 0);
    xc_interface_close(xch);
    ck_assert_int_eq(fake.live_safe_regions, 0);
}
END_TEST

START_TEST(an_unbounced_pointer_is_efault)
{
    /* The fake is strict: prove it, with xc_sysctl and a plain pointer
     * in the handle, which the library does not bounce. */
    xc_interface *xch = open_xc();
    xc_domaininfo_t info[2];
    struct xen_sysctl sysctl = {
        .cmd = XEN_SYSCTL_getdomaininfolist,
        .u.getdomaininfolist.max_domains = 2,
    };
    set_xen_guest_handle_raw(sysctl.u.getdomaininfolist.buffer, info);
    errno = 0;
    ck_assert_int_eq(xc_sysctl(xch, &sysctl), -1);
    ck_assert_int_eq(errno, EFAULT);
    ck_assert_uint_eq(fake.efaults, 1);
    xc_interface_close(xch);
}
END_TEST

START_TEST(oversized_buffers_fail_with_enomem_and_a_message)
{
    xc_interface *xch = open_xc();
    static xc_domaininfo_t info[8];
    /* Past what the kernel will lock for us. */
    errno = 0;
    ck_assert_int_eq(xc_domain_getinfolist(xch, 0, 100000, info), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_msg(strstr(lg.last, "cannot bounce a buffer of") != NULL, "%s", lg.last);
    /* Past what a size_t can say. */
    unsigned nodes = 0xffffffffu;
    xc_meminfo_t mi;
    uint32_t dist;
    errno = 0;
    ck_assert_int_eq(xc_numainfo(xch, &nodes, &mi, &dist), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_uint_eq(fake.hypercalls, 0);
    /* And the mlock() path, where the limit is RLIMIT_MEMLOCK. */
    xc_interface_close(xch);
    fake.have_hypercall_dev = 0;
    xch = open_xc();
    errno = 0;
    ck_assert_int_eq(xc_domain_getinfolist(xch, 0, 100000, info), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_msg(strstr(lg.last, "cannot bounce a buffer of") != NULL, "%s", lg.last);
    xc_interface_close(xch);
    ck_assert_int_eq(fake.live_safe_regions, 0);
}
END_TEST

START_TEST(short_buffers_get_what_fits)
{
    xc_interface *xch = open_xc();
    xc_cpuinfo_t ci[2];
    int nr = -1;
    ck_assert_int_eq(xc_getcpuinfo(xch, 2, ci, &nr), 0);
    ck_assert_int_eq(nr, 2);
    ck_assert_uint_eq(ci[1].idletime, 2000);
    /* cputopoinfo says ENOBUFS when the array is short; NULL counts. */
    unsigned n = 0;
    ck_assert_int_eq(xc_cputopoinfo(xch, &n, NULL), 0);
    ck_assert_uint_eq(n, FAKE_NR_CPUS);
    xc_cputopo_t topo[FAKE_NR_CPUS];
    n = 2;
    errno = 0;
    ck_assert_int_eq(xc_cputopoinfo(xch, &n, topo), -1);
    ck_assert_int_eq(errno, ENOBUFS);
    n = FAKE_NR_CPUS;
    ck_assert_int_eq(xc_cputopoinfo(xch, &n, topo), 0);
    ck_assert_uint_eq(topo[3].core, 3);
    ck_assert_uint_eq(fake.efaults, 0);
    xc_interface_close(xch);
}
END_TEST

START_TEST(errors_propagate_as_errno_with_a_logged_message)
{
    xc_interface *xch = open_xc();
    /* ESRCH from the hypervisor, logged with the function's name; the
     * logger clobbering errno does not reach the caller. */
    errno = 0;
    ck_assert_int_eq(xc_domain_pause(xch, 3), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_msg(strstr(lg.last, "xc: error: xc_domain_pause: domctl 3 failed: No such process")
                  != NULL, "%s", lg.last);
    ck_assert_str_eq(xc_get_last_error(xch)->message,
                     "xc_domain_pause: domctl 3 failed: No such process");
    ck_assert_int_eq(xc_get_last_error(xch)->code, XC_INTERNAL_ERROR);
    xc_clear_last_error(xch);
    ck_assert_int_eq(xc_get_last_error(xch)->code, XC_ERROR_NONE);

    /* EFAULT and EPERM, whatever the call. */
    fake.fail_next = EFAULT;
    xc_physinfo_t pi;
    errno = 0;
    ck_assert_int_eq(xc_physinfo(xch, &pi), -1);
    ck_assert_int_eq(errno, EFAULT);
    fake.privileged = 0;
    errno = 0;
    ck_assert_int_eq(xc_domain_unpause(xch, 0), -1);
    ck_assert_int_eq(errno, EPERM);
    ck_assert_msg(strstr(lg.last, "Operation not permitted") != NULL, "%s", lg.last);
    errno = 0;
    ck_assert_int_eq(xc_sched_id(xch, &(int){0}), -1);
    ck_assert_int_eq(errno, EPERM);
    fake.privileged = 1;

    /* memory_op returns through the same path. */
    fake.fail_next = EACCES;
    errno = 0;
    ck_assert_int_eq(xc_maximum_ram_page(xch, &(unsigned long){0}), -1);
    ck_assert_int_eq(errno, EACCES);
    xc_interface_close(xch);
}
END_TEST

START_TEST(another_interface_version_is_eacces_with_a_hint)
{
    fake.domctl_version = 0x14;
    fake.sysctl_version = 0x14;
    xc_interface *xch = open_xc();
    errno = 0;
    ck_assert_int_eq(xc_domain_pause(xch, 1), -1);
    ck_assert_int_eq(errno, EACCES);
    ck_assert_msg(strstr(lg.last, "domctl 3 refused (interface version 0x15)") != NULL,
                  "%s", lg.last);
    xc_physinfo_t pi;
    errno = 0;
    ck_assert_int_eq(xc_physinfo(xch, &pi), -1);
    ck_assert_int_eq(errno, EACCES);
    ck_assert_msg(strstr(lg.last, "sysctl 3 refused") != NULL, "%s", lg.last);
    /* A raw xc_domctl fills in the version itself. */
    fake.domctl_version = XEN_DOMCTL_INTERFACE_VERSION;
    struct xen_domctl d = { .cmd = XEN_DOMCTL_pausedomain, .domain = 1,
                            .interface_version = 0x99 };
    ck_assert_int_eq(xc_domctl(xch, &d), 0);
    ck_assert_uint_eq(d.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    xc_interface_close(xch);
}
END_TEST

START_TEST(unknown_version_command_is_einval)
{
    xc_interface *xch = open_xc();
    errno = 0;
    ck_assert_int_eq(xc_version(xch, 99, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(xc_version(xch, XENVER_capabilities, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_uint_eq(fake.hypercalls, 0);
    xc_interface_close(xch);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("libxenctrl transport");
    TCase *tc = tcase_create("transport");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_without_privcmd_fails_with_enoent_and_a_message);
    tcase_add_test(tc, default_logger_prints_xc_error_lines_to_stderr);
    tcase_add_test(tc, dummy_open_touches_no_device);
    tcase_add_test(tc, buffers_come_from_the_hypercall_device_and_are_all_given_back);
    tcase_add_test(tc, without_the_device_buffers_are_mlocked);
    tcase_add_test(tc, structures_bounce_in_and_out);
    tcase_add_test(tc, public_hypercall_buffers_are_safe_memory);
    tcase_add_test(tc, an_unbounced_pointer_is_efault);
    tcase_add_test(tc, oversized_buffers_fail_with_enomem_and_a_message);
    tcase_add_test(tc, short_buffers_get_what_fits);
    tcase_add_test(tc, errors_propagate_as_errno_with_a_logged_message);
    tcase_add_test(tc, another_interface_version_is_eacces_with_a_hint);
    tcase_add_test(tc, unknown_version_command_is_einval);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
