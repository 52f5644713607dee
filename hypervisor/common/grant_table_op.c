/*
 * HYPERVISOR_grant_table_op(cmd, uop, count): the argument array is
 * walked one element at a time through the checked guest accessors,
 * each element handed to the grant logic (grant.h) and its results
 * copied back, as Xen does.  A fault on an element fails the whole call
 * with -EFAULT after the elements before it took effect.
 */
#include "arch/x86/guest_access.h"
#include "common/grant.h"
#include "common/grant_glue.h"
#include "common/hypercall.h"
#include "public/errno.h"

/* One element in, op, the element out. */
#define FOR_EACH_ELEMENT(type, uop, count, call)                              \
    do {                                                                      \
        for (uint32_t i_ = 0; i_ < (count); i_++) {                           \
            type el_;                                                         \
            guest_ptr_t at_ = guest_ptr_add(uop, (uint64_t)i_ * sizeof(type)); \
            if (copy_from_guest(&el_, at_, sizeof(el_)))                      \
                return -XEN_EFAULT;                                           \
            call(gt, &el_);                                                   \
            if (copy_to_guest(at_, &el_, sizeof(el_)))                        \
                return -XEN_EFAULT;                                           \
        }                                                                     \
    } while (0)

struct frame_list {
    guest_ptr_t base;           /* the op's frame_list */
};

static bool put_frame(void *ctx, uint32_t index, uint64_t mfn)
{
    const struct frame_list *fl = ctx;
    xen_pfn_t v = mfn;

    return !copy_to_guest(guest_ptr_add(fl->base, (uint64_t)index * sizeof(v)), &v, sizeof(v));
}

static long setup_table(struct grant_table *gt, guest_ptr_t uop)
{
    struct gnttab_setup_table op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    struct frame_list fl = { guest_handle_ptr(op.frame_list) };
    struct grant_frame_sink sink = { put_frame, &fl };
    grant_op_setup_table(gt, &op, &sink);
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long query_size(struct grant_table *gt, guest_ptr_t uop)
{
    struct gnttab_query_size op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    grant_op_query_size(gt, &op);
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Xen reports the version in force whether or not the change worked. */
static long set_version(struct grant_table *gt, guest_ptr_t uop)
{
    struct gnttab_set_version op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    long rc = grant_op_set_version(gt, &op);
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

static long get_version(struct grant_table *gt, guest_ptr_t uop)
{
    struct gnttab_get_version op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    long rc = grant_op_get_version(gt, &op);
    if (rc)
        return rc;
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long element_ops(struct grant_table *gt, uint32_t cmd, guest_ptr_t uop, uint32_t count)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        FOR_EACH_ELEMENT(struct gnttab_map_grant_ref, uop, count, grant_map_ref);
        return 0;
    case GNTTABOP_unmap_grant_ref:
        FOR_EACH_ELEMENT(struct gnttab_unmap_grant_ref, uop, count, grant_unmap_ref);
        return 0;
    default:
        FOR_EACH_ELEMENT(struct gnttab_copy, uop, count, grant_copy_one);
        return 0;
    }
}

long do_grant_table_op(uint32_t cmd, guest_ptr_t uop, uint32_t count)
{
    struct domain *d = current_vcpu()->domain;
    int rc = grant_op_check(cmd, count);

    if (rc)
        return rc;
    if (!d->grant.initialised)
        return -XEN_ENOSYS;
    struct grant_table *gt = &d->grant;

    switch (cmd) {
    case GNTTABOP_setup_table: return setup_table(gt, uop);
    case GNTTABOP_query_size:  return query_size(gt, uop);
    case GNTTABOP_set_version: return set_version(gt, uop);
    case GNTTABOP_get_version: return get_version(gt, uop);
    default:                   return element_ops(gt, cmd, uop, count);
    }
}
