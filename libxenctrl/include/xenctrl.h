/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenctrl: the toolstack's access to the hypervisor, with Xen 4.17's
 * names, argument types and semantics for the part Subfloor implements
 * (docs/libxenctrl.md lists it).
 *
 * Every function returns 0 (or a count, or a non-NULL pointer) on
 * success; on failure it sets errno and returns -1 (or NULL), and most
 * log a message through the handle's logger first ("xc: error: ...";
 * the logger keeps errno intact).  The hypercall structures come from
 * Subfloor's public headers (include/subfloor/public/), Xen's layouts to
 * the byte.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "public/xen.h"
#include "public/domctl.h"
#include "public/sysctl.h"
#include "public/version.h"
#include "public/memory.h"
#include "public/event_channel.h"
#include "public/grant_table.h"
#include "public/sched.h"

#include "xentoollog.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XC_PAGE_SHIFT 12
#define XC_PAGE_SIZE  (1UL << XC_PAGE_SHIFT)
#define XC_PAGE_MASK  (~(XC_PAGE_SIZE - 1))

#define INVALID_MFN (~0UL)

#define XENCTRL_HAS_XC_INTERFACE 1

typedef struct xc_interface_core xc_interface;

enum xc_error_code {
    XC_ERROR_NONE = 0,
    XC_INTERNAL_ERROR = 1,
    XC_INVALID_KERNEL = 2,
    XC_INVALID_PARAM = 3,
    XC_OUT_OF_MEMORY = 4,
};
typedef enum xc_error_code xc_error_code;

/* ---- The handle (xc_handle.c) ---- */

enum xc_open_flags {
    XC_OPENFLAG_DUMMY = 1 << 0,         /* open no device at all */
    XC_OPENFLAG_NON_REENTRANT = 1 << 1, /* accepted; we keep no shared state */
};

/* Opens /dev/xen/privcmd (and /dev/xen/hypercall where the kernel has
 * it).  logger NULL: errors go to stderr.  dombuild_logger is kept for
 * the domain builder and may be NULL. */
xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags);
int xc_interface_close(xc_interface *xch);
struct xenforeignmemory_handle *xc_interface_fmem_handle(xc_interface *xch);

#define XC_MAX_ERROR_MSG_LEN 1024
typedef struct xc_error {
    enum xc_error_code code;
    char message[XC_MAX_ERROR_MSG_LEN];
} xc_error;

const char *xc_error_code_to_desc(int code);
const char *xc_strerror(xc_interface *xch, int errcode);
/* The last error logged at XTL_ERROR on this handle. */
const xc_error *xc_get_last_error(xc_interface *xch);
void xc_clear_last_error(xc_interface *xch);

/* ---- Hypercall buffers (xc_hypercall_buf.c) ----
 *
 * Memory a hypercall reads or writes must stay mapped and resident while
 * the hypervisor touches it, so it comes from these allocators, never
 * from malloc or the stack.  A variable declared with
 * DECLARE_HYPERCALL_BUFFER(type, name) is an ordinary pointer `name`
 * with a shadow record that set_xen_guest_handle() checks for at compile
 * time: handing it a plain pointer does not build.
 */
struct xc_hypercall_buffer {
    void *hbuf;                                 /* the safe memory */
    struct xc_hypercall_buffer *param_shadow;   /* set for an argument */
    int dir;                                    /* unused by callers */
    void *ubuf;
    size_t sz;
};
typedef struct xc_hypercall_buffer xc_hypercall_buffer_t;

#define XC__HYPERCALL_BUFFER_NAME(_name) xc__hypercall_buffer_##_name

#define HYPERCALL_BUFFER(_name)                                         \
    ({ xc_hypercall_buffer_t *_hb_ = &XC__HYPERCALL_BUFFER_NAME(_name); \
       _hb_->param_shadow ? _hb_->param_shadow : _hb_; })

#define HYPERCALL_BUFFER_INIT_NO_BOUNCE .dir = 0, .sz = 0, .ubuf = (void *)-1

