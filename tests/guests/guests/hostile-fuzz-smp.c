/*
 * hostile-fuzz-smp: seeded, reproducible, structure-aware random
 * hypercalls from vCPU 0 while vCPU 1 races it on the same sandbox
 * frames.  The checks are survival and invariants, not exact results:
 * every call comes back with 0, a positive count or -1..-4095; the
 * hypervisor keeps answering; our own text, page-table entries, M2P and
 * p2m entries are unchanged; traps and events are still delivered; vCPU 1
 * finishes its race without an exception.
 *
 * Command line: seeds=S1:S2:... calls=N (per seed) race=0|1 trace=I
 * (print every call from index I of each seed) results=1 (print each
 * call's result, to set the two hypervisors side by side) textcheck=N
 * (compare our text with its copy every N calls, not only per seed).  Without seeds, a fixed
 * list whose calls add up to DEFAULT_SEEDS * DEFAULT_CALLS.  A failing
 * call prints its seed and index: replay it with seeds=S (race=0 takes
 * vCPU 1's timing out of the sequence).
 *
 * What the generator may aim at.  The guest must survive its own fuzzing
 * as it would on Xen, so values that name its own memory go only where
 * the hypervisor must refuse them or only reads them:
 *  - frames: a sandbox pool of pfns at the top of memory (anything goes),
 *    our live page tables (only where a table type must be refused),
 *    our text, start_info and shared_info (read-only roles), frames
 *    beyond RAM and frames the M2P says are not ours;
 *  - virtual addresses mapped by update_va_mapping and mmu_update: our
 *    window pages only (never written through), or addresses with no L1
 *    (lower half, the hypervisor's range, non-canonical);
 *  - pointers the hypervisor writes through: an arena followed by an
 *    unmapped guard page (huge counts run into the guard), a dedicated
 *    page for runstate/time areas, or unmapped and hostile addresses;
 *  - grant maps land only on empty grant windows and are unmapped only
 *    by their own handle (an implicitly dropped grant PTE kills a domain
 *    on Xen).
 * State the fuzzer changed (trap table, callbacks, GDT, LDT, FPU, debug
 * registers, segment bases, base pointers, grant version) is put back
 * after each call; timers, areas, pins and ports at the end of each seed.
 *
 * The guest boots as dom0 (Subfloor cannot create domUs yet), so nothing
 * here may legitimately take the machine down: no SCHEDOP_shutdown but
 * the final poweroff (nor shutdown_code other than poweroff, nor a
 * watchdog), no VCPUOP_down of a live vCPU, no I/O port access (set_iopl
 * is only given bad pointers), no store to a frame that may be MMIO,
 * platform_op/sysctl/domctl/mca only with a wrong interface version or a
 * bad pointer, physdev and kexec commands that change the machine only
 * with bad pointers, and other domain ids only in calls that must fail.
 */
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/nmi.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#include "guest.h"
#include "events.h"
#include "pagetable.h"
#include "traps.h"
#include "return-probe.h"

const char guest_name[] = "hostile-fuzz-smp";

/* Fixed seeds of the default run; their calls add up to >= 100,000. */
static const uint64_t default_seeds[] = { 1, 2, 3, 0x5eed, 0xdecafbad };
#define DEFAULT_SEEDS (sizeof(default_seeds) / sizeof(default_seeds[0]))
#define DEFAULT_CALLS 20000
#define MAX_SEEDS 64

/* hostile-fuzz-entry.S and return-entry.S */
extern char fz1_entry[], fz1_trap[], fz1_nmi[], fz1_event[], fz1_failsafe[], fz0_failsafe[];
extern volatile uint64_t fz1_faulted, fz1_fault_word2, fz1_fault_word3, fz1_nmis, fz1_upcalls,
    fz1_failsafes, fz0_failsafes;
long fz_multicall_iret(void *entries, unsigned long count, uint64_t mark);
extern char _image_start[], _data_start[];
extern char event_callback_entry[];

#define DATA_DPL3       0x00cff3000000ffffUL
#define CODE64_DPL3     0x00affb000000ffffUL
#define DATA_NOTPRESENT (DATA_DPL3 & ~(1UL << 47))
#define SEL_LDT(i)      (((i) << 3) | 4 | 3)
#define IRET_MARK       0x1e7c0de5UL

/* ---- pages ------------------------------------------------------------- */

#define ARENA_PAGES 8
#define ARENA_SIZE (ARENA_PAGES * PAGE_SIZE)
#define NWIN0 6
#define NWIN1 3
#define NGWIN0 3
#define NGWIN1 2

static struct {
    char arena0[ARENA_PAGES][PAGE_SIZE];
    char guard0[PAGE_SIZE];              /* unmapped */
    char arena1[2][PAGE_SIZE];
    char guard1[PAGE_SIZE];              /* unmapped */
    char junk[2][PAGE_SIZE];             /* output-only buffers */
    char guard2[PAGE_SIZE];              /* unmapped */
    char area[PAGE_SIZE];                /* runstate / time areas */
    char win0[NWIN0][PAGE_SIZE];         /* vCPU 0's mapping targets */
    char win1[NWIN1][PAGE_SIZE];         /* vCPU 1's */
    char gwin0[NGWIN0][PAGE_SIZE];       /* grant-map targets */
    char gwin1[NGWIN1][PAGE_SIZE];
    char scrib0[PAGE_SIZE], scrib1[PAGE_SIZE];
    uint64_t ldt[512];                   /* game LDT, mapped read-only */
    uint64_t gdt[512];                   /* game GDT, mapped read-only */
    char gnttab[PAGE_SIZE];              /* grant table frame 0 */
    char vcpu1_stack[4][PAGE_SIZE];
} pg __attribute__((aligned(PAGE_SIZE)));

/* ---- random numbers ------------------------------------------------------ */

static inline uint64_t rnd64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}
static uint64_t r0;                       /* vCPU 0's stream */
static inline unsigned int rnd(unsigned int n) { return (unsigned int)(rnd64(&r0) % n); }
static inline bool one_in(unsigned int n) { return rnd(n) == 0; }
#define PICK(arr) ((arr)[rnd(sizeof(arr) / sizeof((arr)[0]))])

/* ---- frames ------------------------------------------------------------- */

#define NSB 40
#define SB_NONE (~0UL)
#define SB_BUSY (~1UL)
static volatile unsigned long sb_mfn[NSB];      /* current frame of each slot */
static unsigned long sb_pfn0;                    /* slot i is pfn sb_pfn0 + i */
static unsigned long own_pt[4];                  /* L4, L3, L2, L1 of our image */
static unsigned long own_ro[4];                  /* text, start_info, shared_info, arena */
static unsigned long copy_l4, orig_l4, ldt_mfn, gdt_mfn, max_ram_mfn;

static const unsigned long beyond[] = {
    0x100000UL, 0xfffffUL, 0x1000000UL, 1UL << 28, (1UL << 40) - 1, 1UL << 40,
    0xffffffffUL, 0x100000000UL, 0x7fffffffUL, 0x80000000UL, ~0UL >> 12, ~0UL,
};

static unsigned long sb_any(uint64_t *s)
{
    return sb_mfn[rnd64(s) % NSB];
}

static unsigned long gnttab_mfn;

/* Our p2m sorted, to tell our frames from others without reading the
 * M2P, which Xen does not map everywhere below the top of RAM. */
#define MAX_P2M 65536
static unsigned long p2m_sorted[MAX_P2M];
static unsigned long p2m_n;

static void sort_p2m(void)
{
    p2m_n = start_info->nr_pages < MAX_P2M ? start_info->nr_pages : MAX_P2M;
    for (unsigned long i = 0; i < p2m_n; i++)
        p2m_sorted[i] = pfn_to_mfn(i);
    for (unsigned long gap = p2m_n / 2; gap; gap /= 2)
        for (unsigned long i = gap; i < p2m_n; i++)
            for (unsigned long j = i; j >= gap && p2m_sorted[j - gap] > p2m_sorted[j]; j -= gap) {
                unsigned long t = p2m_sorted[j];
                p2m_sorted[j] = p2m_sorted[j - gap];
                p2m_sorted[j - gap] = t;
            }
}

static bool in_p2m(unsigned long m)
{
    unsigned long lo = 0, hi = p2m_n;
    while (lo < hi) {
        unsigned long mid = (lo + hi) / 2;
        if (p2m_sorted[mid] == m)
            return true;
        if (p2m_sorted[mid] < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* A frame below the top of RAM that is not in our p2m, and not one the
 * hypervisor shares with us writable (shared_info, the grant table). */
static unsigned long nonowned(void)
{
    /* A fixed number of draws whatever the memory layout, so that a seed
     * makes the same sequence of calls on both hypervisors. */
    unsigned long found = PICK(beyond);
    bool have = false;
    for (int tries = 0; tries < 8; tries++) {
        unsigned long m = rnd64(&r0) % (max_ram_mfn + 1);
        if (!have && m != own_ro[2] && m != gnttab_mfn && !in_p2m(m)) {
            found = m;
            have = true;
        }
    }
    return found;
}

enum role { R_MAP, R_PIN, R_WRITE, R_READ, R_FREE, R_GDT };

/* A frame for a role: what the hypervisor may do to it decides which of
 * our own frames may be named. */
static unsigned long gen_mfn(enum role role)
{
    switch (rnd(10)) {
    case 0: case 1: case 2: case 3: case 4:
        return sb_any(&r0);
    case 5:
        if (role == R_MAP || role == R_WRITE || role == R_READ || role == R_GDT)
            return PICK(own_pt);       /* a table: writable refused, read fine */
        break;
    case 6:
        if (role == R_MAP || role == R_READ || role == R_GDT)
            return PICK(own_ro);       /* mapped, read, or refused as a GDT */
        break;
    case 7:
        return PICK(beyond);
    case 8:
        return nonowned();
    default:
        /* Any number at all only where nothing is written or switched to. */
        if (role == R_MAP || role == R_READ)
            return rnd64(&r0) & (one_in(2) ? 0xfffff : ~0UL);
        return nonowned();
    }
    return sb_any(&r0);
}

static uint64_t gen_pte_flags(void)
{
    static const uint64_t extra[] = { 0, 0, 0, PTE_ACCESSED | PTE_DIRTY, 0x8, 0x10, 0x80,
                                      PTE_GLOBAL, 0xe00, PTE_NX, 1UL << 52, 1UL << 62, 1UL << 51 };
    uint64_t f = PTE_PRESENT | PTE_USER | PTE_ACCESSED;
    if (one_in(2))
        f |= PTE_RW;
    if (one_in(12))
        f &= ~PTE_PRESENT;
    return f | PICK(extra);
}

/* An entry for one of our windows (or a sandbox table): any frame
 * read-only; writable only frames we may lose or the hypervisor refuses. */
static uint64_t gen_pte(void)
{
    if (one_in(16))
        return one_in(2) ? 0 : rnd64(&r0);
    uint64_t f = gen_pte_flags();
    unsigned long mfn = gen_mfn(R_MAP);
    return ((mfn << 12) & PTE_MFN_MASK) | f | (one_in(30) ? (mfn << 12) & ~PTE_MFN_MASK : 0);
}

static const uint64_t hostile_va[] = {
    0x1000UL, 0x7ffffffff000UL, 0x800000000000UL, 0xffff800000000000UL, 0xffff830000001000UL,
    0xffff87fffffff000UL, 0xffffc90000000000UL, 0xfffffffffffff000UL, 0xdead000000000000UL,
    0xffffffffffe00000UL,
};

static uint64_t gen_map_va(void)
{
    if (rnd(4))
        return (uint64_t)pg.win0[rnd(NWIN0)] + (one_in(8) ? rnd(PAGE_SIZE) : 0);
    return PICK(hostile_va);
}

/* ---- the arena: where the hypervisor may read and write ---------------- */

/*
 * Inputs come from a bump allocator reset before each top-level call,
 * so that no two inputs of one call (a batch included) share bytes: a
 * struct read as another type could name anything.  Only one array per
 * call sits at the tail, against the guard page, where a huge count runs
 * into the guard; inside a batch there is no tail and counts stay within
 * their arrays.  What the hypervisor only writes goes to the junk pages.
 */
#define BUMP_LIMIT (ARENA_SIZE - 2 * PAGE_SIZE)
static size_t arena_top;
static bool in_batch, tail_taken;
static unsigned long arena_overflows;

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~15UL;
    if (arena_top + n > BUMP_LIMIT) {
        /* Never reached with the sizes below; counted if it is. */
        arena_overflows++;
        arena_top = 0;
    }
    void *p = &pg.arena0[0][0] + arena_top;
    arena_top += n;
    rt_memset(p, 0, n);
    return p;
}

static bool tail_ok(void)
{
    return !in_batch && !tail_taken;
}

/* n bytes ending at the guard page: a count past n faults there. */
static void *arena_tail(size_t n)
{
    if (!tail_ok())
        return arena_alloc(n);
    tail_taken = true;
    if (n > PAGE_SIZE)
        n = PAGE_SIZE;
    void *p = &pg.arena0[0][0] + ARENA_SIZE - n;
    rt_memset(p, 0, n);
    return p;
}

static bool in_arena(uint64_t p)
{
    return p >= (uint64_t)pg.arena0 && p < (uint64_t)pg.guard0;
}

/* Whether gen_ptr gave memory of ours that holds `size` bytes. */
static bool fillable(const void *p, size_t size)
{
    return in_arena((uint64_t)p) && (uint64_t)p + size <= (uint64_t)pg.guard0;
}

static void new_call(void)
{
    arena_top = 0;
    tail_taken = false;
}

static uint64_t hostile_ptr(void);

/* A buffer the hypervisor only writes: anywhere in the junk pages, at
 * times running into the guard after them, or a hostile address. */
static void *out_ptr(size_t size)
{
    unsigned int r = rnd(20);
    if (r < 2)
        return (void *)hostile_ptr();
    if (r < 3)
        return (char *)pg.guard2 - rnd((unsigned int)size + 1);
    if (size > 2 * PAGE_SIZE)
        size = 2 * PAGE_SIZE;
    return (char *)pg.junk + rnd((unsigned int)(2 * PAGE_SIZE - size) + 1) / 8 * 8;
}

static uint64_t hostile_ptr(void)
{
    static const uint64_t p[] = {
        0, 0x1000, 0x7ffffffffff8UL, 0x800000000000UL, 0xffff800000000000UL,
        0xffff830000000000UL, 0xffff87fffffffff8UL, ~0UL, ~0UL - 7, 0xffffc90000000000UL,
    };
    if (one_in(4))
        return (uint64_t)pg.guard0 + rnd(PAGE_SIZE);
    return PICK(p);
}

/* Where the hypervisor reads (and may write) an object of `size`; the
 * caller fills it only when in_arena(). */
static void *gen_ptr(size_t size)
{
    unsigned int r = rnd(20);
    if (r < 2)
        return (void *)hostile_ptr();
    if (r < 3 && tail_ok())
        return (char *)arena_tail(size) + rnd((unsigned int)size + 1) / 2 * 2;
    return arena_alloc(size);
}

static unsigned long gen_count(unsigned long valid_max)
{
    static const unsigned long b[] = { 0, 1, 2, 0x7fffffffUL, 0x80000000UL, 0xffffffffUL,
                                       0x100000000UL, ~0UL, 0xffff, 0x10000, 4096, 4097 };
    if (rnd(4))
        return 1 + rnd((unsigned int)valid_max);
    if (one_in(3))
        return valid_max + rnd(2);
    return PICK(b);
}

static uint64_t gen_value(void)
{
    static const uint64_t b[] = { 0, 1, 2, 0x7fffffff, 0x80000000UL, 0xffffffffUL, 0x100000000UL,
                                  ~0UL, ~0UL - 1, 0x8000000000000000UL, 0xffff800000000000UL,
                                  0x800000000000UL, 0x7ff0, 0x7ff1, 0x7ff2, 0x7ff4, 0xffff };
    if (one_in(3))
        return rnd64(&r0);
    if (one_in(2))
        return rnd(64);
    return PICK(b);
}

static domid_t gen_domid(void)
{
    static const domid_t d[] = { DOMID_SELF, DOMID_SELF, DOMID_SELF, 0, 0, 1, 7, 0x7fef,
                                 0x7ff1 /* IO */, 0x7ff2 /* XEN */, 0x7ff3, 0x7ff4, 0xffff };
    return PICK(d);
}

/* A domain that must not exist: for calls that would act on a live one. */
static domid_t gen_other_domid(void)
{
    static const domid_t d[] = { 1, 2, 7, 100, 0x7fef, 0x7ff4, 0xfffe };
    return PICK(d);
}

static uint64_t now_ns(void) { return system_time_ns(); }

/* ---- state the fuzzer changes and the restore ---------------------------- */

enum {
    D_TRAPS = 1, D_GDT = 2, D_LDT = 4, D_FPU = 8, D_DR = 16, D_SEGBASE = 32,
    D_BASEPTR = 64, D_GNTVER = 128, D_PIN = 256, D_IOBITMAP = 512,
};
static unsigned int dirty;

extern char trap_entry_3[], trap_entry_6[], trap_entry_13[], trap_entry_14[];
static char *const handlers[] = { trap_entry_3, trap_entry_6, trap_entry_13, trap_entry_14 };
static struct callback_register cb_failsafe;

static void install_callbacks(void)
{
    rt_install_traps();
    hyp_callback_op(CALLBACKOP_register, &cb_failsafe);
}

static void restore(void)
{
    if (!dirty)
        return;
    if (dirty & D_TRAPS) {
        struct callback_unregister nmi = { .type = CALLBACKTYPE_nmi };
        hyp_callback_op(CALLBACKOP_unregister, &nmi);
        install_callbacks();
    }
    if (dirty & D_GDT) {
        unsigned long f[1] = { gdt_mfn };
        hcall2(__HYPERVISOR_set_gdt, f, 0);
    }
    if (dirty & D_LDT)
        pt_mmuext(MMUEXT_SET_LDT, 0, 0);
    if (dirty & D_FPU)
        hyp_fpu_taskswitch(0);
    if (dirty & D_DR)
        hcall2(__HYPERVISOR_set_debugreg, 7, 0);
    if (dirty & D_SEGBASE) {
        hcall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0);
        hcall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, 0);
    }
    if (dirty & D_BASEPTR)
        pt_mmuext(MMUEXT_NEW_BASEPTR, orig_l4, 0);
    if (dirty & D_GNTVER) {
        struct gnttab_set_version v = { .version = 1 };
        hyp_grant_table_op(GNTTABOP_set_version, &v, 1);
    }
    if (dirty & D_PIN) {
        struct sched_pin_override po = { .pcpu = -1 };
        hyp_sched_op(SCHEDOP_pin_override, &po);
    }
    if (dirty & D_IOBITMAP) {
        struct physdev_set_iobitmap b = { .nr_ports = 0 };
        hyp_physdev_op(PHYSDEVOP_set_iobitmap, &b);
    }
    dirty = 0;
}

