/*
 * The hostile-fuzz-smp guest's assembly: vCPU 1's entry, trap, NMI,
 * event and failsafe handlers; vCPU 0's counting failsafe callback; and
 * a multicall made with a valid iret frame on the stack, so that an iret
 * entry inside the batch (which Xen carries out and Subfloor refuses)
 * lands somewhere known either way.
 */
#define HYPERCALL_MULTICALL 13
#define HYPERCALL_IRET 23
#define HYPERCALL_VCPU_OP 24
#define VCPUOP_down 2
#define FLAT_KERNEL_CS 0xe033
#define FLAT_KERNEL_SS 0xe02b

	.text
/* vCPU 1 starts here (its context asks for a DS that does not load, so it
 * comes in through fz1_failsafe first).  It runs the C race loop. */
	.globl	fz1_entry
fz1_entry:
	andq	$-16, %rsp
	call	vcpu1_main
	/* fall through: take this vCPU down */
fz1_down:
	movl	$HYPERCALL_VCPU_OP, %eax
	movl	$VCPUOP_down, %edi
	movl	$1, %esi
	xorl	%edx, %edx
	syscall
	jmp	fz1_down

/* Back to a bounce frame (rcx, r11 already popped; rsp at rip..ss). */
.macro iret_here
	pushq	$0			/* flags */
	pushq	%rcx
	pushq	%r11
	pushq	%rax
	movl	$HYPERCALL_IRET, %eax
	syscall
	ud2
.endm

/* vCPU 1's exceptions: it expects none.  Note the frame and stop. */
	.globl	fz1_trap
fz1_trap:
	movq	16(%rsp), %rax
	movq	%rax, fz1_fault_word2(%rip)
	movq	24(%rsp), %rax
	movq	%rax, fz1_fault_word3(%rip)
	movq	$1, fz1_faulted(%rip)
	jmp	fz1_down

/* NMIs sent to vCPU 1 by the fuzzer: count and return. */
	.globl	fz1_nmi
fz1_nmi:
	popq	%rcx
	popq	%r11
	lock incq fz1_nmis(%rip)
	iret_here

/* Events stay masked on vCPU 1; an upcall anyway is counted. */
	.globl	fz1_event
fz1_event:
	popq	%rcx
	popq	%r11
	lock incq fz1_upcalls(%rip)
	iret_here

/* Failsafe frame: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.
 * The selectors that did not load are null now: count and go on. */
	.globl	fz1_failsafe
fz1_failsafe:
	popq	%rcx
	popq	%r11
	addq	$32, %rsp
	lock incq fz1_failsafes(%rip)
	iret_here

	.globl	fz0_failsafe
fz0_failsafe:
	popq	%rcx
	popq	%r11
	addq	$32, %rsp
	lock incq fz0_failsafes(%rip)
	iret_here

/*
 * long fz_multicall_iret(void *entries, unsigned long count, uint64_t mark)
 * A multicall by syscall with an iret frame at rsp that resumes at 1f
 * with rax = mark.  Returns the multicall's result, or mark when an iret
 * entry was carried out.
 */
	.globl	fz_multicall_iret
fz_multicall_iret:
	pushq	%rbx
	pushq	%rbp
	movq	%rsp, %rbp
	movl	%ss, %eax
	pushq	%rax			/* ss */
	pushq	%rbp			/* rsp: back to this frame */
	pushq	$2			/* rflags: IF clear, events stay masked */
	movl	$FLAT_KERNEL_CS & ~3, %eax
	pushq	%rax			/* cs, kernel mode */
	leaq	1f(%rip), %rax
	pushq	%rax			/* rip */
	pushq	$0			/* flags */
	pushq	$0			/* rcx */
	pushq	$0			/* r11 */
	pushq	%rdx			/* rax = mark */
	movl	$HYPERCALL_MULTICALL, %eax
	syscall
1:	movq	%rbp, %rsp
	popq	%rbp
	popq	%rbx
	ret

	.data
	.balign	8
	.globl	fz1_faulted, fz1_fault_word2, fz1_fault_word3, fz1_nmis, fz1_upcalls
	.globl	fz1_failsafes, fz0_failsafes
fz1_faulted:	.quad 0
fz1_fault_word2:	.quad 0
fz1_fault_word3:	.quad 0
fz1_nmis:	.quad 0
fz1_upcalls:	.quad 0
fz1_failsafes:	.quad 0
fz0_failsafes:	.quad 0

	.section .note.GNU-stack, "", @progbits
