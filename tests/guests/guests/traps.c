/*
 * traps: every exception a guest kernel can provoke from its ring-3
 * "kernel mode" reaches the handler registered with set_trap_table, with
 * the right vector, error code, rip and (for #PF) cr2, in the frame
 * layout 64-bit PV guests rely on; iret (both routes) resumes correctly
 * and restores the event mask from rflags.IF.
 */
#include "guest.h"
#include "traps.h"

const char guest_name[] = "traps";

#define X86_EFLAGS_IF 0x200
#define X86_EFLAGS_TF 0x100
#define PFEC_PRESENT 0x1
#define PFEC_WRITE   0x2
#define PFEC_USER    0x4
#define PFEC_INSN    0x10

static void expect_vector(const char *name, unsigned int vector, unsigned int count_before)
{
    check(trap_last.count == count_before + 1 && trap_last.frame.vector == vector, name,
          "handler count %u->%u, vector %lu (want %u)", count_before, trap_last.count,
          (unsigned long)trap_last.frame.vector, vector);
}

static void faults_without_error_code(void)
{
    unsigned int n = trap_last.count;
    /* A faulting div writes nothing, so rdx needs no clobber. */
    TRAP_PROVOKE("divl %%ecx", "c"(0), "d"(0));
    expect_vector("#DE from div by zero delivered", 0, n);
    check_eq("#DE rip is the faulting div", trap_last.frame.rip, trap_insn_rip);

    n = trap_last.count;
    TRAP_PROVOKE("ud2", "i"(0));
    expect_vector("#UD from ud2 delivered", 6, n);
    check_eq("#UD rip is the ud2", trap_last.frame.rip, trap_insn_rip);
    check_eq("#UD has no error code (stub's 0)", trap_last.frame.error_code, 0);
}

static void traps_and_soft_ints(void)
{
    unsigned int n = trap_last.count;
    TRAP_PROVOKE("int3", "i"(0));
    expect_vector("#BP from int3 delivered", 3, n);
    check_eq("#BP rip is after the int3", trap_last.frame.rip, trap_resume_rip);

    n = trap_last.count;
    TRAP_PROVOKE("int $4", "i"(0));
    expect_vector("int $4 (#OF gate, DPL 3) delivered", 4, n);
    check_eq("int $4 rip is after the instruction", trap_last.frame.rip, trap_resume_rip);

    n = trap_last.count;
    TRAP_PROVOKE("int $0x80", "i"(0));
    expect_vector("int $0x80 to a DPL-3 trap_info entry delivered", SOFT_INT_VECTOR, n);

    n = trap_last.count;
    TRAP_PROVOKE("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop", "i"(0));
    expect_vector("#DB from single-stepping (rflags.TF) delivered", 1, n);
    check(trap_last.frame.rflags & X86_EFLAGS_TF, "#DB frame has rflags.TF set", "rflags %#lx",
          (unsigned long)trap_last.frame.rflags);
}

static void faults_with_error_code(void)
{
    unsigned int n = trap_last.count;
    TRAP_PROVOKE("movq (%%rcx), %%rax", "c"(0x8000000000000000UL));
    expect_vector("#GP from a non-canonical load delivered", 13, n);
    check_eq("#GP error code 0", trap_last.frame.error_code, 0);
    check_eq("#GP rip is the load", trap_last.frame.rip, trap_insn_rip);

    n = trap_last.count;
    TRAP_PROVOKE("movq (%%rcx), %%rax", "c"(0x1000UL));
    expect_vector("#PF reading an unmapped address delivered", 14, n);
    check_eq("#PF read error code: not present, read, kernel mode", trap_last.frame.error_code, 0);
    check_eq("#PF read cr2 in vcpu_info.arch.cr2", trap_last.cr2, 0x1000);
    check_eq("#PF rip is the load", trap_last.frame.rip, trap_insn_rip);

    n = trap_last.count;
    TRAP_PROVOKE("movq %%rax, (%%rcx)", "c"(start_info->pt_base + 8));
    expect_vector("#PF writing the read-only L4 delivered", 14, n);
    check_eq("#PF write error code: present|write", trap_last.frame.error_code & 0x1f,
             PFEC_PRESENT | PFEC_WRITE);
    check_eq("#PF write cr2", trap_last.cr2, start_info->pt_base + 8);

    n = trap_last.count;
    TRAP_PROVOKE("jmp *%%rcx", "c"(0x2000UL));
    expect_vector("#PF fetching from an unmapped address delivered", 14, n);
    check_eq("#PF fetch error code: instruction fetch", trap_last.frame.error_code & 0x1f,
             PFEC_INSN);
    check_eq("#PF fetch cr2 and rip", trap_last.cr2 + trap_last.frame.rip, 0x4000);
}

