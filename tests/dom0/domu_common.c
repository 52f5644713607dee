/* The dom0 domU tests' shared helpers; see domu_common.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domu_common.h"

unsigned int domu_failures;

bool check(bool ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("%s %s: ", ok ? "PASS" : "FAIL", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (!ok)
        domu_failures++;
    return ok;
}

struct xen_domctl_createdomain domu_pv_config(unsigned int vcpus)
{
    struct xen_domctl_createdomain c;

    memset(&c, 0, sizeof(c));
    c.max_vcpus = vcpus;
    c.max_evtchn_port = 1023;
    c.max_grant_frames = 4;
    c.grant_opts = XEN_DOMCTL_GRANT_version(1);
    return c;
}

void sleep_ms(unsigned int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

uint64_t free_pages(xc_interface *xch)
{
    xc_physinfo_t info;

    memset(&info, 0, sizeof(info));
    return xc_physinfo(xch, &info) ? 0 : info.free_pages;
}

uint64_t free_pages_settled(xc_interface *xch, uint64_t want, unsigned int tries)
{
    uint64_t now = free_pages(xch);

    for (unsigned int i = 0; i < tries && now != want; i++) {
        sleep_ms(100);
        now = free_pages(xch);
    }
    return now;
}

bool on_subfloor(xc_interface *xch)
{
    xen_extraversion_t extra;

    memset(extra, 0, sizeof(extra));
    return xc_version(xch, XENVER_extraversion, &extra) == 0 && strstr(extra, "subfloor");
}
