/*
 * The sub-op runner (common/guest_op.c) over a fake guest memory: who is
 * refused before or after the read, a fault on the way in (the handler
 * never runs) and on the way back (it ran: its effect stays, the guest
 * is told -EFAULT), which results write the struct back, and the
 * struct-carries-its-command form of platform_op.
 */
#include <string.h>

#include "check_main.h"
#include "common/guest_op.h"
#include "fake_guest.h"
#include "public/errno.h"

struct pair {
    uint32_t in;
    uint32_t out;
};

struct big {
    unsigned char bytes[GUEST_OP_STACK_BYTES * 2];
};

struct ctx {
    unsigned int calls;
    long result;
    uint32_t seen;
};

static long none(struct ctx *c)
{
    c->calls++;
    return c->result;
}

/* Reads `in`, answers in `out`, returns what the test asked for. */
static long echo(struct ctx *c, struct pair *p)
{
    c->calls++;
    c->seen = p->in;
    p->out = p->in + 1;
    return c->result;
}

static long fill(struct ctx *c, struct pair *p)
{
    c->calls++;
    c->seen = p->in | p->out;       /* both zero: nothing stale */
    p->out = 0xabcd;
    return c->result;
}

static long big(struct ctx *c, struct big *b)
{
    c->calls++;
    c->seen = b->bytes[sizeof(b->bytes) - 1];
    return c->result;
}

enum { CMD_NONE = 1, CMD_IN, CMD_OUT, CMD_INOUT, CMD_ALWAYS, CMD_PRIV, CMD_PRIV_READ, CMD_BIG };

#define TEST_OPS(OP)                                                          \
    OP(CMD_NONE, OP_ANY, NONE, void, none, 0)                                 \
    OP(CMD_IN, OP_ANY, IN, struct pair, echo, 0)                              \
    OP(CMD_OUT, OP_ANY, OUT, struct pair, fill, 0)                            \
    OP(CMD_INOUT, OP_ANY, INOUT, struct pair, echo, 0)                        \
    OP(CMD_ALWAYS, OP_ANY, INOUT_ALWAYS, struct pair, echo, 7)                \
    OP(CMD_PRIV, OP_PRIV, IN, struct pair, echo, 0)                           \
    OP(CMD_PRIV_READ, OP_PRIV_READ, IN, struct pair, echo, 0)                 \
    OP(CMD_BIG, OP_ANY, IN_LARGE, struct big, big, 0)

GUEST_OP_TABLE(static, test_ops, TEST_OPS);

static struct ctx c;
static struct pair *arg;

static void setup(void)
{
    fake_guest_reset();
    memset(&c, 0, sizeof(c));
    arg = fake_guest_at(0);
    arg->in = 41;
    arg->out = 5;
}

static long call(uint64_t cmd, guest_ptr_t at, bool privileged)
{
    return guest_op_call(&test_ops, cmd, at, &c, privileged);
}

/* Just past the end of the fake guest memory: every read faults. */
static guest_ptr_t bad(void)
{
    return fake_guest_ptr(FAKE_GUEST_SIZE);
}

START_TEST(rows_are_found_by_command)
{
    ck_assert_ptr_nonnull(guest_op_find(&test_ops, CMD_IN));
    ck_assert_uint_eq(guest_op_find(&test_ops, CMD_ALWAYS)->flags, 7);
    ck_assert_uint_eq(guest_op_find(&test_ops, CMD_IN)->in_len, sizeof(struct pair));
    ck_assert_ptr_null(guest_op_find(&test_ops, 0));
    /* The upper half of a 64-bit command counts. */
    ck_assert_ptr_null(guest_op_find(&test_ops, (1ull << 32) | CMD_IN));
}
END_TEST

START_TEST(unknown_command_reads_nothing)
{
    ck_assert_int_eq(call(99, fake_guest_ptr(0), true), -XEN_ENOSYS);
    ck_assert_uint_eq(fake_guest_reads + fake_guest_writes, 0);
    ck_assert_uint_eq(c.calls, 0);
}
END_TEST

START_TEST(none_touches_no_guest_memory)
{
    c.result = 3;
    ck_assert_int_eq(call(CMD_NONE, bad(), false), 3);
    ck_assert_uint_eq(c.calls, 1);
    ck_assert_uint_eq(fake_guest_reads + fake_guest_writes, 0);
}
END_TEST

