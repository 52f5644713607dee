/*
 * Loading a vcpu_guest_context into a vCPU that is down (VCPUOP_initialise).
 * What a 64-bit PV context can hold and what the vCPU keeps of it: the
 * user registers (the frame it starts from), the virtual trap table, the
 * GDT frames (descriptor-page type references), the kernel stack for
 * ring transitions, the L4 in ctrlreg[3] (an L4 type reference, like
 * MMUEXT_NEW_BASEPTR), the callbacks and the segment bases.  An LDT and
 * debug registers are refused for now: Linux passes neither.  And the
 * other way, for domctl getvcpucontext: what the vCPU holds, as a context.
 */
#include <string.h>
#include "arch/x86/desc.h"
#include "arch/x86/paging.h"
#include "common/domain.h"
#include "common/scheduler.h"
#include "lib/printk.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "public/xen.h"
#include "pv/guest_checks.h"
#include "pv/pv_desc.h"
#include "pv/vcpu_context.h"

/* The arithmetic and direction flags a guest may start with; IF is
 * always on in the real flags (events are masked in vcpu_info instead),
 * and IOPL is the guest's virtual one. */
#define RFLAGS_GUEST_MASK 0xcd5ul
#define RFLAGS_FIXED      0x202ul

/* The general registers a context and a frame both hold, by name. */
#define GENERAL_REGISTERS(X)                                                  \
    X(r15) X(r14) X(r13) X(r12) X(r11) X(r10) X(r9) X(r8)                     \
    X(rbp) X(rdi) X(rsi) X(rdx) X(rcx) X(rbx) X(rax)


/* The frames a context names: the kernel L4 (ctrlreg[3]), the user L4
 * (ctrlreg[1], 0 for none), each taking a root type reference as
 * MMUEXT_NEW_BASEPTR and NEW_USER_BASEPTR do, and the GDT frames.
 * Nothing is kept unless all of them are accepted. */
static long take_tables(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    uint64_t l4 = c->ctrlreg[3] >> PAGE_SHIFT, user = c->ctrlreg[1] >> PAGE_SHIFT;

    /* A vCPU that starts in user mode needs user tables, or it would run
     * on whatever tables its CPU had loaded (Xen refuses it too). */
    if (!(c->flags & VGCF_in_kernel) && !user) {
        printk(LOG_WARNING, VCPU_FMT ": context: user mode without user tables",
               VCPU_ARGS(v));
        return -XEN_EINVAL;
    }
    if (!l4 || get_page_and_type(&d->mm, l4, PGT_l4_page_table)) {
        printk(LOG_WARNING, VCPU_FMT ": context: cr3 %#lx is not an L4 of d%u",
               VCPU_ARGS(v), c->ctrlreg[3], d->domid);
        return -XEN_EINVAL;
    }
    if (user && get_page_and_type(&d->mm, user, PGT_l4_page_table)) {
        put_page_and_type(l4);
        printk(LOG_WARNING, VCPU_FMT ": context: cr1 %#lx (user tables) is not an L4 of d%u",
               VCPU_ARGS(v), c->ctrlreg[1], d->domid);
        return -XEN_EINVAL;
    }
    uint64_t frames[PV_GDT_GUEST_PAGES];
    for (unsigned int i = 0; i < PV_GDT_GUEST_PAGES; i++)
        frames[i] = c->gdt_frames[i];
    long rc = pv_set_gdt(v, frames, (unsigned int)c->gdt_ents);
    if (rc) {
        put_page_and_type(l4);
        if (user)
            put_page_and_type(user);
        printk(LOG_WARNING, VCPU_FMT ": context: GDT frames refused", VCPU_ARGS(v));
        return rc;
    }
    if (v->mm.guest_table)
        put_page_and_type(v->mm.guest_table);
    if (v->mm.guest_table_user)
        put_page_and_type(v->mm.guest_table_user);
    v->mm.guest_table = l4;
    v->mm.guest_table_user = user;
    return 0;
}

/* A vCPU that has a context keeps its tables: as on Xen, a new context
 * must name the same ones (else -EOPNOTSUPP), and only the rest
 * changes, so no type reference is taken or dropped twice. */
static bool same_tables(const struct vcpu *v, const struct vcpu_guest_context *c)
{
    if (c->ctrlreg[3] >> PAGE_SHIFT != v->mm.guest_table ||
        c->ctrlreg[1] >> PAGE_SHIFT != v->mm.guest_table_user ||
        c->gdt_ents != v->gdt_ents || c->ldt_ents != v->mm.ldt_ents)
        return false;
    for (unsigned int i = 0; i < (c->gdt_ents + 511) / 512; i++)
        if (c->gdt_frames[i] != v->gdt_frames[i])
            return false;
    return true;
}