/* ---- one generated call ---------------------------------------------------- */

struct fcall {
    unsigned long op, a[5];
};

static void gen_call(struct fcall *c, int depth);

static void set_args(struct fcall *c, unsigned long op, unsigned long a0, unsigned long a1,
                     unsigned long a2, unsigned long a3, unsigned long a4)
{
    c->op = op;
    c->a[0] = a0;
    c->a[1] = a1;
    c->a[2] = a2;
    c->a[3] = a3;
    c->a[4] = a4;
}

static void gen_mmu_update(struct fcall *c)
{
    unsigned int n = 1 + rnd(6);
    bool tail = one_in(6) && tail_ok();
    mmu_update_t *req = tail ? arena_tail(n * sizeof(*req)) : arena_alloc(n * sizeof(*req));
    for (unsigned int i = 0; i < n; i++) {
        unsigned int cmd = rnd(5) ? MMU_NORMAL_PT_UPDATE : rnd(4);
        uint64_t ptr;
        if (cmd == MMU_MACHPHYS_UPDATE) {
            unsigned long m = rnd(3) ? sb_any(&r0) : (one_in(2) ? PICK(beyond) : nonowned());
            req[i].ptr = (m << 12) | cmd;
            req[i].val = one_in(2) ? sb_pfn0 + rnd(NSB) : gen_value();
            continue;
        }
        switch (rnd(4)) {
        case 0: {   /* one of our windows' entries in the live L1 */
            struct pt_walk w;
            bool found = pt_walk((unsigned long)pg.win0[rnd(NWIN0)], &w) || w.level_missing == 1;
            ptr = found ? w.entry_maddr[1] : PICK(beyond) << 12;
            break;
        }
        case 1: case 2:   /* anywhere in a sandbox frame */
            ptr = (sb_any(&r0) << 12) + (one_in(8) ? rnd(PAGE_SIZE) : rnd(512) * 8);
            break;
        default:
            ptr = (one_in(2) ? PICK(beyond) : nonowned()) << 12;
            break;
        }
        req[i].ptr = (ptr & ~3UL) | cmd;
        req[i].val = gen_pte();
    }
    unsigned long count = tail && one_in(3) ? gen_count(n) : n;
    void *done = one_in(4) ? (void *)(one_in(2) ? 0 : hostile_ptr()) : out_ptr(8);
    domid_t dom = one_in(3) ? gen_domid() : DOMID_SELF;
    set_args(c, __HYPERVISOR_mmu_update, (unsigned long)(one_in(30) ? (void *)hostile_ptr() : req),
             count, (unsigned long)done, dom, 0);
}

static void gen_one_mmuext(mmuext_op_t *op)
{
    unsigned int cmd = rnd(24);
    rt_memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    switch (cmd) {
    case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE: case MMUEXT_PIN_L4_TABLE:
        if (one_in(6)) {
            /* One of our tables under the wrong type: refused. */
            unsigned int lvl = rnd(4);               /* own_pt[0] is the L4 */
            unsigned int want = cmd - MMUEXT_PIN_L1_TABLE;   /* 0 = L1 */
            if (3 - lvl == want)
                lvl = (lvl + 1) % 4;
            op->arg1.mfn = own_pt[lvl];
        } else {
            op->arg1.mfn = gen_mfn(R_PIN);
        }
        break;
    case MMUEXT_UNPIN_TABLE:
        op->arg1.mfn = gen_mfn(R_PIN);
        break;
    case MMUEXT_NEW_BASEPTR: {
        unsigned int r = rnd(6);
        op->arg1.mfn = r == 0 ? orig_l4 : r == 1 ? copy_l4 : r == 2 ? own_pt[1 + rnd(3)]
                     : r == 3 ? own_ro[0] : PICK(beyond);
        dirty |= D_BASEPTR;
        break;
    }
    case MMUEXT_NEW_USER_BASEPTR: {
        /* Never our kernel L4: with m2p_strict, Xen takes the M2P out of
         * whatever L4 becomes the user one. */
        unsigned int r = rnd(5);
        op->arg1.mfn = r == 0 ? 0 : r == 1 ? own_pt[3] : r == 2 ? own_pt[2] : gen_mfn(R_PIN);
        break;
    }
    case MMUEXT_TLB_FLUSH_LOCAL: case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_FLUSH_CACHE: case MMUEXT_FLUSH_CACHE_GLOBAL:
        break;
    case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_ALL:
        op->arg1.linear_addr = one_in(2) ? gen_map_va() : gen_value();
        break;
    case MMUEXT_TLB_FLUSH_MULTI: case MMUEXT_INVLPG_MULTI: {
        op->arg1.linear_addr = gen_map_va();
        unsigned long *mask = gen_ptr(8);
        if (fillable(mask, 8))
            *mask = one_in(2) ? 3 : rnd64(&r0);
        op->arg2.vcpumask.p = mask;
        break;
    }
    case MMUEXT_SET_LDT: {
        static const unsigned int ents[] = { 0, 1, 2, 3, 511, 512, 8191, 8192, 8193, 0xffffffff };
        unsigned int r = rnd(4);
        op->arg1.linear_addr = r == 0 ? (unsigned long)pg.ldt : r == 1 ? gen_map_va()
                             : r == 2 ? (unsigned long)pg.ldt + 8 * rnd(8) : PICK(hostile_va);
        op->arg2.nr_ents = PICK(ents);
        dirty |= D_LDT;
        break;
    }
    case MMUEXT_COPY_PAGE:
        op->arg1.mfn = gen_mfn(R_WRITE);
        op->arg2.src_mfn = gen_mfn(R_READ);
        break;
    case MMUEXT_CLEAR_PAGE:
        op->arg1.mfn = gen_mfn(R_WRITE);
        break;
    case MMUEXT_MARK_SUPER: case MMUEXT_UNMARK_SUPER:
        op->arg1.mfn = gen_mfn(R_FREE);
        break;
    default:
        op->cmd = one_in(2) ? cmd : (unsigned int)rnd64(&r0) | 0x100;
        op->arg1.mfn = gen_mfn(R_FREE);
        break;
    }
}

static void gen_mmuext(struct fcall *c)
{
    unsigned int n = 1 + rnd(4);
    bool tail = one_in(6) && tail_ok();
    mmuext_op_t *ops = tail ? arena_tail(n * sizeof(*ops)) : arena_alloc(n * sizeof(*ops));
    for (unsigned int i = 0; i < n; i++)
        gen_one_mmuext(&ops[i]);
    unsigned long count = n;
    if (tail && one_in(2))
        count = gen_count(n);
    void *done = one_in(4) ? (void *)(one_in(2) ? 0 : hostile_ptr()) : out_ptr(8);
    domid_t dom = one_in(4) ? (one_in(2) ? 0 : gen_other_domid()) : DOMID_SELF;
    set_args(c, __HYPERVISOR_mmuext_op, (unsigned long)(one_in(30) ? (void *)hostile_ptr() : ops),
             count, (unsigned long)done, dom, 0);
}

static unsigned long gen_uvmf(void)
{
    unsigned long f = rnd(3);                 /* NONE, TLB_FLUSH, INVLPG */
    switch (rnd(4)) {
    case 0: return f | UVMF_ALL;
    case 1: {
        unsigned long *mask = arena_alloc(8);
        *mask = rnd(4);
        return f | (unsigned long)mask;
    }
    case 2: return one_in(4) ? rnd64(&r0) : f | (hostile_ptr() & ~3UL);
    default: return f;
    }
}

static uint64_t gen_descriptor(void)
{
    static const uint64_t d[] = {
        DATA_DPL3, CODE64_DPL3, DATA_NOTPRESENT, 0, 0x00cf93000000ffffUL /* DPL 0 */,
        0x0000890000000067UL /* TSS */, 0x0000ec00e0330000UL /* call gate */, ~0UL,
        0x00cff2000000ffffUL /* not accessed */, 0x00cffb000000ffffUL /* 32-bit code */,
    };
    return one_in(6) ? rnd64(&r0) : PICK(d);
}

static void gen_trap_table(struct fcall *c)
{
    unsigned int n = 1 + rnd(8);
    bool tail = one_in(5) && tail_ok();
    trap_info_t *t = tail ? arena_tail(n * sizeof(*t)) : arena_alloc((n + 1) * sizeof(*t));
    for (unsigned int i = 0; i < n; i++) {
        t[i].vector = (uint8_t)(one_in(3) ? rnd(256) : rnd(32));
        t[i].flags = (uint8_t)rnd(256);
        t[i].cs = one_in(3) ? (uint16_t)rnd64(&r0) : FLAT_KERNEL_CS;
        t[i].address = one_in(2) ? (unsigned long)PICK(handlers)
                     : one_in(2) ? PICK(hostile_va) : rnd64(&r0);
    }
    dirty |= D_TRAPS;
    set_args(c, __HYPERVISOR_set_trap_table, (unsigned long)(one_in(20) ? (void *)hostile_ptr() : t),
             0, 0, 0, 0);
}

