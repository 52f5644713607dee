/* Host tests of the console ring (lib/conring.c): Xen's readconsole
 * positions over a byte ring that wraps. */
#include <check.h>
#include "check_main.h"
#include <string.h>
#include "lib/conring.h"

static void put_str(const char *s)
{
    conring_put(s, strlen(s));
}

/* Everything readable from `from`, as readconsole would return it. */
static size_t read_all(uint32_t from, char *buf, size_t max)
{
    uint32_t at = conring_start(from);
    size_t got = 0;

    while (got < max) {
        size_t n = conring_peek(at, buf + got, max - got);
        if (!n)
            break;
        at += (uint32_t)n;
        got += n;
    }
    return got;
}

START_TEST(bytes_come_back_from_any_position_held)
{
    char buf[64] = { 0 };

    put_str("(XEN) one\n");
    put_str("(XEN) two\n");
    ck_assert_uint_eq(conring_producer(), 20);
    ck_assert_uint_eq(read_all(0, buf, sizeof(buf)), 20);
    ck_assert_str_eq(buf, "(XEN) one\n(XEN) two\n");
    memset(buf, 0, sizeof(buf));
    ck_assert_uint_eq(read_all(10, buf, sizeof(buf)), 10);
    ck_assert_str_eq(buf, "(XEN) two\n");
    /* At the producer: nothing new. */
    ck_assert_uint_eq(read_all(20, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(a_wrapped_ring_keeps_the_newest_bytes)
{
    static char big[CONRING_SIZE + 100];
    static char out[CONRING_SIZE + 100];

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    put_str("old");
    conring_put(big, sizeof(big));
    ck_assert_uint_eq(conring_producer(), 3 + sizeof(big));
    ck_assert_uint_eq(conring_producer() - conring_consumer(), CONRING_SIZE);
    /* A position overwritten reads from the oldest byte held. */
    ck_assert_uint_eq(conring_start(0), conring_consumer());
    ck_assert_uint_eq(read_all(0, out, sizeof(out)), CONRING_SIZE);
    ck_assert_int_eq(memcmp(out, big + 100, CONRING_SIZE), 0);
}
END_TEST

START_TEST(a_position_past_the_producer_is_not_trusted)
{
    char buf[16];

    put_str("abc");
    ck_assert_uint_eq(conring_start(1000), conring_consumer());
    ck_assert_uint_eq(conring_start(0xfffffff0u), conring_consumer());
    ck_assert_uint_eq(read_all(1000, buf, sizeof(buf)), 3);
}
END_TEST

START_TEST(clear_forgets_what_was_written)
{
    char buf[16];

    put_str("abc");
    conring_clear();
    ck_assert_uint_eq(read_all(0, buf, sizeof(buf)), 0);
    put_str("de");
    ck_assert_uint_eq(read_all(0, buf, sizeof(buf)), 2);
    ck_assert_int_eq(memcmp(buf, "de", 2), 0);
}
END_TEST

START_TEST(counters_wrap_at_32_bits)
{
    static char chunk[CONRING_SIZE];
    char buf[8] = { 0 };

    memset(chunk, 'x', sizeof(chunk));
    /* 2^32 bytes in: the counters wrap, positions still compare. */
    for (uint64_t i = 0; i < (1ull << 32) / CONRING_SIZE; i++)
        conring_put(chunk, sizeof(chunk));
    ck_assert_uint_eq(conring_producer(), 0);
    put_str("yz");
    ck_assert_uint_eq(read_all(0, buf, sizeof(buf)), 2);
    ck_assert_str_eq(buf, "yz");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conring");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, bytes_come_back_from_any_position_held);
    tcase_add_test(tc, a_wrapped_ring_keeps_the_newest_bytes);
    tcase_add_test(tc, a_position_past_the_producer_is_not_trusted);
    tcase_add_test(tc, clear_forgets_what_was_written);
    tcase_add_test(tc, counters_wrap_at_32_bits);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
