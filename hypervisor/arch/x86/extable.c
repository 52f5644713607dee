/* Exception fix-ups; see extable.h. */
#include <stdint.h>
#include "arch/x86/extable.h"

struct extable_entry {
    uint64_t insn, fixup;
};

/* subfloor.lds.S gathers every .ex_table entry between these. */
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

bool extable_fixup(struct cpu_regs *regs)
{
    /* A handful of entries: a scan is as quick as anything sorted. */
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
        if (e->insn == regs->rip) {
            regs->rip = e->fixup;
            return true;
        }
    }
    return false;
}