/* Everything of the context but its tables (checked by context_ok). */
static void load_registers(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    const struct cpu_user_regs *u = &c->user_regs;
    struct cpu_regs *r = &v->saved_regs;

    memset(r, 0, sizeof(*r));
#define FROM_CONTEXT(reg) r->reg = u->reg;
    GENERAL_REGISTERS(FROM_CONTEXT)
#undef FROM_CONTEXT
    r->rip = u->rip;
    r->rsp = u->rsp;
    r->cs = pv_guest_kernel_selector(u->cs);
    r->ss = pv_guest_kernel_selector(u->ss);
    r->rflags = (u->rflags & RFLAGS_GUEST_MASK) | RFLAGS_FIXED;
    v->iopl = (unsigned int)(u->rflags >> 12) & 3;

    for (unsigned int i = 0; i < NR_TRAP_VECTORS; i++) {
        v->trap_table[i] = c->trap_ctxt[i];
        pv_trap_info_accept(&v->trap_table[i]);     /* checked above: fixes cs */
    }
    v->kernel_mode = c->flags & VGCF_in_kernel;
    v->kernel_ss = pv_guest_kernel_selector(c->kernel_ss);
    v->kernel_sp = c->kernel_sp;
    v->callbacks[CB_EVENT] = (struct guest_callback_entry){ c->event_callback_eip, true };
    v->callbacks[CB_FAILSAFE] = (struct guest_callback_entry){
        c->failsafe_callback_eip, (c->flags & VGCF_failsafe_disables_events) != 0 };
    v->callbacks[CB_SYSCALL] = (struct guest_callback_entry){
        c->syscall_callback_eip, (c->flags & VGCF_syscall_disables_events) != 0 };
    v->ds_sel = (uint16_t)u->ds;
    v->es_sel = (uint16_t)u->es;
    v->fs_sel = (uint16_t)u->fs;
    v->gs_sel = (uint16_t)u->gs;
    /* As on Xen, a non-null selector wins over the base given with it. */
    v->fs_base = (u->fs & ~3u) ? 0 : c->fs_base;
    v->gs_base_kernel = c->gs_base_kernel;
    v->gs_base_user = (u->gs & ~3u) ? 0 : c->gs_base_user;
    /* The domain's CR4 view is the same on every vCPU; a domU's first
     * vCPU starts from the host's, as dom0's does. */
    v->vcr4 = v == d->vcpus[0] ? pv_default_vcr4() : d->vcpus[0]->vcr4;
    v->fpu_ts = false;
    /* The FPU image only when the caller says it is one (Xen's
     * VGCF_i387_valid), with its MXCSR made one this CPU accepts;
     * otherwise the state of FNINIT. */
    if (c->flags & VGCF_i387_valid)
        pv_fpu_load_image(v, (const uint8_t *)&c->fpu_ctxt);
    else
        pv_fpu_reset(v);
}

static long load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    if (c->ldt_ents || c->ldt_base) {
        printk(LOG_WARNING, VCPU_FMT ": a context with an LDT is not supported",
               VCPU_ARGS(v));
        return -XEN_EINVAL;
    }
    if (c->gdt_ents > GDT_RESERVED_FIRST_ENTRY)
        return -XEN_EINVAL;
    /* Without user tables the vCPU could never leave kernel mode. */
    if (!(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
        return -XEN_EINVAL;
    long rc = take_tables(v, c);
    if (rc)
        return rc;
    load_registers(v, c);
    v->initialised = true;
    return 0;
}

/*
 * Everything the context would have the hypervisor jump to, write into an
 * MSR or build a frame on, checked before any of it is kept, by the same
 * checkers the hypercalls that set each piece use (pv/guest_checks.h).
 * What Xen 4.17's arch_set_info_guest refuses is -EINVAL here too.
 */
static bool context_ok(const struct vcpu_guest_context *c)
{
    if (!pv_entry_point_ok(c->user_regs.rip) ||
        !pv_stack_pointer_ok(c->user_regs.rsp) || !pv_stack_pointer_ok(c->kernel_sp) ||
        !pv_segment_base_ok(c->fs_base) || !pv_segment_base_ok(c->gs_base_kernel) ||
        !pv_segment_base_ok(c->gs_base_user) ||
        !pv_entry_point_ok(c->event_callback_eip) ||
        !pv_entry_point_ok(c->failsafe_callback_eip) ||
        !pv_entry_point_ok(c->syscall_callback_eip))
        return false;
    for (unsigned int i = 0; i < NR_TRAP_VECTORS; i++) {
        struct trap_info ti = c->trap_ctxt[i];
        if (!pv_trap_info_accept(&ti))
            return false;
    }
    return true;
}

long vcpu_initialise(struct vcpu *v, const struct vcpu_guest_context *ctxt)
{
    if (v->initialised)
        return -XEN_EEXIST;
    if (!context_ok(ctxt))
        return -XEN_EINVAL;
    return load_context(v, ctxt);
}

/* What a 64-bit PV guest may have turned on (Xen 4.17's valid mask). */
#define VM_ASSIST_VALID                                                       \
    ((1ull << VMASST_TYPE_4gb_segments) | (1ull << VMASST_TYPE_4gb_segments_notify) | \
     (1ull << VMASST_TYPE_writable_pagetables) | (1ull << VMASST_TYPE_pae_extended_cr3) | \
     (1ull << VMASST_TYPE_architectural_iopl) |                                \
     (1ull << VMASST_TYPE_runstate_update_flag) | (1ull << VMASST_TYPE_m2p_strict))

long vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;

    if (!context_ok(c) || (c->vm_assist & ~VM_ASSIST_VALID))
        return -XEN_EINVAL;
    if (!v->initialised) {
        long rc = load_context(v, c);
        if (rc)
            return rc;
        /* The builder's choice of assists comes with the first vCPU. */
        if (v == d->vcpus[0])
            d->vm_assist = c->vm_assist;
    } else {
        if (!same_tables(v, c))
            return -XEN_EOPNOTSUPP;
        load_registers(v, c);
    }
    v->ev.down = !(c->flags & VGCF_online);
    return 0;
}

