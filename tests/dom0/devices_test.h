/*
 * dom0-devices-test: checks, from inside a Linux dom0, that the Xen device
 * drivers reach the hypervisor: privcmd, evtchn, and gntalloc with gntdev.
 * Each check prints one "PASS name: ..." or "FAIL name: ..." line.
 */
#ifndef DOM0_DEVICES_TEST_H
#define DOM0_DEVICES_TEST_H

#include <stdbool.h>

/* Print the verdict line for check `name`; returns `ok` for chaining. */
bool report(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

bool check_privcmd_version(void);
bool check_evtchn_loopback(void);
bool check_grant_self_map(void);

#endif
