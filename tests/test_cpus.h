/*
 * Racing host tests put their threads on different CPUs when there are
 * several, so the race is real parallelism and not time slices of one
 * CPU (tests/grants, tests/events).  Needs _GNU_SOURCE before any
 * include, for the affinity calls.
 */
#ifndef SUBFLOOR_TEST_CPUS_H
#define SUBFLOOR_TEST_CPUS_H

#include <pthread.h>
#include <sched.h>

/* The nth CPU in `set`, or -1. */
static inline int nth_cpu(const cpu_set_t *set, int nth)
{
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, set) && nth-- == 0)
            return cpu;
    return -1;
}

/* The calling thread on `cpu` alone; nothing for -1 (no such CPU). */
static inline void pin_to(int cpu)
{
    cpu_set_t one;

    if (cpu < 0)
        return;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
}

#endif