START_TEST(in_reads_and_writes_nothing_back)
{
    ck_assert_int_eq(call(CMD_IN, fake_guest_ptr(0), false), 0);
    ck_assert_uint_eq(c.seen, 41);
    ck_assert_uint_eq(arg->out, 5);
    ck_assert_uint_eq(fake_guest_writes, 0);
}
END_TEST

START_TEST(fault_on_the_way_in_is_efault_and_the_handler_never_runs)
{
    ck_assert_int_eq(call(CMD_IN, bad(), false), -XEN_EFAULT);
    ck_assert_int_eq(call(CMD_INOUT, bad(), false), -XEN_EFAULT);
    ck_assert_int_eq(call(CMD_ALWAYS, bad(), false), -XEN_EFAULT);
    /* The struct's last byte outside the guest is enough. */
    ck_assert_int_eq(call(CMD_IN, fake_guest_ptr(FAKE_GUEST_SIZE - sizeof(struct pair) + 1),
                          false), -XEN_EFAULT);
    ck_assert_uint_eq(c.calls, 0);
    ck_assert_int_eq(call(CMD_IN, fake_guest_ptr(FAKE_GUEST_SIZE - sizeof(struct pair)), false),
                     0);
}
END_TEST

START_TEST(inout_writes_back_on_success_only)
{
    ck_assert_int_eq(call(CMD_INOUT, fake_guest_ptr(0), false), 0);
    ck_assert_uint_eq(arg->out, 42);

    arg->out = 5;
    c.result = -XEN_EINVAL;
    ck_assert_int_eq(call(CMD_INOUT, fake_guest_ptr(0), false), -XEN_EINVAL);
    ck_assert_uint_eq(arg->out, 5);
    /* A positive result is a value, not success: nothing goes back. */
    c.result = 1;
    ck_assert_int_eq(call(CMD_INOUT, fake_guest_ptr(0), false), 1);
    ck_assert_uint_eq(arg->out, 5);
}
END_TEST

START_TEST(inout_always_writes_back_whatever_the_result)
{
    c.result = -XEN_ENOSYS;
    ck_assert_int_eq(call(CMD_ALWAYS, fake_guest_ptr(0), false), -XEN_ENOSYS);
    ck_assert_uint_eq(arg->out, 42);
}
END_TEST

START_TEST(fault_on_the_way_back_is_efault_after_the_handler_ran)
{
    fake_guest_read_only(0, sizeof(struct pair));
    ck_assert_int_eq(call(CMD_INOUT, fake_guest_ptr(0), false), -XEN_EFAULT);
    ck_assert_uint_eq(c.calls, 1);
    c.result = -XEN_EINVAL;
    ck_assert_int_eq(call(CMD_ALWAYS, fake_guest_ptr(0), false), -XEN_EFAULT);
    /* A failure that writes nothing back keeps its own code. */
    ck_assert_int_eq(call(CMD_INOUT, fake_guest_ptr(0), false), -XEN_EINVAL);
    ck_assert_uint_eq(c.calls, 3);
}
END_TEST

START_TEST(out_starts_zeroed_and_reads_nothing)
{
    ck_assert_int_eq(call(CMD_OUT, fake_guest_ptr(0), false), 0);
    ck_assert_uint_eq(fake_guest_reads, 0);
    ck_assert_uint_eq(c.seen, 0);
    ck_assert_uint_eq(arg->in, 0);          /* the whole struct went back */
    ck_assert_uint_eq(arg->out, 0xabcd);
    ck_assert_int_eq(call(CMD_OUT, bad(), false), -XEN_EFAULT);
    ck_assert_uint_eq(c.calls, 2);
}
END_TEST

START_TEST(priv_is_refused_before_the_read)
{
    ck_assert_int_eq(call(CMD_PRIV, bad(), false), -XEN_EPERM);
    ck_assert_uint_eq(fake_guest_reads, 0);
    ck_assert_int_eq(call(CMD_PRIV, fake_guest_ptr(0), true), 0);
    ck_assert_int_eq(call(CMD_PRIV, bad(), true), -XEN_EFAULT);
    ck_assert_uint_eq(c.calls, 1);
}
END_TEST

