/*
 * vCPU 1 of the tlb-flush-smp guest: it writes through its window (so its
 * TLB caches the translation), waits while vCPU 0 takes the frame away
 * and gets it back as a page table, then writes through the same
 * address again.  Its #PF handler notes a fault.  Nothing it does reloads
 * CR3 or flushes its TLB: it stays in kernel mode and makes no hypercall
 * until the end.  Shared variables: see tlb-flush-smp.c.
 */
#define HYPERCALL_VCPU_OP 24
#define VCPUOP_down 2

	.text
	.globl	tlbf_entry, tlbf_store, tlbf_pf_handler
tlbf_entry:
	movq	tlbf_window_va(%rip), %rbx
1:	pause
	cmpq	$1, tlbf_phase(%rip)
	jb	1b
	movq	$0x1110, (%rbx)
	movq	$1, tlbf_touched(%rip)
2:	pause
	cmpq	$2, tlbf_phase(%rip)
	jb	2b
	movq	tlbf_pattern(%rip), %rax
tlbf_store:
	movq	%rax, (%rbx)
	movq	$1, tlbf_wrote(%rip)
tlbf_wait_end:
	pause
	cmpq	$3, tlbf_phase(%rip)
	jb	tlbf_wait_end
tlbf_down:
	movl	$HYPERCALL_VCPU_OP, %eax
	movl	$VCPUOP_down, %edi
	movl	$1, %esi
	xorl	%edx, %edx
	syscall
	jmp	tlbf_down

/* The bounce frame: rcx, r11, error code, rip, cs, rflags, rsp, ss. */
tlbf_pf_handler:
	movq	16(%rsp), %rax
	movq	%rax, tlbf_pf_ec(%rip)
	movq	24(%rsp), %rax
	movq	%rax, tlbf_pf_rip(%rip)
	movq	$1, tlbf_faulted(%rip)
	jmp	tlbf_wait_end

	.data
	.balign	8
	.globl	tlbf_phase, tlbf_window_va, tlbf_pattern, tlbf_touched, tlbf_wrote
	.globl	tlbf_faulted, tlbf_pf_ec, tlbf_pf_rip
tlbf_phase:			/* set by vCPU 0: 1 touch, 2 store, 3 finish */
	.quad	0
tlbf_window_va:
	.quad	0
tlbf_pattern:
	.quad	0
tlbf_touched:
	.quad	0
tlbf_wrote:
	.quad	0
tlbf_faulted:
	.quad	0
tlbf_pf_ec:
	.quad	0
tlbf_pf_rip:
	.quad	0

	.section .note.GNU-stack, "", @progbits
