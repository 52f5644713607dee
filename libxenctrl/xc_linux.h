/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The Linux dom0 kernel's device interface that libxenctrl speaks: the
 * ioctls of /dev/xen/privcmd, /dev/xen/hypercall, /dev/xen/evtchn and
 * /dev/xen/gntdev, with the numbers and layouts of Linux's uapi headers
 * (include/uapi/xen/{privcmd,evtchn,gntdev}.h), written here in our own
 * words.  Every structure is checked for its size below, so that a
 * change of the kernel's layout cannot pass unnoticed.
 */
#ifndef SUBFLOOR_XC_LINUX_H
#define SUBFLOOR_XC_LINUX_H

#include <stdint.h>
#include <sys/ioctl.h>

#define XC_DEV_PRIVCMD   "/dev/xen/privcmd"
#define XC_DEV_HYPERCALL "/dev/xen/hypercall"  /* Linux 4.18 and later */
#define XC_DEV_EVTCHN    "/dev/xen/evtchn"
#define XC_DEV_GNTDEV    "/dev/xen/gntdev"

/* ---- /dev/xen/privcmd ('P') ---- */

/* One hypercall issued by the kernel on our behalf: the kernel's return
 * value is the hypercall's (a negative result becomes -1 and errno). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};

/* Map `num` frames of domain `dom` at `addr`, which must be the start of
 * an mmap() of the privcmd file covering exactly num pages (or, on a
 * second try, a hole an earlier try left).  err[i] gets 0 or a negated
 * errno per frame; the ioctl fails with ENOENT when a frame was paged
 * out (retry it), and with other errors for the batch as a whole. */
struct privcmd_mmapbatch_v2 {
    uint32_t num;
    uint16_t dom;
    uint16_t pad;
    uint64_t addr;
    const uint64_t *arr;        /* xen_pfn_t[num] */
    int *err;                   /* int[num] */
};

#define IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
    _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_RESTRICT \
    _IOC(_IOC_NONE, 'P', 6, sizeof(uint16_t))

/* ---- /dev/xen/evtchn ('E') ---- */
/* Each bind returns the new local port; reading the file yields pending
 * ports (uint32_t each) and masks them, writing ports unmasks them. */
struct ioctl_evtchn_bind_virq { unsigned int virq; };
struct ioctl_evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct ioctl_evtchn_bind_unbound_port { unsigned int remote_domain; };
struct ioctl_evtchn_unbind { unsigned int port; };
struct ioctl_evtchn_notify { unsigned int port; };
struct ioctl_evtchn_restrict_domid { uint16_t domid; };

#define IOCTL_EVTCHN_BIND_VIRQ \
    _IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND \
    _IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY \
    _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))
#define IOCTL_EVTCHN_RESET \
    _IOC(_IOC_NONE, 'E', 5, 0)
#define IOCTL_EVTCHN_RESTRICT_DOMID \
    _IOC(_IOC_NONE, 'E', 6, sizeof(struct ioctl_evtchn_restrict_domid))

/* ---- /dev/xen/gntdev ('G') ---- */
/* MAP_GRANT_REF reserves `count` pages of the file and returns their
 * offset in `index`; mmap() of the file at that offset maps the grants.
 * The structure is variable-sized: refs[] has `count` entries. */
struct ioctl_gntdev_grant_ref {
    uint32_t domid;
    uint32_t ref;
};
struct ioctl_gntdev_map_grant_ref {
    uint32_t count;
    uint32_t pad;
    uint64_t index;                         /* out */
    struct ioctl_gntdev_grant_ref refs[1];
};
struct ioctl_gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};
struct ioctl_gntdev_get_offset_for_vaddr {
    uint64_t vaddr;
    uint64_t offset;                        /* out */
    uint32_t count;                         /* out */
    uint32_t pad;
};
struct ioctl_gntdev_set_max_grants {
    uint32_t count;
};
/* What the kernel does to the page when the last mapping goes. */
#define UNMAP_NOTIFY_CLEAR_BYTE 0x1
#define UNMAP_NOTIFY_SEND_EVENT 0x2
struct ioctl_gntdev_unmap_notify {
    uint64_t index;                         /* byte offset in the file */
    uint32_t action;
    uint32_t event_channel_port;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR \
    _IOC(_IOC_NONE, 'G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))
#define IOCTL_GNTDEV_SET_MAX_GRANTS \
    _IOC(_IOC_NONE, 'G', 3, sizeof(struct ioctl_gntdev_set_max_grants))
#define IOCTL_GNTDEV_SET_UNMAP_NOTIFY \
    _IOC(_IOC_NONE, 'G', 7, sizeof(struct ioctl_gntdev_unmap_notify))

_Static_assert(sizeof(struct privcmd_hypercall) == 48, "privcmd_hypercall");
_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "privcmd_mmapbatch_v2");
_Static_assert(sizeof(struct ioctl_evtchn_bind_interdomain) == 8, "bind_interdomain");
_Static_assert(sizeof(struct ioctl_gntdev_map_grant_ref) == 24, "gntdev_map_grant_ref");
_Static_assert(sizeof(struct ioctl_gntdev_unmap_grant_ref) == 16, "gntdev_unmap_grant_ref");
_Static_assert(sizeof(struct ioctl_gntdev_get_offset_for_vaddr) == 24, "gntdev_get_offset");
_Static_assert(sizeof(struct ioctl_gntdev_unmap_notify) == 16, "gntdev_unmap_notify");

#endif
