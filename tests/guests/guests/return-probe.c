/*
 * The trap-handler side of return-entry.S's probes; see return-probe.h.
 */
#include "guest.h"
#include "traps.h"
#include "return-probe.h"

void back_to_probe(struct trap_frame *f)
{
    f->rip = (uint64_t)probe_returned;
    f->cs = KERNEL_CS_FRAME;
    f->rsp = probe_resume_rsp;
    f->ss = FLAT_KERNEL_SS;
    f->rflags = RFLAGS_MASKED;
}

void arm_back_to_probe(void)
{
    trap_resume_hook = back_to_probe;
    trap_arm(0);
}

unsigned int disarm(unsigned int before)
{
    trap_resume_hook = NULL;
    trap_is_armed = 0;
    return trap_last.count - before;
}
