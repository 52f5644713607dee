/*
 * Hypercall slices and continuations; see continuation.h.
 */
#include "common/continuation.h"
#include "common/domain.h"
#include "common/evtchn.h"
#include "common/vcpu_events.h"

/* The instruction that made the hypercall: `syscall` (0f 05) and
 * `int $0x82` (cd 82) are both two bytes long. */
#define HYPERCALL_INSN_LEN 2

void hypercall_slice_begin(struct cpu_regs *regs)
{
    struct hypercall_slice *s = &current_vcpu()->slice;

    s->regs = regs;
    s->units = 0;
    s->continued = false;
    s->in_multicall = false;
    s->entry_continued = false;
}

bool hypercall_preempt_check(unsigned int units)
{
    struct vcpu *v = current_vcpu();
    struct hypercall_slice *s = &v->slice;

    s->units = units >= HYPERCALL_SLICE_UNITS - s->units ? HYPERCALL_SLICE_UNITS
                                                         : s->units + units;
    return s->units >= HYPERCALL_SLICE_UNITS || vcpu_events_need_delivery(v);
}

void hypercall_continue(unsigned int nr, unsigned int nargs, const uint64_t *args)
{
    struct hypercall_slice *s = &current_vcpu()->slice;
    uint64_t a[5] = { 0 };

    for (unsigned int i = 0; i < nargs && i < 5; i++)
        a[i] = args[i];
    if (s->in_multicall) {
        for (unsigned int i = 0; i < 5; i++)
            s->entry_args[i] = a[i];
        s->entry_continued = true;
        return;
    }
    struct cpu_regs *regs = s->regs;
    regs->rip -= HYPERCALL_INSN_LEN;
    regs->rax = nr;
    regs->rdi = a[0];
    regs->rsi = a[1];
    regs->rdx = a[2];
    regs->r10 = a[3];
    regs->r8 = a[4];
    s->continued = true;
}

bool hypercall_continued(void)
{
    return current_vcpu()->slice.continued;
}
