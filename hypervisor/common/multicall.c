/*
 * HYPERVISOR_multicall: a batch of hypercalls, each result written back
 * into its entry.  The call itself succeeds unless the list cannot be
 * read or written; nesting and iret inside a batch are refused per entry.
 */
#include <stddef.h>
#include "arch/x86/guest_access.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/xen.h"

long do_multicall(guest_ptr_t list, uint64_t count, struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct multicall_entry e;

    if (v->in_multicall)
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        guest_ptr_t at = guest_ptr_add(list, i * sizeof(e));
        long rc;

        if (copy_from_guest(&e, at, sizeof(e)))
            return -XEN_EFAULT;
        if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret || e.op >= NR_HYPERCALLS) {
            rc = e.op >= NR_HYPERCALLS ? -XEN_ENOSYS : -XEN_EINVAL;
        } else {
            uint64_t args[5] = { e.args[0], e.args[1], e.args[2], e.args[3], e.args[4] };
            v->in_multicall = true;
            rc = hypercall_call((unsigned int)e.op, args, regs);
            v->in_multicall = false;
        }
        e.result = (xen_ulong_t)rc;
        if (copy_to_guest(guest_ptr_add(at, offsetof(struct multicall_entry, result)), &e.result,
                          sizeof(e.result)))
            return -XEN_EFAULT;
    }
    return 0;
}
