/*
 * One contiguous image: QEMU's multiboot loader copies the file bytes from
 * load_addr to load_end_addr as they are, so the file layout must match
 * the memory layout.  Code comes first and the generated symbol table
 * last, so the table's size never moves a function.
 */
#include "arch/x86/layout.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = IMAGE_VIRT_START;
    __image_start = .;

    .text : AT(ADDR(.text) - IMAGE_VIRT_BASE) {
        *(.text.boot)
        *(.text .text.*)
    } :image
    . = ALIGN(4096);
    __text_end = .;

    .rodata : AT(ADDR(.rodata) - IMAGE_VIRT_BASE) ALIGN(4096) {
        *(.rodata.boot)
        *(.rodata .rodata.* .rodata.str*)
        . = ALIGN(8);
        __ex_table_start = .;
        *(.ex_table)
        __ex_table_end = .;
        . = ALIGN(8);
        *(.rodata.symbols)
    } :image
    . = ALIGN(4096);
    __rodata_end = .;

    .data : AT(ADDR(.data) - IMAGE_VIRT_BASE) ALIGN(4096) {
        *(.data.page_aligned)
        *(.data .data.*)
    } :image
    __load_end = .;

    .bss : AT(ADDR(.bss) - IMAGE_VIRT_BASE) ALIGN(4096) {
        __bss_start = .;
        *(.bss.page_aligned)
        *(.bss.boot)
        *(.bss .bss.* COMMON)
        . = ALIGN(4096);
        __bss_end = .;
    } :image
    __image_end = .;

    /DISCARD/ : {
        *(.eh_frame .eh_frame_hdr .note .note.* .comment .interp .dynamic)
    }
}
