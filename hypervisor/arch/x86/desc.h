/*
 * Segment selectors, the TSS and the IDT of the hypervisor.
 *
 * The GDT reserves its top for the hypervisor exactly where Xen does
 * (FIRST_RESERVED_GDT_ENTRY onwards, selectors 0xe000+): 64-bit PV
 * guests hard-code the flat ring-3 selectors there (FLAT_KERNEL_CS 0xe033,
 * FLAT_KERNEL_SS 0xe02b, FLAT_USER_CS32 0xe023), and the hypervisor's own
 * selectors sit just below them so that one STAR value serves SYSCALL
 * (CS 0xe008, SS 0xe010) and SYSRET (CS 0xe033, SS 0xe02b).
 */
#ifndef SUBFLOOR_DESC_H
#define SUBFLOOR_DESC_H

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#endif

#define GDT_RESERVED_FIRST_ENTRY 7168u      /* 14 pages of guest entries */
#define GDT_RESERVED_FIRST_SEL   (GDT_RESERVED_FIRST_ENTRY * 8u)  /* 0xe000 */

#define HYPERVISOR_CS   0xe008      /* 64-bit code, ring 0 */
#define HYPERVISOR_DS   0xe010      /* data, ring 0 (SYSCALL's SS) */
#define HYPERVISOR_CS32 0xe018      /* 32-bit code, ring 0 (unused, keeps
                                       Xen's layout) */
#define GUEST_CS32      0xe023      /* FLAT_RING3_CS32 */
#define GUEST_DS        0xe02b      /* FLAT_RING3_DS32/SS: the guest's SS */
#define GUEST_CS64      0xe033      /* FLAT_RING3_CS64 */
#define TSS_SELECTOR    0xe040      /* 16-byte system descriptor */

#ifndef __ASSEMBLER__
/* STAR: SYSCALL loads CS from bits 32-47 (SS = +8); 64-bit SYSRET loads
 * CS = bits 48-63 + 16 and SS = bits 48-63 + 8. */
#define STAR_VALUE ((uint64_t)(GUEST_CS32 & ~3u) << 48 | \
                    (uint64_t)HYPERVISOR_CS << 32)
#endif

/* Interrupt-stack-table slots: these exceptions can arrive on a broken
 * stack (or in the middle of switching one), so they get their own. */
#define IST_DOUBLE_FAULT   1
#define IST_NMI            2
#define IST_MACHINE_CHECK  3
#define IST_COUNT          3
#define IST_STACK_SIZE     8192

/* Vectors a ring-3 guest may raise with `int n` itself: the gate is
 * DPL 3, every other vector's gate makes `int n` a #GP. */
#define HYPERCALL_VECTOR   0x82

#ifndef __ASSEMBLER__
void gdt_init(void);
/* Build and load one CPU's GDT and TSS (gdt_init: CPU 0's). */
void gdt_init_cpu(unsigned int cpu);
/* Load the (shared) IDT on a CPU other than the one idt_init ran on. */
void idt_load(void);
void idt_init(void);

/* The stack a ring-3 guest traps onto (TSS rsp0); its top holds the
 * guest's register frame while the hypervisor runs for it. */
uintptr_t guest_entry_stack_top(void);

/* Whether [addr, addr + len) lies inside one of the hypervisor's stacks:
 * the backtrace walker only follows frame pointers that do. */
bool addr_on_hypervisor_stack(uintptr_t addr, uintptr_t len);
#endif

#endif