static void device_not_available(void)
{
    long rc = hyp_fpu_taskswitch(1);
    check_eq("fpu_taskswitch(1) succeeds", rc, 0);
    unsigned int n = trap_last.count;
    TRAP_PROVOKE("fninit", "i"(0));
    expect_vector("#NM after fpu_taskswitch(1) delivered", 7, n);
    /* Delivering #NM clears the virtual CR0.TS, as a guest kernel expects. */
    n = trap_last.count;
    asm volatile("fninit");
    check_eq("FPU usable after #NM without another fault", trap_last.count, n);
}

/* Frame layout: rcx and r11 as the hypervisor saved them, the other
 * registers untouched, and the iret frame describing the fault. */
static void frame_layout(void)
{
    uint64_t rsp_at_fault;
    unsigned int n = trap_last.count;

    asm volatile("leaq 1f(%%rip), %%rax\n\t"
                 "movq %%rax, trap_resume_rip(%%rip)\n\t"
                 "movl $1, trap_is_armed(%%rip)\n\t"
                 "movq $0x1111111111111111, %%rcx\n\t"
                 "movq $0x2222222222222222, %%r11\n\t"
                 "movq $0x3333333333333333, %%rbx\n\t"
                 "movq %%rsp, %0\n\t"
                 "ud2\n"
                 "1:"
                 : "=m"(rsp_at_fault) : : "rax", "rbx", "rcx", "r11", "memory");
    expect_vector("ud2 with marked registers delivered", 6, n);
    const volatile struct trap_frame *f = &trap_last.frame;
    check(f->rcx == 0x1111111111111111UL && f->r11 == 0x2222222222222222UL,
          "frame: rcx and r11 are the interrupted values", "rcx %#lx r11 %#lx",
          (unsigned long)f->rcx, (unsigned long)f->r11);
    check_eq("frame: other registers untouched (rbx)", f->rbx, 0x3333333333333333L);
    /* A frame from guest-kernel mode shows CS with RPL 0 (the kernel runs
     * in ring 3 but must be able to tell its own frames from user ones). */
    check_eq("frame: cs is FLAT_KERNEL_CS with RPL 0", f->cs & 0xffff, FLAT_KERNEL_CS & ~3);
    check_eq("frame: ss is FLAT_KERNEL_SS", f->ss & 0xffff, FLAT_KERNEL_SS);
    check_eq("frame: rsp is the interrupted rsp", f->rsp, rsp_at_fault);
    check(!(f->rflags & X86_EFLAGS_IF), "frame: rflags.IF clear while events were masked",
          "rflags %#lx", (unsigned long)f->rflags);
    check_eq("handler entered with events masked (trap_info flag)", trap_last.upcall_mask, 1);
}

static void iret_event_mask(void)
{
    vcpu_info_t *vi = &shared_info->vcpu_info[0];
    vi->evtchn_upcall_mask = 0;
    unsigned int n = trap_last.count;
    TRAP_PROVOKE("int3", "i"(0));
    expect_vector("int3 with events unmasked delivered", 3, n);
    check(trap_last.frame.rflags & X86_EFLAGS_IF, "frame: rflags.IF set while events unmasked",
          "rflags %#lx", (unsigned long)trap_last.frame.rflags);
    check_eq("iret restores events unmasked from rflags.IF", vi->evtchn_upcall_mask, 0);
    vi->evtchn_upcall_mask = 1;
}

uint64_t iret_marker;

static void iret_by_syscall(void)
{
    void *saved = rt_iret_entry;
    rt_iret_entry = (void *)rt_iret_by_syscall;
    unsigned int n = trap_last.count;
    iret_marker = 0;
    /* Resume where the hypervisor says (after the int3), so the store runs. */
    asm volatile("movq $0, trap_resume_rip(%%rip)\n\t"
                 "movl $1, trap_is_armed(%%rip)\n\t"
                 "int3\n\t"
                 "movq $42, iret_marker(%%rip)"
                 : : : "memory");
    rt_iret_entry = saved;
    expect_vector("int3 handled, returning by a bare-syscall iret", 3, n);
    /* The store after int3 ran: we came back to the right place. */
    check_eq("bare-syscall iret resumed after the int3", *(volatile uint64_t *)&iret_marker, 42);
}

void guest_main(void)
{
    faults_without_error_code();
    traps_and_soft_ints();
    faults_with_error_code();
    device_not_available();
    frame_layout();
    iret_event_mask();
    iret_by_syscall();
}