static void gen_set_gdt(struct fcall *c)
{
    static const unsigned long ents[] = { 0, 1, 16, 511, 512, 513, 4096, 7168, 7169, 8192,
                                          0x80000000UL, ~0UL };
    unsigned int n = 1 + rnd(4);
    unsigned long *f = arena_alloc(16 * sizeof(*f));
    for (unsigned int i = 0; i < 16; i++)
        f[i] = i < n && one_in(2) ? gdt_mfn : gen_mfn(R_GDT);
    dirty |= D_GDT;
    set_args(c, __HYPERVISOR_set_gdt, (unsigned long)(one_in(10) ? (void *)hostile_ptr() : f),
             one_in(3) ? 16 * (1 + rnd(4)) : PICK(ents), 0, 0, 0);
}

static void gen_memory_reservation(struct fcall *c, unsigned int cmd)
{
    /* At the tail the whole extent page is filled, so that a count past
     * the list reads only values chosen here, then the guard; in a batch
     * the list is short and so is the count. */
    bool tail = tail_ok();
    unsigned int n = 1 + rnd(4);
    unsigned int len = tail ? PAGE_SIZE / 8 : n;
    unsigned long *list = tail ? arena_tail(PAGE_SIZE) : arena_alloc(n * 8);
    bool frames_in = cmd == XENMEM_decrease_reservation;
    for (unsigned int i = 0; i < len; i++) {
        if (!frames_in)
            list[i] = one_in(2) ? sb_pfn0 + rnd(NSB) : gen_value();
        else if (i < n && rnd(3)) {
            /* Claim a slot: its frame is ours to give back. */
            unsigned int s = rnd(NSB);
            unsigned long b = PICK(beyond);
            unsigned long m = __atomic_exchange_n(&sb_mfn[s], SB_BUSY, __ATOMIC_SEQ_CST);
            if (m == SB_BUSY) {
                list[i] = b;
                continue;
            }
            list[i] = m == SB_NONE ? b : m;
            __atomic_store_n(&sb_mfn[s], SB_NONE, __ATOMIC_SEQ_CST);
        } else {
            list[i] = one_in(2) ? PICK(beyond) : nonowned();
        }
    }
    xen_memory_reservation_t *r = one_in(15) ? (xen_memory_reservation_t *)hostile_ptr()
                                             : arena_alloc(sizeof(*r));
    if (fillable(r, sizeof(*r))) {
        set_xen_guest_handle(r->extent_start, one_in(20) ? (unsigned long *)hostile_ptr() : list);
        r->nr_extents = tail && one_in(5) ? gen_count(n) : n;
        /* Orders above 0 only with frames that are not ours: an order
         * covers the frames after the one named. */
        r->extent_order = frames_in ? (list[0] < max_ram_mfn ? 0 : rnd(20)) : (one_in(4) ? rnd(3) : 0);
        r->mem_flags = one_in(4) ? (unsigned int)gen_value() : 0;
        r->domid = one_in(4) ? gen_other_domid() : (one_in(2) ? 0 : DOMID_SELF);
        if (frames_in && r->extent_order)
            for (unsigned int i = 0; i < len; i++)
                if (list[i] < max_ram_mfn + 0x100000)
                    list[i] = PICK(beyond);
    }
    set_args(c, __HYPERVISOR_memory_op, cmd | (one_in(20) ? rnd(64) << 6 : 0), (unsigned long)r,
             0, 0, 0);
}

/* Frames populate/increase gave us go back into empty slots or back to
 * the hypervisor. */
static void collect_reservation(unsigned long cmd, long rc)
{
    if ((cmd & 0x3f) != XENMEM_populate_physmap && (cmd & 0x3f) != XENMEM_increase_reservation)
        return;
    if (rc <= 0 || (cmd >> 6) || in_batch)
        return;
    const unsigned long *list = (const unsigned long *)(&pg.arena0[0][0] + ARENA_SIZE - PAGE_SIZE);
    for (long i = 0; i < rc && i < (long)(PAGE_SIZE / 8); i++) {
        unsigned long m = list[i];
        bool ours = m <= max_ram_mfn && !in_p2m(m);
        bool placed = false;
        for (unsigned int s = 0; ours && !placed && s < NSB; s++) {
            unsigned long expect = SB_NONE;
            placed = __atomic_compare_exchange_n(&sb_mfn[s], &expect, m, false, __ATOMIC_SEQ_CST,
                                                 __ATOMIC_SEQ_CST);
        }
        if (ours && !placed) {
            xen_pfn_t f = m;
            xen_memory_reservation_t r = { .nr_extents = 1, .domid = DOMID_SELF };
            set_xen_guest_handle(r.extent_start, &f);
            hyp_memory_op(XENMEM_decrease_reservation, &r);
        }
    }
}

static void gen_memory_op(struct fcall *c)
{
    static const unsigned int cmds[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
        XENMEM_populate_physmap, XENMEM_decrease_reservation, XENMEM_exchange,
        XENMEM_maximum_ram_page, XENMEM_current_reservation, XENMEM_maximum_reservation,
        XENMEM_maximum_gpfn, XENMEM_machphys_mfn_list, XENMEM_machphys_compat_mfn_list,
        XENMEM_machphys_mapping, XENMEM_add_to_physmap, XENMEM_add_to_physmap_batch,
        XENMEM_remove_from_physmap, XENMEM_memory_map, XENMEM_machine_memory_map,
        XENMEM_set_memory_map, XENMEM_set_pod_target, XENMEM_get_pod_target, XENMEM_claim_pages,
        XENMEM_acquire_resource, XENMEM_get_vnumainfo, 18, 19, 20, 21, 22, 27, 29, 30, 63,
    };
    unsigned int cmd = PICK(cmds);
    switch (cmd) {
    case XENMEM_increase_reservation: case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        gen_memory_reservation(c, cmd);
        return;
    case XENMEM_exchange: {
        /* Only frames that are not ours go in: it must not succeed. */
        unsigned long *in = arena_alloc(8 * 8), *out = arena_alloc(8 * 8);
        for (unsigned int i = 0; i < 8; i++)
            in[i] = one_in(2) ? PICK(beyond) : nonowned();
        xen_memory_exchange_t *x = arena_alloc(sizeof(*x));
        set_xen_guest_handle(x->in.extent_start, in);
        set_xen_guest_handle(x->out.extent_start, one_in(4) ? (unsigned long *)hostile_ptr() : out);
        x->in.nr_extents = gen_count(8) & 7;
        x->out.nr_extents = x->in.nr_extents;
        x->in.extent_order = rnd(3);
        x->out.extent_order = rnd(3);
        x->in.domid = x->out.domid = one_in(3) ? gen_other_domid() : DOMID_SELF;
        x->nr_exchanged = one_in(4) ? gen_value() : 0;
        set_args(c, __HYPERVISOR_memory_op, cmd, (unsigned long)(one_in(10) ? (void *)hostile_ptr() : x),
                 0, 0, 0);
        return;
    }
    case XENMEM_current_reservation: case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn: case XENMEM_get_pod_target: {
        domid_t *d = gen_ptr(16);
        if (fillable(d, 2))
            *d = gen_domid();
        set_args(c, __HYPERVISOR_memory_op, cmd, (unsigned long)d, 0, 0, 0);
        return;
    }
    case XENMEM_claim_pages: {
        xen_memory_reservation_t *r = arena_alloc(sizeof(*r));
        r->nr_extents = one_in(2) ? 0 : gen_count(64);
        r->domid = one_in(2) ? gen_other_domid() : DOMID_SELF;
        set_args(c, __HYPERVISOR_memory_op, cmd, (unsigned long)r, 0, 0, 0);
        return;
    }
    default: {
        /* Everything else: a struct of plausible words, output handles
         * into the arena. */
        uint64_t *w = gen_ptr(128);
        if (fillable(w, 128)) {
            for (unsigned int i = 0; i < 16; i++) {
                switch (rnd(4)) {
                case 0: w[i] = (uint64_t)out_ptr(256); break;
                case 1: w[i] = rnd(16); break;
                case 2: w[i] = one_in(2) ? DOMID_SELF : gen_other_domid(); break;
                default: w[i] = gen_value(); break;
                }
            }
            /* The first field is a domid in most of these. */
            ((domid_t *)w)[0] = one_in(2) ? DOMID_SELF : gen_other_domid();
        }
        set_args(c, __HYPERVISOR_memory_op, cmd, (unsigned long)w, 0, 0, 0);
        return;
    }
    }
}

static unsigned int max_port = 1;

static uint32_t gen_port(void)
{
    static const uint32_t p[] = { 0, 4095, 4096, 0x7fffffff, 0xffffffff, 1024, 131072 };
    if (rnd(4))
        return rnd(max_port + 2);
    return PICK(p);
}

/* Fills an evtchn_op body (after the cmd word for the compat call). */
static unsigned int gen_evtchn_body(void *body)
{
    unsigned int cmd = rnd(16);
    uint32_t *w = body;
    for (unsigned int i = 0; i < 6; i++)
        w[i] = (uint32_t)gen_value();
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        evtchn_alloc_unbound_t *a = body;
        a->dom = one_in(3) ? gen_domid() : DOMID_SELF;
        a->remote_dom = one_in(3) ? gen_domid() : 0;
        break;
    }
    case EVTCHNOP_bind_interdomain: {
        evtchn_bind_interdomain_t *b = body;
        b->remote_dom = one_in(3) ? gen_domid() : DOMID_SELF;
        b->remote_port = gen_port();
        break;
    }
    case EVTCHNOP_bind_virq: {
        evtchn_bind_virq_t *b = body;
        b->virq = one_in(4) ? (uint32_t)gen_value() : rnd(25);
        b->vcpu = one_in(4) ? (uint32_t)gen_value() : rnd(2);
        break;
    }
    case EVTCHNOP_bind_pirq: {
        /* Pirqs that are not set up: binding a real IRQ is the machine's. */
        evtchn_bind_pirq_t *b = body;
        static const uint32_t p[] = { 0x10000, 0x7fffffff, 0xffffffff, 100000 };
        b->pirq = PICK(p);
        b->flags = rnd(4);
        break;
    }
    case EVTCHNOP_bind_ipi: {
        evtchn_bind_ipi_t *b = body;
        b->vcpu = one_in(4) ? (uint32_t)gen_value() : rnd(2);
        break;
    }
    case EVTCHNOP_close: case EVTCHNOP_send: case EVTCHNOP_unmask:
        w[0] = gen_port();
        break;
    case EVTCHNOP_status: {
        evtchn_status_t *s = body;
        s->dom = one_in(3) ? gen_domid() : DOMID_SELF;
        s->port = gen_port();
        break;
    }
    case EVTCHNOP_bind_vcpu:
        w[0] = gen_port();
        w[1] = one_in(4) ? (uint32_t)gen_value() : rnd(2);
        break;
    case EVTCHNOP_reset:
        ((domid_t *)body)[0] = one_in(2) ? DOMID_SELF : gen_other_domid();
        break;
    case EVTCHNOP_init_control: {
        /* Never a frame we would lose to a control block. */
        evtchn_init_control_t *ic = body;
        ic->control_gfn = one_in(2) ? PICK(beyond) : own_pt[rnd(4)];
        ic->offset = one_in(2) ? (uint32_t)gen_value() : 0;
        ic->vcpu = rnd(3);
        break;
    }
    default:
        break;
    }
    return cmd;
}

static void gen_event_channel_op(struct fcall *c, bool compat)
{
    uint32_t *buf = arena_alloc(64);
    unsigned int cmd = gen_evtchn_body(compat ? buf + 2 : buf);
    void *p = one_in(15) ? (void *)hostile_ptr() : buf;
    if (compat) {
        buf[0] = cmd;
        set_args(c, __HYPERVISOR_event_channel_op_compat, (unsigned long)p, 0, 0, 0, 0);
    } else {
        set_args(c, __HYPERVISOR_event_channel_op, cmd, (unsigned long)p, 0, 0, 0);
    }
}

