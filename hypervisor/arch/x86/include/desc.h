/* Segment selectors, the TSS and the IDT of the hypervisor. */
#ifndef SUBFLOOR_DESC_H
#define SUBFLOOR_DESC_H

#include <stdbool.h>
#include <stdint.h>

#define HYPERVISOR_CS   0x08
#define HYPERVISOR_DS   0x10
#define TSS_SELECTOR    0x18

/* Interrupt-stack-table slots: these exceptions can arrive on a broken
 * stack (or in the middle of switching one), so they get their own. */
#define IST_DOUBLE_FAULT   1
#define IST_NMI            2
#define IST_MACHINE_CHECK  3
#define IST_COUNT          3
#define IST_STACK_SIZE     8192

void gdt_init(void);
void idt_init(void);

/* Whether [addr, addr + len) lies inside one of the hypervisor's stacks:
 * the backtrace walker only follows frame pointers that do. */
bool addr_on_hypervisor_stack(uintptr_t addr, uintptr_t len);

#endif
