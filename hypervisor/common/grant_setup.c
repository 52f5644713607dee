/*
 * The table-level grant ops: setup_table, query_size, set_version,
 * get_version, and the argument checks Xen makes before any op runs.
 *
 * Who may act on which table is Xen's default (dummy XSM) policy: a
 * domain on its own table, a privileged domain (dom0) on any.
 */
#include "common/grant.h"
#include "public/errno.h"

/* The continuation argument lives above the command's low 12 bits. */
#define GNTTABOP_CMD_MASK 0xfffu

struct grant_table *grant_find(struct grant_table *caller, uint16_t domid)
{
    if (domid == DOMID_SELF || domid == caller->domid)
        return caller;
    return caller->ops->find_domain(domid);
}

bool grant_may_control(const struct grant_table *caller, const struct grant_table *target)
{
    return caller == target || caller->privileged;
}

int grant_op_check(uint32_t cmd, uint32_t count)
{
    if ((int32_t)count < 0)
        return -XEN_EINVAL;

    uint32_t op = cmd & GNTTABOP_CMD_MASK;
    if (op != GNTTABOP_cache_flush && (cmd & ~GNTTABOP_CMD_MASK))
        return -XEN_EINVAL;

    switch (op) {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
        return 0;
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
        return count == 1 ? 0 : -XEN_EINVAL;
    default:
        /* transfer, unmap_and_replace, swap_grant_ref, v2 status frames
         * and cache_flush are not implemented. */
        return -XEN_ENOSYS;
    }
}

/* The table of domain dom, if the caller may control it; else NULL with
 * the GNTST_ status Xen gives (unknown domain, not permitted). */
static struct grant_table *controlled_table(struct grant_table *caller, uint16_t dom,
                                            int16_t *status)
{
    struct grant_table *gt = grant_find(caller, dom);

    if (!gt)
        *status = GNTST_bad_domain;
    else if (!grant_may_control(caller, gt)) {
        *status = GNTST_permission_denied;
        gt = NULL;
    }
    return gt;
}

void grant_op_setup_table(struct grant_table *caller, struct gnttab_setup_table *op,
                          const struct grant_frame_sink *frames)
{
    struct grant_table *gt = controlled_table(caller, op->dom, &op->status);

    if (!gt)
        return;
    if (op->nr_frames > gt->max_frames) {
        op->status = GNTST_general_error;
        return;
    }
    if (op->nr_frames > gt->nr_frames && grant_table_grow(gt, op->nr_frames)) {
        op->status = GNTST_general_error;
        return;
    }

    op->status = GNTST_okay;
    /* Like Xen, a fault on one element does not stop the others. */
    for (uint32_t i = 0; i < op->nr_frames; i++)
        if (!frames || !frames->put(frames->ctx, i, gt->frame_mfn[i]))
            op->status = GNTST_bad_virt_addr;
}

void grant_op_query_size(struct grant_table *caller, struct gnttab_query_size *op)
{
    struct grant_table *gt = controlled_table(caller, op->dom, &op->status);

    if (!gt)
        return;
    op->nr_frames = gt->nr_frames;
    op->max_nr_frames = gt->max_frames;
    op->status = GNTST_okay;
}

int grant_op_set_version(struct grant_table *caller, struct gnttab_set_version *op)
{
    int rc = 0;

    if (op->version != 1 && op->version != 2)
        rc = -XEN_EINVAL;
    else if (op->version == 2)
        /* What Xen answers when version 2 is not offered to the domain
         * (gnttab=max-ver:1); Linux then stays on version 1. */
        rc = -XEN_ENOSYS;
    op->version = caller->version;
    return rc;
}

int grant_op_get_version(struct grant_table *caller, struct gnttab_get_version *op)
{
    struct grant_table *gt = grant_find(caller, op->dom);

    if (!gt)
        return -XEN_ESRCH;
    if (!grant_may_control(caller, gt))
        return -XEN_EPERM;
    op->version = gt->version;
    return 0;
}