static void gen_physdev_body(uint32_t *w, unsigned int *cmdp)
{
    static const unsigned int safe[] = { PHYSDEVOP_eoi, PHYSDEVOP_irq_status_query,
                                         PHYSDEVOP_get_free_pirq, PHYSDEVOP_set_iobitmap,
                                         PHYSDEVOP_apic_read, PHYSDEVOP_pirq_eoi_gmfn_v1,
                                         PHYSDEVOP_pirq_eoi_gmfn_v2, 0, 1, 2, 3, 4, 18, 22, 32, 99 };
    unsigned int cmd = PICK(safe);
    for (unsigned int i = 0; i < 8; i++)
        w[i] = (uint32_t)gen_value();
    switch (cmd) {
    case PHYSDEVOP_set_iobitmap: {
        struct physdev_set_iobitmap *b = (void *)w;
        set_xen_guest_handle(b->bitmap, one_in(2) ? (uint8_t *)out_ptr(1024) : (uint8_t *)hostile_ptr());
        b->nr_ports = (uint32_t)gen_count(65536);
        dirty |= D_IOBITMAP;
        break;
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1: case PHYSDEVOP_pirq_eoi_gmfn_v2:
        /* Registered once for good: never one of our frames. */
        *(uint64_t *)w = one_in(2) ? PICK(beyond) : own_pt[rnd(4)];
        break;
    case PHYSDEVOP_eoi: case PHYSDEVOP_irq_status_query:
        w[0] = one_in(2) ? rnd(64) : (uint32_t)gen_value();
        break;
    default:
        break;
    }
    *cmdp = cmd;
}

static void gen_physdev_op(struct fcall *c, bool compat)
{
    static const unsigned int risky[] = { PHYSDEVOP_set_iopl, PHYSDEVOP_apic_write,
                                          PHYSDEVOP_alloc_irq_vector, PHYSDEVOP_free_irq_vector,
                                          PHYSDEVOP_map_pirq, PHYSDEVOP_unmap_pirq,
                                          PHYSDEVOP_manage_pci_add, PHYSDEVOP_manage_pci_remove,
                                          PHYSDEVOP_restore_msi, PHYSDEVOP_manage_pci_add_ext,
                                          PHYSDEVOP_setup_gsi, PHYSDEVOP_pci_mmcfg_reserved,
                                          PHYSDEVOP_pci_device_add, PHYSDEVOP_pci_device_remove,
                                          PHYSDEVOP_restore_msi_ext, PHYSDEVOP_prepare_msix,
                                          PHYSDEVOP_release_msix, PHYSDEVOP_dbgp_op };
    uint32_t *buf = arena_alloc(64);
    unsigned int cmd;
    if (one_in(4)) {
        /* Commands that change the machine: only a pointer that faults. */
        cmd = PICK(risky);
        if (compat) {
            /* The compat call takes the command inside the struct: the
             * struct itself must be unreadable. */
            set_args(c, __HYPERVISOR_physdev_op_compat, hostile_ptr(), 0, 0, 0, 0);
            return;
        }
        uint64_t p = hostile_ptr();
        if (p == 0)
            p = 0x1000;
        set_args(c, __HYPERVISOR_physdev_op, cmd, p, 0, 0, 0);
        return;
    }
    gen_physdev_body(compat ? buf + 2 : buf, &cmd);
    if (compat) {
        buf[0] = cmd;
        set_args(c, __HYPERVISOR_physdev_op_compat, (unsigned long)buf, 0, 0, 0, 0);
    } else {
        set_args(c, __HYPERVISOR_physdev_op, cmd, (unsigned long)(one_in(10) ? (void *)hostile_ptr() : buf),
                 0, 0, 0);
    }
}

/* ---- grants -------------------------------------------------------------------- */

#define GREF0 16      /* vCPU 0's refs: 16..31 */
#define GREF1 32      /* vCPU 1's refs: 32..39 */
static volatile struct grant_entry_v1 *gnttab;
static grant_handle_t gwin0_handle[NGWIN0];
static bool gwin0_used[NGWIN0];

static void grant_write(unsigned int ref, unsigned long mfn, uint16_t flags)
{
    gnttab[ref].flags = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gnttab[ref].domid = 0;
    gnttab[ref].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gnttab[ref].flags = flags;
}

/* Grant maps are issued one at a time, not generated into batches: the
 * window bookkeeping needs the result. */
static long grant_map_game(void)
{
    unsigned int ref = GREF0 + rnd(16);
    /* Any frame may be granted, but one of ours (or one the hypervisor
     * shares with us) only read-only: a grant copy writes through it. */
    unsigned long mfn = gen_mfn(R_READ);
    bool ours = in_p2m(mfn) || mfn == own_ro[2] || mfn == gnttab_mfn;
    for (unsigned int i = 0; i < NSB; i++)
        if (mfn == sb_mfn[i])
            ours = false;
    uint16_t flags = (uint16_t)(one_in(8) ? rnd(4) : GTF_permit_access);
    if (ours || one_in(3))
        flags |= GTF_readonly;
    /* Never rewrite an entry in use: a writable map joining read-only
     * ones keeps the frame pinned first (Xen and Subfloor alike), so an
     * entry of our own frame, read-only and mapped, turned writable would
     * hand out our frame writable.  Only vCPU 0 pins refs 16..31. */
    if (rnd(4) && !(gnttab[ref].flags & (GTF_reading | GTF_writing)))
        grant_write(ref, mfn, flags);

    unsigned int w = rnd(NGWIN0);
    /* Every draw made whichever way the game goes (same calls on both
     * hypervisors for a seed). */
    uint32_t mflags = GNTMAP_host_map | (one_in(2) ? GNTMAP_readonly : 0) |
                      (one_in(6) ? GNTMAP_application_map : 0) | (one_in(6) ? GNTMAP_device_map : 0);
    grant_ref_t mref = one_in(8) ? (grant_ref_t)gen_value() : ref;
    domid_t mdom = one_in(6) ? gen_domid() : 0;
    bool hostile = one_in(8), pte = one_in(2);
    uint64_t hva = PICK(hostile_va), hpte = PICK(beyond) << 12;
    if (gwin0_used[w]) {
        struct gnttab_unmap_grant_ref u = { .host_addr = (unsigned long)pg.gwin0[w],
                                            .handle = gwin0_handle[w] };
        long rc = hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
        if (rc == 0 && u.status == GNTST_okay)
            gwin0_used[w] = false;
        return rc;
    }
    struct gnttab_map_grant_ref m = {
        .host_addr = (unsigned long)pg.gwin0[w], .flags = mflags, .ref = mref, .dom = mdom,
    };
    if (hostile) {
        /* Hostile targets that must be refused. */
        m.host_addr = hva;
        if (pte) {
            m.flags |= GNTMAP_contains_pte;
            m.host_addr = hpte;
        }
    }
    long rc = hyp_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    if (rc == 0 && m.status == GNTST_okay && m.host_addr == (unsigned long)pg.gwin0[w] &&
        (m.flags & GNTMAP_host_map) && !(m.flags & GNTMAP_contains_pte)) {
        gwin0_used[w] = true;
        gwin0_handle[w] = m.handle;
    }
    return rc;
}

static void gen_grant_table_op(struct fcall *c)
{
    unsigned int cmd = rnd(15);
    unsigned long count = 1;
    void *p = NULL;
    switch (cmd) {
    case GNTTABOP_map_grant_ref: {
        /* Only targets that must fail: maps happen in grant_map_game. */
        struct gnttab_map_grant_ref *m = arena_alloc(sizeof(*m));
        m->host_addr = PICK(hostile_va);
        m->flags = GNTMAP_host_map | (uint32_t)rnd(64);
        m->flags &= ~GNTMAP_contains_pte;
        if (one_in(3)) {
            m->flags |= GNTMAP_contains_pte;
            m->host_addr = PICK(beyond) << 12;
        }
        m->ref = (grant_ref_t)(one_in(2) ? GREF0 + rnd(24) : gen_value());
        m->dom = gen_domid();
        p = m;
        break;
    }
    case GNTTABOP_unmap_grant_ref: {
        /* Handles never issued, so nothing live is taken away. */
        struct gnttab_unmap_grant_ref *u = arena_alloc(sizeof(*u));
        u->host_addr = one_in(2) ? (unsigned long)pg.gwin0[rnd(NGWIN0)] : PICK(hostile_va);
        u->handle = 60000 + rnd(5000);
        p = u;
        break;
    }
    case GNTTABOP_setup_table: {
        struct gnttab_setup_table *s = arena_alloc(sizeof(*s));
        s->dom = one_in(3) ? gen_domid() : DOMID_SELF;
        s->nr_frames = (uint32_t)gen_count(8);
        set_xen_guest_handle(s->frame_list, (xen_pfn_t *)out_ptr(8 * 8));
        p = s;
        break;
    }
    case GNTTABOP_dump_table: {
        struct gnttab_dump_table *d = arena_alloc(sizeof(*d));
        d->dom = gen_other_domid();
        p = d;
        break;
    }
    case GNTTABOP_transfer: {
        struct gnttab_transfer *t = arena_alloc(sizeof(*t));
        if (one_in(3)) {
            unsigned int s = rnd(NSB);
            unsigned long b = PICK(beyond);
            unsigned long m = __atomic_exchange_n(&sb_mfn[s], SB_BUSY, __ATOMIC_SEQ_CST);
            if (m != SB_BUSY)
                __atomic_store_n(&sb_mfn[s], SB_NONE, __ATOMIC_SEQ_CST);
            t->mfn = m == SB_BUSY || m == SB_NONE ? b : m;
        } else {
            t->mfn = one_in(2) ? PICK(beyond) : nonowned();
        }
        t->domid = one_in(2) ? gen_other_domid() : 0;
        t->ref = GREF0 + rnd(16);
        p = t;
        break;
    }
    case GNTTABOP_copy: {
        unsigned int n = 1 + rnd(3);
        struct gnttab_copy *cp = arena_alloc(n * sizeof(*cp));
        for (unsigned int i = 0; i < n; i++) {
            cp[i].flags = (uint16_t)rnd(4);
            if (cp[i].flags & GNTCOPY_source_gref)
                cp[i].source.u.ref = GREF0 + rnd(24);
            else
                cp[i].source.u.gmfn = gen_mfn(R_READ);
            cp[i].source.domid = one_in(4) ? gen_domid() : (cp[i].flags & 1 ? 0 : DOMID_SELF);
            if (cp[i].flags & GNTCOPY_dest_gref)
                cp[i].dest.u.ref = GREF0 + rnd(24);
            else
                cp[i].dest.u.gmfn = gen_mfn(R_WRITE);
            cp[i].dest.domid = one_in(4) ? gen_domid() : (cp[i].flags & 2 ? 0 : DOMID_SELF);
            cp[i].source.offset = (uint16_t)(one_in(4) ? rnd64(&r0) : rnd(4096));
            cp[i].dest.offset = (uint16_t)(one_in(4) ? rnd64(&r0) : rnd(4096));
            cp[i].len = (uint16_t)(one_in(4) ? rnd64(&r0) : rnd(256));
        }
        count = n;
        p = cp;
        break;
    }
    case GNTTABOP_query_size: {
        struct gnttab_query_size *q = arena_alloc(sizeof(*q));
        q->dom = gen_domid();
        p = q;
        break;
    }
    case GNTTABOP_unmap_and_replace: {
        struct gnttab_unmap_and_replace *u = arena_alloc(sizeof(*u));
        u->host_addr = one_in(2) ? (unsigned long)pg.gwin0[rnd(NGWIN0)] : PICK(hostile_va);
        u->new_addr = one_in(2) ? (unsigned long)pg.win0[rnd(NWIN0)] : PICK(hostile_va);
        u->handle = 60000 + rnd(5000);
        p = u;
        break;
    }
    case GNTTABOP_set_version: {
        struct gnttab_set_version *v = arena_alloc(sizeof(*v));
        /* Not 2: when it goes back to 1, Xen rewrites the reserved
         * entries from the v2 layout, frames we never chose. */
        static const uint32_t vers[] = { 0, 1, 3, 0xffffffff, 0x80000001 };
        v->version = PICK(vers);
        dirty |= D_GNTVER;
        p = v;
        break;
    }
    case GNTTABOP_get_status_frames: {
        struct gnttab_get_status_frames *g = arena_alloc(sizeof(*g));
        g->nr_frames = (uint32_t)gen_count(4);
        g->dom = gen_domid();
        set_xen_guest_handle(g->frame_list, (uint64_t *)out_ptr(32));
        p = g;
        break;
    }
    case GNTTABOP_get_version: {
        struct gnttab_get_version *g = arena_alloc(sizeof(*g));
        g->dom = gen_domid();
        p = g;
        break;
    }
    case GNTTABOP_swap_grant_ref: {
        /* Never vCPU 1's refs: a swap landing between its writes of an
         * entry's frame and flags would give its flags (writable) to an
         * entry of ours (read-only), as seen on Xen. */
        grant_ref_t *s = arena_alloc(8);
        for (unsigned int i = 0; i < 2; i++) {
            grant_ref_t r = (grant_ref_t)(one_in(4) ? gen_value() : GREF0 + rnd(16));
            if (r >= GREF1 && r < GREF1 + 8)
                r -= 16;
            s[i] = r;
        }
        p = s;
        break;
    }
    case GNTTABOP_cache_flush: {
        uint64_t *f = arena_alloc(32);
        f[0] = one_in(2) ? GREF0 + rnd(24) : gen_mfn(R_READ) << 12;
        f[1] = rnd64(&r0) & 0xffffffffffffUL;
        f[2] = rnd(8);
        p = f;
        break;
    }
    default:
        p = arena_alloc(64);
        break;
    }
    /* A count past the array we built only with the array at the tail,
     * where it runs into the guard. */
    if (one_in(8) && tail_ok())
        count = gen_count(4);
    if (one_in(20))
        p = (void *)hostile_ptr();
    if (count > 3 && p && in_arena((uint64_t)p)) {
        /* Entries of all ones up to the guard: bad refs, frames, handles. */
        void *t = arena_tail(64);
        rt_memset(t, 0xff, 64);
        p = t;
    }
    set_args(c, __HYPERVISOR_grant_table_op, cmd, (unsigned long)p, count, 0, 0);
}

/* ---- vcpu_op, sched_op and the rest ------------------------------------- */

static void gen_area(uint64_t *addr)
{
    /* Written by the hypervisor at any time: the dedicated page only. */
    if (rnd(3))
        *addr = (uint64_t)pg.area + rnd(PAGE_SIZE - 128) / 8 * 8;
    else
        *addr = one_in(3) ? 0 : PICK(hostile_va);
}

static void gen_vcpu_op(struct fcall *c)
{
    static const unsigned long vcpus[] = { 0, 0, 0, 1, 1, 2, 31, 32, 0x7fffffff, ~0UL };
    unsigned int cmd = rnd(16);
    unsigned long vcpu = PICK(vcpus);
    uint64_t *w = arena_alloc(64);
    for (unsigned int i = 0; i < 8; i++)
        w[i] = gen_value();
    void *p = w;
    switch (cmd) {
    case VCPUOP_initialise:
        p = one_in(2) ? (void *)pg.junk : (void *)hostile_ptr();
        break;
    case VCPUOP_down:
        if (vcpu < 2)
            vcpu = 2 + rnd(40);     /* never a live vCPU */
        break;
    case VCPUOP_register_runstate_memory_area: case VCPUOP_register_vcpu_time_memory_area:
        gen_area(&w[0]);
        break;
    case VCPUOP_set_periodic_timer:
        w[0] = one_in(2) ? 1000000 + rnd(10000000) : gen_value();
        break;
    case VCPUOP_set_singleshot_timer:
        w[0] = one_in(2) ? now_ns() + rnd(1000000) : gen_value();
        w[1] = rnd(3);
        break;
    case VCPUOP_register_vcpu_info:
        /* Moving our vcpu_info would take our events away: only offsets
         * past the page and frames that are not ours. */
        w[0] = one_in(2) ? PICK(beyond) : own_pt[rnd(4)];
        w[1] = PAGE_SIZE - 8 + rnd(0x10000);
        break;
    case VCPUOP_send_nmi:
        if (vcpu == 0)
            vcpu = 1;                /* ours would arrive unarmed */
        break;
    default:
        break;
    }
    if (one_in(15))
        p = (void *)hostile_ptr();
    set_args(c, __HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)p, 0, 0);
}

