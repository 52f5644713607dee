/*
 * Domains and their virtual CPUs.
 *
 * A PV vCPU runs at ring 3 in either guest-kernel or guest-user mode; the
 * hypervisor keeps what the real CPU would hold in privileged state: the
 * guest's virtual trap table, its callbacks, the kernel stack to switch
 * to on a user-to-kernel transition, both GS bases, the virtual CR0.TS
 * and the base pointers of its page tables.
 *
 * While the hypervisor runs on behalf of a vCPU, the vCPU's registers are
 * the frame at the top of the guest entry stack (guest_regs()); there is
 * while it does not run, they are saved in saved_regs (sched.c).  Per-domain state of other areas joins struct domain as members
 * of their own types: the PV MMU's struct pv_mm_domain (frame_access.h)
 * and the event channels' state, when those areas join the build.
 */
#ifndef SUBFLOOR_DOMAIN_H
#define SUBFLOOR_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/guest_access.h"
#include "arch/x86/percpu.h"
#include "arch/x86/regs.h"
#include "common/evtchn.h"
#include "common/grant.h"
#include "common/credit2.h"
#include "common/hypercall_slice.h"
#include "common/vcpu_events.h"
#include "mmu/pv_mmu.h"
#include "public/xen.h"

#define MAX_VCPUS_PER_DOMAIN 32         /* XEN_LEGACY_MAX_VCPUS: vcpu_info in shared_info */
#define NR_TRAP_VECTORS      256

struct domain;

enum guest_callback {
    CB_EVENT,
    CB_FAILSAFE,
    CB_SYSCALL,
    CB_SYSCALL32,
    CB_SYSENTER,
    CB_NMI,
    NR_GUEST_CALLBACKS,
};

struct guest_callback_entry {
    uint64_t address;           /* 0: not registered */
    bool mask_events;           /* CALLBACKF_mask_events */
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;     /* the CPU it runs or last ran on (sched.c) */
    struct c2_vcpu sched;       /* the scheduling policy's view (credit2.c) */
    bool blocked;               /* waits in SCHEDOP_block/poll for an event */
    bool has_run;               /* its first run was logged */
    bool initialised;           /* has a context: vCPU 0 from the builder, others by VCPUOP_initialise */

    bool kernel_mode;           /* guest-kernel (true) or guest-user mode */
    struct trap_info trap_table[NR_TRAP_VECTORS];
    struct guest_callback_entry callbacks[NR_GUEST_CALLBACKS];

    /* stack_switch: where a user->kernel bounce builds its frame. */
    uint64_t kernel_ss, kernel_sp;

    /* Segment bases; the hardware holds the live GS base of the current
     * mode, the other one waits here. */
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint16_t gs_sel_user;
    /* Data segment selectors while the vCPU does not run (from
     * VCPUOP_initialise, or read back when it went down); the hardware
     * holds them while it runs, and nothing on the way back reloads them. */
    uint16_t ds_sel, es_sel, fs_sel, gs_sel;

    /* PV MMU state: the kernel and user L4s (mm.guest_table,
     * mm.guest_table_user, machine frame numbers, 0 = none) and the LDT. */
    struct pv_mm_vcpu mm;
    /* set_gdt: the guest's GDT frames (each holding a descriptor-page
     * type reference) and its entry count; 0 frames = none. */
    uint64_t gdt_frames[14];
    unsigned int gdt_ents;

    bool fpu_ts;                /* the guest's virtual CR0.TS */
    uint64_t vcr4;              /* the guest's virtual CR4 */
    unsigned int iopl;          /* virtual IOPL (PHYSDEVOP_set_iopl) */
    guest_ptr_t iobmp;          /* PHYSDEVOP_set_iobitmap */
    unsigned int iobmp_limit;   /* ports the bitmap covers */
    uint64_t last_fault_addr;   /* CR2 as the guest reads it */

    /* x87/SSE state while the vCPU does not run (FXSAVE layout; the
     * guest sees no XSAVE, pv/cpuid.c). */
    uint8_t fpu[512] __attribute__((aligned(16)));

    struct vcpu_info *vcpu_info;    /* hypervisor view of its vcpu_info */
    struct cpu_regs saved_regs;     /* registers while not running */
    struct hypercall_slice slice;   /* the hypercall in progress (continuation.h) */
    struct vcpu_events ev;          /* timers, blocking, runstate (pv_events.h) */
};

/* No shutdown code recorded yet (Xen's internal value, as uint8_t). */
#define SHUTDOWN_CODE_INVALID 0xffu

struct domain {
    uint16_t domid;
    bool privileged;            /* SIF_PRIVILEGED: may use privileged ops */
    bool is_initial;            /* dom0 */
    bool is_shutting_down;
    /* XEN_DOMCTL_destroydomain ran: nothing of the domain runs or gains
     * anything any more; it stays listed (XEN_DOMINF_dying) while frames
     * it owned are still referenced from outside (a dom0 mapping). */
    bool is_dying;
    /* Pauses by the toolstack (XEN_DOMCTL_pausedomain/unpausedomain, at
     * most 255 as Xen): a domU is created with one, which the
     * toolstack's first unpause drops once it has built the domain. */
    unsigned int controller_pause_count;
    unsigned int shutdown_reason;
    /* What the toolstack reads as the reason (XEN_DOMINF_shutdownmask):
     * the first shutdown's reason or SCHEDOP_shutdown_code's, else
     * SHUTDOWN_CODE_INVALID, as Xen keeps it. */
    uint8_t shutdown_code;
    xen_domain_handle_t handle;     /* the toolstack's UUID (setdomainhandle) */
    int64_t time_offset_seconds;    /* added to its wallclock (settimeoffset) */

