/*
 * The return-paths guest's ways into a hostile return: an iret hypercall
 * to a frame of the test's choosing, a jump to code at the top of the
 * lower half, an int3 or an int $0x82 hypercall under a stack selector of
 * the guest's own.  Each
 * saves the callee-saved registers and its stack, and every outcome (the
 * frame's own rip, or a trap handler redirecting the frame) ends at
 * probe_returned, which takes that stack and a flat SS back and returns
 * to the C caller.
 */
#define FLAT_KERNEL_SS 0xe02b

.macro probe_save
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, probe_resume_rsp(%rip)
.endm

	.text
/* iret_probe(const uint64_t frame[5]): HYPERVISOR_iret to rip, cs,
 * rflags, rsp, ss (an rsp of 0 means this probe's own stack). */
	.globl	iret_probe
iret_probe:
	probe_save
	movq	%rsp, %rax
	pushq	32(%rdi)		/* ss */
	movq	24(%rdi), %rcx
	testq	%rcx, %rcx
	cmovzq	%rax, %rcx
	pushq	%rcx			/* rsp */
	pushq	16(%rdi)		/* rflags */
	pushq	8(%rdi)			/* cs */
	pushq	(%rdi)			/* rip */
	jmp	rt_iret_to_frame

/* jump_probe(target, rax, rbx, rcx, rdx): run the code at target with
 * those registers (rdi and rsi zero). */
	.globl	jump_probe
jump_probe:
	probe_save
	movq	%rdi, %r11
	movq	%rsi, %rax
	movq	%rdx, %rbx
	movq	%r8, %rdx
	xorl	%edi, %edi
	xorl	%esi, %esi
	jmp	*%r11

/* ss_int3_probe(sel): load SS with sel, then int3 (the frame the
 * hypervisor bounces carries sel as SS). */
	.globl	ss_int3_probe
ss_int3_probe:
	probe_save
	movl	%edi, %ss
	nop
	int3
	jmp	probe_returned

/* int82_probe(sel, nr, a1, a2, a3, a4): load SS with sel, then make the
 * hypercall nr by int $0x82 (a Subfloor extension), whose frame keeps
 * that SS; its result goes to probe_result. */
	.globl	int82_probe
int82_probe:
	probe_save
	movl	%edi, %r11d
	movl	%esi, %eax
	movq	%rdx, %rdi
	movq	%rcx, %rsi
	movq	%r8, %rdx
	movq	%r9, %r10
	movl	%r11d, %ss
	nop
	int	$0x82
	movq	%rax, probe_result(%rip)
	jmp	probe_returned

/* An iret target that notes the SS it arrived with. */
	.globl	probe_note_ss
probe_note_ss:
	movl	%ss, %eax
	movq	%rax, probe_seen_ss(%rip)
	/* fall through */
	.globl	probe_returned
probe_returned:
	movq	probe_resume_rsp(%rip), %rsp
	movl	$FLAT_KERNEL_SS, %eax
	movl	%eax, %ss
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.data
	.balign	8
	.globl	probe_resume_rsp
probe_resume_rsp:
	.quad	0
	.globl	probe_seen_ss
probe_seen_ss:
	.quad	0
	.globl	probe_result
probe_result:
	.quad	0

	.section .note.GNU-stack, "", @progbits
