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
 * one physical CPU and one running vCPU for now, so the frame *is* the
 * state.  Per-domain state of other areas joins struct domain as members
 * of their own types: the PV MMU's struct pv_mm_domain (frame_access.h)
 * and the event channels' state, when those areas join the build.
 */
#ifndef SUBFLOOR_DOMAIN_H
#define SUBFLOOR_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "public/xen.h"
#include "regs.h"

#define MAX_VCPUS_PER_DOMAIN 1          /* one until SMP guests exist */
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

    bool kernel_mode;           /* guest-kernel (true) or guest-user mode */
    struct trap_info trap_table[NR_TRAP_VECTORS];
    struct guest_callback_entry callbacks[NR_GUEST_CALLBACKS];

    /* stack_switch: where a user->kernel bounce builds its frame. */
    uint64_t kernel_ss, kernel_sp;

    /* Segment bases; the hardware holds the live GS base of the current
     * mode, the other one waits here. */
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint16_t gs_sel_user;

    /* Page tables (machine frame numbers of the L4s; 0 = none). */
    uint64_t guest_table;       /* kernel mode */
    uint64_t guest_table_user;  /* user mode (NEW_USER_BASEPTR) */

    bool fpu_ts;                /* the guest's virtual CR0.TS */
    uint64_t vcr4;              /* the guest's virtual CR4 */
    unsigned int iopl;          /* virtual IOPL (PHYSDEVOP_set_iopl) */
    uint64_t last_fault_addr;   /* CR2 as the guest reads it */

    struct vcpu_info *vcpu_info;    /* hypervisor view of its vcpu_info */
    struct cpu_regs saved_regs;     /* registers while not running */
    bool in_multicall;
};

struct domain {
    uint16_t domid;
    bool privileged;            /* SIF_PRIVILEGED: may use privileged ops */
    bool is_initial;            /* dom0 */
    bool is_shutting_down;
    unsigned int shutdown_reason;

    uint64_t tot_pages;         /* frames owned (frame-table owner = domid) */
    uint64_t max_pages;

    struct shared_info *shared_info;
    uint64_t shared_info_mfn;
    uint64_t vm_assist;         /* VMASST_TYPE_* bits enabled */


    unsigned int nr_vcpus;
    struct vcpu *vcpus[MAX_VCPUS_PER_DOMAIN];

    /* Hypercall numbers already reported as not implemented (once each). */
    uint64_t enosys_reported;
};

/* Create a domain with nr_vcpus vCPUs: NULL when out of memory or the
 * arguments are invalid (logged). */
struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus);

/* The vCPU the hypervisor is running for (NULL before any guest runs). */
struct vcpu *current_vcpu(void);
void set_current_vcpu(struct vcpu *v);

/* The register frame of the running vCPU while the hypervisor handles an
 * entry from it. */
struct cpu_regs *guest_regs(void);

/* "d0v0": for log lines, in a static buffer per call site is overkill;
 * the format macros below do it inline. */
#define VCPU_FMT "d%uv%u"
#define VCPU_ARGS(v) (unsigned int)(v)->domain->domid, (v)->vcpu_id

/* The guest did something it cannot recover from: log why, dump the
 * vCPU's registers, and stop the domain.  For dom0 that stops the
 * machine.  Never returns to the guest. */
__attribute__((noreturn, format(printf, 2, 3)))
void domain_crash(struct vcpu *v, const char *fmt, ...);

/* The domain asked to stop (SCHEDOP_shutdown).  For dom0 the machine
 * follows: power off, reset, or (crash) dump and stop. */
__attribute__((noreturn))
void domain_shutdown(struct domain *d, unsigned int reason);

/* Print a guest register frame in Xen's style. */
void show_guest_registers(const struct vcpu *v, const struct cpu_regs *regs);

#endif
