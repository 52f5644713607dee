/*
 * The user half of the user-mode guest: code mapped at a user address in
 * a user-only page table, and the kernel-side switch into and out of it.
 */
#define FLAT_USER_CS 0xe033
#define FLAT_USER_SS 0xe02b
#define X86_EFLAGS_IF 0x200
#define X86_EFLAGS_RESERVED 0x2

	.section .text.user, "ax"
	.globl	user_page
user_page:
	.globl	user_do_syscall
user_do_syscall:
	movq	$0x5555, %rdi
	movq	$0x77, %rax
	syscall
	ud2
	.globl	user_do_kernel_read
user_do_kernel_read:
	movabsq	user_kernel_target, %rax	/* a load from the kernel variable */
	ud2
	.globl	user_do_int80
user_do_int80:
	int	$0x80
	ud2
	.globl	user_do_hlt
user_do_hlt:
	hlt
	ud2
	.globl	user_do_stack
user_do_stack:
	/* Prove the user stack is mapped and writable: push, pop, report. */
	pushq	$0x4242
	popq	%rdi
	syscall
	ud2

	.text
/*
 * enter_user(rip, rsp): iret into user mode; returns when a handler
 * redirects the frame to user_returned (see user-mode.c).
 */
	.globl	enter_user
enter_user:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, kernel_resume_rsp(%rip)
	pushq	$FLAT_USER_SS
	pushq	%rsi
	pushq	$(X86_EFLAGS_IF | X86_EFLAGS_RESERVED)
	pushq	$FLAT_USER_CS
	pushq	%rdi
	jmp	rt_iret_to_frame

	.globl	user_returned
user_returned:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.section .note.GNU-stack, "", @progbits