static void gen_sched_op(struct fcall *c)
{
    static const unsigned int cmds[] = { SCHEDOP_yield, SCHEDOP_poll, SCHEDOP_poll,
                                         SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code,
                                         SCHEDOP_watchdog, SCHEDOP_pin_override, 8, 9, 100 };
    unsigned int cmd = PICK(cmds);
    uint64_t *w = arena_alloc(64);
    void *p = w;
    switch (cmd) {
    case SCHEDOP_poll: {
        /* Always a near deadline: a poll without one sleeps for good. */
        struct sched_poll *sp = (void *)w;
        evtchn_port_t *ports = arena_alloc(16 * 4);
        for (unsigned int i = 0; i < 16; i++)
            ports[i] = gen_port();
        set_xen_guest_handle(sp->ports, one_in(8) ? (evtchn_port_t *)hostile_ptr() : ports);
        sp->nr_ports = (unsigned int)(one_in(4) ? gen_count(16) : rnd(17));
        sp->timeout = one_in(3) ? now_ns() - rnd(1000000) : now_ns() + rnd(200000);
        if (sp->timeout == 0)
            sp->timeout = 1;
        break;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown *r = (void *)w;
        r->domain_id = gen_other_domid();
        r->reason = rnd(6);
        break;
    }
    case SCHEDOP_shutdown_code:
        ((struct sched_shutdown *)w)->reason = SHUTDOWN_poweroff;
        break;
    case SCHEDOP_watchdog: {
        /* A nonzero id never creates one. */
        struct sched_watchdog *wd = (void *)w;
        wd->id = 1 + rnd(100);
        wd->timeout = one_in(2) ? 0 : 1 + rnd(1000);
        break;
    }
    case SCHEDOP_pin_override: {
        static const int32_t cpus[] = { -1, 0, 1, 2, 0x7fffffff, -2 };
        ((struct sched_pin_override *)w)->pcpu = PICK(cpus);
        dirty |= D_PIN;
        break;
    }
    default:
        w[0] = gen_value();
        break;
    }
    if (one_in(20) && cmd != SCHEDOP_poll && cmd != SCHEDOP_shutdown_code)
        p = (void *)hostile_ptr();
    set_args(c, __HYPERVISOR_sched_op, cmd, (unsigned long)p, 0, 0, 0);
}

static void gen_callback_op(struct fcall *c)
{
    struct callback_register *r = arena_alloc(sizeof(*r));
    unsigned int cmd = one_in(8) ? rnd(4) : rnd(2);
    r->type = (uint16_t)(one_in(4) ? rnd(16) : rnd(8));
    r->flags = (uint16_t)rnd(4);
    r->address = one_in(2) ? (unsigned long)event_callback_entry
               : one_in(2) ? PICK(hostile_va) : rnd64(&r0);
    dirty |= D_TRAPS;
    set_args(c, __HYPERVISOR_callback_op, cmd, (unsigned long)(one_in(15) ? (void *)hostile_ptr() : r),
             0, 0, 0);
}

static void gen_xen_version(struct fcall *c)
{
    unsigned long cmd = one_in(8) ? gen_value() : rnd(14);
    void *p = one_in(6) ? NULL : out_ptr(1100);
    set_args(c, __HYPERVISOR_xen_version, cmd, (unsigned long)p, 0, 0, 0);
}

static void gen_console_io(struct fcall *c)
{
    /* Writes: newlines only, 64 of them before the guard, so that no
     * partial line ever joins one of ours. */
    char *nl = (char *)pg.guard0 - 64;
    switch (rnd(4)) {
    case 0: case 1:
        rt_memset(nl, '\n', 64);
        set_args(c, __HYPERVISOR_console_io, CONSOLEIO_write,
                 one_in(6) ? gen_value() | 0x100 : rnd(65), (unsigned long)nl + (one_in(2) ? 0 : rnd(64)),
                 0, 0);
        break;
    case 2:
        set_args(c, __HYPERVISOR_console_io, CONSOLEIO_write, gen_value(), hostile_ptr() | 1, 0, 0);
        break;
    default:
        set_args(c, __HYPERVISOR_console_io, one_in(2) ? CONSOLEIO_read : gen_value() | 2,
                 one_in(2) ? rnd(512) : gen_value(), (unsigned long)out_ptr(512), 0, 0);
        break;
    }
}

/* A struct whose interface version is wrong: refused before its command
 * is looked at (platform_op, sysctl, domctl, mca). */
static void *wrong_version_struct(void)
{
    uint32_t *w = arena_alloc(256);
    for (unsigned int i = 0; i < 64; i++)
        w[i] = (uint32_t)rnd64(&r0);
    w[0] = 0xbad00000u | rnd(0x100000);         /* cmd / version words */
    w[1] = 0xbad00000u | rnd(0x100000);
    return w;
}

static void gen_misc(struct fcall *c)
{
    static const unsigned int ops[] = {
        __HYPERVISOR_platform_op, __HYPERVISOR_sysctl, __HYPERVISOR_domctl, 48 /* mca */,
        __HYPERVISOR_xsm_op, __HYPERVISOR_xenoprof_op, __HYPERVISOR_hvm_op, __HYPERVISOR_kexec_op,
        __HYPERVISOR_tmem_op, __HYPERVISOR_argo_op, __HYPERVISOR_xenpmu_op, __HYPERVISOR_dm_op,
        __HYPERVISOR_hypfs_op, __HYPERVISOR_nmi_op, __HYPERVISOR_sched_op_compat, 11, 43, 44, 45,
        46, 47, 49, 50, 51, 52, 53, 54, 55, 56, 63, 64, 127, 128, 4095, 0x7fffffff,
    };
    unsigned int op = PICK(ops);
    unsigned long a1 = gen_value(), a2 = one_in(2) ? (unsigned long)wrong_version_struct() : hostile_ptr();
    switch (op) {
    case __HYPERVISOR_platform_op: case __HYPERVISOR_sysctl: case __HYPERVISOR_domctl: case 48:
        set_args(c, op, one_in(3) ? hostile_ptr() : (unsigned long)wrong_version_struct(), 0, 0, 0, 0);
        return;
    case __HYPERVISOR_xenoprof_op:
        /* Profiling would take NMIs: unknown commands and bad pointers. */
        set_args(c, op, one_in(2) ? 20 + rnd(100) : rnd(2), hostile_ptr() | 1, 0, 0, 0);
        return;
    case __HYPERVISOR_kexec_op:
        /* Never KEXEC_CMD_kexec (0); get_range (3) reads; the rest only
         * with a pointer that faults. */
        if (one_in(2)) {
            uint32_t *r = arena_alloc(32);
            r[0] = rnd(8);
            r[1] = rnd(4);
            set_args(c, op, 3, (unsigned long)r, 0, 0, 0);
        } else {
            set_args(c, op, 1 + rnd(12), hostile_ptr() | 1, 0, 0, 0);
        }
        return;
    case __HYPERVISOR_xenpmu_op:
        /* mode/feature reads; the setters only with a bad pointer. */
        set_args(c, op, rnd(8), one_in(2) && rnd(8) >= 2 ? (unsigned long)arena_alloc(64)
                                                         : (hostile_ptr() | 1), 0, 0, 0);
        if (c->a[0] == 0 || c->a[0] == 2 || c->a[0] == 4)
            c->a[1] = hostile_ptr() | 1;
        return;
    case __HYPERVISOR_hypfs_op: {
        /* get_version and reads; a write only to a path that fails. */
        static const char *paths[] = { "/", "/buildinfo", "/nonexistent/x", "" };
        unsigned long cmd = one_in(6) ? gen_value() : rnd(3);
        const char *path = PICK(paths);
        char *pb = arena_alloc(32);
        rt_memcpy(pb, path, rt_strlen(path) + 1);
        if (cmd == 2)
            rt_memcpy(pb, "/zz/no", 7);
        set_args(c, op, cmd, (unsigned long)pb, rt_strlen(pb) + 1, (unsigned long)out_ptr(512),
                 one_in(2) ? 512 : gen_value());
        return;
    }
    case __HYPERVISOR_nmi_op:
        dirty |= D_TRAPS;
        set_args(c, op, rnd(3), (unsigned long)gen_ptr(16), 0, 0, 0);
        if (fillable((void *)c->a[1], 8))
            *(uint64_t *)c->a[1] = one_in(2) ? PICK(hostile_va) : (uint64_t)event_callback_entry;
        return;
    case __HYPERVISOR_sched_op_compat:
        /* yield, or commands that do not exist (never block, shutdown, poll). */
        set_args(c, op, one_in(2) ? 0 : 8 + rnd(100), gen_value(), 0, 0, 0);
        return;
    case __HYPERVISOR_dm_op:
        set_args(c, op, gen_other_domid(), rnd(4), (unsigned long)gen_ptr(64), 0, 0);
        return;
    case __HYPERVISOR_hvm_op: case __HYPERVISOR_xsm_op: case __HYPERVISOR_argo_op:
    case __HYPERVISOR_tmem_op: {
        uint16_t *d = (uint16_t *)wrong_version_struct();
        d[0] = gen_other_domid();
        d[4] = gen_other_domid();
        set_args(c, op, rnd(40), one_in(3) ? hostile_ptr() : (unsigned long)d, gen_value(),
                 hostile_ptr(), gen_value());
        return;
    }
    default:
        set_args(c, op, a1, a2, gen_value(), gen_value(), gen_value());
        return;
    }
}

static void gen_call(struct fcall *c, int depth)
{
    unsigned int r = rnd(100);
    if (r < 9) { gen_mmu_update(c); return; }
    if (r < 18) { gen_mmuext(c); return; }
    if (r < 24) {
        set_args(c, __HYPERVISOR_update_va_mapping, gen_map_va(), gen_pte(), gen_uvmf(), 0, 0);
        return;
    }
    if (r < 26) {
        set_args(c, __HYPERVISOR_update_va_mapping_otherdomain, gen_map_va(), gen_pte(), gen_uvmf(),
                 gen_domid(), 0);
        return;
    }
    if (r < 29) { gen_trap_table(c); return; }
    if (r < 32) { gen_set_gdt(c); return; }
    if (r < 33) {
        set_args(c, __HYPERVISOR_stack_switch, one_in(2) ? FLAT_KERNEL_SS : gen_value(),
                 one_in(2) ? (unsigned long)pg.vcpu1_stack[0] : gen_value(), 0, 0, 0);
        return;
    }
    if (r < 35) {
        dirty |= D_TRAPS;
        set_args(c, __HYPERVISOR_set_callbacks,
                 one_in(2) ? (unsigned long)event_callback_entry : PICK(hostile_va),
                 one_in(2) ? (unsigned long)fz0_failsafe : gen_value(),
                 one_in(2) ? (unsigned long)event_callback_entry : gen_value(), 0, 0);
        return;
    }
    if (r < 36) {
        dirty |= D_FPU;
        set_args(c, __HYPERVISOR_fpu_taskswitch, one_in(2) ? rnd(2) : gen_value(), 0, 0, 0, 0);
        return;
    }
    if (r < 38) {
        /* Breakpoints only at addresses nothing here touches. */
        static const uint64_t addrs[] = { 0x1000, 0x400000, 0x7fffffff0000UL, 0xffff830000000000UL,
                                          0x800000000000UL, ~0UL, 0 };
        unsigned long reg = one_in(4) ? gen_value() : rnd(8);
        uint64_t val = reg < 4 ? PICK(addrs) : gen_value();
        dirty |= D_DR;
        set_args(c, __HYPERVISOR_set_debugreg, reg, val, 0, 0, 0);
        return;
    }
    if (r < 39) {
        set_args(c, __HYPERVISOR_get_debugreg, one_in(4) ? gen_value() : rnd(8), 0, 0, 0, 0);
        return;
    }
    if (r < 43) {
        unsigned long maddr;
        switch (rnd(5)) {
        case 0: maddr = (ldt_mfn << 12) + 8 * rnd(8); break;
        case 1: maddr = (gdt_mfn << 12) + 8 * rnd(16); break;
        default: maddr = (gen_mfn(R_WRITE) << 12) + (one_in(4) ? rnd(PAGE_SIZE) : 8 * rnd(512)); break;
        }
        set_args(c, __HYPERVISOR_update_descriptor, maddr, gen_descriptor(), 0, 0, 0);
        return;
    }
    if (r < 52) { gen_memory_op(c); return; }
    if (r < 55 && depth < 2) {
        /* A nested batch (refused inside a batch) or a small one. */
        unsigned int n = 1 + rnd(3);
        bool tail = one_in(8) && tail_ok();
        multicall_entry_t *e = tail ? arena_tail(n * sizeof(*e)) : arena_alloc(n * sizeof(*e));
        bool was = in_batch;
        in_batch = true;
        for (unsigned int i = 0; i < n; i++) {
            struct fcall sub;
            gen_call(&sub, depth + 1);
            e[i].op = sub.op;
            for (unsigned int j = 0; j < 5; j++)
                e[i].args[j] = sub.a[j];
        }
        in_batch = was;
        set_args(c, __HYPERVISOR_multicall, (unsigned long)e, tail ? gen_count(n) : n, 0, 0, 0);
        return;
    }
    if (r < 57) {
        set_args(c, __HYPERVISOR_set_timer_op,
                 one_in(3) ? 0 : one_in(2) ? now_ns() + rnd(2000000) : gen_value(), 0, 0, 0, 0);
        return;
    }
    if (r < 64) { gen_event_channel_op(c, one_in(5)); return; }
    if (r < 66) { gen_xen_version(c); return; }
    if (r < 67) { gen_console_io(c); return; }
    if (r < 69) { gen_physdev_op(c, one_in(4)); return; }
    if (r < 75) { gen_grant_table_op(c); return; }
    if (r < 76) {
        set_args(c, __HYPERVISOR_vm_assist, one_in(4) ? gen_value() : rnd(3),
                 one_in(4) ? gen_value() : rnd(33), 0, 0, 0);
        return;
    }
    if (r < 82) { gen_vcpu_op(c); return; }
    if (r < 84) {
        dirty |= D_SEGBASE;
        set_args(c, __HYPERVISOR_set_segment_base, one_in(5) ? gen_value() : rnd(5),
                 one_in(3) ? (unsigned long)SEL_LDT(rnd(4)) : gen_value(), 0, 0, 0);
        return;
    }
    if (r < 88) { gen_sched_op(c); return; }
    if (r < 90) { gen_callback_op(c); return; }
    gen_misc(c);
}

