/*
 * vCPU 1 of the vcpu-context-smp guest: where its context starts it,
 * and the #UD handler of the trap table that context gave it.  It notes
 * what it finds in vctx_seen (see vcpu-context-smp.c) and takes itself
 * down again.
 */
#define HYPERCALL_VCPU_OP 24
#define VCPUOP_down 2

	.text
	.globl	vctx_entry, vctx_ud2, vctx_ud_handler
vctx_entry:
	movl	%cs, %eax
	movq	%rax, vctx_seen_cs(%rip)
	movl	%ss, %eax
	movq	%rax, vctx_seen_ss(%rip)
	movq	%fs:0, %rax
	movq	%rax, vctx_seen_fs0(%rip)
	movq	%gs:0, %rax
	movq	%rax, vctx_seen_gs0(%rip)
	movq	$1, vctx_seen_how(%rip)
vctx_ud2:
	ud2

/* The bounce frame: rcx, r11, rip, cs, rflags, rsp, ss. */
vctx_ud_handler:
	movq	16(%rsp), %rax
	movq	%rax, vctx_seen_ud_rip(%rip)
	movq	$2, vctx_seen_how(%rip)
vctx_down:
	movl	$HYPERCALL_VCPU_OP, %eax
	movl	$VCPUOP_down, %edi
	movl	$1, %esi
	xorl	%edx, %edx
	syscall
	jmp	vctx_down

	.data
	.balign	8
	.globl	vctx_seen_how, vctx_seen_cs, vctx_seen_ss, vctx_seen_fs0, vctx_seen_gs0
	.globl	vctx_seen_ud_rip
vctx_seen_how:			/* 0 not yet, 1 at its entry, 2 its #UD handler ran */
	.quad	0
vctx_seen_cs:
	.quad	0
vctx_seen_ss:
	.quad	0
vctx_seen_fs0:
	.quad	0
vctx_seen_gs0:
	.quad	0
vctx_seen_ud_rip:
	.quad	0

	.section .note.GNU-stack, "", @progbits
