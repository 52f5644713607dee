/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Mapping other domains' grants into dom0 user space through
 * /dev/xen/gntdev, with Xen 4.17 libxengnttab's API (the xengnttab_*
 * half; shipped inside Subfloor's libxenctrl).
 */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>
#include "public/xen.h"
#include "public/event_channel.h"
#include "public/grant_table.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;
typedef struct xengntdev_handle xengnttab_handle;

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
                                 unsigned open_flags);
int xengnttab_close(xengnttab_handle *xgt);             /* NULL is fine */
int xengnttab_fd(xengnttab_handle *xgt);

/* prot as for mmap().  All or nothing: on failure nothing stays mapped. */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
                              uint32_t ref, int prot);
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
                               uint32_t *domids, uint32_t *refs, int prot);
void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
                                      uint32_t domid, uint32_t *refs, int prot);
/* notify_offset / notify_port -1 for none: when the mapping goes, the
 * byte at notify_offset is cleared and/or the port is notified. */
void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid,
                                     uint32_t ref, int prot,
                                     uint32_t notify_offset,
                                     evtchn_port_t notify_port);
/* count pages at start_address, exactly as one map call made them. */
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count);
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants);

#ifdef __cplusplus
}
#endif

#endif
