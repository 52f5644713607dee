/*
 * Host tests of console input routing (common/console_input.c): where
 * bytes go, the Ctrl-A x3 switch and its log line, dom0's ring.  The
 * hypervisor's printk, debug keys and VIRQ raising are replaced by
 * recorders.  Each test runs in its own process (CK_FORK): the router's
 * state starts fresh.
 */
#include <check.h>
#include "check_main.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/console_input.h"
#include "common/debug_keys.h"

static char last_log[256];
static unsigned int nr_logs;
static char keys[4096];
static unsigned int nr_keys;
static unsigned int nr_notifies;
static struct domain *notified_domain;

static char fake_dom0_storage;
#define FAKE_DOM0 ((struct domain *)&fake_dom0_storage)

void printk(int level, const char *fmt, ...)
{
    va_list ap;

    (void)level;
    va_start(ap, fmt);
    vsnprintf(last_log, sizeof(last_log), fmt, ap);
    va_end(ap);
    nr_logs++;
}

void debug_key_handle(unsigned char key, const struct cpu_regs *regs)
{
    (void)regs;
    ck_assert_uint_lt(nr_keys, sizeof(keys));
    keys[nr_keys++] = (char)key;
}

void console_input_notify_guest(struct domain *d)
{
    nr_notifies++;
    notified_domain = d;
}

static void type(const char *s)
{
    for (; *s; s++)
        console_input_receive(*s, NULL);
}

static unsigned int read_all(char *buf, unsigned int max)
{
    unsigned int n = console_input_peek(buf, max);

    console_input_consume(n);
    buf[n] = '\0';
    return n;
}

START_TEST(boot_input_goes_to_debug_keys)
{
    type("hq");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_HYPERVISOR);
    ck_assert_uint_eq(nr_keys, 2);
    ck_assert_mem_eq(keys, "hq", 2);
    ck_assert_uint_eq(console_input_pending(), 0);
    ck_assert_uint_eq(nr_notifies, 0);
}
END_TEST

START_TEST(endboot_switches_to_dom0_and_says_so)
{
    console_input_endboot(FAKE_DOM0);
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_DOM0);
    ck_assert_str_eq(last_log, "*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)");
    type("ls\n");
    ck_assert_uint_eq(nr_keys, 0);
    ck_assert_uint_eq(console_input_pending(), 3);
    ck_assert_uint_eq(nr_notifies, 3);
    ck_assert_ptr_eq(notified_domain, FAKE_DOM0);

    char buf[16];
    ck_assert_uint_eq(read_all(buf, sizeof(buf) - 1), 3);
    ck_assert_str_eq(buf, "ls\n");
    ck_assert_uint_eq(console_input_pending(), 0);
}
END_TEST

START_TEST(three_ctrl_a_switch_back_and_forth)
{
    console_input_endboot(FAKE_DOM0);
    type("\x01\x01\x01");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_HYPERVISOR);
    ck_assert_str_eq(last_log, "*** Serial input to Subfloor (type 'CTRL-a' three times to switch input)");
    type("m");
    ck_assert_uint_eq(nr_keys, 1);
    ck_assert_int_eq(keys[0], 'm');
    type("\x01\x01\x01" "x");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_DOM0);
    ck_assert_str_eq(last_log, "*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)");
    /* None of the six Ctrl-A reached either side. */
    ck_assert_uint_eq(nr_keys, 1);
    char buf[8];
    ck_assert_uint_eq(read_all(buf, sizeof(buf) - 1), 1);
    ck_assert_str_eq(buf, "x");
}
END_TEST

START_TEST(fewer_than_three_ctrl_a_pass_through)
{
    console_input_endboot(FAKE_DOM0);
    type("\x01" "a" "\x01\x01" "b");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_DOM0);
    char buf[16];
    ck_assert_uint_eq(read_all(buf, sizeof(buf) - 1), 5);
    ck_assert_str_eq(buf, "\x01" "a" "\x01\x01" "b");
}
END_TEST

START_TEST(four_ctrl_a_switch_once_and_hold_one)
{
    console_input_endboot(FAKE_DOM0);
    type("\x01\x01\x01\x01");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_HYPERVISOR);
    type("q");
    /* The held fourth Ctrl-A goes to the new target before the 'q'. */
    ck_assert_uint_eq(nr_keys, 2);
    ck_assert_int_eq(keys[0], 0x01);
    ck_assert_int_eq(keys[1], 'q');
    ck_assert_uint_eq(console_input_pending(), 0);
}
END_TEST

START_TEST(no_dom0_means_no_switch)
{
    type("\x01\x01\x01");
    ck_assert_int_eq(console_input_target(), CONSOLE_INPUT_HYPERVISOR);
    ck_assert_ptr_nonnull(strstr(last_log, "no dom0"));
    type("h");
    ck_assert_uint_eq(nr_keys, 1);
}
END_TEST

START_TEST(full_ring_drops_and_still_notifies)
{
    console_input_endboot(FAKE_DOM0);
    for (unsigned int i = 0; i < CONSOLE_INPUT_RING_SIZE + 5; i++)
        console_input_receive((char)('a' + i % 26), NULL);
    ck_assert_uint_eq(console_input_pending(), CONSOLE_INPUT_RING_SIZE);
    ck_assert_uint_eq(console_input_dropped(), 5);
    ck_assert_uint_eq(nr_notifies, CONSOLE_INPUT_RING_SIZE + 5);

    /* The oldest bytes are kept, in order. */
    char buf[CONSOLE_INPUT_RING_SIZE];
    ck_assert_uint_eq(console_input_peek(buf, 3), 3);
    ck_assert_mem_eq(buf, "abc", 3);
    ck_assert_uint_eq(console_input_pending(), CONSOLE_INPUT_RING_SIZE);
}
END_TEST

START_TEST(ring_wraps_and_consume_clamps)
{
    char buf[CONSOLE_INPUT_RING_SIZE + 1];

    console_input_endboot(FAKE_DOM0);
    /* Move the indices near the end of the array, then wrap across it. */
    for (unsigned int i = 0; i < CONSOLE_INPUT_RING_SIZE - 2; i++)
        console_input_receive('z', NULL);
    console_input_consume(CONSOLE_INPUT_RING_SIZE - 2);
    ck_assert_uint_eq(console_input_pending(), 0);
    type("wrap!");
    ck_assert_uint_eq(console_input_peek(buf, sizeof(buf)), 5);
    ck_assert_mem_eq(buf, "wrap!", 5);
    console_input_consume(2);
    ck_assert_uint_eq(console_input_peek(buf, 2), 2);
    ck_assert_mem_eq(buf, "ap", 2);
    console_input_consume(100);
    ck_assert_uint_eq(console_input_pending(), 0);
    ck_assert_uint_eq(console_input_peek(buf, sizeof(buf)), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("console_input");
    TCase *tc = tcase_create("routing");

    tcase_add_test(tc, boot_input_goes_to_debug_keys);
    tcase_add_test(tc, endboot_switches_to_dom0_and_says_so);
    tcase_add_test(tc, three_ctrl_a_switch_back_and_forth);
    tcase_add_test(tc, fewer_than_three_ctrl_a_pass_through);
    tcase_add_test(tc, four_ctrl_a_switch_once_and_hold_one);
    tcase_add_test(tc, no_dom0_means_no_switch);
    tcase_add_test(tc, full_ring_drops_and_still_notifies);
    tcase_add_test(tc, ring_wraps_and_consume_clamps);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
