/* Unit tests of the hypervisor heap (hypervisor/mm/heap.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "mm/heap.h"

/* Page provider: aligned host memory, counted so leaks show.  In "keep"
 * mode freed blocks stay mapped (as the hypervisor's direct map does),
 * so a double free of a large block can be read safely. */
struct pages {
    long outstanding;
    int fail;            /* refuse every request */
    int keep;
    void *kept[64];
    int nr_kept;
};

static void *test_page_alloc(void *ctx, unsigned int order)
{
    struct pages *pg = ctx;
    if (pg->fail)
        return NULL;
    void *p = aligned_alloc(HEAP_PAGE_SIZE, (size_t)HEAP_PAGE_SIZE << order);
    if (p)
        pg->outstanding += 1l << order;
    return p;
}

static void test_page_free(void *ctx, void *p, unsigned int order)
{
    struct pages *pg = ctx;
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p & (HEAP_PAGE_SIZE - 1), 0);
    pg->outstanding -= 1l << order;
    ck_assert_int_ge(pg->outstanding, 0);
    if (pg->keep && pg->nr_kept < 64)
        pg->kept[pg->nr_kept++] = p;
    else
        free(p);
}

static struct pages pages;
static struct heap heap;

static void setup(void)
{
    memset(&pages, 0, sizeof(pages));
    struct heap_ops ops = { test_page_alloc, test_page_free, &pages };
    heap_init(&heap, &ops);
}

static void teardown(void)
{
    for (int i = 0; i < pages.nr_kept; i++)
        free(pages.kept[i]);
}

static void assert_empty(void)
{
    struct heap_stats st;
    heap_stats(&heap, &st);
    ck_assert_uint_eq(st.allocs_in_use, 0);
    ck_assert_uint_eq(st.bytes_in_use, 0);
    ck_assert_uint_eq(st.pages_in_use, 0);
    ck_assert_int_eq(pages.outstanding, 0);
}

START_TEST(every_size_aligned_and_usable)
{
    enum { MAX = 9000 };
    static void *p[MAX + 1];
    for (size_t sz = 1; sz <= MAX; sz++) {
        p[sz] = heap_alloc(&heap, sz);
        ck_assert_ptr_nonnull(p[sz]);
        ck_assert_uint_eq((uintptr_t)p[sz] % HEAP_ALIGN, 0);
        ck_assert_uint_ge(heap_usable_size(&heap, p[sz]), sz);
        memset(p[sz], (int)(sz & 0xff), sz);
    }
    /* No object overlapped another: every pattern is intact. */
    static unsigned char want[MAX];
    for (size_t sz = 1; sz <= MAX; sz++) {
        memset(want, (int)(sz & 0xff), sz);
        ck_assert_msg(memcmp(p[sz], want, sz) == 0, "object of %zu bytes overwritten", sz);
    }
    struct heap_stats st;
    heap_stats(&heap, &st);
    ck_assert_uint_eq(st.allocs_in_use, MAX);
    ck_assert_uint_eq(st.bytes_in_use, (uint64_t)MAX * (MAX + 1) / 2);
    for (size_t sz = 1; sz <= MAX; sz++)
        ck_assert_int_eq(heap_free(&heap, p[sz]), HEAP_FREE_OK);
    assert_empty();
}
END_TEST

START_TEST(size_classes_are_tight)
{
    void *a = heap_alloc(&heap, 16);
    void *b = heap_alloc(&heap, 17);
    void *c = heap_alloc(&heap, 2048);
    void *d = heap_alloc(&heap, 2049);
    ck_assert_uint_eq(heap_usable_size(&heap, a), 16);
    ck_assert_uint_eq(heap_usable_size(&heap, b), 32);
    ck_assert_uint_eq(heap_usable_size(&heap, c), 2048);
    /* Past the largest class: a whole page minus the header. */
    ck_assert_uint_eq(heap_usable_size(&heap, d), HEAP_PAGE_SIZE - 16);
    heap_free(&heap, a);
    heap_free(&heap, b);
    heap_free(&heap, c);
    heap_free(&heap, d);
    assert_empty();
}
END_TEST

START_TEST(freed_memory_is_reused)
{
    void *keep = heap_alloc(&heap, 100);   /* keeps the slab alive */
    void *p = heap_alloc(&heap, 100);
    ck_assert_int_eq(heap_free(&heap, p), HEAP_FREE_OK);
    void *q = heap_alloc(&heap, 120);       /* same class */
    ck_assert_ptr_eq(p, q);
    struct heap_stats st;
    heap_stats(&heap, &st);
    ck_assert_uint_eq(st.pages_in_use, 1);
    heap_free(&heap, q);
    heap_free(&heap, keep);
    assert_empty();
}
END_TEST