/* ---- running calls ------------------------------------------------------- */

static uint64_t cur_seed;
static unsigned int cur_index;
static unsigned int trace_from = ~0u;
static bool show_results;
static unsigned int textcheck_every;
static unsigned long calls0, bad_results, reported;
static unsigned long accepted, refused;

static void note_result(const struct fcall *c, long rc, const char *how)
{
    if (show_results || cur_index >= trace_from)
        con_printf("INFO: r %u %lu %#lx %ld\n", cur_index, c->op, c->a[0], rc);
    if (c->op == __HYPERVISOR_get_debugreg)
        return;        /* returns a register's value */
    if (rc >= 0)
        accepted++;
    else
        refused++;
    if (rc >= -4095)
        return;
    bad_results++;
    if (reported++ < 10) {
        char name[200];
        rt_snprintf(name, sizeof(name),
                    "seed %lu call %u (%s): hypercall %lu (%#lx, %#lx, %#lx, %#lx, %#lx) returned 0, a count or an errno",
                    (unsigned long)cur_seed, cur_index, how, c->op, c->a[0], c->a[1], c->a[2], c->a[3],
                    c->a[4]);
        check(false, name, "got %ld (%#lx); replay with seeds=%lu", rc, (unsigned long)rc,
              (unsigned long)cur_seed);
    }
}

