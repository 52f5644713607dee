/*
 * HYPERVISOR_grant_table_op(cmd, uop, count): each command is a row of
 * grant_table_subops, run by guest_op_run on the argument struct; the
 * per-element commands (map, unmap, copy) run their row on each of the
 * count elements in turn, each read, handed to the grant logic (grant.h)
 * and written back with its status, as Xen does.  A fault on an element
 * fails the whole call with -EFAULT after the elements before it took
 * effect.
 */
#include "arch/x86/guest_access.h"
#include "common/continuation.h"
#include "common/grant.h"
#include "common/grant_domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "public/errno.h"

struct frame_list {
    guest_ptr_t base;           /* the op's frame_list */
};

/* The frame numbers go out one by one into the guest's array. */
static bool put_frame(void *ctx, uint32_t index, uint64_t mfn)
{
    const struct frame_list *fl = ctx;
    xen_pfn_t v = mfn;

    return !copy_to_guest(guest_ptr_add(fl->base, (uint64_t)index * sizeof(v)), &v, sizeof(v));
}

static long setup_table(struct grant_table *gt, struct gnttab_setup_table *op)
{
    struct frame_list fl = { guest_handle_ptr(op->frame_list) };
    struct grant_frame_sink sink = { put_frame, &fl };

    grant_op_setup_table(gt, op, &sink);
    return 0;
}

static long query_size(struct grant_table *gt, struct gnttab_query_size *op)
{
    grant_op_query_size(gt, op);
    return 0;
}

static long map_one(struct grant_table *gt, struct gnttab_map_grant_ref *op)
{
    grant_map_ref(gt, op);
    return 0;
}

static long unmap_one(struct grant_table *gt, struct gnttab_unmap_grant_ref *op)
{
    grant_unmap_ref(gt, op);
    return 0;
}

static long copy_one(struct grant_table *gt, struct gnttab_copy *op)
{
    grant_copy_one(gt, op);
    return 0;
}

/* A flag of this table: the command's argument is an array of count
 * elements, each its own op whose result is its status field. */
#define GNTTAB_EACH 1

/* setup_table, query_size and set_version report in their struct
 * whatever happened (Xen writes the version in force back even when the
 * change failed); get_version only on success. */
#define GRANT_TABLE_OPS(OP)                                                                     \
    OP(GNTTABOP_map_grant_ref, OP_ANY, INOUT_ALWAYS, struct gnttab_map_grant_ref, map_one,      \
       GNTTAB_EACH)                                                                             \
    OP(GNTTABOP_unmap_grant_ref, OP_ANY, INOUT_ALWAYS, struct gnttab_unmap_grant_ref,           \
       unmap_one, GNTTAB_EACH)                                                                  \
    OP(GNTTABOP_setup_table, OP_ANY, INOUT_ALWAYS, struct gnttab_setup_table, setup_table, 0)   \
    OP(GNTTABOP_copy, OP_ANY, INOUT_ALWAYS, struct gnttab_copy, copy_one, GNTTAB_EACH)          \
    OP(GNTTABOP_query_size, OP_ANY, INOUT_ALWAYS, struct gnttab_query_size, query_size, 0)      \
    OP(GNTTABOP_set_version, OP_ANY, INOUT_ALWAYS, struct gnttab_set_version,                   \
       grant_op_set_version, 0)                                                                 \
    OP(GNTTABOP_get_version, OP_ANY, INOUT, struct gnttab_get_version, grant_op_get_version, 0)

GUEST_OP_TABLE(static, grant_table_subops, GRANT_TABLE_OPS);

long do_grant_table_op(uint32_t cmd, guest_ptr_t uop, uint32_t count)
{
    struct domain *d = current_vcpu()->domain;
    int rc = grant_op_check(cmd, count);

    if (rc)
        return rc;
    if (!d->grant.initialised)
        return -XEN_ENOSYS;
    /* grant_op_check let through only the commands that have a row. */
    const struct guest_op *op = guest_op_find(&grant_table_subops, cmd);
    if (!op)
        return -XEN_ENOSYS;
    if (!(op->flags & GNTTAB_EACH))
        return guest_op_run(op, uop, &d->grant, d->privileged);
    /* The element handlers answer in status fields, so only a fault
     * ends the batch early. */
    for (uint32_t i = 0; i < count; i++) {
        /* A long batch goes a slice at a time (continuation.h): the rest
         * of the array, as Xen continues it. */
        if (i && hypercall_preempt_check(1)) {
            const uint64_t rest[3] = { cmd, guest_ptr_add(uop, (uint64_t)i * op->in_len).va,
                                       count - i };
            hypercall_continue(__HYPERVISOR_grant_table_op, 3, rest);
            return 0;
        }
        long erc = guest_op_run(op, guest_ptr_add(uop, (uint64_t)i * op->in_len), &d->grant,
                                d->privileged);
        if (erc)
            return erc;
    }
    return 0;
}
