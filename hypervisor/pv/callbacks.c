/*
 * Where the guest wants control back: the virtual trap table
 * (set_trap_table), the callbacks (set_callbacks, callback_op), the
 * kernel stack for user-to-kernel transitions (stack_switch), and the
 * vm_assist modes it opts into.
 */
#include <string.h>
#include "arch/x86/guest_access.h"
#include "arch/x86/pte.h"
#include "common/domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "public/callback.h"
#include "public/errno.h"
#include "public/nmi.h"
#include "public/xen.h"
#include "pv/guest_checks.h"

#define CALLBACKTYPE_sfmask 6          /* 32-bit only in Xen: refused */

long do_set_trap_table(guest_ptr_t list)
{
    struct vcpu *v = current_vcpu();
    struct trap_info ti;

    /* A null list clears the whole table, as Xen does. */
    if (!list.va) {
        memset(v->trap_table, 0, sizeof(v->trap_table));
        return 0;
    }
    /* Entries up to one with address 0; only listed vectors change. */
    for (unsigned int i = 0; i < NR_TRAP_VECTORS; i++) {
        if (copy_from_guest(&ti, guest_ptr_add(list, i * sizeof(ti)), sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!pv_trap_info_accept(&ti))
            return -XEN_EINVAL;
        v->trap_table[ti.vector] = ti;
    }
    return 0;
}

static long set_callback(unsigned int type, uint64_t address, bool mask)
{
    struct vcpu *v = current_vcpu();
    enum guest_callback cb;

    switch (type) {
    case CALLBACKTYPE_event:     cb = CB_EVENT; break;
    case CALLBACKTYPE_failsafe:  cb = CB_FAILSAFE; break;
    case CALLBACKTYPE_syscall:   cb = CB_SYSCALL; break;
    case CALLBACKTYPE_syscall32: cb = CB_SYSCALL32; break;
    case CALLBACKTYPE_sysenter:  cb = CB_SYSENTER; break;
    case CALLBACKTYPE_nmi:       cb = CB_NMI; break;
    case CALLBACKTYPE_sfmask:    return -XEN_EINVAL;
    default:                     return -XEN_ENOSYS;
    }
    if (!pv_entry_point_ok(address))
        return -XEN_EINVAL;
    v->callbacks[cb].address = address;
    v->callbacks[cb].mask_events = mask;
    return 0;
}

long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
    long rc;

    /* The old interface: events and syscalls masked, as Xen sets it. */
    if ((rc = set_callback(CALLBACKTYPE_event, event, true)) ||
        (rc = set_callback(CALLBACKTYPE_failsafe, failsafe, true)) ||
        (rc = set_callback(CALLBACKTYPE_syscall, syscall, true)))
        return rc;
    return 0;
}

static long register_callback(struct vcpu *v, struct callback_register *reg)
{
    (void)v;
    return set_callback(reg->type, reg->address, reg->flags & CALLBACKF_mask_events);
}

static long unregister_callback(struct vcpu *v, struct callback_unregister *unreg)
{
    switch (unreg->type) {
    case CALLBACKTYPE_nmi:
        v->callbacks[CB_NMI].address = 0;
        return 0;
    case CALLBACKTYPE_event: case CALLBACKTYPE_failsafe: case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32: case CALLBACKTYPE_sysenter: case CALLBACKTYPE_sfmask:
        return -XEN_EINVAL;     /* these stay registered once set */
    default:
        return -XEN_ENOSYS;
    }
}

#define CALLBACK_OPS(OP)                                                                    \
    OP(CALLBACKOP_register, OP_ANY, IN, struct callback_register, register_callback, 0)     \
    OP(CALLBACKOP_unregister, OP_ANY, IN, struct callback_unregister, unregister_callback, 0)

GUEST_OP_TABLE(static, callback_subops, CALLBACK_OPS);

long do_callback_op(uint64_t cmd, guest_ptr_t arg)
{
    struct vcpu *v = current_vcpu();

    return guest_op_call(&callback_subops, cmd, arg, v, v->domain->privileged);
}

/*
 * The older NMI interface: the same entry point as CALLBACKTYPE_nmi, with
 * events left unmasked (Xen installs it as an interrupt-enabling trap).
 */
static long nmi_register(struct vcpu *v, struct xennmi_callback *cb)
{
    (void)v;
    return set_callback(CALLBACKTYPE_nmi, cb->handler_address, false);
}

static long nmi_unregister(struct vcpu *v)
{
    v->callbacks[CB_NMI].address = 0;
    return 0;
}

#define NMI_OPS(OP)                                                                         \
    OP(XENNMI_register_callback, OP_ANY, IN, struct xennmi_callback, nmi_register, 0)       \
    OP(XENNMI_unregister_callback, OP_ANY, NONE, void, nmi_unregister, 0)

GUEST_OP_TABLE(static, nmi_subops, NMI_OPS);

long do_nmi_op(uint32_t cmd, guest_ptr_t arg)
{
    struct vcpu *v = current_vcpu();

    return guest_op_call(&nmi_subops, cmd, arg, v, v->domain->privileged);
}

long do_stack_switch(uint64_t ss, uint64_t sp)
{
    struct vcpu *v = current_vcpu();

    /* The guest kernel runs in ring 3: as Xen, a lower RPL (Linux passes
     * __KERNEL_DS, 0x18) is raised to 3 rather than refused. */
    v->kernel_ss = pv_guest_kernel_selector(ss);
    v->kernel_sp = sp;
    return 0;
}

long do_vm_assist(uint64_t cmd, uint64_t type)
{
    struct domain *d = current_vcpu()->domain;
    /* What a 64-bit PV guest may turn on in Xen 4.17. */
    const uint64_t valid = (1ull << VMASST_TYPE_4gb_segments) |
                           (1ull << VMASST_TYPE_4gb_segments_notify) |
                           (1ull << VMASST_TYPE_writable_pagetables) |
                           (1ull << VMASST_TYPE_pae_extended_cr3) |
                           (1ull << VMASST_TYPE_architectural_iopl) |
                           (1ull << VMASST_TYPE_runstate_update_flag) |
                           (1ull << VMASST_TYPE_m2p_strict);

    if (type >= 64 || !(valid & (1ull << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1ull << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1ull << type);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
