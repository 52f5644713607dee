/*
 * The sub-operations of the multiplexed hypercalls (event_channel_op,
 * vcpu_op, memory_op, physdev_op ...), each a row of its hypercall's
 * table, and the one function that runs a row the way Xen runs one:
 * check who may call it, copy its argument struct in (-XEN_EFAULT when
 * the guest's pointer does not let it), call the handler on the copy,
 * and copy the out part back (-XEN_EFAULT when that faults).  A new
 * sub-op is one row and one handler; the handler never touches guest
 * memory for its own argument.
 *
 * A table is written as an X-macro list whose rows are
 *
 *     OP(cmd, who, kind, type, handler, flags)
 *
 *   cmd      the sub-op's number (EVTCHNOP_send, ...);
 *   who      OP_ANY, OP_PRIV or OP_PRIV_READ (enum guest_op_who);
 *   kind     what is read and written back, and the handler's shape:
 *     NONE          nothing read or written      long handler(ctx)
 *     IN            sizeof(type) read            long handler(ctx, type *)
 *     OUT           zeroed, written back when the handler returns 0
 *     INOUT         read, written back when the handler returns 0
 *     INOUT_ALWAYS  read, written back whatever the handler returned
 *                   (ops whose results are status fields in the struct)
 *     IN_LARGE      as IN, into static storage: for a struct too large
 *                   for the stack (the hypervisor lock, scheduler.h,
 *                   makes one copy enough)
 *   type     the argument struct (void for NONE);
 *   handler  the function: a parameter that is not a pointer to `type`
 *            (or to const `type`) does not compile; ctx is whatever the
 *            hypercall hands every row of its table (the caller's vCPU,
 *            domain, ...);
 *   flags    the hypercall's own marks, read by its caller (0 if none).
 *
 * and GUEST_OP_TABLE(storage, name, LIST) defines `name` from it.
 */
#ifndef SUBFLOOR_GUEST_OP_H
#define SUBFLOOR_GUEST_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/guest_access.h"

enum guest_op_who {
    /* Any caller. */
    OP_ANY,
    /* Privileged callers; others get -XEN_EPERM before the argument is
     * read. */
    OP_PRIV,
    /* Privileged callers; others get -XEN_EPERM once the argument is read
     * and before the handler runs: Xen's XSM_PRIV check after its
     * copy_from_guest, so a bad pointer is -EFAULT even for them. */
    OP_PRIV_READ,
};

enum guest_op_back {
    OP_BACK_NEVER,
    OP_BACK_ON_SUCCESS,     /* the handler returned 0 */
    OP_BACK_ALWAYS,
};

typedef long (*guest_op_fn)(void *ctx, void *arg);

struct guest_op {
    uint32_t cmd;
    uint8_t who;            /* enum guest_op_who */
    uint8_t back;           /* enum guest_op_back */
    uint8_t flags;
    uint16_t in_len;        /* bytes read before the handler */
    uint16_t out_len;       /* bytes written back after it, from the start */
    guest_op_fn fn;
    void *buf;              /* IN_LARGE's storage; NULL: the stack */
};

struct guest_op_table {
    const struct guest_op *ops;
    unsigned int count;
};

/* The stack buffer's size: the largest argument a row without static
 * storage may have (xen_version's 1 KiB strings). */
#define GUEST_OP_STACK_BYTES 1024

/* The row for cmd, or NULL.  cmd is 64-bit so that a command whose
 * upper half is set matches no row, for the hypercalls that look at it. */
const struct guest_op *guest_op_find(const struct guest_op_table *t, uint64_t cmd);

/* Run one row on the struct at arg: its result, -XEN_EPERM or
 * -XEN_EFAULT as above.  privileged: what the caller's domain is. */
long guest_op_run(const struct guest_op *op, guest_ptr_t arg, void *ctx, bool privileged);

/* guest_op_find and guest_op_run; -XEN_ENOSYS for a cmd with no row. */
long guest_op_call(const struct guest_op_table *t, uint64_t cmd, guest_ptr_t arg, void *ctx,
                   bool privileged);

/*
 * A hypercall whose one argument is a struct carrying its own command
 * and interface version (platform_op; domctl and sysctl have the same
 * shape).  Xen's order: the whole struct is read (-XEN_EFAULT), its
 * version checked (-XEN_EACCES), the caller checked against `who`
 * (-XEN_EPERM), then the row for its command (-XEN_ENOSYS if none) runs
 * on the struct, with the row's own who checked first.  Rows take the
 * whole struct as their type; IN rows write nothing back, INOUT rows the
 * whole struct on success.
 */
