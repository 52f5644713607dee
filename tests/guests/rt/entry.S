/*
 * Exception and event-callback entry for test guests.
 *
 * A 64-bit PV hypervisor bounces an exception to the guest kernel stack as
 *   rcx, r11, [error code,] rip, cs, rflags, rsp, ss   (lowest address first)
 * with rcx and r11 holding the interrupted values: it needed the real
 * registers for its own syscall/sysret path.  The stubs below rearrange
 * that into one struct trap_frame (see rt/traps.h) whatever the vector, so
 * the C side never has to know which vectors carry an error code.  Return
 * is through the iret hypercall, which takes rip..ss plus a flags word on
 * the stack and restores rax, r11 and rcx itself.
 */

#define HYPERCALL_IRET 23

	.text

/* Common tail: stack holds r11, rcx, vector, error code, rip..ss. */
trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	/* The hypervisor aligns its frame, but our stubs push an odd or even
	 * number of words depending on the vector: align for the C ABI. */
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	trap_dispatch
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rbx
	popq	%rax
	popq	%r11
	popq	%rcx
	addq	$16, %rsp		/* vector, error code */
	.globl	rt_iret_to_frame
rt_iret_to_frame:
	pushq	$0			/* iret flags: not returning from a syscall */
	jmp	*rt_iret_entry(%rip)

/* Frame without error code: make room for a zero one. */
.macro trap_stub_noec vector
	.globl	trap_entry_\vector
trap_entry_\vector:
	popq	%rcx
	popq	%r11
	pushq	$0
	pushq	$\vector
	pushq	%rcx
	pushq	%r11
	jmp	trap_common
.endm

.macro trap_stub_ec vector
	.globl	trap_entry_\vector
trap_entry_\vector:
	popq	%rcx
	popq	%r11
	pushq	$\vector
	pushq	%rcx
	pushq	%r11
	jmp	trap_common
.endm

	trap_stub_noec 0
	trap_stub_noec 1
	trap_stub_noec 2
	trap_stub_noec 3
	trap_stub_noec 4
	trap_stub_noec 5
	trap_stub_noec 6
	trap_stub_noec 7
	trap_stub_ec   8
	trap_stub_noec 9
	trap_stub_ec   10
	trap_stub_ec   11
	trap_stub_ec   12
	trap_stub_ec   13
	trap_stub_ec   14
	trap_stub_noec 15
	trap_stub_noec 16
	trap_stub_ec   17
	trap_stub_noec 18
	trap_stub_noec 19
	trap_stub_noec 20
	trap_stub_ec   21
	/* Software interrupt vector used by the traps guest (int $0x80). */
	trap_stub_noec 128
	/* The event upcall has the exception frame without error code; it is
	 * told apart in trap_dispatch by this pseudo-vector. */
	trap_stub_noec 256
	/* The syscall callback (user-mode syscall bounced to the kernel) has
	 * the same frame, with the user's rcx and r11. */
	trap_stub_noec 257

	.globl	event_callback_entry
	.set	event_callback_entry, trap_entry_256
	.globl	syscall_callback_entry
	.set	syscall_callback_entry, trap_entry_257

/*
 * Failsafe callback: the hypervisor could not load our segment registers
 * on return.  Nothing sensible can resume, so report and stop; the frame
 * (rcx, r11, ds, es, fs, gs, rip, ...) is passed for the message.
 */
	.globl	failsafe_callback_entry
failsafe_callback_entry:
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	rt_failsafe
	ud2

/* Hypercall issued with a bare syscall from guest-kernel mode (no page). */
	.globl	rt_iret_by_syscall
rt_iret_by_syscall:
	pushq	%rcx
	pushq	%r11
	pushq	%rax
	movl	$HYPERCALL_IRET, %eax
	syscall
	ud2

	.data
	.balign 8
	/* Where rt_iret_to_frame jumps: the page's iret stub by default. */
	.globl	rt_iret_entry
rt_iret_entry:
	.quad	hypercall_page + HYPERCALL_IRET * 32

	/* No executable stack wanted. */
	.section .note.GNU-stack, "", @progbits
