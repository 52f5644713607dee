/*
 * continuations: a long hypercall stops part-way for an event and carries
 * on where it stopped.  An event is left pending and unmasked without
 * being delivered (masked while sent, unmasked in memory only), then a
 * long call is made; its first preemption check must see the event, so
 * the upcall arrives while the call is unfinished: at the hypercall
 * instruction itself, with rax holding the hypercall number again and
 * the argument registers naming the work that is left, in Xen 4.17's
 * encodings (a multicall's remaining entries; mmu_update's and
 * mmuext_op's count with MMU_UPDATE_PREEMPTED and the progress in
 * *pdone; memory_op's start extent above MEMOP_EXTENT_SHIFT; a grant
 * batch's remaining elements; console_io's remaining bytes).  Then the
 * call finishes with every item done exactly once.  A long call with
 * events masked finishes whole, however many slices it took.
 *
 * Between the unmask and the call the guest runs a few instructions, and
 * an interrupt the hypervisor takes for itself there (its timer, on a
 * busy host) delivers the event before the call starts; the call then
 * runs whole and says nothing about preemption.  That attempt is told
 * apart (the upcall came, but not at the call instruction) and made
 * again, up to ATTEMPTS times.
 */
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/version.h>

#include "guest.h"
#include "events.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "continuations";

/* Xen's continuation encodings (not in its public headers). */
#define MEMOP_EXTENT_SHIFT 6
#define MMU_UPDATE_PREEMPTED 0x80000000u

static evtchn_port_t ipi;

/* What the upcall saw of the interrupted call. */
static volatile unsigned int hook_calls;
static struct trap_frame seen;
static volatile uint64_t seen_progress;
static uint64_t (*progress)(void);

static void record(struct trap_frame *f)
{
    hook_calls++;
    seen = *f;
    seen_progress = progress ? progress() : 0;
}

/* The next hypercall starts with an event pending and deliverable. */
static void event_waiting(uint64_t (*probe)(void))
{
    events_mask();
    progress = probe;
    hook_calls = 0;
    evtchn_send_t s = { .port = ipi };
    hyp_event_channel_op(EVTCHNOP_send, &s);
    asm volatile("" ::: "memory");
    shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
    asm volatile("" ::: "memory");
}

static void quiet(void)
{
    events_mask();
    progress = NULL;
}

/* Where stub nr of the hypercall page makes the call. */
static uint64_t call_insn_of(unsigned int nr)
{
    const unsigned char *stub = (const unsigned char *)hypercall_page + nr * 32;

    for (unsigned int i = 0; i + 1 < 32; i++)
        if (stub[i] == 0x0f && stub[i + 1] == 0x05)
            return (uint64_t)(stub + i);
    return 0;
}

#define ATTEMPTS 8

/* Whether this attempt at nr lost the race above and may be made again. */
static bool came_early(const char *what, unsigned int nr, unsigned int attempt)
{
    if (hook_calls != 1 || seen.rip == call_insn_of(nr) || attempt + 1 == ATTEMPTS)
        return false;
    con_printf("INFO: %s: the event came at rip %#lx, before the call; attempt %u again\n",
               what, (unsigned long)seen.rip, attempt + 2);
    return true;
}

/* The upcall came once, at the call instruction of nr, with rax = nr,
 * and the call had done part of its work. */
static bool cut_short(const char *what, unsigned int nr, uint64_t total)
{
    con_printf("INFO: %s: upcall after %lu of %lu, rip %#lx rax %#lx rdi %#lx rsi %#lx "
               "rdx %#lx\n", what, (unsigned long)seen_progress, (unsigned long)total,
               (unsigned long)seen.rip, (unsigned long)seen.rax, (unsigned long)seen.rdi,
               (unsigned long)seen.rsi, (unsigned long)seen.rdx);
    return check(hook_calls == 1 && seen.rip == call_insn_of(nr) && seen.rax == nr &&
                     seen_progress > 0 && seen_progress < total,
                 what, "upcalls %u rip %#lx (call at %#lx) rax %lu progress %lu/%lu",
                 hook_calls, (unsigned long)seen.rip, (unsigned long)call_insn_of(nr),
                 (unsigned long)seen.rax, (unsigned long)seen_progress, (unsigned long)total);
}

#define NR_CALLS 64
static multicall_entry_t calls[NR_CALLS];

static uint64_t multicall_results(void)
{
    uint64_t n = 0;
    for (unsigned int i = 0; i < NR_CALLS; i++)
        n += calls[i].result != 0xdead;
    return n;
}