START_TEST(many_objects_then_all_pages_returned)
{
    enum { N = 3000 };
    static void *p[N];
    for (int i = 0; i < N; i++) {
        size_t sz = (size_t)16 << (i % HEAP_NR_CLASSES);
        p[i] = heap_alloc(&heap, sz);
        ck_assert_ptr_nonnull(p[i]);
    }
    ck_assert_int_gt(pages.outstanding, 0);
    /* Free every other one, then the rest: slabs go back when empty. */
    for (int i = 0; i < N; i += 2)
        ck_assert_int_eq(heap_free(&heap, p[i]), HEAP_FREE_OK);
    for (int i = 1; i < N; i += 2)
        ck_assert_int_eq(heap_free(&heap, p[i]), HEAP_FREE_OK);
    assert_empty();
}
END_TEST

START_TEST(large_allocations)
{
    size_t sizes[] = { 2049, 4080, 4081, 5000, 100000, 1u << 20, (1u << 20) + 1 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *p = heap_alloc(&heap, sizes[i]);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % HEAP_ALIGN, 0);
        ck_assert_uint_ge(heap_usable_size(&heap, p), sizes[i]);
        p[0] = 1;
        p[sizes[i] - 1] = 2;
        ck_assert_int_eq(heap_free(&heap, p), HEAP_FREE_OK);
    }
    assert_empty();
}
END_TEST

START_TEST(zalloc_zeroes)
{
    unsigned char *p = heap_alloc(&heap, 200);
    memset(p, 0xff, 200);
    unsigned char *keep = heap_alloc(&heap, 200);
    heap_free(&heap, p);
    unsigned char *z = heap_zalloc(&heap, 200);
    ck_assert_ptr_eq(z, p);                /* the dirty object came back */
    for (int i = 0; i < 200; i++)
        ck_assert_uint_eq(z[i], 0);
    unsigned char *big = heap_zalloc(&heap, 10000);
    for (int i = 0; i < 10000; i++)
        ck_assert_uint_eq(big[i], 0);
    heap_free(&heap, z);
    heap_free(&heap, keep);
    heap_free(&heap, big);
    assert_empty();
}
END_TEST

START_TEST(bad_frees_detected)
{
    unsigned char *p = heap_alloc(&heap, 64);
    unsigned char *q = heap_alloc(&heap, 64);
    unsigned char *big = heap_alloc(&heap, 9000);
    memset(big, 0, 9000);
    struct heap_stats before, after;
    heap_stats(&heap, &before);

    ck_assert_int_eq(heap_free(&heap, p + 1), HEAP_FREE_NOT_OURS);
    ck_assert_int_eq(heap_free(&heap, p + 16), HEAP_FREE_NOT_OURS);
    ck_assert_int_eq(heap_free(&heap, p + 32), HEAP_FREE_NOT_OURS);
    ck_assert_int_eq(heap_free(&heap, big + 4096), HEAP_FREE_NOT_OURS);
    /* Memory that merely looks like the heap's. */
    _Alignas(16) unsigned char fake[64] = { 0 };
    ck_assert_int_eq(heap_free(&heap, fake + 32), HEAP_FREE_NOT_OURS);
    /* A copied header is not enough: its slab header must match too. */
    unsigned char *page = aligned_alloc(HEAP_PAGE_SIZE, HEAP_PAGE_SIZE);
    memset(page, 0, HEAP_PAGE_SIZE);
    size_t off = (uintptr_t)(p - 16) & (HEAP_PAGE_SIZE - 1);
    memcpy(page + off, p - 16, 16);
    ck_assert_int_eq(heap_free(&heap, page + off + 16), HEAP_FREE_NOT_OURS);
    free(page);

    heap_stats(&heap, &after);
    ck_assert_uint_eq(after.allocs_in_use, before.allocs_in_use);
    ck_assert_uint_eq(after.bytes_in_use, before.bytes_in_use);
    ck_assert_uint_eq(after.bad_frees, 6);
    ck_assert_uint_eq(heap_usable_size(&heap, p + 16), 0);

    ck_assert_int_eq(heap_free(&heap, p), HEAP_FREE_OK);
    ck_assert_int_eq(heap_free(&heap, p), HEAP_FREE_DOUBLE);
    ck_assert_int_eq(heap_free(&heap, NULL), HEAP_FREE_OK);
    /* The double free did not put p on the free list twice. */
    void *r1 = heap_alloc(&heap, 64);
    void *r2 = heap_alloc(&heap, 64);
    ck_assert_ptr_ne(r1, r2);
    heap_free(&heap, r1);
    heap_free(&heap, r2);
    heap_free(&heap, q);
    heap_free(&heap, big);
    assert_empty();
}
END_TEST

