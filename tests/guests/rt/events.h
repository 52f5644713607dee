/*
 * Event channels and time for test guests: the upcall handler counts
 * deliveries per port (2-level ABI), and system time comes from the
 * vCPU's pvclock record.
 */
#ifndef GUEST_RT_EVENTS_H
#define GUEST_RT_EVENTS_H

#include <stdint.h>

#define RT_MAX_PORTS 4096   /* 64 words of 64 bits */

/* Upcalls taken, and deliveries of each port seen by the upcall. */
extern volatile unsigned long upcall_count;
extern volatile unsigned int port_deliveries[RT_MAX_PORTS];
/* System time (ns) when each port was last delivered. */
extern volatile uint64_t port_delivered_at[RT_MAX_PORTS];
/* Called first in every upcall with the interrupted frame (NULL: none). */
struct trap_frame;
extern void (*upcall_hook)(struct trap_frame *f);

static inline void events_mask(void)
{
    shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    asm volatile("" ::: "memory");
}

/* Unmask, and if something arrived meanwhile have it delivered now: any
 * hypercall returns through the upcall check. */
void events_unmask(void);

/* Nanoseconds of system time, from vcpu_info[0].time. */
uint64_t system_time_ns(void);

#endif
