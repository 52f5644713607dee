/*
 * Multiboot (v1) entry: the loader starts us in 32-bit protected mode with
 * paging off.  We build just enough of a 4-level page table to run in long
 * mode at the image's high virtual address, then call start_subfloor().
 *
 * Until paging is on, every symbol is used at its physical address: PA().
 */
#include "arch/x86/layout.h"

#define PA(x) ((x) - IMAGE_VIRT_BASE)

#define MB_HEADER_MAGIC   0x1badb002
#define MB_BOOT_MAGIC     0x2badb002
/* Page-align modules, want memory info, and the a.out kludge: QEMU only
 * loads a 64-bit ELF through the load addresses given here. */
#define MB_HEADER_FLAGS   ((1 << 0) | (1 << 1) | (1 << 16))

#define COM1              0x3f8

#define PTE_P_RW          0x003
#define PTE_P_RW_PS       0x083

#define CR0_PE            0x00000001
#define CR0_PG            0x80000000
#define CR4_PAE           0x00000020
#define MSR_EFER          0xc0000080
#define EFER_LME          0x00000100

#define L4_SLOT(va)       (((va) >> 39) & 511)
#define L3_SLOT(va)       (((va) >> 30) & 511)

        .section .text.boot, "ax", @progbits
        .code32

        .balign 4
multiboot_header:
        .long MB_HEADER_MAGIC
        .long MB_HEADER_FLAGS
        .long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)
        .long PA(multiboot_header)      /* header_addr */
        .long PA(__image_start)         /* load_addr */
        .long PA(__load_end)            /* load_end_addr */
        .long PA(__bss_end)             /* bss_end_addr */
        .long PA(start32)               /* entry_addr */

        .globl start32
start32:
        cli
        cld
        mov     $PA(boot_stack_top), %esp
        mov     %eax, PA(boot_multiboot_magic)
        mov     %ebx, PA(boot_multiboot_info)

        cmp     $MB_BOOT_MAGIC, %eax
        mov     $PA(msg_not_multiboot), %esi
        jne     early_fail

        /* Long mode needs CPUID leaf 0x80000001 EDX.LM. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        mov     $PA(msg_no_long_mode), %esi
        jb      early_fail
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     early_fail

        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $PA(boot_l4), %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        wrmsr
        mov     %cr0, %eax
        or      $(CR0_PG | CR0_PE), %eax
        mov     %eax, %cr0

        lgdt    PA(boot_gdt_descr)
        ljmp    $0x08, $PA(start64_identity)

/* Print the NUL-terminated string at %esi on COM1 and stop: there is no
 * other way to say anything this early. */
early_fail:
        mov     $COM1 + 5, %dx
1:      inb     %dx, %al
        test    $0x20, %al
        jz      1b
        lodsb
        test    %al, %al
        jz      2f
        mov     $COM1, %dx
        outb    %al, %dx
        jmp     early_fail
2:      hlt
        jmp     2b

        .code64
start64_identity:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $start64_high, %rax
        jmp     *%rax

start64_high:
        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp
        mov     boot_multiboot_magic(%rip), %edi
        mov     boot_multiboot_info(%rip), %esi
        movabs  $start_subfloor, %rax
        call    *%rax
        ud2

        .section .rodata.boot, "a", @progbits
msg_not_multiboot:
        .asciz  "Subfloor: not started by a multiboot loader; halting.\r\n"
msg_no_long_mode:
        .asciz  "Subfloor: this CPU has no 64-bit long mode; halting.\r\n"

        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff      /* 0x08: 64-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
boot_gdt_end:
boot_gdt_descr:
        .word   boot_gdt_end - boot_gdt - 1
        .long   PA(boot_gdt)

        .section .data.page_aligned, "aw", @progbits
        .balign 4096
/* Slot 0 identity-maps the first GiB only until start_subfloor() drops
 * it; the same L3 serves the start of the direct map. */
        .globl boot_l4
boot_l4:
        .quad   PA(boot_l3_low) + PTE_P_RW      /* identity, dropped later */
        .fill   L4_SLOT(IMAGE_VIRT_BASE) - 1, 8, 0
        .quad   PA(boot_l3_image) + PTE_P_RW
        .quad   PA(boot_l3_low) + PTE_P_RW      /* the direct map's slot */
        .fill   512 - L4_SLOT(IMAGE_VIRT_BASE) - 2, 8, 0

boot_l3_low:
        .quad   PA(boot_l2_first_gib) + PTE_P_RW
        .fill   511, 8, 0

boot_l3_image:
        .fill   L3_SLOT(IMAGE_VIRT_BASE), 8, 0
        .quad   PA(boot_l2_first_gib) + PTE_P_RW
        .fill   512 - L3_SLOT(IMAGE_VIRT_BASE) - 1, 8, 0

boot_l2_first_gib:
        .set    n, 0
        .rept   512
        .quad   (n << 21) + PTE_P_RW_PS
        .set    n, n + 1
        .endr

        .if L4_SLOT(DIRECTMAP_VIRT_START) != L4_SLOT(IMAGE_VIRT_BASE) + 1
        .error "boot_l4 assumes the direct map's slot follows the image's"
        .endif

        .section .bss.boot, "aw", @nobits
        .balign 16
        .globl boot_stack_bottom
boot_stack_bottom:
        .skip   STACK_SIZE
        .globl boot_stack_top
boot_stack_top:
        .balign 4
boot_multiboot_magic:
        .skip   4
boot_multiboot_info:
        .skip   4

        .section .note.GNU-stack, "", @progbits