#define DECLARE_HYPERCALL_BUFFER(_type, _name)                          \
    _type *(_name) = NULL;                                              \
    xc_hypercall_buffer_t XC__HYPERCALL_BUFFER_NAME(_name) = {          \
        .hbuf = NULL, .param_shadow = NULL, HYPERCALL_BUFFER_INIT_NO_BOUNCE }

/* A pointer `name` into an existing buffer `_hbuf` (an argument). */
#define DECLARE_HYPERCALL_BUFFER_SHADOW(_type, _name, _hbuf)            \
    _type *(_name) = (_hbuf)->hbuf;                                     \
    __attribute__((unused))                                             \
    xc_hypercall_buffer_t XC__HYPERCALL_BUFFER_NAME(_name) = {          \
        .hbuf = (void *)-1, .param_shadow = (_hbuf),                    \
        HYPERCALL_BUFFER_INIT_NO_BOUNCE }

#define DECLARE_HYPERCALL_BUFFER_ARGUMENT(_name)                        \
    xc_hypercall_buffer_t XC__HYPERCALL_BUFFER_NAME(_name) = {          \
        .hbuf = (void *)-1, .param_shadow = (_name),                    \
        HYPERCALL_BUFFER_INIT_NO_BOUNCE }

#define HYPERCALL_BUFFER_AS_ARG(_name)                                  \
    ({ xc_hypercall_buffer_t _hb_check_;                                \
       typeof(XC__HYPERCALL_BUFFER_NAME(_name)) *_hb_arg_ =             \
           HYPERCALL_BUFFER(_name);                                     \
       (void)(&_hb_check_ == _hb_arg_);                                 \
       (unsigned long)(_hb_arg_)->hbuf; })

#define set_xen_guest_handle_impl(_hnd, _val, _byte_off)                \
    do {                                                                \
        xc_hypercall_buffer_t _hb_check_;                               \
        typeof(XC__HYPERCALL_BUFFER_NAME(_val)) *_hb_val_ =             \
            HYPERCALL_BUFFER(_val);                                     \
        (void)(&_hb_check_ == _hb_val_);                                \
        set_xen_guest_handle_raw(_hnd,                                  \
            (void *)((char *)(_hb_val_)->hbuf + (_byte_off)));          \
    } while (0)

#undef set_xen_guest_handle
#define set_xen_guest_handle(_hnd, _val) set_xen_guest_handle_impl(_hnd, _val, 0)
#define set_xen_guest_handle_offset(_hnd, _val, _off)                   \
    set_xen_guest_handle_impl(_hnd, _val, sizeof(*(_val)) * (_off))

/* Hand this to set_xen_guest_handle() for a NULL handle. */
extern xc_hypercall_buffer_t XC__HYPERCALL_BUFFER_NAME(HYPERCALL_BUFFER_NULL);

void *xc__hypercall_buffer_alloc(xc_interface *xch, xc_hypercall_buffer_t *b,
                                 size_t size);
#define xc_hypercall_buffer_alloc(_xch, _name, _size) \
    xc__hypercall_buffer_alloc(_xch, HYPERCALL_BUFFER(_name), _size)
void xc__hypercall_buffer_free(xc_interface *xch, xc_hypercall_buffer_t *b);
#define xc_hypercall_buffer_free(_xch, _name) \
    xc__hypercall_buffer_free(_xch, HYPERCALL_BUFFER(_name))

void *xc__hypercall_buffer_alloc_pages(xc_interface *xch,
                                       xc_hypercall_buffer_t *b, int nr_pages);
#define xc_hypercall_buffer_alloc_pages(_xch, _name, _nr) \
    xc__hypercall_buffer_alloc_pages(_xch, HYPERCALL_BUFFER(_name), _nr)
void xc__hypercall_buffer_free_pages(xc_interface *xch,
                                     xc_hypercall_buffer_t *b, int nr_pages);
