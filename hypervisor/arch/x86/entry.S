/*
 * Interrupt and exception entry.  One 16-byte stub per vector makes every
 * frame look the same (error code, then vector) before the common path
 * saves the registers as a struct cpu_regs and calls trap_dispatch().
 */
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
        call    trap_dispatch
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
        add     $16, %rsp               /* vector and error code */
        iretq

        .section .note.GNU-stack, "", @progbits
