/*
 * The register frame the exception entry stubs build on the stack.  The
 * field order is the push order in entry.S, reversed: change both together.
 */
#ifndef SUBFLOOR_REGS_H
#define SUBFLOOR_REGS_H

#include <stdint.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    /* Pushed by the CPU. */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct cpu_regs) == 22 * 8, "entry.S pushes 22 words");

#endif
