/* SPDX-License-Identifier: GPL-2.0-only */
/* What the two halves of the fake (fake_kernel.c: the devices and the
 * memory they know; fake_xen.c: the hypervisor) share. */
#ifndef FAKE_INTERNAL_H
#define FAKE_INTERNAL_H

#include "fake_xen.h"
#include "xc_linux.h"
#include "xc_os.h"

/* Memory the fake kernel knows about. */
enum region_kind { R_FREE, R_ANON, R_SAFE_DEV, R_SAFE_LOCKED, R_PRIVCMD, R_GRANT };
struct region {
    enum region_kind kind;
    char *addr;
    size_t len;
    uint8_t filled[FAKE_MAX_FRAMES];    /* R_PRIVCMD: pages mapped */
    uint64_t index;                     /* R_GRANT: slot offset */
};
#define FAKE_REGIONS 256
extern struct region fake_regions[FAKE_REGIONS];
struct region *fake_region_add(enum region_kind kind, void *addr, size_t len);
struct region *fake_region_at(const void *addr);
/* May the hypervisor touch [p, p+len)?  Only hypercall-safe memory. */
int fake_safe(const void *p, size_t len);

/* The hypervisor: one IOCTL_PRIVCMD_HYPERCALL, result or -errno. */
long fake_hypercall(const struct privcmd_hypercall *h);

extern const struct xc_os_ops fake_os_ops;
void fake_devices_reset(void);

#endif
