/*
 * Exception fix-ups: an instruction that may fault on purpose (an access
 * to guest memory through the guest's own page tables) lists itself with
 * the place to continue at when it does, and the fault handler sends it
 * there instead of treating the fault as the hypervisor's own.
 */
#ifndef SUBFLOOR_EXTABLE_H
#define SUBFLOOR_EXTABLE_H

#include <stdbool.h>
#include "arch/x86/regs.h"

/* In inline assembly: the instruction at label `insn` continues at label
 * `fixup` when it faults. */
#define EXTABLE_ENTRY(insn, fixup)                          \
    ".pushsection .ex_table, \"a\"\n"                       \
    ".balign 8\n"                                           \
    ".quad " #insn ", " #fixup "\n"                         \
    ".popsection\n"

/* A fault of the hypervisor at a listed instruction: regs now resume at
 * its fix-up (true); false when the instruction is not listed. */
bool extable_fixup(struct cpu_regs *regs);

#endif
