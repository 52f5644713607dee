/*
 * What the dom0 domU tests (domu_test.c, domu_run_test.c) share: the
 * PASS/FAIL line, a PV domain's createdomain config, the machine's free
 * pages, and which hypervisor runs them.
 */
#ifndef DOMU_COMMON_H
#define DOMU_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>

#define ERRNO_OF(call) ((call) < 0 ? errno : 0)

/* Failed checks so far. */
extern unsigned int domu_failures;

/* Print "PASS name: detail" or "FAIL ..." and count a failure. */
bool check(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* createdomain's config for a PV domU with vcpus vCPUs, as libxl's
 * defaults (1023 event channels, 4 grant frames, grant v1). */
struct xen_domctl_createdomain domu_pv_config(unsigned int vcpus);

void sleep_ms(unsigned int ms);
uint64_t free_pages(xc_interface *xch);
/* free_pages once it equals want, or after about tries * 100 ms. */
uint64_t free_pages_settled(xc_interface *xch, uint64_t want, unsigned int tries);
/* Whether the hypervisor is Subfloor (its extraversion says so). */
bool on_subfloor(xc_interface *xch);

#endif