static long issue(const struct fcall *c)
{
    if (cur_index >= trace_from)
        con_printf("INFO: seed %lu call %u: op %lu (%#lx, %#lx, %#lx, %#lx, %#lx)\n",
                   (unsigned long)cur_seed, cur_index, c->op, c->a[0], c->a[1], c->a[2], c->a[3],
                   c->a[4]);
    if (cur_index >= trace_from && c->op == __HYPERVISOR_grant_table_op &&
        c->a[0] == GNTTABOP_copy && fillable((void *)c->a[1], sizeof(struct gnttab_copy))) {
        const struct gnttab_copy *cp = (const void *)c->a[1];
        for (unsigned long i = 0; i < c->a[2] && i < 3; i++)
            con_printf("INFO:   copy flags %#x src %#lx/d%#x+%#x dst %#lx/d%#x+%#x len %u\n",
                       cp[i].flags, (unsigned long)cp[i].source.u.gmfn, cp[i].source.domid,
                       cp[i].source.offset, (unsigned long)cp[i].dest.u.gmfn, cp[i].dest.domid,
                       cp[i].dest.offset, cp[i].len);
        for (unsigned int r = GREF0; r < GREF1 + 8; r++)
            con_printf("INFO:   gnttab[%u] flags %#x domid %u frame %#x\n", r, gnttab[r].flags,
                       gnttab[r].domid, gnttab[r].frame);
        for (unsigned int w = 0; w < NGWIN0; w++) {
            struct pt_walk pw;
            pt_walk((unsigned long)pg.gwin0[w], &pw);
            con_printf("INFO:   gwin0[%u] used %d handle %u pte %#lx\n", w, gwin0_used[w],
                       gwin0_handle[w], (unsigned long)pw.entry[1]);
        }
    }
    if (c->op >= 64 || one_in(2))
        return hcall_syscall5((unsigned int)c->op, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    return hcall_page5((unsigned int)c->op, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static void fuzz_one(void)
{
    struct fcall c;
    new_call();
    gen_call(&c, 0);
    long rc = issue(&c);
    note_result(&c, rc, "single");
    if (c.op == __HYPERVISOR_memory_op)
        collect_reservation(c.a[0], rc);
    if (c.op == __HYPERVISOR_event_channel_op && rc == 0 && c.a[1] >= (uint64_t)pg.arena0 &&
        c.a[1] < (uint64_t)pg.guard0) {
        /* Track the highest port handed out, for the close at seed end. */
        uint32_t *w = (uint32_t *)c.a[1];
        for (unsigned int i = 0; i < 4; i++)
            if (w[i] > max_port && w[i] < RT_MAX_PORTS)
                max_port = w[i];
    }
    restore();
}

/* A batch with iret entries among the others, issued with a real iret
 * frame on the stack (Xen performs an iret entry; Subfloor refuses it). */
static unsigned long iret_in_batch_taken;

static void fuzz_multicall(void)
{
    new_call();
    unsigned int n = 2 + rnd(7);
    bool tail = one_in(4);
    multicall_entry_t *e = tail ? arena_tail(n * sizeof(*e)) : arena_alloc(n * sizeof(*e));
    in_batch = true;
    for (unsigned int i = 0; i < n; i++) {
        struct fcall sub;
        if (one_in(8)) {
            sub.op = __HYPERVISOR_iret;
            for (unsigned int j = 0; j < 5; j++)
                sub.a[j] = gen_value();
        } else {
            gen_call(&sub, 1);
        }
        e[i].op = sub.op;
        for (unsigned int j = 0; j < 5; j++)
            e[i].args[j] = sub.a[j];
        e[i].result = 0;
    }
    in_batch = false;
    unsigned long count = tail && one_in(2) ? gen_count(n) : n;
    if (cur_index >= trace_from)
        con_printf("INFO: seed %lu call %u: multicall of %lu\n", (unsigned long)cur_seed, cur_index,
                   count);
    long rc = fz_multicall_iret(e, count, IRET_MARK);
    if (rc == (long)IRET_MARK) {
        iret_in_batch_taken++;
    } else {
        struct fcall c = { .op = __HYPERVISOR_multicall, .a = { (unsigned long)e, count } };
        note_result(&c, rc, "multicall");
    }
    restore();
}

/* ---- games: descriptor tables, exit paths, events ------------------------ */

static unsigned long game_traps, game_runs, event_games, event_misses, blocks;
static int ipi_port = -1;

static void update_desc(unsigned long mfn, unsigned int i, uint64_t d)
{
    hcall2(__HYPERVISOR_update_descriptor, (mfn << 12) + i * 8, d);
}

static long send_port(int port)
{
    evtchn_send_t s = { .port = (evtchn_port_t)port };
    return hyp_event_channel_op(EVTCHNOP_send, &s);
}

static int bind_ipi0(void)
{
    evtchn_bind_ipi_t b = { .vcpu = 0 };
    if (hyp_event_channel_op(EVTCHNOP_bind_ipi, &b))
        return -1;
    if (b.port >= RT_MAX_PORTS)
        return -1;
    if (b.port > max_port)
        max_port = b.port;
    return (int)b.port;
}

static void close_port(int port)
{
    evtchn_close_t cl = { .port = (evtchn_port_t)port };
    hyp_event_channel_op(EVTCHNOP_close, &cl);
}

/* An event on a port of our own, delivered by the upcall. */
static void event_game(void)
{
    event_games++;
    bool twice = one_in(2), block = one_in(8);
    int port = bind_ipi0();
    if (port < 0) {
        event_misses++;
        return;
    }
    unsigned int before = port_deliveries[port];
    send_port(port);
    if (twice)
        send_port(port);
    events_unmask();
    events_mask();
    if (port_deliveries[port] == before)
        event_misses++;
    if (block) {
        /* Block until a singleshot timer wakes us: the upcall on the way
         * out of SCHEDOP_block. */
        evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
        long rc = hyp_event_channel_op(EVTCHNOP_bind_virq, &bv);
        if (rc == 0 || rc == -XEN_EEXIST) {
            vcpu_set_singleshot_timer_t t = { .timeout_abs_ns = now_ns() + 100000, .flags = 0 };
            if (hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t) == 0) {
                blocks++;
                hyp_sched_op(SCHEDOP_block, NULL);
                events_mask();
            }
            if (rc == 0)
                close_port((int)bv.port);
        }
    }
    close_port(port);
}

/* Which way the game goes back to the guest. */
static void exit_path(unsigned int how)
{
    switch (how) {
    case 0:
        hcall_syscall5(__HYPERVISOR_xen_version, 0, 0, 0, 0, 0);
        break;
    case 1:
        hcall_page5(__HYPERVISOR_xen_version, 0, 0, 0, 0, 0);
        break;
    case 2: {   /* HYPERVISOR_iret */
        uint64_t f[5] = { (uint64_t)probe_returned, KERNEL_CS_FRAME, 0x2, 0, FLAT_KERNEL_SS };
        unsigned int before = trap_last.count;
        arm_back_to_probe();
        iret_probe(f);
        game_traps += disarm(before);
        break;
    }
    case 3: {   /* an exception and its iret */
        unsigned int before = trap_last.count;
        TRAP_PROVOKE("int3", "i"(0));
        game_traps += trap_last.count - before;
        break;
    }
    case 4: {   /* an upcall */
        if (ipi_port >= 0) {
            send_port(ipi_port);
            events_unmask();
            events_mask();
        }
        break;
    }
    default:
        hyp_sched_op(SCHEDOP_yield, NULL);
        break;
    }
}

static void load_selectors(unsigned int fs, unsigned int gs, unsigned int ds)
{
    asm volatile("movw %w0, %%fs\n\tmovw %w1, %%gs\n\tmovw %w2, %%ds\n\tmovw %w2, %%es"
                 : : "r"(fs), "r"(gs), "r"(ds) : "memory");
}

/* Selectors from the LDT loaded, their descriptors or the LDT changed
 * underneath, then back to the guest by one exit path or another. */
static void ldt_game(void)
{
    game_runs++;
    for (unsigned int i = 0; i < 4; i++)
        update_desc(ldt_mfn, i, DATA_DPL3);
    if (pt_mmuext(MMUEXT_SET_LDT, (unsigned long)pg.ldt, 4))
        return;
    if (ipi_port < 0)
        ipi_port = bind_ipi0();
    load_selectors(SEL_LDT(0), SEL_LDT(1), SEL_LDT(2));
    bool switched = false;
    switch (rnd(6)) {
    case 0: update_desc(ldt_mfn, rnd(4), gen_descriptor()); break;
    case 1: pt_mmuext(MMUEXT_SET_LDT, 0, 0); break;
    case 2: pt_mmuext(MMUEXT_SET_LDT, (unsigned long)pg.ldt, rnd(3)); break;
    case 3: switched = pt_mmuext(MMUEXT_NEW_BASEPTR, copy_l4, 0) == 0; break;
    case 4: {
        unsigned long f[1] = { gdt_mfn };
        hcall2(__HYPERVISOR_set_gdt, f, one_in(2) ? 0 : 16);
        break;
    }
    default: {
        struct fcall c;
        new_call();
        gen_call(&c, 1);
        note_result(&c, issue(&c), "ldt game");
        restore();
        break;
    }
    }
    calls0++;
    exit_path(rnd(6));
    if (one_in(2))
        exit_path(rnd(6));

    /* An iret to an SS from the LDT, whatever state it is in now. */
    if (one_in(3)) {
        uint64_t f[5] = { (uint64_t)probe_note_ss, KERNEL_CS_FRAME, 0x2, 0, SEL_LDT(rnd(4)) };
        unsigned int before = trap_last.count;
        arm_back_to_probe();
        iret_probe(f);
        game_traps += disarm(before);
    }
    load_selectors(0, 0, 0);
    if (switched)
        pt_mmuext(MMUEXT_NEW_BASEPTR, orig_l4, 0);
    pt_mmuext(MMUEXT_SET_LDT, 0, 0);
    unsigned long f[1] = { gdt_mfn };
    hcall2(__HYPERVISOR_set_gdt, f, 0);
}

/* #BP under an SS from the LDT; the handler takes the descriptor away
 * and returns to the frame that holds it. */
static void drop_ss_hook(struct trap_frame *f)
{
    (void)f;
    update_desc(ldt_mfn, 1, one_in(2) ? DATA_NOTPRESENT : gen_descriptor());
    trap_resume_hook = back_to_probe;
    trap_arm(0);
}

static void ss_game(void)
{
    game_runs++;
    update_desc(ldt_mfn, 1, DATA_DPL3);
    if (pt_mmuext(MMUEXT_SET_LDT, (unsigned long)pg.ldt, 2))
        return;
    unsigned int before = trap_last.count;
    trap_resume_hook = drop_ss_hook;
    trap_arm(0);
    ss_int3_probe(SEL_LDT(1));
    game_traps += disarm(before);
    calls0++;
    update_desc(ldt_mfn, 1, DATA_DPL3);
    pt_mmuext(MMUEXT_SET_LDT, 0, 0);
}

/* HYPERVISOR_iret with frames valid and hostile, by the page and by
 * syscall. */
static void iret_game(void)
{
    extern void rt_iret_by_syscall(void);
    static const uint64_t rips[] = { 0x800000000000UL, 0xffff830000000000UL, 0x1000, 0 };
    /* RPL 0 only: a frame with RPL 3 goes to user mode, which without
     * user page tables is the end of the domain on Xen. */
    static const uint64_t css[] = { 0xe008, 0xe030, 0xfff0, 0x0, 0xe028, 0xe018 };
    static const uint64_t sss[] = { 0xe010, 0xe02b, 0x0, 0xfff3, 0xe033 };
    static const uint64_t flags[] = { 0x4000 /* NT */, 0x3000 /* IOPL */, 0x20000 /* VM */,
                                      0x10000 /* RF */, 0x200 /* IF */, 0x8, 0x400000, 0 };
    void *saved = rt_iret_entry;
    if (one_in(2))
        rt_iret_entry = (void *)rt_iret_by_syscall;
    uint64_t f[5] = { (uint64_t)probe_returned, KERNEL_CS_FRAME, 0x2 | PICK(flags), 0, FLAT_KERNEL_SS };
    switch (rnd(5)) {
    case 0:
        f[0] = PICK(rips);
        if (!f[0])
            f[0] = (rnd64(&r0) | 0x0000800000000000UL) & ~0x8000000000000000UL;
        break;
    case 1: f[1] = PICK(css); break;
    case 2: f[4] = PICK(sss); break;
    default: break;
    }
    unsigned int before = trap_last.count;
    arm_back_to_probe();
    iret_probe(f);
    game_traps += disarm(before);
    rt_iret_entry = saved;
    calls0++;
    /* IF in the frame unmasks events: mask them again. */
    events_mask();
}

/* Structured garbage written into a sandbox frame: table-like entries,
 * so that later pins validate something that looks like a table. */
static void scribble(char *window, uint64_t *rs)
{
    unsigned int s = (unsigned int)(rnd64(rs) % NSB);
    unsigned long m = sb_mfn[s];
    bool mapped = m != SB_NONE && m != SB_BUSY &&
                  !hyp_update_va_mapping((unsigned long)window, (m << 12) | PTE_FLAGS_RW_PAGE,
                                         UVMF_INVLPG);
    uint64_t *e = (uint64_t *)window;
    for (unsigned int i = 0; i < 512; i++) {
        uint64_t r = rnd64(rs);
        if (!mapped)
            continue;
        if (r % 4)
            e[i] = 0;
        else
            e[i] = (sb_mfn[(r >> 8) % NSB] << 12) | PTE_PRESENT | PTE_USER | PTE_ACCESSED |
                   ((r >> 20) & 1 ? PTE_RW : 0);
    }
    if (mapped)
        hyp_update_va_mapping((unsigned long)window, 0, UVMF_INVLPG);
}

/* ---- vCPU 1: the race ------------------------------------------------------ */

static volatile uint64_t race_seq, race_done_seq, race_iters, race_seed, race_quit;
static volatile unsigned long calls1;
static bool gwin1_used[NGWIN1];
static grant_handle_t gwin1_handle[NGWIN1];

static long h1(unsigned int nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
    return hcall_syscall5(nr, a, b, c, d, 0);
}

static void race_step(uint64_t *rs)
{
    unsigned int op = (unsigned int)(rnd64(rs) % 12);
    unsigned int s = (unsigned int)(rnd64(rs) % NSB);
    unsigned long m = sb_mfn[s];
    char *win = pg.win1[rnd64(rs) % NWIN1];
    mmuext_op_t *x = (mmuext_op_t *)pg.arena1[0];
    unsigned int *done = (unsigned int *)(pg.arena1[0] + 256);
    switch (op) {
    case 0: case 1:
        h1(__HYPERVISOR_update_va_mapping, (unsigned long)win,
           (m << 12) | PTE_PRESENT | PTE_USER | PTE_ACCESSED | (op ? PTE_RW : 0),
           rnd64(rs) % 3 | (rnd64(rs) % 2 ? UVMF_ALL : 0), 0);
        break;
    case 2:
        h1(__HYPERVISOR_update_va_mapping, (unsigned long)win, 0, UVMF_INVLPG, 0);
        break;
    case 3: case 4:
        rt_memset(x, 0, sizeof(*x));
        x->cmd = op == 3 ? MMUEXT_PIN_L1_TABLE + (unsigned int)(rnd64(rs) % 4) : MMUEXT_UNPIN_TABLE;
        x->arg1.mfn = m;
        h1(__HYPERVISOR_mmuext_op, (unsigned long)x, 1, (unsigned long)done, DOMID_SELF);
        break;
    case 5: {
        mmu_update_t *u = (mmu_update_t *)pg.arena1[0];
        u->ptr = (m << 12) + (rnd64(rs) % 512) * 8;
        u->val = (sb_mfn[rnd64(rs) % NSB] << 12) | PTE_PRESENT | PTE_USER | PTE_ACCESSED |
                 (rnd64(rs) % 2 ? PTE_RW : 0);
        h1(__HYPERVISOR_mmu_update, (unsigned long)u, 1, (unsigned long)done, DOMID_SELF);
        break;
    }
    case 6: {   /* grant map / unmap through its own refs and windows */
        unsigned int w = (unsigned int)(rnd64(rs) % NGWIN1);
        unsigned int ref = GREF1 + (unsigned int)(rnd64(rs) % 8);
        if (gwin1_used[w]) {
            struct gnttab_unmap_grant_ref *u = (void *)pg.arena1[0];
            u->host_addr = (unsigned long)pg.gwin1[w];
            u->dev_bus_addr = 0;
            u->handle = gwin1_handle[w];
            if (h1(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, (unsigned long)u, 1, 0) == 0 &&
                u->status == GNTST_okay)
                gwin1_used[w] = false;
            break;
        }
        if (m != SB_NONE && m != SB_BUSY)
            grant_write(ref, m, GTF_permit_access | (rnd64(rs) % 2 ? GTF_readonly : 0));
        struct gnttab_map_grant_ref *g = (void *)pg.arena1[0];
        rt_memset(g, 0, sizeof(*g));
        g->host_addr = (unsigned long)pg.gwin1[w];
        g->flags = GNTMAP_host_map | (rnd64(rs) % 2 ? GNTMAP_readonly : 0);
        g->ref = ref;
        g->dom = 0;
        if (h1(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, (unsigned long)g, 1, 0) == 0 &&
            g->status == GNTST_okay) {
            gwin1_used[w] = true;
            gwin1_handle[w] = g->handle;
        }
        break;
    }
    case 7: {   /* give a slot's frame back */
        unsigned long mm = __atomic_exchange_n(&sb_mfn[s], SB_BUSY, __ATOMIC_SEQ_CST);
        if (mm == SB_BUSY)
            break;
        if (mm == SB_NONE) {
            __atomic_store_n(&sb_mfn[s], SB_NONE, __ATOMIC_SEQ_CST);
            break;
        }
        xen_pfn_t *f = (xen_pfn_t *)pg.arena1[1];
        f[0] = mm;
        xen_memory_reservation_t *r = (void *)pg.arena1[0];
        rt_memset(r, 0, sizeof(*r));
        set_xen_guest_handle(r->extent_start, f);
        r->nr_extents = 1;
        r->domid = DOMID_SELF;
        long rc = h1(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, (unsigned long)r, 0, 0);
        __atomic_store_n(&sb_mfn[s], rc == 1 ? SB_NONE : mm, __ATOMIC_SEQ_CST);
        break;
    }
    case 8: {   /* and fill an empty slot */
        unsigned long expect = SB_NONE;
        if (!__atomic_compare_exchange_n(&sb_mfn[s], &expect, SB_BUSY, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST))
            break;
        xen_pfn_t *f = (xen_pfn_t *)pg.arena1[1];
        f[0] = sb_pfn0 + s;
        xen_memory_reservation_t *r = (void *)pg.arena1[0];
        rt_memset(r, 0, sizeof(*r));
        set_xen_guest_handle(r->extent_start, f);
        r->nr_extents = 1;
        r->domid = DOMID_SELF;
        long rc = h1(__HYPERVISOR_memory_op, XENMEM_populate_physmap, (unsigned long)r, 0, 0);
        __atomic_store_n(&sb_mfn[s], rc == 1 ? f[0] : SB_NONE, __ATOMIC_SEQ_CST);
        break;
    }
    case 9:
        scribble(pg.scrib1, rs);
        break;
    case 10:
        rt_memset(x, 0, sizeof(*x));
        x->cmd = rnd64(rs) % 2 ? MMUEXT_CLEAR_PAGE : MMUEXT_COPY_PAGE;
        x->arg1.mfn = m;
        x->arg2.src_mfn = sb_mfn[rnd64(rs) % NSB];
        h1(__HYPERVISOR_mmuext_op, (unsigned long)x, 1, (unsigned long)done, DOMID_SELF);
        break;
    default:
        h1(__HYPERVISOR_update_va_mapping, (unsigned long)win, 0, UVMF_TLB_FLUSH | UVMF_ALL, 0);
        break;
    }
    calls1++;
}

void vcpu1_main(void);
void vcpu1_main(void)
{
    uint64_t seen = 0;
    for (;;) {
        while (race_seq == seen && !race_quit)
            asm volatile("pause" ::: "memory");
        if (race_quit)
            break;
        seen = race_seq;
        uint64_t rs = race_seed ^ 0x7ace7ace7ace7aceUL;
        for (uint64_t i = 0; i < race_iters && !race_quit; i++)
            race_step(&rs);
        /* Leave nothing mapped through the grant windows. */
        for (unsigned int w = 0; w < NGWIN1; w++) {
            if (!gwin1_used[w])
                continue;
            struct gnttab_unmap_grant_ref u = { .host_addr = (unsigned long)pg.gwin1[w],
                                                .handle = gwin1_handle[w] };
            h1(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, (unsigned long)&u, 1, 0);
            gwin1_used[w] = false;
        }
        for (unsigned int w = 0; w < NWIN1; w++)
            h1(__HYPERVISOR_update_va_mapping, (unsigned long)pg.win1[w], 0, UVMF_INVLPG, 0);
        __atomic_store_n(&race_done_seq, seen, __ATOMIC_SEQ_CST);
    }
}

static struct vcpu_guest_context v1ctx;

static bool start_vcpu1(void)
{
    uint64_t top = (uint64_t)pg.vcpu1_stack + sizeof(pg.vcpu1_stack);
    v1ctx.flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    v1ctx.user_regs.rip = (uint64_t)fz1_entry;
    v1ctx.user_regs.rsp = top;
    v1ctx.user_regs.cs = FLAT_KERNEL_CS;
    v1ctx.user_regs.ss = FLAT_KERNEL_SS;
    v1ctx.user_regs.rflags = 0x2;
    v1ctx.user_regs.ds = 0xfff3;       /* does not load: in by the failsafe callback */
    v1ctx.kernel_ss = FLAT_KERNEL_SS;
    v1ctx.kernel_sp = top;
    v1ctx.ctrlreg[3] = orig_l4 << 12;
    for (unsigned int v = 0; v < 20; v++)
        v1ctx.trap_ctxt[v] = (struct trap_info){ .vector = (uint8_t)v, .cs = FLAT_KERNEL_CS,
                                                 .address = (unsigned long)(v == 2 ? fz1_nmi : fz1_trap) };
    v1ctx.event_callback_eip = (uint64_t)fz1_event;
    v1ctx.failsafe_callback_eip = (uint64_t)fz1_failsafe;
    shared_info->vcpu_info[1].evtchn_upcall_mask = 1;
    return check_eq("VCPUOP_initialise vCPU 1 (DS 0xfff3)", hyp_vcpu_op(VCPUOP_initialise, 1, &v1ctx), 0) &&
           check_eq("VCPUOP_up vCPU 1", hyp_vcpu_op(VCPUOP_up, 1, NULL), 0);
}

/* ---- setup, seeds, end of seed ------------------------------------------ */

static uint32_t checksum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static unsigned long image_mfns[64];
#define TEXT_COPY_MAX (160 * 1024)
static uint8_t text_copy[TEXT_COPY_MAX];
static size_t text_len;

/* After each seed: the first changed byte of our text and rodata, so a
 * seed that writes there is named (and the text put back for the next). */
static void text_check(uint64_t seed)
{
    const volatile uint8_t *t = (const volatile uint8_t *)_image_start;
    size_t first = text_len, last = 0;
    for (size_t i = 0; i < text_len; i++)
        if (t[i] != text_copy[i]) {
            if (first == text_len)
                first = i;
            last = i;
        }
    if (first == text_len)
        return;
    char name[100];
    rt_snprintf(name, sizeof(name), "seed %lu left our text and rodata unchanged (checked at call %u)",
                (unsigned long)seed, cur_index);
    check(false, name, "bytes %#lx..%#lx changed (at %p: %#lx, was %#lx); replay with seeds=%lu",
          (unsigned long)first, (unsigned long)last, (void *)(t + (first & ~7UL)),
          (unsigned long)*(const volatile uint64_t *)(t + (first & ~7UL)),
          (unsigned long)*(const uint64_t *)(text_copy + (first & ~7UL)), (unsigned long)seed);
    for (size_t o = first & ~7UL; o <= last && o < (first & ~7UL) + 512; o += 8)
        con_printf("INFO: text+%#lx: %#018lx was %#018lx\n", (unsigned long)o,
                   (unsigned long)*(const volatile uint64_t *)(t + o),
                   (unsigned long)*(const uint64_t *)(text_copy + o));
    /* Which of our pages map the changed frame too? */
    unsigned long bad = virt_to_mfn((const void *)(t + first));
    con_printf("INFO: the changed frame is %#lx\n", bad);
    for (unsigned long va = (unsigned long)&pg; va < (unsigned long)&pg + sizeof(pg); va += PAGE_SIZE) {
        struct pt_walk w;
        if (pt_walk(va, &w) && ((w.entry[1] & PTE_MFN_MASK) >> 12) == bad)
            con_printf("INFO: %p maps it too (pte %#lx)\n", (void *)va, (unsigned long)w.entry[1]);
    }
    for (unsigned int i = 0; i < NSB; i++)
        if (sb_mfn[i] == bad)
            con_printf("INFO: sandbox slot %u holds it\n", i);
    rt_memcpy((void *)_image_start, text_copy, text_len);
}
static unsigned int image_pages;
static uint32_t text_sum, p2m_sum;

static unsigned int image_moved(void)
{
    unsigned int moved = 0;
    for (unsigned int i = 0; i < image_pages; i++) {
        struct pt_walk w;
        unsigned long va = (unsigned long)_image_start + i * PAGE_SIZE;
        pt_walk(va, &w);
        if (((w.entry[1] & PTE_MFN_MASK) >> 12) != image_mfns[i] ||
            mfn_to_pfn(image_mfns[i]) != virt_to_pfn((void *)va))
            moved++;
    }
    return moved;
}

static long set_page_ro(void *page)
{
    return hyp_update_va_mapping((unsigned long)page, (virt_to_mfn(page) << 12) | PTE_PRESENT |
                                 PTE_USER | PTE_ACCESSED, UVMF_INVLPG);
}

static bool setup(void)
{
    cb_failsafe = (struct callback_register){ .type = CALLBACKTYPE_failsafe,
                                              .flags = CALLBACKF_mask_events,
                                              .address = (unsigned long)fz0_failsafe };
    install_callbacks();

    struct pt_walk w;
    pt_walk((unsigned long)guest_main, &w);
    orig_l4 = virt_to_mfn((void *)start_info->pt_base);
    own_pt[0] = orig_l4;
    own_pt[1] = (w.entry[4] & PTE_MFN_MASK) >> 12;
    own_pt[2] = (w.entry[3] & PTE_MFN_MASK) >> 12;
    own_pt[3] = (w.entry[2] & PTE_MFN_MASK) >> 12;
    own_ro[0] = virt_to_mfn((void *)guest_main);
    own_ro[1] = virt_to_mfn(start_info);
    own_ro[2] = start_info->shared_info >> 12;
    own_ro[3] = virt_to_mfn(pg.arena0);
    sort_p2m();
    max_ram_mfn = (unsigned long)hyp_memory_op(XENMEM_maximum_ram_page, NULL);
    if ((long)max_ram_mfn <= 0 || max_ram_mfn > (1UL << 30))
        max_ram_mfn = 0x10000;

    image_pages = (unsigned int)(((unsigned long)_data_start - (unsigned long)_image_start) / PAGE_SIZE);
    if (image_pages > 64)
        image_pages = 64;
    for (unsigned int i = 0; i < image_pages; i++) {
        pt_walk((unsigned long)_image_start + i * PAGE_SIZE, &w);
        image_mfns[i] = (w.entry[1] & PTE_MFN_MASK) >> 12;
    }
    text_sum = checksum(_image_start, (size_t)(_data_start - _image_start));
    text_len = (size_t)(_data_start - _image_start);
    if (text_len > TEXT_COPY_MAX)
        text_len = TEXT_COPY_MAX;
    rt_memcpy(text_copy, _image_start, text_len);
    p2m_sum = checksum((void *)start_info->mfn_list, (sb_pfn0 = start_info->nr_pages - NSB - 1) * 8);

    for (unsigned int i = 0; i < NSB; i++)
        sb_mfn[i] = pfn_to_mfn(sb_pfn0 + i);
    /* The copy of our L4 for NEW_BASEPTR games: the frame below the pool. */
    copy_l4 = pfn_to_mfn(sb_pfn0 - 1);
    if (hyp_update_va_mapping((unsigned long)pg.scrib0, (copy_l4 << 12) | PTE_FLAGS_RW_PAGE, UVMF_INVLPG))
        return check(false, "map the L4 copy", "refused");
    const uint64_t *cur = (const uint64_t *)start_info->pt_base;
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)pg.scrib0)[i] = (i < 256 || i > 271) ? cur[i] : 0;
    hyp_update_va_mapping((unsigned long)pg.scrib0, 0, UVMF_INVLPG);
    if (!check_eq("pin a copy of our L4", pt_mmuext(MMUEXT_PIN_L4_TABLE, copy_l4, 0), 0))
        return false;

    /* Guards, windows: nothing of ours behind them from now on. */
    long rc = hyp_update_va_mapping((unsigned long)pg.guard0, 0, UVMF_INVLPG) |
              hyp_update_va_mapping((unsigned long)pg.guard1, 0, UVMF_INVLPG) |
              hyp_update_va_mapping((unsigned long)pg.guard2, 0, UVMF_INVLPG);
    for (unsigned int i = 0; i < NWIN0; i++)
        rc |= hyp_update_va_mapping((unsigned long)pg.win0[i], 0, UVMF_INVLPG);
    for (unsigned int i = 0; i < NWIN1; i++)
        rc |= hyp_update_va_mapping((unsigned long)pg.win1[i], 0, UVMF_INVLPG);
    for (unsigned int i = 0; i < NGWIN0; i++)
        rc |= hyp_update_va_mapping((unsigned long)pg.gwin0[i], 0, UVMF_INVLPG);
    for (unsigned int i = 0; i < NGWIN1; i++)
        rc |= hyp_update_va_mapping((unsigned long)pg.gwin1[i], 0, UVMF_INVLPG);
    rc |= hyp_update_va_mapping((unsigned long)pg.scrib0, 0, UVMF_INVLPG) |
          hyp_update_va_mapping((unsigned long)pg.scrib1, 0, UVMF_INVLPG);
    if (!check_eq("guard pages and windows unmapped", rc, 0))
        return false;

    pg.ldt[0] = pg.ldt[1] = pg.ldt[2] = pg.ldt[3] = DATA_DPL3;
    ldt_mfn = virt_to_mfn(pg.ldt);
    gdt_mfn = virt_to_mfn(pg.gdt);
    if (!check_eq("game LDT and GDT pages read-only", set_page_ro(pg.ldt) | set_page_ro(pg.gdt), 0))
        return false;

    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    set_xen_guest_handle(st.frame_list, &frame);
    rc = hyp_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (!check(rc == 0 && st.status == GNTST_okay && frame &&
                   hyp_update_va_mapping((unsigned long)pg.gnttab, (frame << 12) | PTE_FLAGS_RW_PAGE,
                                         UVMF_INVLPG) == 0,
               "grant table frame 0 mapped", "rc %ld status %d", rc, st.status))
        return false;
    gnttab = (volatile struct grant_entry_v1 *)pg.gnttab;
    gnttab_mfn = frame;
    return true;
}