#define xc_hypercall_buffer_free_pages(_xch, _name, _nr)                 \
    do {                                                                \
        if (_name)                                                      \
            xc__hypercall_buffer_free_pages(_xch, HYPERCALL_BUFFER(_name), _nr); \
    } while (0)

/* ---- CPU and node maps (xc_sysctl.c) ---- */
typedef uint8_t *xc_cpumap_t;
typedef uint8_t *xc_nodemap_t;

int xc_get_max_cpus(xc_interface *xch);
int xc_get_online_cpus(xc_interface *xch);
int xc_get_cpumap_size(xc_interface *xch);
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch);     /* free() it */
void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map);
void xc_cpumap_setcpu(int cpu, xc_cpumap_t map);
int xc_cpumap_testcpu(int cpu, xc_cpumap_t map);
int xc_get_max_nodes(xc_interface *xch);
int xc_get_nodemap_size(xc_interface *xch);
xc_nodemap_t xc_nodemap_alloc(xc_interface *xch);

/* ---- Domains (xc_domain.c) ---- */

typedef struct xc_dominfo {
    uint32_t domid;
    uint32_t ssidref;
    unsigned int dying:1, crashed:1, shutdown:1,
                 paused:1, blocked:1, running:1,
                 hvm:1, debugged:1, xenstore:1, hap:1;
    unsigned int shutdown_reason;       /* when shutdown is set */
    unsigned long nr_pages;             /* current, not maximum */
    unsigned long nr_outstanding_pages;
    unsigned long nr_shared_pages;
    unsigned long nr_paged_pages;
    unsigned long shared_info_frame;
    uint64_t cpu_time;
    unsigned long max_memkb;
    unsigned int nr_online_vcpus;
    unsigned int max_vcpu_id;
    xen_domain_handle_t handle;
    unsigned int cpupool;
    uint8_t gpaddr_bits;
    struct xen_arch_domainconfig arch_config;
} xc_dominfo_t;

typedef xen_domctl_getdomaininfo_t xc_domaininfo_t;
typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;

typedef union {
    vcpu_guest_context_t x64;
    vcpu_guest_context_t c;
} vcpu_guest_context_any_t;

/* The raw hypercalls, with the structure bounced and the interface
 * version filled in. */
int xc_domctl(xc_interface *xch, struct xen_domctl *domctl);
int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl);

int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
                     struct xen_domctl_createdomain *config);
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
/* SCHEDOP_remote_shutdown: the domain stops as if it had shut itself
 * down with reason (SHUTDOWN_*), for guests that do not answer xenstore's
 * control/shutdown. */
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
int xc_domain_sethandle(xc_interface *xch, uint32_t domid,
                        xen_domain_handle_t handle);
int xc_domain_set_time_offset(xc_interface *xch, uint32_t domid,
                              int32_t time_offset_seconds);
/* Up to max_doms domains from first_domid on, one domctl each; returns
 * how many were filled in (Xen 4.17: the first may have a higher id). */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
                      unsigned int max_doms, xc_dominfo_t *info);
/* One domain's xc_domaininfo_t; ESRCH when domid does not exist.  Xen
 * 4.18's call, offered here because 4.17's getdomaininfo domctl answers
 * for the next domain up when domid is gone. */
int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
                             xc_domaininfo_t *info);
/* Up to max_domains domains with id >= first_domain in one sysctl;
 * returns how many. */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info);
long xc_get_tot_pages(xc_interface *xch, uint32_t domid);

int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard_inout,
                        xc_cpumap_t cpumap_soft_inout, uint32_t flags);
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
                        uint32_t flags);
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info);
int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt);
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt);

/* ---- The machine (xc_sysctl.c) ---- */

