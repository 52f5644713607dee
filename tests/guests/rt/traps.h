/*
 * Exceptions and event upcalls as the runtime sees them.  Every entry
 * stub in entry.S builds a struct trap_frame, so a check can inspect
 * exactly what the hypervisor pushed (rcx, r11, error code, iret frame)
 * and change rip/rflags before the iret hypercall resumes.
 */
#ifndef GUEST_RT_TRAPS_H
#define GUEST_RT_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r10, r9, r8, rbp, rdi, rsi, rdx, rbx, rax;
    uint64_t r11, rcx;             /* as the hypervisor saved them */
    uint64_t vector;               /* pushed by our stub */
    uint64_t error_code;           /* the hypervisor's, or 0 from our stub */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Pseudo-vector of the event callback in trap_frame.vector. */
#define EVENT_CALLBACK_VECTOR 256
/* Pseudo-vector of the syscall callback (CALLBACKTYPE_syscall). */
#define SYSCALL_CALLBACK_VECTOR 257
/* The software-interrupt vector the runtime registers with DPL 3. */
#define SOFT_INT_VECTOR 0x80

/* What the last expected exception looked like. */
struct trap_record {
    unsigned int count;            /* expected exceptions taken so far */
    struct trap_frame frame;       /* copy of the frame of the last one */
    uint64_t cr2;                  /* vcpu_info.arch.cr2 when it arrived */
    uint8_t upcall_mask;           /* vcpu_info mask inside the handler */
};
extern volatile struct trap_record trap_last;

/*
 * Arm the next exception: the handler records it and resumes at
 * resume_rip (0: where the hypervisor said, i.e. after a trap).  An
 * exception that arrives unarmed ends the guest with a FAIL line.
 */
void trap_arm(uint64_t resume_rip);
bool trap_armed(void);

/*
 * Execute `insn` (one or more instructions, as an asm string) with the
 * next exception armed to resume right after it; trap_insn_rip is where
 * `insn` starts.  Clobbers rax on top of the operands given.
 */
#define TRAP_PROVOKE(insn, ...)                                              \
    asm volatile("leaq 9f(%%rip), %%rax\n\t"                                 \
                 "movq %%rax, trap_resume_rip(%%rip)\n\t"                    \
                 "leaq 8f(%%rip), %%rax\n\t"                                 \
                 "movq %%rax, trap_insn_rip(%%rip)\n\t"                      \
                 "movl $1, trap_is_armed(%%rip)\n"                           \
                 "8:\n\t" insn "\n"                                          \
                 "9:\n\t"                                                    \
                 : : __VA_ARGS__ : "rax", "memory", "cc")

extern uint64_t trap_insn_rip;
/*
 * When set, an armed exception (or syscall callback) calls this after
 * recording instead of resuming at trap_resume_rip: a test that ran in
 * user mode uses it to return to kernel code.
 */
extern void (*trap_resume_hook)(struct trap_frame *f);

/* Register the syscall callback (only guests that enter user mode). */
long rt_register_syscall_callback(void);

extern uint64_t trap_resume_rip;
extern int trap_is_armed;

/* Event upcall hook; the default (rt/events.c) scans and counts ports. */
void trap_dispatch(struct trap_frame *f);
void event_upcall(struct trap_frame *f);

void rt_install_traps(void);
void rt_iret_to_frame(void);
void rt_iret_by_syscall(void);
extern void *rt_iret_entry;

#endif