static bool multicall_cut(long version, unsigned int attempt)
{
    for (unsigned int i = 0; i < NR_CALLS; i++)
        calls[i] = (multicall_entry_t){ .op = __HYPERVISOR_xen_version,
                                        .args = { XENVER_version, 0 }, .result = 0xdead };
    event_waiting(multicall_results);
    long rc = hyp_multicall(calls, NR_CALLS);
    quiet();
    if (came_early("multicall", __HYPERVISOR_multicall, attempt))
        return true;
    check_eq("multicall: succeeds", rc, 0);
    if (cut_short("multicall: an event stops it after an entry", __HYPERVISOR_multicall,
                  NR_CALLS))
        check(seen.rdi == (uint64_t)&calls[seen_progress] && seen.rsi == NR_CALLS - seen_progress,
              "multicall: the registers name the entries left", "rdi %#lx rsi %lu",
              (unsigned long)seen.rdi, (unsigned long)seen.rsi);
    unsigned int right = 0;
    for (unsigned int i = 0; i < NR_CALLS; i++)
        right += calls[i].result == (xen_ulong_t)version;
    check_eq("multicall: every entry ran once, with its result", right, NR_CALLS);
    return false;
}

/* Entries that rewrite one PTE with the value it holds. */
#define NR_UPDATES 256
static mmu_update_t updates[NR_UPDATES];
static mmuext_op_t ext_ops[NR_UPDATES];
static volatile unsigned int pdone;
static char scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static uint64_t pdone_value(void)
{
    return pdone;
}

static bool fill_updates(void)
{
    struct pt_walk w;
    if (!pt_walk((unsigned long)scratch, &w) || w.level_missing)
        return false;
    for (unsigned int i = 0; i < NR_UPDATES; i++) {
        updates[i] = (mmu_update_t){ .ptr = w.entry_maddr[1] | MMU_NORMAL_PT_UPDATE,
                                     .val = w.entry[1] };
        ext_ops[i] = (mmuext_op_t){ .cmd = MMUEXT_INVLPG_LOCAL,
                                    .arg1.linear_addr = (unsigned long)scratch };
    }
    return true;
}

static bool mmu_update_cut(unsigned int attempt)
{
    pdone = 0;
    event_waiting(pdone_value);
    long rc = hyp_mmu_update(updates, NR_UPDATES, (unsigned int *)&pdone, DOMID_SELF);
    quiet();
    if (came_early("mmu_update", __HYPERVISOR_mmu_update, attempt))
        return true;
    check(rc == 0 && pdone == NR_UPDATES, "mmu_update: all entries done once", "rc %ld done %u",
          rc, pdone);
    if (cut_short("mmu_update: an event stops it part-way", __HYPERVISOR_mmu_update, NR_UPDATES))
        check(seen.rdi == (uint64_t)&updates[seen_progress] &&
                  seen.rsi == ((NR_UPDATES - seen_progress) | MMU_UPDATE_PREEMPTED) &&
                  seen.rdx == (uint64_t)&pdone,
              "mmu_update: the registers name the rest, count marked MMU_UPDATE_PREEMPTED",
              "rdi %#lx rsi %#lx rdx %#lx", (unsigned long)seen.rdi, (unsigned long)seen.rsi,
              (unsigned long)seen.rdx);
    return false;
}

static bool mmuext_cut(unsigned int attempt)
{
    pdone = 0;
    event_waiting(pdone_value);
    long rc = hyp_mmuext_op(ext_ops, NR_UPDATES, (unsigned int *)&pdone, DOMID_SELF);
    quiet();
    if (came_early("mmuext_op", __HYPERVISOR_mmuext_op, attempt))
        return true;
    check(rc == 0 && pdone == NR_UPDATES, "mmuext_op: all ops done once", "rc %ld done %u", rc,
          pdone);
    if (cut_short("mmuext_op: an event stops it part-way", __HYPERVISOR_mmuext_op, NR_UPDATES))
        check(seen.rdi == (uint64_t)&ext_ops[seen_progress] &&
                  seen.rsi == ((NR_UPDATES - seen_progress) | MMU_UPDATE_PREEMPTED),
              "mmuext_op: the registers name the rest", "rdi %#lx rsi %#lx",
              (unsigned long)seen.rdi, (unsigned long)seen.rsi);
    return false;
}

/* With events masked nothing is delivered: the call may still be sliced,
 * and must come back whole. */
static void mmu_update_masked(void)
{
    static mmu_update_t many[4096];
    for (unsigned int i = 0; i < 4096; i++)
        many[i] = updates[0];
    pdone = 0;
    long rc = hyp_mmu_update(many, 4096, (unsigned int *)&pdone, DOMID_SELF);
    check(rc == 0 && pdone == 4096, "mmu_update: 4096 entries, events masked, all done",
          "rc %ld done %u", rc, pdone);
}

