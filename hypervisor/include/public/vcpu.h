/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_vcpu_op (Xen 4.17 numbering).
 *
 * Called as vcpu_op(cmd, vcpu id, argument).  Bringing vCPUs up and down,
 * per-vCPU timers, and moving per-vCPU shared records (vcpu_info, runstate,
 * time) to pages of the guest's choosing.
 */
#ifndef SUBFLOOR_PUBLIC_VCPU_H
#define SUBFLOOR_PUBLIC_VCPU_H

#include "public/xen.h"

/* Argument: vcpu_guest_context_t.  Only for a vCPU that is still down. */
#define VCPUOP_initialise 0
#define VCPUOP_up         1  /* start an initialised vCPU */
#define VCPUOP_down       2  /* stop a vCPU (its context is kept) */
#define VCPUOP_is_up      3  /* returns 1 if running, 0 if down */

/* Argument: struct vcpu_runstate_info to fill in. */
#define VCPUOP_get_runstate_info 4

/*
 * Where a vCPU's time went.  time[] is indexed by RUNSTATE_*, in ns of
 * system time.  With VMASST_TYPE_runstate_update_flag the hypervisor sets
 * XEN_RUNSTATE_UPDATE in state_entry_time while it rewrites the record.
 */
struct vcpu_runstate_info {
    int state;                 /* RUNSTATE_* */
    uint64_t state_entry_time;
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)
    uint64_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

#define RUNSTATE_running  0  /* on a physical CPU */
#define RUNSTATE_runnable 1  /* waiting for one */
#define RUNSTATE_blocked  2  /* waiting for an event */
#define RUNSTATE_offline  3  /* down, or paused by the toolstack */

/*
 * Keep a copy of the runstate at this guest-virtual address, refreshed on
 * every context switch.
 */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);

/* A periodic VIRQ_TIMER; the period is in ns. */
#define VCPUOP_set_periodic_timer  6
#define VCPUOP_stop_periodic_timer 7
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

/* A one-shot VIRQ_TIMER at an absolute system time. */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;            /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

/* Fail with -ETIME rather than fire at once if the time is past. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/*
 * Move this vCPU's vcpu_info out of shared_info to machine frame `mfn`
 * at `offset`.  Once per vCPU; the record must not cross a page.
 */
#define VCPUOP_register_vcpu_info 10
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;             /* must be 0 */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);

/* Raise an NMI on the target vCPU. */
#define VCPUOP_send_nmi 11

/* The physical CPU behind a vCPU (dom0, pinned vCPUs). */
#define VCPUOP_get_physid 12
struct vcpu_get_physid {
    uint64_t phys_id;          /* APIC id low, ACPI id high */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/*
 * Keep an extra copy of vcpu_time_info at this guest-virtual address
 * (user-mode clocks map it).
 */
#define VCPUOP_register_vcpu_time_memory_area 13
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area
    vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);

#endif /* SUBFLOOR_PUBLIC_VCPU_H */