START_TEST(priv_read_is_refused_after_the_read)
{
    ck_assert_int_eq(call(CMD_PRIV_READ, bad(), false), -XEN_EFAULT);
    ck_assert_int_eq(call(CMD_PRIV_READ, fake_guest_ptr(0), false), -XEN_EPERM);
    ck_assert_uint_eq(fake_guest_reads, 2);
    ck_assert_uint_eq(c.calls, 0);
    ck_assert_int_eq(call(CMD_PRIV_READ, fake_guest_ptr(0), true), 0);
    ck_assert_uint_eq(c.calls, 1);
}
END_TEST

START_TEST(large_arguments_use_static_storage)
{
    unsigned char *b = fake_guest_at(0);

    b[sizeof(struct big) - 1] = 9;
    ck_assert_int_eq(call(CMD_BIG, fake_guest_ptr(0), false), 0);
    ck_assert_uint_eq(c.seen, 9);
    ck_assert_ptr_nonnull(guest_op_find(&test_ops, CMD_BIG)->buf);
}
END_TEST

/* A struct that carries its command and version, like platform_op. */
struct op_with_cmd {
    uint32_t cmd;
    uint32_t version;
    uint32_t value;
    uint32_t answer;
};

static long answer(struct ctx *c, struct op_with_cmd *op)
{
    c->calls++;
    op->answer = op->value * 2;
    return c->result;
}

#define STRUCT_OPS(OP)                                                        \
    OP(1, OP_ANY, INOUT, struct op_with_cmd, answer, 0)                       \
    OP(2, OP_ANY, IN, struct op_with_cmd, answer, 0)

GUEST_OP_ROWS(struct_rows, STRUCT_OPS);

static const struct guest_op_struct struct_call = {
    .ops = GUEST_OP_TABLE_OF(struct_rows),
    .size = sizeof(struct op_with_cmd),
    .cmd_offset = offsetof(struct op_with_cmd, cmd),
    .version_offset = offsetof(struct op_with_cmd, version),
    .version = 0x1234,
    .who = OP_PRIV_READ,
};

START_TEST(struct_with_its_command_in_xen_order)
{
    struct op_with_cmd *op = fake_guest_at(0);
    guest_ptr_t at = fake_guest_ptr(0);

    *op = (struct op_with_cmd){ .cmd = 1, .version = 0x1234, .value = 21 };
    ck_assert_int_eq(guest_op_call_struct(&struct_call, bad(), &c, false), -XEN_EFAULT);
    op->version = 1;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, false), -XEN_EACCES);
    op->version = 0x1234;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, false), -XEN_EPERM);
    op->cmd = 3;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, true), -XEN_ENOSYS);
    ck_assert_uint_eq(c.calls, 0);

    op->cmd = 1;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, true), 0);
    ck_assert_uint_eq(op->answer, 42);
    op->cmd = 2;
    op->answer = 0;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, true), 0);
    ck_assert_uint_eq(op->answer, 0);       /* IN: nothing written back */
    op->cmd = 1;
    c.result = -XEN_EINVAL;
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, true), -XEN_EINVAL);
    ck_assert_uint_eq(op->answer, 0);
    c.result = 0;
    fake_guest_read_only(0, sizeof(*op));
    ck_assert_int_eq(guest_op_call_struct(&struct_call, at, &c, true), -XEN_EFAULT);
}
END_TEST

static Suite *guest_op_suite(void)
{
    Suite *s = suite_create("guest_op");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, rows_are_found_by_command);
    tcase_add_test(tc, unknown_command_reads_nothing);
    tcase_add_test(tc, none_touches_no_guest_memory);
    tcase_add_test(tc, in_reads_and_writes_nothing_back);
    tcase_add_test(tc, fault_on_the_way_in_is_efault_and_the_handler_never_runs);
    tcase_add_test(tc, inout_writes_back_on_success_only);
    tcase_add_test(tc, inout_always_writes_back_whatever_the_result);
    tcase_add_test(tc, fault_on_the_way_back_is_efault_after_the_handler_ran);
    tcase_add_test(tc, out_starts_zeroed_and_reads_nothing);
    tcase_add_test(tc, priv_is_refused_before_the_read);
    tcase_add_test(tc, priv_read_is_refused_after_the_read);
    tcase_add_test(tc, large_arguments_use_static_storage);
    tcase_add_test(tc, struct_with_its_command_in_xen_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(guest_op_suite());
}