/* A multicall whose entry is itself cut short: the entry is rewritten
 * with the rest of its work and the multicall resumes at it. */
static bool nested_cut(long version, unsigned int attempt)
{
    pdone = 0;
    calls[0] = (multicall_entry_t){ .op = __HYPERVISOR_mmu_update,
                                    .args = { (unsigned long)updates, NR_UPDATES,
                                              (unsigned long)&pdone, DOMID_SELF },
                                    .result = 0xdead };
    calls[1] = (multicall_entry_t){ .op = __HYPERVISOR_xen_version,
                                    .args = { XENVER_version, 0 }, .result = 0xdead };
    event_waiting(pdone_value);
    long rc = hyp_multicall(calls, 2);
    quiet();
    if (came_early("multicall of mmu_update", __HYPERVISOR_multicall, attempt))
        return true;
    check(rc == 0 && calls[0].result == 0 && pdone == NR_UPDATES &&
              calls[1].result == (xen_ulong_t)version,
          "multicall of mmu_update: the inner call finishes once, then the next entry",
          "rc %ld results %ld %ld done %u", rc, (long)calls[0].result, (long)calls[1].result,
          pdone);
    cut_short("multicall of mmu_update: stopped inside the inner call", __HYPERVISOR_multicall,
              NR_UPDATES);
    return false;
}

#define NR_CHUNK_BYTES 1024
static char text[NR_CHUNK_BYTES];

static bool console_cut(unsigned int attempt)
{
    for (unsigned int line = 0; line < NR_CHUNK_BYTES / 128; line++) {
        char *l = text + line * 128;
        int n = rt_snprintf(l, 128, "INFO: continuations: console line %u of a long write ", line);
        for (int i = n; i < 127; i++)
            l[i] = '.';
        l[127] = '\n';
    }
    event_waiting(NULL);
    long rc = hyp_console_io(CONSOLEIO_write, NR_CHUNK_BYTES, text);
    quiet();
    if (came_early("console_io", __HYPERVISOR_console_io, attempt))
        return true;
    check_eq("console_io: a long write succeeds", rc, 0);
    uint64_t left = seen.rsi, at = seen.rdx - (uint64_t)text;
    seen_progress = NR_CHUNK_BYTES - left;
    if (cut_short("console_io: an event stops a long write", __HYPERVISOR_console_io,
                  NR_CHUNK_BYTES))
        check(seen.rdi == CONSOLEIO_write && at == NR_CHUNK_BYTES - left,
              "console_io: the registers name the bytes left", "rdi %lu rsi %lu rdx +%lu",
              (unsigned long)seen.rdi, (unsigned long)left, (unsigned long)at);
    return false;
}

#define NR_EXTENTS 16
static xen_pfn_t extents[NR_EXTENTS];

static uint64_t extents_done(void)
{
    return seen.rdi >> MEMOP_EXTENT_SHIFT;
}

/* Frames [first, first + NR_EXTENTS) back in the guest: populated into
 * extents[], entered in the p2m.  Returns populate_physmap's rc. */
static long take_back(unsigned long first, xen_memory_reservation_t *r, bool cut,
                      unsigned int attempt, bool *early)
{
    unsigned long *p2m = (unsigned long *)start_info->mfn_list;

    for (unsigned int i = 0; i < NR_EXTENTS; i++) {
        p2m[first + i] = ~0UL;
        extents[i] = first + i;
    }
    if (cut)
        event_waiting(NULL);
    long rc = hyp_memory_op(XENMEM_populate_physmap, r);
    quiet();
    seen_progress = extents_done();
    *early = cut && came_early("populate_physmap", __HYPERVISOR_memory_op, attempt);
    for (unsigned int i = 0; i < NR_EXTENTS && rc == NR_EXTENTS; i++)
        p2m[first + i] = extents[i];
    return rc;
}