START_TEST(large_double_free_detected)
{
    pages.keep = 1;
    void *big = heap_alloc(&heap, 9000);
    ck_assert_int_eq(heap_free(&heap, big), HEAP_FREE_OK);
    ck_assert_int_eq(heap_free(&heap, big), HEAP_FREE_DOUBLE);
    assert_empty();
}
END_TEST

START_TEST(pointer_from_another_heap_refused)
{
    struct pages other_pages = { 0 };
    struct heap other;
    struct heap_ops ops = { test_page_alloc, test_page_free, &other_pages };
    heap_init(&other, &ops);
    void *p = heap_alloc(&other, 48);
    void *big = heap_alloc(&other, 5000);
    ck_assert_int_eq(heap_free(&heap, p), HEAP_FREE_NOT_OURS);
    ck_assert_int_eq(heap_free(&heap, big), HEAP_FREE_NOT_OURS);
    ck_assert_int_eq(heap_free(&other, p), HEAP_FREE_OK);
    ck_assert_int_eq(heap_free(&other, big), HEAP_FREE_OK);
    ck_assert_int_eq(other_pages.outstanding, 0);
}
END_TEST

START_TEST(failures_reported)
{
    ck_assert_ptr_null(heap_alloc(&heap, 0));
    ck_assert_ptr_null(heap_alloc(&heap, SIZE_MAX));
    ck_assert_ptr_null(heap_alloc(&heap, ((size_t)HEAP_PAGE_SIZE << HEAP_MAX_ORDER)));
    pages.fail = 1;
    ck_assert_ptr_null(heap_alloc(&heap, 32));
    ck_assert_ptr_null(heap_alloc(&heap, 50000));
    ck_assert_ptr_null(heap_zalloc(&heap, 32));
    struct heap_stats st;
    heap_stats(&heap, &st);
    ck_assert_uint_eq(st.failed_allocs, 5);
    ck_assert_uint_eq(st.allocs_in_use, 0);
    pages.fail = 0;
    void *p = heap_alloc(&heap, 32);
    ck_assert_ptr_nonnull(p);
    heap_free(&heap, p);
    assert_empty();
}
END_TEST

START_TEST(random_stress)
{
    enum { SLOTS = 512 };
    static unsigned char *p[SLOTS];
    static size_t len[SLOTS];
    unsigned int seed = 777;
    memset(p, 0, sizeof(p));
    for (int step = 0; step < 40000; step++) {
        int s = rand_r(&seed) % SLOTS;
        if (p[s]) {
            unsigned char want[6000];
            memset(want, s, len[s]);
            ck_assert_msg(memcmp(p[s], want, len[s]) == 0, "slot %d overwritten", s);
            ck_assert_int_eq(heap_free(&heap, p[s]), HEAP_FREE_OK);
            p[s] = NULL;
        } else {
            len[s] = 1 + (size_t)(rand_r(&seed) % (rand_r(&seed) % 8 ? 600 : 6000));
            p[s] = heap_alloc(&heap, len[s]);
            ck_assert_ptr_nonnull(p[s]);
            memset(p[s], s, len[s]);
        }
    }
    for (int s = 0; s < SLOTS; s++)
        if (p[s])
            ck_assert_int_eq(heap_free(&heap, p[s]), HEAP_FREE_OK);
    assert_empty();
}
END_TEST

static Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_size_aligned_and_usable);
    tcase_add_test(tc, size_classes_are_tight);
    tcase_add_test(tc, freed_memory_is_reused);
    tcase_add_test(tc, many_objects_then_all_pages_returned);
    tcase_add_test(tc, large_allocations);
    tcase_add_test(tc, zalloc_zeroes);
    tcase_add_test(tc, bad_frees_detected);
    tcase_add_test(tc, large_double_free_detected);
    tcase_add_test(tc, pointer_from_another_heap_refused);
    tcase_add_test(tc, failures_reported);
    tcase_add_test(tc, random_stress);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(heap_suite());
}
