/*
 * Secondary-CPU start: a STARTUP IPI starts a CPU in real mode at
 * vector * 4 KiB.  smpboot.c copies this code there (TRAMPOLINE_PHYS),
 * fills in the parameter block at its end, and sends the IPI.  The code
 * goes real mode -> 32-bit protected mode -> long mode with page tables
 * that identity-map the trampoline and map the image where it runs,
 * then jumps to the C entry on the stack the parameter block names.
 *
 * Everything here is position-dependent on TRAMPOLINE_PHYS: TR(x) is the
 * physical address of label x in the copy.
 */
#include "arch/x86/smpboot_layout.h"

#define TR(x) (TRAMPOLINE_PHYS + (x) - trampoline_start)

#define CR0_PE          0x00000001
#define CR0_WP          0x00010000
#define CR0_PG          0x80000000
#define CR4_PAE         0x00000020
#define MSR_EFER        0xc0000080
#define EFER_LMA        0x00000400

        .section .rodata, "a", @progbits
        .code16
        .balign 16
        .globl trampoline_start
trampoline_start:
        cli
        cld
        mov     %cs, %ax                /* CS = TRAMPOLINE_PHYS >> 4, IP 0 */
        mov     %ax, %ds
        lgdtl   tr_gdt_descr - trampoline_start
        mov     %cr0, %eax
        or      $CR0_PE, %eax
        mov     %eax, %cr0
        ljmpl   $0x08, $TR(tr_start32)

        .code32
tr_start32:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     TR(tr_param_cr3), %eax
        mov     %eax, %cr3
        /* The boot CPU's EFER (LME, NXE for its NX page-table bits, SCE);
         * LMA is the CPU's to set. */
        mov     $MSR_EFER, %ecx
        mov     TR(tr_param_efer), %eax
        mov     TR(tr_param_efer) + 4, %edx
        and     $~EFER_LMA, %eax
        wrmsr
        mov     %cr0, %eax
        or      $(CR0_PG | CR0_WP | CR0_PE), %eax
        mov     %eax, %cr0
        ljmp    $0x18, $TR(tr_start64)

        .code64
tr_start64:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        mov     TR(tr_param_stack), %rsp
        mov     TR(tr_param_entry), %rax
        xor     %ebp, %ebp
        call    *%rax                   /* never returns */
        ud2

        .balign 8
tr_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff      /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
        .quad   0x00af9a000000ffff      /* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_descr:
        .word   tr_gdt_end - tr_gdt - 1
        .long   TR(tr_gdt)

        .balign 8
        .globl trampoline_params
trampoline_params:                      /* struct trampoline_params */
tr_param_cr3:   .quad 0
tr_param_efer:  .quad 0
tr_param_stack: .quad 0
tr_param_entry: .quad 0
        .globl trampoline_end
trampoline_end:

        .section .note.GNU-stack, "", @progbits