typedef struct xen_sysctl_physinfo xc_physinfo_t;
typedef struct xen_sysctl_cputopo xc_cputopo_t;
typedef struct xen_sysctl_meminfo xc_meminfo_t;
typedef struct xen_sysctl_cpuinfo xc_cpuinfo_t;

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);
/* cputopo NULL: *max_cpus gets the number of CPUs only. */
int xc_cputopoinfo(xc_interface *xch, unsigned *max_cpus, xc_cputopo_t *cputopo);
/* meminfo and distance NULL: *max_nodes gets the number of nodes only. */
int xc_numainfo(xc_interface *xch, unsigned *max_nodes,
                xc_meminfo_t *meminfo, uint32_t *distance);
int xc_sched_id(xc_interface *xch, int *sched_id);
/* Subfloor only: a vCPU's wake-to-run latency and runnable waits (ns). */
typedef struct subfloor_sysctl_vcpu_sched_stats xc_subfloor_vcpu_stats_t;
int xc_subfloor_vcpu_sched_stats(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                                 xc_subfloor_vcpu_stats_t *stats);
/* CPUs in no cpupool; a map to free(), NULL with errno on failure. */
xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch);
int xc_getcpuinfo(xc_interface *xch, int max_cpus, xc_cpuinfo_t *info,
                  int *nr_cpus);
/* The hypervisor's console ring: *pnr_chars in is buffer's size, out the
 * bytes read; with incremental, reading starts at *pindex and *pindex
 * is moved past what was read. */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
                       int clear, int incremental, uint32_t *pindex);

/* ---- The scheduler (xc_sched.c) ----
 * Credit2's per-domain weight and cap, and a pool's rate limit; the
 * hypervisor refuses them (EINVAL) when the pool runs another scheduler.
 * The params calls write back what the hypervisor holds afterwards. */
int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom);
int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom);
int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule);
int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule);

typedef struct xc_cpupoolinfo {
    uint32_t cpupool_id;
    uint32_t sched_id;
    uint32_t n_dom;
    xc_cpumap_t cpumap;
} xc_cpupoolinfo_t;
/* The first pool with id >= poolid (xc_cpupool_infofree() it), or NULL
 * with errno: ENOENT when there is none. */
xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid);
void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info);

/* ---- xen_version (xc_version.c) ----
 * cmd is XENVER_*; arg points to the type that version.h names for it
 * (NULL for XENVER_version and XENVER_pagesize, which return the value). */
int xc_version(xc_interface *xch, int cmd, void *arg);

/* ---- memory_op (xc_memory.c) ---- */
/* Bounces arg (len bytes) and what it points to, for the commands the
 * toolstack uses: reservations, the reservation queries (a domid_t for
 * XENMEM_current_reservation / maximum_reservation / maximum_gpfn; the
 * result is the return value) and XENMEM_maximum_ram_page (no arg). */
long xc_memory_op(xc_interface *xch, unsigned int cmd, void *arg, size_t len);
int xc_maximum_ram_page(xc_interface *xch, unsigned long *max_mfn);
int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns);
int xc_domain_nr_gpfns(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns);
int xc_domain_increase_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   unsigned int mem_flags,
                                   xen_pfn_t *extent_start);
int xc_domain_increase_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         unsigned int mem_flags,
                                         xen_pfn_t *extent_start);
int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   xen_pfn_t *extent_start);
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         xen_pfn_t *extent_start);
int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags,
                               xen_pfn_t *extent_start);
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start);

/* ---- Foreign memory, Xen's compatibility names (xc_foreign.c) ---- */
void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                           const xen_pfn_t *arr, int num);
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
                           int prot, unsigned long mfn);
/* Like xc_map_foreign_pages, but a frame that fails only sets err[i]. */
void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
                          const xen_pfn_t *arr, int *err, unsigned int num);

/* MMUEXT_* operations on behalf of domain dom (the builder pins the new
 * guest's L4 this way): 0, or -1 with errno. */
int xc_mmuext_op(xc_interface *xch, struct mmuext_op *op, unsigned int nr_ops,
                 uint32_t dom);
/* A new unbound port in dom that remote_dom may bind: the port, or -1. */
int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom);

#ifdef __cplusplus
}
#endif

#endif
