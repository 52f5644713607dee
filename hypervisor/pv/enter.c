/*
 * Running PV guests on this CPU: the SYSCALL MSRs, the control-register
 * bits a guest kernel's FPU and SSE code rely on, and the first entry
 * into a vCPU.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/entry_vectors.h"
#include "arch/x86/extable.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pte.h"
#include "arch/x86/tlbflush.h"
#include "arch/x86/traps.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "common/vcpu_events.h"
#include "lib/printk.h"
#include "pv/domain_teardown.h"
#include "pv/dom0_build.h"
#include "pv/pv_desc.h"
#include "pv/mmu_domain.h"
#include "pv/pv_traps.h"
#include "pv/vcpu_context.h"

#define MSR_STAR_NR         0xc0000081u
#define MSR_LSTAR_NR        0xc0000082u
#define MSR_CSTAR_NR        0xc0000083u
#define MSR_SFMASK_NR       0xc0000084u
#define MSR_FS_BASE_NR      0xc0000100u
#define MSR_GS_BASE_NR      0xc0000101u
#define MSR_SHADOW_GS_NR    0xc0000102u
#define MSR_PAT_NR          0x00000277u
#define EFER_SCE            (1ul << 0)
#define EFER_FFXSR          (1ul << 14)     /* AMD: FXSAVE would skip the XMM registers */

#define X86_CR0_MP          (1ul << 1)
#define X86_CR0_EM          (1ul << 2)
#define X86_CR0_TS          (1ul << 3)
#define X86_CR0_NE          (1ul << 5)
#define X86_CR4_TSD         (1ul << 2)
#define X86_CR4_OSFXSR      (1ul << 9)
#define X86_CR4_OSXMMEXCPT  (1ul << 10)

/* SYSCALL runs the hypervisor with these flags clear: no interrupts until
 * it has its own stack, and a sane direction flag. */
#define SFMASK_VALUE ((1ul << 9) | (1ul << 8) | (1ul << 10) | (1ul << 14) | (1ul << 18))

/* The guest PAT (pv_msr.h) must mean what the hardware does. */
#define PV_PAT_VALUE 0x0000050100070406ull

/* entry.S: per-CPU SYSCALL stubs of SYSCALL_STUB_SIZE bytes each, and
 * the stack each CPU's stubs switch to. */
extern const char syscall64_stubs[], syscall32_stubs[];
extern uint64_t syscall_stack_top[];
#define SYSCALL_STUB_SIZE 64
void pv_enter_frame(const struct cpu_regs *frame, uintptr_t stack_top) __attribute__((noreturn));
_Static_assert(NR_CPUS == 8, "entry.S's NR_CPUS_ASM must match NR_CPUS");

void pv_cpu_init(void)
{
    /* Fast FXSAVE/FXRSTOR at ring 0 leave the XMM registers out: one
     * vCPU's would reach the next (firmware may have set it). */
    wrmsr(MSR_EFER, (rdmsr(MSR_EFER) | EFER_SCE) & ~EFER_FFXSR);
    wrmsr(MSR_STAR_NR, STAR_VALUE);
    unsigned int cpu = smp_processor_id();
    syscall_stack_top[cpu] = percpu_stack_top(cpu);
    wrmsr(MSR_LSTAR_NR, (uint64_t)(uintptr_t)(syscall64_stubs + cpu * SYSCALL_STUB_SIZE));
    wrmsr(MSR_CSTAR_NR, (uint64_t)(uintptr_t)(syscall32_stubs + cpu * SYSCALL_STUB_SIZE));
    wrmsr(MSR_SFMASK_NR, SFMASK_VALUE);
    wrmsr(MSR_PAT_NR, PV_PAT_VALUE);
    /* Guest kernels use the FPU and SSE natively; rdtsc must not trap. */
    write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP | X86_CR0_NE);
    write_cr4((read_cr4() & ~X86_CR4_TSD) | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
    pv_desc_cpu_init();
}

#define RFLAGS_KEPT_BY_SYSRET 0x3c7fd7ul   /* what SYSRET keeps of r11 */
#define RFLAGS_FIXED          (1ul << 1)
#define RFLAGS_IF             (1ul << 9)

