/*
 * Where entry.S leads every vector.  An exception of the hypervisor's own
 * is fatal unless an exception fix-up lists the instruction (extable.h)
 * or it is the exit's IRETQ failing to return to a guest frame (below):
 * otherwise it prints its name, error code, all registers and a
 * backtrace, then panics, instead of triple-faulting.
 */
#include <stddef.h>
#include "arch/x86/apic.h"
#include "arch/x86/arch_ops.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/entry_vectors.h"
#include "arch/x86/extable.h"
#include "arch/x86/pic.h"
#include "arch/x86/traps.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/printk.h"

static const char *const exception_names[32] = {
    [0] = "#DE divide error",           [1] = "#DB debug",
    [2] = "NMI",                        [3] = "#BP breakpoint",
    [4] = "#OF overflow",               [5] = "#BR bound range exceeded",
    [6] = "#UD invalid opcode",         [7] = "#NM device not available",
    [8] = "#DF double fault",           [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",           [11] = "#NP segment not present",
    [12] = "#SS stack-segment fault",   [13] = "#GP general protection",
    [14] = "#PF page fault",            [16] = "#MF x87 floating point",
    [17] = "#AC alignment check",       [18] = "#MC machine check",
    [19] = "#XM SIMD floating point",   [20] = "#VE virtualization",
    [21] = "#CP control protection",    [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",     [30] = "#SX security",
};

static interrupt_handler_fn interrupt_handlers[256];

void trap_set_interrupt_handler(unsigned int vector, interrupt_handler_fn fn)
{
    BUG_ON(vector < 32 || vector > 255);
    interrupt_handlers[vector] = fn;
}

void show_gprs(const struct cpu_regs *regs)
{
    printk(LOG_ERR, "rax: %016lx   rbx: %016lx   rcx: %016lx",
           regs->rax, regs->rbx, regs->rcx);
    printk(LOG_ERR, "rdx: %016lx   rsi: %016lx   rdi: %016lx",
           regs->rdx, regs->rsi, regs->rdi);
    printk(LOG_ERR, "rbp: %016lx   rsp: %016lx   r8:  %016lx",
           regs->rbp, regs->rsp, regs->r8);
    printk(LOG_ERR, "r9:  %016lx   r10: %016lx   r11: %016lx",
           regs->r9, regs->r10, regs->r11);
    printk(LOG_ERR, "r12: %016lx   r13: %016lx   r14: %016lx",
           regs->r12, regs->r13, regs->r14);
}

void show_registers(const struct cpu_regs *regs)
{
    printk(LOG_ERR, "RIP:    %04lx:%016lx", regs->cs, regs->rip);
    print_symbol_line("RIP is ", regs->rip);
    printk(LOG_ERR, "RSP:    %04lx:%016lx  RFLAGS: %016lx",
           regs->ss, regs->rsp, regs->rflags);
    show_gprs(regs);
    printk(LOG_ERR, "r15: %016lx", regs->r15);
    printk(LOG_ERR, "cr0: %016lx   cr2: %016lx   cr3: %016lx   cr4: %016lx",
           read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void describe_page_fault(uint64_t ec)
{
    printk(LOG_ERR, "page fault at %016lx: %s %s in %s mode%s",
           read_cr2(), ec & 1 ? "protection violation on" : "not-present",
           ec & 16 ? "instruction fetch" : ec & 2 ? "write" : "read",
           ec & 4 ? "user" : "supervisor",
           ec & 8 ? ", reserved bit set" : "");
}

__attribute__((noreturn)) void fatal_exception(struct cpu_regs *regs)
{
    unsigned int vector = regs->vector & 0xff;
    const char *name = exception_names[vector] ? exception_names[vector]
                                               : "reserved exception";

    console_start_emergency();
    printk(LOG_ERR, "----[ fatal exception in the hypervisor ]----");
    printk(LOG_ERR, "%s (vector %u), error code %016lx", name, vector,
           regs->error_code);
    if (vector == 14)
        describe_page_fault(regs->error_code);
    show_registers(regs);
    backtrace_print(regs->rip, regs->rbp);
    panic_after_dump("fatal exception %s (vector %u) in the hypervisor",
                     name, vector);
}

const struct arch_ops *arch_ops;

void arch_set_ops(const struct arch_ops *ops)
{
    arch_ops = ops;
}

/* entry.S */
extern const char exit_iretq[];

/* The words IRETQ pops: rip, cs, rflags, rsp, ss. */
#define IRET_FRAME_WORDS 5

/* What loading a guest's selectors or its shadow LDT page raises. */
static bool exit_fault_vector(uint64_t vector)
{
    return vector == 11 || vector == 12 || vector == 13 || vector == 14;
}

/*
 * Did the exit's IRETQ fault while returning to a guest?  Then it was
 * returning to the frame at the top of this CPU's guest entry stack (the
 * only frame an exit to ring 3 uses), its rsp pointing at the frame's
 * rip, and the general registers are already the guest's.  The hypervisor
 * holds nothing at this point (the lock was dropped for the exit).
 */
static bool guest_exit_faulted(const struct cpu_regs *regs)
{
    if ((uintptr_t)regs->rip != (uintptr_t)exit_iretq || (regs->cs & 3) ||
        !exit_fault_vector(regs->vector))
        return false;
    uintptr_t top = guest_entry_stack_top();
    if (regs->rsp != top - IRET_FRAME_WORDS * 8)
        return false;
    const uint64_t *frame = (const uint64_t *)(uintptr_t)regs->rsp;
    return (frame[1] & 3) == 3;
}

/*
 * As Xen does: the guest takes the fault as its own, raised by the frame
 * the hypervisor was returning to, so it reaches the guest's trap table
 * (or the shadow LDT mapping) like any exception of the guest.  The entry
 * starts afresh from the top of the stack; the frames below are dropped.
 */
static __attribute__((noreturn)) void reenter_from_exit_fault(const struct cpu_regs *regs)
{
    const uint64_t *frame = (const uint64_t *)(uintptr_t)regs->rsp;
    struct cpu_regs g = *regs;

    g.rip = frame[0];
    g.cs = frame[1];
    g.rflags = frame[2];
    g.rsp = frame[3];
    g.ss = frame[4];
    g.vector = (regs->vector & 0xff) | ENTRY_VECTOR_EXIT_FAULT;
    g.error_code = regs->error_code;
    entry_from_frame(&g, guest_entry_stack_top());
}

/* Called by entry.S for every vector: what it leads to is the upper
 * layers' (arch_ops.trap, pv/trap_entry.c). */
bool trap_dispatch(struct cpu_regs *regs)
{
    if (!arch_ops)
        fatal_exception(regs);      /* before boot wired the layers up */
    if (guest_exit_faulted(regs))
        reenter_from_exit_fault(regs);
    return arch_ops->trap(regs);
}

void interrupt_dispatch(struct cpu_regs *regs)
{
    unsigned int vector = regs->vector & 0xff;

    if (vector == APIC_SPURIOUS_VECTOR)
        return;                 /* spurious: no EOI by definition */
    if (vector >= PIC_VECTOR_BASE && vector < PIC_VECTOR_BASE + PIC_NR_IRQS) {
        pic_dispatch(vector - PIC_VECTOR_BASE, regs);   /* ExtINT: 8259 EOI */
        return;
    }

    if (interrupt_handlers[vector])
        interrupt_handlers[vector](regs);
    else
        printk(LOG_WARNING, "unexpected interrupt on vector %u ignored", vector);
    apic_eoi();
}
