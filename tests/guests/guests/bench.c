/*
 * bench: what three basic paths cost, in TSC cycles measured inside the
 * guest: a null hypercall (xen_version, by the hypercall page and by a
 * bare syscall), an event-channel send to ourselves with its upcall, and
 * a batched mmu_update.  Prints "BENCH: <name> cycles=<per op> ops=<n>"
 * lines for tests/bench to compare across hypervisors; the checks only
 * prove each path did its work, never judge the time.
 */
#include <public/event_channel.h>
#include <public/version.h>

#include "guest.h"
#include "events.h"
#include "pagetable.h"

const char guest_name[] = "bench";

#define ITERATIONS 2000
#define MMU_BATCH 32

static char scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void report(const char *name, uint64_t cycles, unsigned long ops)
{
    con_printf("BENCH: %s cycles=%lu ops=%lu\n", name, (unsigned long)(cycles / ops), ops);
}

static void null_hypercall(enum hcall_route route, const char *name)
{
    long bad = 0;
    hcall_route = route;
    uint64_t t0 = rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        if (hyp_xen_version(XENVER_version, NULL) <= 0)
            bad++;
    uint64_t t1 = rdtsc();
    hcall_route = HCALL_PAGE;
    check(bad == 0, name, "%ld of %d calls failed", bad, ITERATIONS);
    report(name, t1 - t0, ITERATIONS);
}

static void evtchn_send_self(void)
{
    evtchn_bind_ipi_t bi = { .vcpu = 0 };
    if (!check_eq("bench: bind_ipi", hyp_event_channel_op(EVTCHNOP_bind_ipi, &bi), 0))
        return;
    evtchn_send_t s = { .port = bi.port };
    unsigned int before = port_deliveries[bi.port];
    events_unmask();
    uint64_t t0 = rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        hyp_event_channel_op(EVTCHNOP_send, &s);
    uint64_t t1 = rdtsc();
    events_mask();
    check_eq("bench: every send to self was delivered by an upcall",
             port_deliveries[bi.port] - before, ITERATIONS);
    report("evtchn_send_self_with_upcall", t1 - t0, ITERATIONS);
}

static void mmu_update_batch(void)
{
    struct pt_walk w;
    bool found = pt_walk((unsigned long)scratch, &w);
    if (!check(found, "bench: scratch page walks", "level %d", w.level_missing))
        return;
    /* Rewrite the scratch page's own L1 entry, alternating RW and RO, so
     * every update is a real, validated change. */
    static mmu_update_t req[MMU_BATCH];
    for (int i = 0; i < MMU_BATCH; i++) {
        req[i].ptr = w.entry_maddr[1] | MMU_NORMAL_PT_UPDATE;
        req[i].val = (i & 1) ? w.entry[1] : (w.entry[1] & ~PTE_RW);
    }
    req[MMU_BATCH - 1].val = w.entry[1];   /* end writable */
    long bad = 0;
    uint64_t t0 = rdtsc();
    for (int i = 0; i < ITERATIONS / 10; i++) {
        unsigned int done = 0;
        if (hyp_mmu_update(req, MMU_BATCH, &done, DOMID_SELF) || done != MMU_BATCH)
            bad++;
    }
    uint64_t t1 = rdtsc();
    check(bad == 0, "bench: every mmu_update batch completed", "%ld batches failed", bad);
    scratch[0] = 1;   /* still writable: the last entry of each batch is RW */
    report("mmu_update_batch32", t1 - t0, ITERATIONS / 10);
    con_printf("BENCH: mmu_update_per_entry cycles=%lu ops=%lu\n",
               (unsigned long)((t1 - t0) / (ITERATIONS / 10 * MMU_BATCH)),
               (unsigned long)(ITERATIONS / 10 * MMU_BATCH));
}

void guest_main(void)
{
    null_hypercall(HCALL_PAGE, "null_hypercall_page");
    null_hypercall(HCALL_SYSCALL, "null_hypercall_syscall");
    evtchn_send_self();
    mmu_update_batch();
}
