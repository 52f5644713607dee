/*
 * Interrupt and exception entry.  One 16-byte stub per vector makes every
 * frame look the same (error code, then vector) before the common path
 * saves the registers as a struct cpu_regs and calls trap_dispatch().
 *
 * A ring-3 guest enters the same way: the CPU switches to the TSS's rsp0,
 * the top of the guest entry stack, so the guest's frame always sits at
 * the same place (guest_regs()).  SYSCALL does not switch stacks: its
 * entry does that itself and builds the identical frame, with a vector
 * number above 255 saying which kind of SYSCALL it was.
 *
 * The way back is the common exit's IRETQ, or SYSRET when it leaves the
 * guest exactly as the IRETQ would.  Both run at ring 0 on values the
 * guest chose, and the IRETQ can fault: a selector its descriptor tables
 * no longer back (#GP, #NP, #SS), a shadow LDT page not mapped yet (#PF),
 * a non-canonical rip (#GP on hardware; QEMU's TCG takes the fetch fault
 * at ring 3 instead).  Such a fault is at exit_iretq with the guest's
 * frame at the top of the stack: trap_dispatch (traps.c) turns it back
 * into an entry from that frame, so the guest gets the fault as if it
 * had raised it there (docs/security.md, "Paths back into a guest").
 * SYSRET must never fault: it would #GP on the guest's stack at ring 0
 * (a non-canonical rcx on Intel), so pv_exit_by_sysret only lets it
 * return to a canonical rip, and SYSRET loads no selector.
 */
#include "arch/x86/desc.h"
#include "arch/x86/entry_vectors.h"

        .section .text, "ax", @progbits
        .code64

#define HAS_ERROR_CODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
                           (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
                           (v) == 29 || (v) == 30)

        .balign 16
        .globl entry_stubs
entry_stubs:
        .set    vec, 0
        .rept   256
1:
        .if !HAS_ERROR_CODE(vec)
        .byte   0x6a, 0                 /* push $0: no error code */
        .endif
        .byte   0x6a, vec               /* push $vec (sign-extended: mask it) */
        jmp     common_entry
        .fill   16 - (. - 1b), 1, 0xcc
        .set    vec, vec + 1
        .endr
        .globl entry_stubs_end
entry_stubs_end:

/*
 * SYSCALL leaves rsp alone and there is no per-CPU segment base (the
 * guest's GS base stays live), so each CPU gets its own pair of entry
 * stubs that name that CPU's stack and scratch slot directly; pv/enter.c
 * points LSTAR/CSTAR at them (syscall_entry_for()).  Each stub fills a
 * fixed SYSCALL_STUB_SIZE slot.
 */
#define SYSCALL_STUB_SIZE 64
#define NR_CPUS_ASM 8                   /* percpu.h's NR_CPUS */

.macro syscall_stub cpu, cs, vector
1:
        mov     %rsp, (syscall_guest_rsp + 8 * \cpu)(%rip)
        mov     (syscall_stack_top + 8 * \cpu)(%rip), %rsp
        pushq   $GUEST_DS               /* ss */
        pushq   (syscall_guest_rsp + 8 * \cpu)(%rip)   /* rsp */
        pushq   %r11                    /* rflags */
        pushq   $\cs                    /* cs */
        pushq   %rcx                    /* rip */
        pushq   $0                      /* error code */
        pushq   $\vector
        .byte   0xe9                    /* jmp rel32: a fixed size for the check */
        .long   common_entry - (. + 4)
        .if (. - 1b) > SYSCALL_STUB_SIZE
        .error "SYSCALL stub too large"
        .endif
        .fill   SYSCALL_STUB_SIZE - (. - 1b), 1, 0xcc
.endm

        .balign SYSCALL_STUB_SIZE
        .globl syscall64_stubs
syscall64_stubs:
        .set    cpu, 0
        .rept   NR_CPUS_ASM
        syscall_stub cpu, GUEST_CS64, ENTRY_VECTOR_SYSCALL
        .set    cpu, cpu + 1
        .endr

        .globl syscall32_stubs
syscall32_stubs:
        .set    cpu, 0
        .rept   NR_CPUS_ASM
        syscall_stub cpu, GUEST_CS32, ENTRY_VECTOR_SYSCALL32
        .set    cpu, cpu + 1
        .endr

/* rdi points at a struct cpu_regs outside the guest entry stack, rsi is
 * the top of this CPU's guest entry stack: the frame becomes the one at
 * its top, and what ran on this stack before is abandoned. */
.macro frame_to_stack_top
        cli
        mov     %rsi, %rsp
        sub     $(22 * 8), %rsp
        mov     %rdi, %rsi
        mov     %rsp, %rdi
        mov     $22, %ecx
        cld
        rep movsq
.endm

/* Start (or resume) a guest from a saved frame: the common exit returns
 * to it. */
        .globl pv_enter_frame
pv_enter_frame:
        frame_to_stack_top
        jmp     common_exit

/* Enter the hypervisor as if the guest frame had trapped with its vector
 * and error code (traps.c: a fault of the exit's IRETQ). */
        .globl entry_from_frame
entry_from_frame:
        frame_to_stack_top
        jmp     common_dispatch

/* The general registers of a struct cpu_regs, back from the stack. */
.macro pop_gprs
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
.endm

common_entry:
        cld
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
common_dispatch:
        mov     %rsp, %rdi
        xor     %ebp, %ebp              /* backtraces start from the frame */
        /* Returns with the frame ready to go back (an upcall frame
         * made, the hypervisor lock dropped) and whether SYSRET may do
         * it (traps.h). */
        call    trap_dispatch
        test    %al, %al
        jnz     sysret_exit
common_exit:
        pop_gprs
        add     $16, %rsp               /* vector and error code */
        .globl exit_iretq
exit_iretq:                             /* may fault: see the top */
        iretq

/* SYSRET gives the guest exactly what the IRETQ would (the frame's rcx
 * and r11 already hold its rip and rflags, its selectors are the flat
 * ones STAR names), without the descriptor loads and checks of IRETQ.
 * Interrupts stay off until the guest runs; NMI and #MC have IST stacks,
 * so nothing runs on the guest's stack at ring 0 in between. */
sysret_exit:
        pop_gprs
        mov     (16 + 24)(%rsp), %rsp   /* the frame's rsp */
        sysretq

        .section .bss, "aw", @nobits
        .balign 8
syscall_guest_rsp:                      /* per CPU: the guest rsp at SYSCALL */
        .skip   8 * NR_CPUS_ASM

        .section .data, "aw", @progbits
        .balign 8
        .globl syscall_stack_top
syscall_stack_top:                      /* per CPU: its guest entry stack top */
        .fill   NR_CPUS_ASM, 8, 0

        .section .note.GNU-stack, "", @progbits