static void vcpu_reset_context(struct vcpu *v)
{
    if (v->initialised)
        pv_set_gdt(v, NULL, 0);
    if (v->mm.guest_table)
        put_page_and_type(v->mm.guest_table);
    if (v->mm.guest_table_user)
        put_page_and_type(v->mm.guest_table_user);
    v->mm.guest_table = v->mm.guest_table_user = 0;
    pv_fpu_reset(v);
    v->initialised = false;
    v->ev.down = true;
}

long pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    if (c)
        return vcpu_set_context(v, c);
    vcpu_reset_context(v);
    return 0;
}

long vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *c)
{
    const struct cpu_regs *r;

    if (v == current_vcpu()) {
        pv_vcpu_sync_segments(v);
        r = guest_regs();
    } else if (!sched_vcpu_is_running(v)) {
        /* Off its CPU: everything was saved when it left. */
        r = &v->saved_regs;
    } else {
        return -XEN_EBUSY;
    }
    memset(c, 0, sizeof(*c));
    c->flags = (v->kernel_mode ? VGCF_in_kernel : 0) | (v->ev.down ? 0 : VGCF_online) |
               (v->callbacks[CB_FAILSAFE].mask_events ? VGCF_failsafe_disables_events : 0) |
               (v->callbacks[CB_SYSCALL].mask_events ? VGCF_syscall_disables_events : 0);
    struct cpu_user_regs *u = &c->user_regs;
#define TO_CONTEXT(reg) u->reg = r->reg;
    GENERAL_REGISTERS(TO_CONTEXT)
#undef TO_CONTEXT
    u->rip = r->rip;
    u->rsp = r->rsp;
    u->cs = (uint16_t)r->cs;
    u->ss = (uint16_t)r->ss;
    /* The real flags have IF on; the guest's IOPL is the virtual one. */
    u->rflags = (r->rflags & ~(3ul << 12)) | ((uint64_t)v->iopl << 12);
    u->ds = v->ds_sel;
    u->es = v->es_sel;
    u->fs = v->fs_sel;
    u->gs = v->gs_sel;
    for (unsigned int i = 0; i < NR_TRAP_VECTORS; i++)
        c->trap_ctxt[i] = v->trap_table[i];
    c->ldt_base = v->mm.ldt_base;
    c->ldt_ents = v->mm.ldt_ents;
    for (unsigned int i = 0; i < PV_GDT_GUEST_PAGES; i++)
        c->gdt_frames[i] = v->gdt_frames[i];
    c->gdt_ents = v->gdt_ents;
    c->kernel_ss = v->kernel_ss;
    c->kernel_sp = v->kernel_sp;
    /* The host's CR0 with the guest's own TS; CR3 and, for 64-bit PV, the
     * user tables in CR1, as frame numbers shifted into place. */
    c->ctrlreg[0] = pv_guest_cr0(v);
    c->ctrlreg[1] = v->mm.guest_table_user << PAGE_SHIFT;
    c->ctrlreg[3] = v->mm.guest_table << PAGE_SHIFT;
    c->ctrlreg[4] = v->vcr4;
    c->event_callback_eip = v->callbacks[CB_EVENT].address;
    c->failsafe_callback_eip = v->callbacks[CB_FAILSAFE].address;
    c->syscall_callback_eip = v->callbacks[CB_SYSCALL].address;
    c->vm_assist = v->domain->vm_assist;
    c->fs_base = v->fs_base;
    c->gs_base_kernel = v->gs_base_kernel;
    c->gs_base_user = v->gs_base_user;
    return 0;
}
