/* Host tests of the log ring (common/log_ring.c). */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/log_ring.h"

static uint64_t append_str(int level, const char *s)
{
    return log_ring_append(level, s, strlen(s));
}

START_TEST(empty_ring_has_nothing_to_read)
{
    char buf[16];
    uint64_t seq = 0;
    int level = -1;

    ck_assert_uint_eq(log_ring_first_seq(), 0);
    ck_assert_uint_eq(log_ring_next_seq(), 0);
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(records_come_back_in_order_with_levels)
{
    char buf[64];
    uint64_t seq = 0;
    int level;

    ck_assert_uint_eq(append_str(1, "first"), 0);
    ck_assert_uint_eq(append_str(3, "second"), 1);
    ck_assert_uint_eq(append_str(4, ""), 2);

    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), 5);
    ck_assert_str_eq(buf, "first");
    ck_assert_int_eq(level, 1);
    ck_assert_uint_eq(seq, 1);
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), 6);
    ck_assert_str_eq(buf, "second");
    ck_assert_int_eq(level, 3);
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(level, 4);
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(reading_from_a_sequence_number_skips_older_records)
{
    char buf[64];
    uint64_t seq = 2;
    int level;

    append_str(3, "a");
    append_str(3, "b");
    append_str(3, "c");
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), 1);
    ck_assert_str_eq(buf, "c");
}
END_TEST

START_TEST(short_buffer_truncates_but_reports_full_length)
{
    char buf[4];
    uint64_t seq = 0;
    int level;

    append_str(2, "abcdefgh");
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), 8);
    ck_assert_str_eq(buf, "abc");
    ck_assert_uint_eq(seq, 1);
}
END_TEST

START_TEST(overlong_record_is_cut_to_the_maximum)
{
    static char big[LOG_RECORD_MAX * 2];
    static char buf[LOG_RECORD_MAX * 2];
    uint64_t seq = 0;
    int level;

    memset(big, 'x', sizeof(big));
    log_ring_append(3, big, sizeof(big));
    ck_assert_int_eq(log_ring_read(&seq, &level, buf, sizeof(buf)), LOG_RECORD_MAX);
    ck_assert_uint_eq(strlen(buf), LOG_RECORD_MAX);
}
END_TEST

START_TEST(full_ring_keeps_the_newest_records)
{
    char text[64], buf[64];
    const unsigned int total = 5000;    /* far more than 64 KiB of records */
    int level;

    for (unsigned int i = 0; i < total; i++) {
        snprintf(text, sizeof(text), "message number %u", i);
        ck_assert_uint_eq(append_str(3, text), i);
    }
    uint64_t first = log_ring_first_seq();
    ck_assert_uint_gt(first, 0);
    ck_assert_uint_eq(log_ring_next_seq(), total);

    /* Asking for an overwritten record resumes at the oldest one kept. */
    uint64_t seq = 0;
    ck_assert_int_ge(log_ring_read(&seq, &level, buf, sizeof(buf)), 0);
    snprintf(text, sizeof(text), "message number %u", (unsigned int)first);
    ck_assert_str_eq(buf, text);
    ck_assert_uint_eq(seq, first + 1);

    /* Every record from there to the newest is intact and in order. */
    uint64_t expect = first + 1;
    while (log_ring_read(&seq, &level, buf, sizeof(buf)) >= 0) {
        snprintf(text, sizeof(text), "message number %u", (unsigned int)expect);
        ck_assert_str_eq(buf, text);
        expect++;
    }
    ck_assert_uint_eq(expect, total);
    /* Exactly as many are kept as fit: one more old one would not. */
    uint64_t held = 0;
    for (uint64_t i = first; i < total; i++)
        held += LOG_RECORD_HEADER + (uint64_t)snprintf(text, sizeof(text), "message number %u", (unsigned int)i);
    uint64_t one_more = LOG_RECORD_HEADER +
        (uint64_t)snprintf(text, sizeof(text), "message number %u", (unsigned int)(first - 1));
    ck_assert_uint_le(held, LOG_RING_SIZE);
    ck_assert_uint_gt(held + one_more, LOG_RING_SIZE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("log_ring");
    TCase *tc = tcase_create("core");

    /* Each test forks (Check's default), so each starts with an empty ring. */
    tcase_add_test(tc, empty_ring_has_nothing_to_read);
    tcase_add_test(tc, records_come_back_in_order_with_levels);
    tcase_add_test(tc, reading_from_a_sequence_number_skips_older_records);
    tcase_add_test(tc, short_buffer_truncates_but_reports_full_length);
    tcase_add_test(tc, overlong_record_is_cut_to_the_maximum);
    tcase_add_test(tc, full_ring_keeps_the_newest_records);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
