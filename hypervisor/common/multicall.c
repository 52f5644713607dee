/*
 * HYPERVISOR_multicall: a batch of hypercalls, each result written back
 * into its entry.  The call itself succeeds unless the list cannot be
 * read or written; nesting and iret inside a batch are refused per entry.
 *
 * A long batch continues (continuation.h): after any entry the slice may
 * be spent, and the guest re-issues the multicall for the entries left.
 * An entry that itself continued (an mmu_update cut short) gets its new
 * arguments written back into the guest's list, and the multicall
 * resumes at that entry, whose result is written when it finishes.
 */
#include <stddef.h>
#include "arch/x86/guest_access.h"
#include "common/continuation.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/xen.h"

static long run_entry(struct vcpu *v, const struct multicall_entry *e, struct cpu_regs *regs)
{
    if (e->op == __HYPERVISOR_multicall || e->op == __HYPERVISOR_iret)
        return -XEN_EINVAL;
    if (e->op >= NR_HYPERCALLS)
        return -XEN_ENOSYS;

    uint64_t args[5] = { e->args[0], e->args[1], e->args[2], e->args[3], e->args[4] };
    v->slice.in_multicall = true;
    v->slice.entry_continued = false;
    long rc = hypercall_call((unsigned int)e->op, args, regs);
    v->slice.in_multicall = false;
    return rc;
}

long do_multicall(guest_ptr_t list, uint64_t count, struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct multicall_entry e;
    uint64_t i;

    if (v->slice.in_multicall)
        return -XEN_EINVAL;
    for (i = 0; i < count; i++) {
        guest_ptr_t at = guest_ptr_add(list, i * sizeof(e));

        if (i && hypercall_preempt_check(1))
            break;
        if (copy_from_guest(&e, at, sizeof(e)))
            return -XEN_EFAULT;
        long rc = run_entry(v, &e, regs);
        if (v->slice.entry_continued) {
            /* The entry goes back to the guest with the rest of its work. */
            for (unsigned int a = 0; a < 5; a++)
                e.args[a] = v->slice.entry_args[a];
            if (copy_to_guest(guest_ptr_add(at, offsetof(struct multicall_entry, args)), e.args,
                              sizeof(e.args)))
                return -XEN_EFAULT;
            break;
        }
        e.result = (xen_ulong_t)rc;
        if (copy_to_guest(guest_ptr_add(at, offsetof(struct multicall_entry, result)), &e.result,
                          sizeof(e.result)))
            return -XEN_EFAULT;
    }
    if (i < count) {
        uint64_t rest[2] = { guest_ptr_add(list, i * sizeof(e)).va, count - i };
        hypercall_continue(__HYPERVISOR_multicall, 2, rest);
    }
    return 0;
}
