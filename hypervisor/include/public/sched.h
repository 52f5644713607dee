/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_sched_op (Xen 4.17 numbering).
 */
#ifndef SUBFLOOR_PUBLIC_SCHED_H
#define SUBFLOOR_PUBLIC_SCHED_H

#include "public/event_channel.h"

#define SCHEDOP_yield           0  /* give up the CPU, stay runnable */
#define SCHEDOP_block           1  /* sleep until an event is pending */
#define SCHEDOP_shutdown        2  /* struct sched_shutdown */
#define SCHEDOP_poll            3  /* struct sched_poll: sleep on ports */
#define SCHEDOP_remote_shutdown 4  /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5  /* record a reason for a later shutdown */
#define SCHEDOP_watchdog        6  /* struct sched_watchdog */
#define SCHEDOP_pin_override    7  /* struct sched_pin_override (dom0) */

struct sched_shutdown {
    unsigned int reason;   /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/*
 * Block until one of the ports is pending or the timeout (absolute system
 * time in ns; 0 means none) passes.
 */
struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    unsigned int nr_ports;
    uint64_t timeout;
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;
    unsigned int reason;   /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

/*
 * id 0 creates a watchdog and returns its id; a nonzero id re-arms it, or
 * destroys it when timeout is 0.  Timeout is in seconds.
 */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;          /* negative: drop the override */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

/* Shutdown reasons, as the toolstack reports them. */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2  /* state saved: restorable */
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4  /* a watchdog expired */
#define SHUTDOWN_soft_reset 5  /* reset without tearing the domain down */
#define SHUTDOWN_MAX        5

#endif /* SUBFLOOR_PUBLIC_SCHED_H */