/* What a seed leaves behind is taken back before the next one. */
static void end_of_seed(void)
{
    restore();
    dirty = ~0u;
    restore();
    for (unsigned int w = 0; w < NGWIN0; w++) {
        if (!gwin0_used[w])
            continue;
        struct gnttab_unmap_grant_ref u = { .host_addr = (unsigned long)pg.gwin0[w],
                                            .handle = gwin0_handle[w] };
        hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
        gwin0_used[w] = false;
    }
    for (unsigned int i = 0; i < NWIN0; i++)
        hyp_update_va_mapping((unsigned long)pg.win0[i], 0, UVMF_INVLPG);
    for (unsigned int i = 0; i < NSB; i++) {
        unsigned long m = sb_mfn[i];
        if (m != SB_NONE && m != SB_BUSY)
            pt_mmuext(MMUEXT_UNPIN_TABLE, m, 0);
    }
    pt_mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0);
    for (unsigned int v = 0; v < 2; v++) {
        struct vcpu_register_runstate_memory_area a = { .addr.p = 0 };
        hyp_vcpu_op(VCPUOP_register_runstate_memory_area, v, &a);
        hyp_vcpu_op(VCPUOP_register_vcpu_time_memory_area, v, &a);
        hyp_vcpu_op(VCPUOP_stop_periodic_timer, v, NULL);
        hyp_vcpu_op(VCPUOP_stop_singleshot_timer, v, NULL);
    }
    hcall1(__HYPERVISOR_set_timer_op, 0);
    xen_memory_reservation_t claim = { .nr_extents = 0, .domid = DOMID_SELF };
    hyp_memory_op(XENMEM_claim_pages, &claim);
    for (unsigned int p = 1; p <= max_port && p < RT_MAX_PORTS; p++)
        close_port((int)p);
    max_port = 1;
    ipi_port = -1;
    /* A pending event the closes left behind is taken now. */
    events_unmask();
    events_mask();
}

static uint64_t seeds[MAX_SEEDS];
static unsigned int nseeds;
static unsigned long calls_per_seed = DEFAULT_CALLS;
static bool race = true;

static unsigned long parse_num(const char **sp)
{
    const char *s = *sp;
    unsigned long v = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++) {
        unsigned int d;
        if (*s >= '0' && *s <= '9') d = (unsigned int)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = (unsigned int)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = (unsigned int)(*s - 'A' + 10);
        else break;
        v = v * (unsigned long)base + d;
    }
    *sp = s;
    return v;
}

static void parse_cmdline(void)
{
    const char *s = (const char *)start_info->cmd_line;
    for (; *s; s++) {
        if (s != (const char *)start_info->cmd_line && s[-1] != ' ')
            continue;
        if (rt_strncmp(s, "seeds=", 6) == 0) {
            s += 6;
            while (nseeds < MAX_SEEDS) {
                seeds[nseeds++] = parse_num(&s);
                if (*s != ':' && *s != ',')
                    break;
                s++;
            }
        } else if (rt_strncmp(s, "calls=", 6) == 0) {
            s += 6;
            calls_per_seed = parse_num(&s);
        } else if (rt_strncmp(s, "race=", 5) == 0) {
            s += 5;
            race = parse_num(&s) != 0;
        } else if (rt_strncmp(s, "textcheck=", 10) == 0) {
            s += 10;
            textcheck_every = (unsigned int)parse_num(&s);
        } else if (rt_strncmp(s, "results=", 8) == 0) {
            s += 8;
            show_results = parse_num(&s) != 0;
        } else if (rt_strncmp(s, "trace=", 6) == 0) {
            s += 6;
            trace_from = (unsigned int)parse_num(&s);
        }
        if (!*s)
            break;
    }
    if (!nseeds)
        for (unsigned int i = 0; i < DEFAULT_SEEDS; i++)
            seeds[nseeds++] = default_seeds[i];
}

static void run_seed(uint64_t seed)
{
    cur_seed = seed;
    r0 = seed;
    arena_top = 0;
    con_printf("INFO: seed %lu: starting\n", (unsigned long)seed);
    unsigned long before1 = calls1;
    if (race) {
        race_seed = seed;
        race_iters = calls_per_seed / 3;
        __atomic_add_fetch(&race_seq, 1, __ATOMIC_SEQ_CST);
    }
    unsigned long start0 = calls0;
    for (cur_index = 0; cur_index < calls_per_seed; cur_index++) {
        unsigned int r = rnd(1000);
        if (r < 880) {
            fuzz_one();
            calls0++;
        } else if (r < 920) {
            fuzz_multicall();
            calls0++;
        } else if (r < 940) {
            ldt_game();
        } else if (r < 950) {
            ss_game();
        } else if (r < 965) {
            iret_game();
        } else if (r < 975) {
            grant_map_game();
            calls0++;
        } else if (r < 985) {
            scribble(pg.scrib0, &r0);
            calls0++;
        } else {
            event_game();
        }
        if (textcheck_every && cur_index % textcheck_every == 0)
            text_check(seed);
        /* Events get their chance between calls. */
        if (!dirty && (cur_index & 7) == 0) {
            events_unmask();
            events_mask();
        }
    }
    if (race) {
        uint64_t want = race_seq;
        for (uint64_t t = rdtsc(); race_done_seq != want && !fz1_faulted &&
                                   rdtsc() - t < 200000000000ull;)
            hyp_sched_op(SCHEDOP_yield, NULL);
        if (race_done_seq != want)
            con_printf("INFO: seed %lu: vCPU 1 did not finish its race\n", (unsigned long)seed);
    }
    end_of_seed();
    text_check(seed);
    con_printf("INFO: seed %lu: %lu calls (vCPU 0 %lu, vCPU 1 %lu)\n", (unsigned long)seed,
               calls0 - start0 + (calls1 - before1), calls0 - start0, calls1 - before1);
}

void guest_main(void)
{
    parse_cmdline();
    events_mask();
    if (!setup())
        return;
    bool v1 = race && start_vcpu1();
    if (race && !v1)
        race = false;

    uint64_t t0 = system_time_ns();
    for (unsigned int i = 0; i < nseeds; i++)
        run_seed(seeds[i]);
    uint64_t t1 = system_time_ns();

    race_quit = 1;
    if (v1)
        for (uint64_t t = rdtsc(); hyp_vcpu_op(VCPUOP_is_up, 1, NULL) == 1 && rdtsc() - t < 20000000000ull;)
            hyp_sched_op(SCHEDOP_yield, NULL);

    unsigned long total = calls0 + calls1;
    uint64_t ms = (t1 - t0) / 1000000;
    con_printf("INFO: %lu calls accepted, %lu refused; %lu iret entries carried out in a batch\n",
               accepted, refused, iret_in_batch_taken);
    con_printf("INFO: games %lu (exceptions in them %lu), event games %lu, blocks %lu, failsafe "
               "callbacks vCPU 0 %lu vCPU 1 %lu, NMIs to vCPU 1 %lu\n", game_runs, game_traps,
               event_games, blocks, (unsigned long)fz0_failsafes, (unsigned long)fz1_failsafes,
               (unsigned long)fz1_nmis);
    con_printf("BENCH: hostile_fuzz calls=%lu ms=%lu calls_per_s=%lu\n", total, (unsigned long)ms,
               ms ? (unsigned long)(total * 1000 / ms) : 0);

    char name[120];
    rt_snprintf(name, sizeof(name), "%lu calls over %u seeds (vCPU 0 %lu, vCPU 1 %lu), each 0, a count or an errno",
                total, nseeds, calls0, (unsigned long)calls1);
    check(bad_results == 0, name, "%lu out of range (see the lines above)", bad_results);
    check_eq("the hypervisor still answers", hyp_xen_version(0, NULL), (4 << 16) | 17);
    check_eq("our text and read-only data are unchanged",
             checksum(_image_start, (size_t)(_data_start - _image_start)), text_sum);
    check_eq("our image's mappings and M2P entries are unchanged", image_moved(), 0);
    check_eq("our p2m list outside the sandbox is unchanged",
             checksum((void *)start_info->mfn_list, sb_pfn0 * 8), p2m_sum);
    unsigned int faults = trap_last.count;
    TRAP_PROVOKE("ud2", "i"(0));
    check_eq("traps still delivered", trap_last.count, faults + 1);
    event_misses = 0;
    event_game();
    check_eq("events still delivered", event_misses, 0);
    if (v1) {
        check(fz1_failsafes >= 1, "vCPU 1 came in through its failsafe callback", "it did not");
        check(!fz1_faulted, "vCPU 1 finished its race without an exception",
              "frame words %#lx %#lx", (unsigned long)fz1_fault_word2, (unsigned long)fz1_fault_word3);
        check_eq("vCPU 1 is down at the end", hyp_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    }
}