static bool reservation_cut(unsigned int attempt)
{
    unsigned long first = start_info->nr_pages - NR_EXTENTS;
    unsigned long *p2m = (unsigned long *)start_info->mfn_list;
    xen_memory_reservation_t r = { .nr_extents = NR_EXTENTS, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, extents);
    bool early;

    for (unsigned int i = 0; i < NR_EXTENTS; i++)
        extents[i] = p2m[first + i];
    event_waiting(NULL);
    long rc = hyp_memory_op(XENMEM_decrease_reservation, &r);
    quiet();
    seen_progress = extents_done();
    if (rc == NR_EXTENTS &&
        came_early("decrease_reservation", __HYPERVISOR_memory_op, attempt)) {
        rc = take_back(first, &r, false, attempt, &early);
        return check_eq("populate_physmap: the frames back for another attempt", rc,
                        NR_EXTENTS);
    }
    check_eq("decrease_reservation: all extents given back", rc, NR_EXTENTS);
    if (cut_short("decrease_reservation: an event stops it part-way", __HYPERVISOR_memory_op,
                  NR_EXTENTS))
        check((seen.rdi & ((1u << MEMOP_EXTENT_SHIFT) - 1)) == XENMEM_decrease_reservation &&
                  seen.rsi == (uint64_t)&r,
              "decrease_reservation: cmd carries the start extent", "rdi %#lx rsi %#lx",
              (unsigned long)seen.rdi, (unsigned long)seen.rsi);
    if (rc != NR_EXTENTS)
        return false;
    rc = take_back(first, &r, true, attempt, &early);
    if (early && rc == NR_EXTENTS)
        return true;
    check_eq("populate_physmap: all extents back", rc, NR_EXTENTS);
    cut_short("populate_physmap: an event stops it part-way", __HYPERVISOR_memory_op, NR_EXTENTS);
    unsigned int right = 0;
    for (unsigned int i = 0; i < NR_EXTENTS && rc == NR_EXTENTS; i++)
        right += mfn_to_pfn(extents[i]) == first + i;
    check_eq("populate_physmap: the M2P names each frame's pfn", right, NR_EXTENTS);
    return false;
}

#define NR_COPIES 64
static gnttab_copy_t copies[NR_COPIES];
static char copy_src[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char copy_dst[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static uint64_t copies_done(void)
{
    uint64_t n = 0;
    for (unsigned int i = 0; i < NR_COPIES; i++)
        n += copies[i].status != 99;
    return n;
}

static bool grant_copy_cut(unsigned int attempt)
{
    for (unsigned int i = 0; i < NR_COPIES; i++) {
        copy_src[i * 8] = (char)(i + 1);
        copies[i] = (gnttab_copy_t){
            .source = { .u.gmfn = virt_to_mfn(copy_src), .domid = DOMID_SELF,
                        .offset = (uint16_t)(i * 8) },
            .dest = { .u.gmfn = virt_to_mfn(copy_dst), .domid = DOMID_SELF,
                      .offset = (uint16_t)(i * 8) },
            .len = 8, .flags = 0, .status = 99 };
    }
    event_waiting(copies_done);
    long rc = hyp_grant_table_op(GNTTABOP_copy, copies, NR_COPIES);
    quiet();
    if (came_early("grant copy", __HYPERVISOR_grant_table_op, attempt))
        return true;
    unsigned int right = 0;
    for (unsigned int i = 0; i < NR_COPIES; i++)
        right += copies[i].status == GNTST_okay && copy_dst[i * 8] == (char)(i + 1);
    check(rc == 0 && right == NR_COPIES, "grant copy: every element done once", "rc %ld ok %u",
          rc, right);
    if (cut_short("grant copy: an event stops the batch part-way", __HYPERVISOR_grant_table_op,
                  NR_COPIES))
        check(seen.rdi == GNTTABOP_copy && seen.rsi == (uint64_t)&copies[seen_progress] &&
                  seen.rdx == NR_COPIES - seen_progress,
              "grant copy: the registers name the elements left", "rdi %lu rsi %#lx rdx %lu",
              (unsigned long)seen.rdi, (unsigned long)seen.rsi, (unsigned long)seen.rdx);
    return false;
}

void guest_main(void)
{
    evtchn_bind_ipi_t bi = { .vcpu = 0 };
    if (!check_eq("bind_ipi", hyp_event_channel_op(EVTCHNOP_bind_ipi, &bi), 0))
        return;
    ipi = bi.port;
    upcall_hook = record;
    long version = hyp_xen_version(XENVER_version, NULL);

    for (unsigned int i = 0; multicall_cut(version, i); i++)
        ;
    if (check(fill_updates(), "mmu_update: the scratch page's PTE found", "%s", "walk failed")) {
        for (unsigned int i = 0; mmu_update_cut(i); i++)
            ;
        for (unsigned int i = 0; mmuext_cut(i); i++)
            ;
        mmu_update_masked();
        for (unsigned int i = 0; nested_cut(version, i); i++)
            ;
    }
    for (unsigned int i = 0; console_cut(i); i++)
        ;
    for (unsigned int i = 0; reservation_cut(i); i++)
        ;
    for (unsigned int i = 0; grant_copy_cut(i); i++)
        ;
    upcall_hook = NULL;
}