struct guest_op_struct {
    struct guest_op_table ops;
    uint16_t size;              /* the whole struct */
    uint16_t cmd_offset;        /* of its uint32_t command */
    uint16_t version_offset;    /* of its uint32_t interface version */
    uint32_t version;           /* the one accepted */
    uint8_t who;                /* enum guest_op_who, for every command */
};

long guest_op_call_struct(const struct guest_op_struct *t, guest_ptr_t arg, void *ctx,
                          bool privileged);

/*
 * Building a table from an X-macro list (see the top).  Each row gets a
 * thunk, guest_op_thunk_<cmd>, that hands the handler its argument with
 * its real type: the handler is called directly, never through a cast
 * function pointer.
 */
#define GUEST_OP_TABLE(storage, name, LIST)                                   \
    GUEST_OP_ROWS(name##_rows, LIST);                                         \
    storage const struct guest_op_table name = GUEST_OP_TABLE_OF(name##_rows)

/* The rows alone, for a struct guest_op_struct's .ops. */
#define GUEST_OP_ROWS(rows, LIST)                                             \
    LIST(GUEST_OP_THUNK)                                                      \
    static const struct guest_op rows[] = { LIST(GUEST_OP_ROW) }
#define GUEST_OP_TABLE_OF(rows) { rows, sizeof(rows) / sizeof(rows[0]) }

/* (Parameter names end in _ so that none is also a field name.) */
#define GUEST_OP_THUNK(cmd_, who_, kind_, type_, handler_, flags_)            \
    GUEST_OP_THUNK_##kind_(guest_op_thunk_##cmd_, guest_op_buf_##cmd_, #cmd_, \
                           type_, handler_)
#define GUEST_OP_ROW(cmd_, who_, kind_, type_, handler_, flags_)              \
    { .cmd = (cmd_), .who = (who_), .flags = (flags_),                        \
      .fn = guest_op_thunk_##cmd_, GUEST_OP_ROW_##kind_(type_, guest_op_buf_##cmd_) },

#define GUEST_OP_THUNK_NONE(thunk_, buf_, name_, type_, handler_)             \
    static long thunk_(void *ctx, void *arg)                                  \
    {                                                                         \
        (void)arg;                                                            \
        return handler_(ctx);                                                 \
    }
#define GUEST_OP_THUNK_TYPED(thunk_, type_, handler_)                         \
    static long thunk_(void *ctx, void *arg)                                  \
    {                                                                         \
        type_ *op = arg;                                                      \
        return handler_(ctx, op);                                             \
    }
#define GUEST_OP_THUNK_IN(thunk_, buf_, name_, type_, handler_)               \
    _Static_assert(sizeof(type_) <= GUEST_OP_STACK_BYTES,                     \
                   name_ ": argument too large for the stack, use IN_LARGE"); \
    GUEST_OP_THUNK_TYPED(thunk_, type_, handler_)
#define GUEST_OP_THUNK_OUT GUEST_OP_THUNK_IN
#define GUEST_OP_THUNK_INOUT GUEST_OP_THUNK_IN
#define GUEST_OP_THUNK_INOUT_ALWAYS GUEST_OP_THUNK_IN
#define GUEST_OP_THUNK_IN_LARGE(thunk_, buf_, name_, type_, handler_)         \
    static type_ buf_;                                                        \
    GUEST_OP_THUNK_TYPED(thunk_, type_, handler_)

#define GUEST_OP_ROW_NONE(type_, buf_) .back = OP_BACK_NEVER
#define GUEST_OP_ROW_IN(type_, buf_) .back = OP_BACK_NEVER, .in_len = sizeof(type_)
#define GUEST_OP_ROW_OUT(type_, buf_) .back = OP_BACK_ON_SUCCESS, .out_len = sizeof(type_)
#define GUEST_OP_ROW_INOUT(type_, buf_)                                       \
    .back = OP_BACK_ON_SUCCESS, .in_len = sizeof(type_), .out_len = sizeof(type_)
#define GUEST_OP_ROW_INOUT_ALWAYS(type_, buf_)                                \
    .back = OP_BACK_ALWAYS, .in_len = sizeof(type_), .out_len = sizeof(type_)
#define GUEST_OP_ROW_IN_LARGE(type_, buf_)                                    \
    .back = OP_BACK_NEVER, .in_len = sizeof(type_), .buf = &buf_

#endif
