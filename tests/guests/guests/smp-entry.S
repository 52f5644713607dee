/*
 * vCPU 1 of the return-paths-smp guest: where its context starts it, and
 * its failsafe callback.  Each notes what it found in smp_seen (see
 * return-paths-smp.c) and takes the vCPU down again.
 */
#define HYPERCALL_VCPU_OP 24
#define VCPUOP_down 2

	.text
/* The failsafe frame: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss. */
	.globl	vcpu1_failsafe
vcpu1_failsafe:
	movq	%rsp, %rsi
	leaq	smp_seen_frame(%rip), %rdi
	movl	$11, %ecx
	cld
	rep movsq
	movl	$1, %eax
	jmp	note_segments

	.globl	vcpu1_entry
vcpu1_entry:
	movl	$2, %eax
note_segments:
	movq	%rax, smp_seen_how(%rip)
	movl	%ds, %eax
	movq	%rax, smp_seen_live(%rip)
	movl	%es, %eax
	movq	%rax, smp_seen_live+8(%rip)
	movl	%fs, %eax
	movq	%rax, smp_seen_live+16(%rip)
	movl	%gs, %eax
	movq	%rax, smp_seen_live+24(%rip)
vcpu1_down:
	movl	$HYPERCALL_VCPU_OP, %eax
	movl	$VCPUOP_down, %edi
	movl	$1, %esi
	xorl	%edx, %edx
	syscall
	jmp	vcpu1_down

	.data
	.balign	8
	.globl	smp_seen_how, smp_seen_frame, smp_seen_live
smp_seen_how:			/* 0 not yet, 1 failsafe callback, 2 its entry */
	.quad	0
smp_seen_frame:
	.fill	11, 8, 0
smp_seen_live:			/* ds, es, fs, gs as vCPU 1 found them */
	.fill	4, 8, 0

	.section .note.GNU-stack, "", @progbits
