/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake dom0 kernel (fake_kernel.c) and hypervisor (fake_xen.c) for
 * the libxenctrl tests: it stands behind libxenctrl's system-call table (libxenctrl/xc_os.h) and answers
 * as Linux's privcmd, hypercall, evtchn and gntdev devices would, with a
 * small hypervisor behind privcmd.  The hypervisor only reads and writes
 * memory that the library made hypercall-safe (an mmap of the fake
 * /dev/xen/hypercall, or mlock()ed pages): any other pointer gets
 * EFAULT, so a buffer the library forgot to bounce fails the test.
 */
#ifndef FAKE_XEN_H
#define FAKE_XEN_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"

#define FAKE_MAX_DOMAINS 16
#define FAKE_NR_CPUS 4
#define FAKE_MAX_FRAMES 64
#define FAKE_MAX_GRANTS 16

struct fake_domain {
    int exists;
    xc_domaininfo_t info;
    uint64_t max_memkb;
    uint8_t affinity[FAKE_NR_CPUS / 8 + 1];         /* hard */
    uint8_t soft_affinity[FAKE_NR_CPUS / 8 + 1];
    uint16_t weight, cap;                           /* credit2 */
    vcpu_guest_context_t ctxt;
    int64_t time_offset;
};

struct fake_xen {
    /* The kernel. */
    int have_privcmd;           /* 0: /dev/xen/privcmd is missing */
    int have_hypercall_dev;     /* 0: the pre-4.18 kernel: mlock() path */
    size_t lock_limit;          /* bytes one buffer may have (ENOMEM past) */

    /* The hypervisor. */
    int privileged;             /* 0: every domctl/sysctl is EPERM */
    uint32_t domctl_version, sysctl_version;   /* what it accepts */
    int fail_next;              /* >0: the next hypercall fails with -fail_next */
    struct fake_domain dom[FAKE_MAX_DOMAINS];
    /* Pool 0's scheduler (XEN_SCHEDULER_NULL unless a test changes it)
     * and its credit2 rate limit in us. */
    uint32_t pool_sched;
    uint32_t ratelimit_us;
    /* The last scheduler_op domctl or sysctl as it arrived. */
    struct xen_domctl_scheduler_op last_dom_schedop;
    struct xen_sysctl_scheduler_op last_sys_schedop;
    char console[8192];
    size_t console_len;         /* bytes written since the last clear */
    /* Frames for MMAPBATCH_V2: frame f < FAKE_MAX_FRAMES exists; paged[f]
     * tries answer -ENOENT before it comes in (-1: never). */
    int paged[FAKE_MAX_FRAMES];
    /* Grants: refs 1..FAKE_MAX_GRANTS-1 of domain 0 exist. */
    char grant_page[FAKE_MAX_GRANTS][64];

    /* What the tests look at. */
    unsigned hypercalls, efaults;
    unsigned buffer_maps, buffer_unmaps;    /* /dev/xen/hypercall */
    unsigned mlocks, munlocks;
    unsigned mmapbatch_calls;
    int live_safe_regions, live_privcmd_vmas, live_grant_slots;
    int open_fds;
};

extern struct fake_xen fake;

/* Reset the state to a machine with domains 0, 1, 5, 7 and 12, and put
 * the fake under the library. */
void fake_xen_install(void);
/* Give the library the real system calls back. */
void fake_xen_remove(void);

/* A domain for the fake, with tot_pages = pages. */
void fake_add_domain(uint16_t domid, uint64_t pages);
void fake_console_write(const char *s);

/* A logger that keeps the last message and the number of errors, and
 * clobbers errno (the library must keep it for its caller). */
struct test_logger {
    xentoollog_logger vtable;
    char last[1024];
    int errors;
};
void test_logger_init(struct test_logger *lg);

#endif
