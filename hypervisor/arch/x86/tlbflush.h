/*
 * The TLB-flush clock, and TLB flushes across CPUs.
 *
 * A translation a CPU cached survives until that CPU flushes, whatever
 * the page tables say meanwhile.  So a frame that stops being mapped
 * (a type count dropping to 0, a frame going back to the allocator) gets
 * a stamp, a fresh value of a global clock; every CPU records the clock
 * as it starts a full flush.  A CPU whose last flush started before a
 * frame's stamp may still cache the frame; one whose flush started at or
 * after it cannot.  Before a frame is handed out again or changes type,
 * exactly the CPUs that may still cache it are flushed (Xen's
 * tlbflush_time, docs/security.md "Frames that change hands").
 *
 * CR4.PGE is off and PCIDs are unused, so every CR3 load is a full
 * flush: the guest's kernel/user switches keep the CPUs' times fresh and
 * most checks need no IPI at all.  The clock has 64 bits and never wraps.
 */
#ifndef SUBFLOOR_TLBFLUSH_H
#define SUBFLOOR_TLBFLUSH_H

#include <stdbool.h>
#include <stdint.h>

/* A CPU whose last full flush started at clock value flushed_at may hold
 * a translation removed before stamp was taken. */
static inline bool tlbflush_may_cache(uint64_t flushed_at, uint64_t stamp)
{
    return flushed_at < stamp;
}

/* A fresh stamp: the clock moves on, and whatever was unmapped before
 * this call is older than the value returned. */
uint64_t tlbflush_stamp(void);

/* Load CR3 (a full flush), recording it for this CPU. */
void tlbflush_load_cr3(uint64_t cr3);
/* Flush this CPU's TLB, recording it. */
void tlbflush_local(void);

/* Flush every CPU that runs a guest and may still cache something
 * removed before stamp (this CPU included), and wait until they have.
 * A CPU without a vCPU is skipped: it loads CR3 before it runs one. */
void tlbflush_since(uint64_t stamp);
/* Every CPU running a guest, whatever it flushed last. */
void tlbflush_all_cpus(void);

/* Answer another CPU's flush request, if there is one: called wherever a
 * CPU enters or waits in the hypervisor (the hypervisor lock). */
void tlbflush_service(void);

/* The clock value at this CPU's last recorded flush (debug keys, tests). */
uint64_t tlbflush_cpu_time(unsigned int cpu);

#endif
