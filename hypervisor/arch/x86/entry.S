/*
 * Interrupt and exception entry.  One 16-byte stub per vector makes every
 * frame look the same (error code, then vector) before the common path
 * saves the registers as a struct cpu_regs and calls trap_dispatch().
 *
 * A ring-3 guest enters the same way: the CPU switches to the TSS's rsp0,
 * the top of the guest entry stack, so the guest's frame always sits at
 * the same place (guest_regs()).  SYSCALL does not switch stacks: its
 * entry does that itself and builds the identical frame, with a vector
 * number above 255 saying which kind of SYSCALL it was.  Every return to
 * a guest is the common exit's IRETQ, never SYSRET, so a non-canonical
 * return address can never fault at ring 0.
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

/* Start (or resume) a guest from a saved frame: rdi points at a struct
 * cpu_regs outside the guest entry stack, rsi is the top of this CPU's
 * guest entry stack; the frame becomes the one at its top, and the common
 * exit returns to it. */
        .globl pv_enter_frame
pv_enter_frame:
        cli
        mov     %rsi, %rsp
        sub     $(22 * 8), %rsp
        mov     %rdi, %rsi
        mov     %rsp, %rdi
        mov     $22, %ecx
        cld
        rep movsq
        jmp     common_exit

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