    uint64_t tot_pages;         /* frames owned (frame-table owner = domid) */
    uint64_t max_pages;

    struct shared_info *shared_info;
    uint64_t shared_info_mfn;
    uint64_t vm_assist;         /* VMASST_TYPE_* bits enabled */
    struct pv_mm_domain mm;     /* PV MMU view (pv/mmu_domain.c) */


    /* vcpus[0..max_vcpus) are allocated with the domain; the first
     * nr_vcpus exist for the guest and the toolstack.  dom0 has them all
     * at once; a domU none until XEN_DOMCTL_max_vcpus, as on Xen 4.17
     * (which allocates them only then: allocating them up front leaves
     * that call nothing that can fail). */
    unsigned int max_vcpus;
    unsigned int nr_vcpus;
    struct vcpu *vcpus[MAX_VCPUS_PER_DOMAIN];
    struct c2_dom sched;            /* weight and cap (credit2.c) */
    unsigned int pause_count;       /* domain pauses outstanding (sched.c) */
    uint64_t serial;                /* unique per creation: tells a reused id apart */
    bool torn_down;                 /* destroy released everything it could */

    /* Hypercall numbers already reported as not implemented (once each). */
    uint64_t enosys_reported;

    struct domain *next_in_list;    /* domain_find's registry */
    uint64_t pirq_eoi_mfn;          /* PHYSDEVOP_pirq_eoi_gmfn page, 0 = none */
    uint8_t cmos_index;             /* port 0x70 as last written (pv/ioport_policy.c) */
    uint32_t pci_cf8;               /* port 0xcf8 (dword) as last written */
    struct grant_table grant;       /* grant tables (common/grant_domain.c) */

    struct evtchn_domain evtchn;    /* event channels (common/evtchn_domain.c) */
    struct domain_clock clock;      /* PV system time (common/domain_time.c) */
};

/* Create a domain with nr_vcpus vCPUs: NULL when out of memory or the
 * arguments are invalid (logged).  dom0 (domid 0) has vCPU 0 up for its
 * builder to fill in; every vCPU of another domain starts down, with no
 * context, until the toolstack gives it one (XEN_DOMCTL_setvcpucontext).
 * The grant limits are grant_domain_init's (negative: the default). */
struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus,
                             int32_t max_grant_frames, int32_t max_maptrack_frames);
/* Undo domain_create for a domain that never held a frame beyond what
 * domain_create and the caller's later steps gave back: unlist it and
 * free its structures. */
void domain_free(struct domain *d);

/* The domain with that id (never DOMID_SELF), or NULL.  Domains are
 * registered by domain_create and stay until destroyed. */
struct domain *domain_find(uint16_t domid);
/* domid, or the caller's domain for DOMID_SELF; NULL when none. */
struct domain *domain_find_or_self(uint16_t domid);
/* Every domain, in creation order; visit returns false to stop. */
void domain_for_each(bool (*visit)(struct domain *d, void *ctx), void *ctx);

/* The vCPU the hypervisor is running for (NULL before any guest runs);
 * inline for the reason smp_processor_id is (percpu.h). */
static inline struct vcpu *current_vcpu(void)
{
    return this_cpu()->curr;
}
void set_current_vcpu(struct vcpu *v);

/* The register frame of the running vCPU while the hypervisor handles an
 * entry from it. */
struct cpu_regs *guest_regs(void);
/* The same frame on another CPU: the registers of the vCPU that entered
 * the hypervisor there, while it waits inside (blocked) for the lock
 * holder to let it go on. */
struct cpu_regs *guest_regs_of_cpu(unsigned int cpu);

/* "d0v0": for log lines, in a static buffer per call site is overkill;
 * the format macros below do it inline. */
#define VCPU_FMT "d%uv%u"
#define VCPU_ARGS(v) (unsigned int)(v)->domain->domid, (v)->vcpu_id

/* The guest did something it cannot recover from: log why and where
 * (Xen's "domain_crash called from file:line" and "Domain N (vcpu#M)
 * crashed on cpu#C:" with the register dump), and stop the domain with
 * reason crash.  For dom0 that stops the machine; another domain stops
 * alone (domain_shutdown) and this CPU goes on with something else.  v
 * is the vCPU this CPU runs; never returns to it. */
#define domain_crash(v, ...) domain_crash_at(__FILE__, __LINE__, (v), __VA_ARGS__)
__attribute__((noreturn, format(printf, 4, 5)))
void domain_crash_at(const char *file, int line, struct vcpu *v, const char *fmt, ...);

/* d stops (SCHEDOP_shutdown, remote_shutdown, a crash).  For dom0 the
 * machine follows: power off, reset, or (crash) dump and stop; that
 * does not return.  Another domain is marked shutting down with the
 * first code recorded (getdomaininfo's XEN_DOMINF_shutdown and code),
 * its vCPUs are descheduled, and VIRQ_DOM_EXC goes to every other
 * privileged domain; the caller returns normally (a vCPU of d leaves
 * its CPU on its way out). */
void domain_shutdown(struct domain *d, unsigned int reason);

/* VIRQ_DOM_EXC to every privileged domain but d: d shut down, crashed
 * or died. */
void domain_announce_exception(struct domain *d);

/* The teardown_audit boot option: when dom0 stops (shutdown, crash, ACPI
 * S5), tear it down and print the audit of its page-type and reference
 * counts before the machine stops.  domain_stopped_teardown does that
 * for d when the option is on, and nothing otherwise; it runs once. */
void domain_set_teardown_audit(bool on);
void domain_stopped_teardown(struct domain *d);

/* Print a guest register frame in Xen's style. */
void show_guest_registers(const struct vcpu *v, const struct cpu_regs *regs);

#endif