bool pv_exit_by_sysret(const struct cpu_regs *regs)
{
    /* SYSRET loads rip from rcx and rflags from r11: only when those are
     * what the frame returns to anyway (a hypercall made by SYSCALL, an
     * iret asking for VGCF_in_syscall) is it the same as IRETQ.  A
     * non-canonical rip would fault at ring 0 on some CPUs: never. */
    return regs->cs == GUEST_CS64 && regs->ss == GUEST_DS &&
           regs->rcx == regs->rip && regs->r11 == regs->rflags &&
           !(regs->rflags & ~RFLAGS_KEPT_BY_SYSRET) &&
           (regs->rflags & RFLAGS_FIXED) && (regs->rflags & RFLAGS_IF) &&
           va_canonical(regs->rip);
}

/* Load a data segment register with a selector of the guest's: on a
 * fault (a selector its tables do not back) load null instead and clear
 * *ok. */
#define LOAD_GUEST_SEG(seg, sel, ok)                                    \
    __asm__ volatile("1: movl %k[s], %%" #seg "\n"                      \
                     "2:\n"                                             \
                     ".pushsection .text.fixup, \"ax\"\n"              \
                     "3: xorl %k[s], %k[s]\n"                           \
                     "   movl %k[s], %%" #seg "\n"                      \
                     "   movb $0, %[okay]\n"                            \
                     "   jmp 2b\n"                                      \
                     ".popsection\n"                                    \
                     EXTABLE_ENTRY(1b, 3b)                              \
                     : [s] "+r"(sel), [okay] "+m"(ok) : : "memory")

/* v's data segment selectors into the registers, as the guest left them
 * (VCPUOP_initialise's context, or what vcpu_leave read back); false when
 * one did not load and holds null now.  Before the segment bases: a
 * selector load sets them from the descriptor. */
static bool load_data_segments(struct vcpu *v)
{
    uint32_t ds = v->ds_sel, es = v->es_sel, fs = v->fs_sel, gs = v->gs_sel;
    bool ok = true;

    /* The shadow LDT is mapped on first touch; at ring 0 nothing maps it. */
    pv_ldt_premap(v, (uint16_t)ds);
    pv_ldt_premap(v, (uint16_t)es);
    pv_ldt_premap(v, (uint16_t)fs);
    pv_ldt_premap(v, (uint16_t)gs);
    LOAD_GUEST_SEG(ds, ds, ok);
    LOAD_GUEST_SEG(es, es, ok);
    LOAD_GUEST_SEG(fs, fs, ok);
    LOAD_GUEST_SEG(gs, gs, ok);
    return ok;
}

#define X86_FCW_DEFAULT   0x037f
#define X86_MXCSR_DEFAULT 0x1f80

void pv_fpu_reset(struct vcpu *v)
{
    memset(v->fpu, 0, sizeof(v->fpu));
    v->fpu[0] = X86_FCW_DEFAULT & 0xff;
    v->fpu[1] = X86_FCW_DEFAULT >> 8;
    uint32_t mxcsr = X86_MXCSR_DEFAULT;
    memcpy(&v->fpu[24], &mxcsr, sizeof(mxcsr));
}

/* The MXCSR bits this CPU accepts: FXRSTOR of any other raises #GP in
 * the hypervisor.  FXSAVE reports them (0 there means the original
 * 0xffbf). */
static uint32_t mxcsr_mask(void)
{
    static uint32_t mask;

    if (!mask) {
        uint8_t img[512] __attribute__((aligned(16)));
        uint64_t cr0 = read_cr0();
        __asm__ volatile("clts; fxsave64 %0" : "=m"(img));
        write_cr0(cr0);
        memcpy(&mask, &img[28], sizeof(mask));
        if (!mask)
            mask = 0xffbf;
    }
    return mask;
}

void pv_fpu_load_image(struct vcpu *v, const uint8_t image[512])
{
    uint32_t mxcsr;

    memcpy(v->fpu, image, sizeof(v->fpu));
    memcpy(&mxcsr, &v->fpu[24], sizeof(mxcsr));
    mxcsr &= mxcsr_mask();
    memcpy(&v->fpu[24], &mxcsr, sizeof(mxcsr));
    /* Bytes 28..31 are the CPU's own mask: FXRSTOR ignores them. */
}

uint64_t pv_default_vcr4(void)
{
    return read_cr4() & (X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | (1ul << 5) /* PAE */);
}

/* pv_ops.vcpu_init: the FPU state a vCPU starts with (FNINIT's, and the
 * MXCSR of reset). */
static void vcpu_init(struct vcpu *v)
{
    pv_fpu_reset(v);
}

