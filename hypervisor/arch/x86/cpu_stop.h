/*
 * Taking every CPU out of guest context for good, before a domain's
 * frames are torn down: no CPU may still run one of its vCPUs, hold its
 * page tables in CR3 or its descriptor frames in its GDT area, or cache
 * any of that in a TLB the teardown's frames could be reused under.
 *
 * The CPU that asks (which holds the hypervisor lock) kicks every other
 * online CPU.  Each one enters the hypervisor (from a guest, from its
 * idle halt, or from spinning for the lock: all of them pass through
 * cpu_stop_poll), leaves its guest state through ops->park, loads the
 * hypervisor's own page tables, says so and halts with interrupts off.
 * The caller then parks itself the same way and goes on alone.
 */
#ifndef SUBFLOOR_CPU_STOP_H
#define SUBFLOOR_CPU_STOP_H

#include <stdbool.h>

/* What the layer that knows guest state does on a CPU leaving it: drop
 * its descriptor mappings, forget its current vCPU. */
struct cpu_stop_ops {
    void (*park)(void);
};

/* Stop every other online CPU and park this one.  true when every other
 * CPU confirmed within about a second each (a CPU that did not is
 * logged).  Call with the hypervisor lock held. */
bool cpus_stop_others(const struct cpu_stop_ops *ops);

/* Wherever a CPU enters the hypervisor or waits for its lock: stop here
 * for good if asked to. */
void cpu_stop_poll(void);

/* Whether cpu was stopped (for the debug keys and the tests). */
bool cpu_is_stopped(unsigned int cpu);

#endif
