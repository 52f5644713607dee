/* Running the rows of a sub-op table; see guest_op.h. */
#include <string.h>
#include "arch/x86/guest_access.h"
#include "common/guest_op.h"
#include "public/errno.h"

/* 8-byte aligned, as the structs cast onto it need. */
union op_buffer {
    uint64_t align;
    unsigned char bytes[GUEST_OP_STACK_BYTES];
};

const struct guest_op *guest_op_find(const struct guest_op_table *t, uint64_t cmd)
{
    for (unsigned int i = 0; i < t->count; i++)
        if (t->ops[i].cmd == cmd)
            return &t->ops[i];
    return NULL;
}

/* The argument is in buf: check the caller, act, write the out part. */
static long act(const struct guest_op *op, guest_ptr_t arg, void *buf, void *ctx,
                bool privileged)
{
    if (op->who != OP_ANY && !privileged)
        return -XEN_EPERM;
    long rc = op->fn(ctx, buf);
    bool back = op->back == OP_BACK_ALWAYS || (op->back == OP_BACK_ON_SUCCESS && rc == 0);
    if (back && copy_to_guest(arg, buf, op->out_len))
        return -XEN_EFAULT;
    return rc;
}

long guest_op_run(const struct guest_op *op, guest_ptr_t arg, void *ctx, bool privileged)
{
    union op_buffer stack;
    unsigned char *buf = op->buf ? op->buf : stack.bytes;
    size_t len = op->in_len > op->out_len ? op->in_len : op->out_len;

    if (op->who == OP_PRIV && !privileged)
        return -XEN_EPERM;
    /* GUEST_OP_TABLE refuses such a row at build time; a row written by
     * hand gets the answer of a sub-op that does not exist. */
    if (!op->buf && len > sizeof(stack.bytes))
        return -XEN_ENOSYS;
    if (copy_from_guest(buf, arg, op->in_len))
        return -XEN_EFAULT;
    /* An out-only part starts as zeros: no stale hypervisor stack can
     * reach the guest through a field the handler leaves alone. */
    memset(buf + op->in_len, 0, len - op->in_len);
    return act(op, arg, buf, ctx, privileged);
}

long guest_op_call(const struct guest_op_table *t, uint64_t cmd, guest_ptr_t arg, void *ctx,
                   bool privileged)
{
    const struct guest_op *op = guest_op_find(t, cmd);

    return op ? guest_op_run(op, arg, ctx, privileged) : -XEN_ENOSYS;
}

static uint32_t field32(const unsigned char *buf, uint16_t offset)
{
    uint32_t v;

    memcpy(&v, buf + offset, sizeof(v));
    return v;
}

long guest_op_call_struct(const struct guest_op_struct *t, guest_ptr_t arg, void *ctx,
                          bool privileged)
{
    union op_buffer stack;

    if (t->size > sizeof(stack.bytes))
        return -XEN_ENOSYS;
    if (copy_from_guest(stack.bytes, arg, t->size))
        return -XEN_EFAULT;
    if (field32(stack.bytes, t->version_offset) != t->version)
        return -XEN_EACCES;
    if (t->who != OP_ANY && !privileged)
        return -XEN_EPERM;
    const struct guest_op *op = guest_op_find(&t->ops, field32(stack.bytes, t->cmd_offset));
    if (!op)
        return -XEN_ENOSYS;
    return act(op, arg, stack.bytes, ctx, privileged);
}
