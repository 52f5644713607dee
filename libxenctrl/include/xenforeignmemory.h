/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Mapping another domain's frames into dom0 user space through privcmd's
 * IOCTL_PRIVCMD_MMAPBATCH_V2, with Xen 4.17 libxenforeignmemory's API
 * (shipped inside Subfloor's libxenctrl).
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>
#include "public/xen.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;
typedef struct xenforeignmemory_handle xenforeignmemory_handle;

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned open_flags);
int xenforeignmemory_close(xenforeignmemory_handle *fmem);   /* NULL is fine */

/*
 * Map `pages` frames of domain dom (arr: its frame numbers, as the
 * domain's p2m names them for a PV domain: machine frames) at one
 * address.  With err: err[i] is 0 or a negated errno per frame and the
 * call succeeds when the batch was issued, even if frames failed.
 * Without err: any frame's failure fails the call, errno set to it.
 * A frame that is paged out (ENOENT) is retried for a while first.
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
                           int prot, size_t pages, const xen_pfn_t arr[],
                           int err[]);
/* addr: a hint, or with MAP_FIXED in flags the address; flags adds to
 * MAP_SHARED. */
void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom,
                            void *addr, int prot, int flags, size_t pages,
                            const xen_pfn_t arr[], int err[]);
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
                           size_t pages);
int xenforeignmemory_restrict(xenforeignmemory_handle *fmem, domid_t domid);

#ifdef __cplusplus
}
#endif

#endif
