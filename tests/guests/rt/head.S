/*
 * Entry point, ELF notes and hypercall page shared by every test guest.
 *
 * The domain builder (Xen's or Subfloor's) reads the notes to learn where
 * the image lives and where to start it, fills the hypercall page, and
 * enters guest_entry in guest-kernel mode with rsi = start_info.
 */
#include <public/elfnote.h>
#include <public/features.h>

#define GUEST_VIRT_BASE 0xffffffff80000000
/* XENFEAT_dom0: without it Xen refuses to build dom0 from this image. */
#define GUEST_SUPPORTED_FEATURES (1 << XENFEAT_dom0)

	.section .text.entry, "ax"
	.globl guest_entry
guest_entry:
	cld
	/* What the builder handed over, for boot-console to check. */
	movq	%rsp, rt_entry_rsp(%rip)
	pushfq
	popq	rt_entry_rflags(%rip)
	/* The builder's boot stack is not part of our image; use our own so
	 * that its size is known and overflow is visible in the map. */
	leaq	boot_stack_top(%rip), %rsp
	movq	%rsi, %rdi
	call	rt_start
	/* rt_start shuts the domain down; reaching here is a runtime bug. */
	ud2

	/* Filled by the builder: 128 stubs of 32 bytes, stub n = hypercall n. */
	.section .text.hypercall_page, "ax"
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.data
	.balign 8
	.globl	rt_entry_rsp, rt_entry_rflags
rt_entry_rsp:	.quad 0
rt_entry_rflags:	.quad 0

	.section .bss.stack, "aw", @nobits
	.balign 4096
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:

/* One note: name "Xen", type, and the descriptor built by the body. */
.macro xen_note type, body:vararg
	.balign 4
	.long	4
	.long	2f - 1f
	.long	\type
	.asciz	"Xen"
	.balign 4
1:	\body
2:
.endm

	.section .note.Xen, "a", @note
	xen_note XEN_ELFNOTE_GUEST_OS, .asciz "subfloor-test-guest"
	xen_note XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1"
	xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
	xen_note XEN_ELFNOTE_LOADER, .asciz "generic"
	xen_note XEN_ELFNOTE_VIRT_BASE, .quad GUEST_VIRT_BASE
	xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad 0
	xen_note XEN_ELFNOTE_ENTRY, .quad guest_entry
	xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
	xen_note XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables"
#ifndef GUEST_NO_SUPPORTED_FEATURES_NOTE
	xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long GUEST_SUPPORTED_FEATURES
#endif
	.balign 4

	/* No executable stack wanted. */
	.section .note.GNU-stack, "", @progbits