/* pv_ops.vcpu_enter: the CPU takes v's PV state, then runs it. */
static __attribute__((noreturn)) void vcpu_enter(struct vcpu *v)
{
    uint64_t kernel_gs = v->gs_base_kernel, user_gs = v->gs_base_user;

    pv_cpu_init();
    pv_desc_switch_to(v);
    pv_mm_load_cr3(v);
    bool segs_ok = load_data_segments(v);
    wrmsr(MSR_FS_BASE_NR, v->fs_base);
    wrmsr(MSR_GS_BASE_NR, v->kernel_mode ? kernel_gs : user_gs);
    wrmsr(MSR_SHADOW_GS_NR, v->kernel_mode ? user_gs : kernel_gs);
    __asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t (*)[512])v->fpu));
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    /* Its page tables are loaded: the guest's records can be written. */
    vcpu_runstate_publish(v);
    vcpu_time_publish(v);
    /* Through the common exit, which delivers what became pending while
     * the vCPU did not run; or as an entry from that frame, so that the
     * failsafe bounce (pv_enter_failsafe) and a crash dump find it where
     * every entry's frame is.  Set while the lock is held: the frame is
     * the vCPU's until it is copied onto this CPU's stack. */
    v->saved_regs.vector = segs_ok ? ENTRY_VECTOR_RESUME : ENTRY_VECTOR_FAILSAFE;
    uintptr_t stack_top = percpu_stack_top(v->processor);
    hv_lock_exit_all();
    entry_from_frame(&v->saved_regs, stack_top);
}

void pv_enter_failsafe(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    const uint16_t sel[4] = { v->ds_sel, v->es_sel, v->fs_sel, v->gs_sel };

    /* As Xen's context switch: the failsafe callback learns which
     * selectors the vCPU asked for; the frame is its to return to. */
    v->ds_sel = v->es_sel = v->fs_sel = v->gs_sel = 0;
    pv_bounce_failsafe(v, regs, sel);
    printk(LOG_INFO, VCPU_FMT ": data segments (ds %04x es %04x fs %04x gs %04x) did not load "
           "on entry: to its failsafe callback", VCPU_ARGS(v), sel[0], sel[1], sel[2], sel[3]);
}

#define READ_SEG(seg) ({ uint32_t sel_; __asm__ volatile("movl %%" #seg ", %0" : "=r"(sel_)); \
                         (uint16_t)sel_; })

/* A guest changes its selectors and, with them, its FS and GS bases
 * without the hypervisor seeing it: read back what vcpu_enter must load
 * again (pv_ops.vcpu_leave, when v stops running on this CPU), or what
 * getvcpucontext reports of v, current. */
void pv_vcpu_sync_segments(struct vcpu *v)
{
    v->ds_sel = READ_SEG(ds);
    v->es_sel = READ_SEG(es);
    v->fs_sel = READ_SEG(fs);
    v->gs_sel = READ_SEG(gs);
    v->fs_base = rdmsr(MSR_FS_BASE_NR);
    uint64_t gs = rdmsr(MSR_GS_BASE_NR), shadow = rdmsr(MSR_SHADOW_GS_NR);
    v->gs_base_kernel = v->kernel_mode ? gs : shadow;
    v->gs_base_user = v->kernel_mode ? shadow : gs;
}

static void vcpu_leave(struct vcpu *v)
{
    pv_vcpu_sync_segments(v);
    /* FXSAVE with CR0.TS set would raise #NM here; the guest's TS is in
     * v->fpu_ts and comes back with vcpu_enter. */
    __asm__ volatile("clts; fxsave64 %0" : "=m"(*(uint8_t (*)[512])v->fpu));
}

static void cpu_idle_enter(void)
{
    pv_desc_cpu_clear();
}

const struct pv_ops pv_common_ops = {
    .domain_init = pv_mm_setup_domain,
    .vcpu_init = vcpu_init,
    .vcpu_enter = vcpu_enter,
    .vcpu_leave = vcpu_leave,
    .cpu_idle_enter = cpu_idle_enter,
    .vcpu_initialise = vcpu_initialise,
    .vcpu_get_context = vcpu_get_context,
    .hypercall_page_init = pv_hypercall_page_init,
    .vcpu_set_context = pv_vcpu_set_context,
    .domain_teardown = pv_domain_teardown,
};

void dom0_start(struct domain *d)
{
    struct vcpu *v = d->vcpus[0];

    local_irq_disable();
    pv_cpu_init();
    v->vcr4 = pv_default_vcr4();
    printk(LOG_INFO, "d0: starting vCPU 0 at %#lx (rsp %#lx, start_info %#lx)",
           v->saved_regs.rip, v->saved_regs.rsp, v->saved_regs.rsi);
    hv_lock_enter();
    sched_start(v);
}
