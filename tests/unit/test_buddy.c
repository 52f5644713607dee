/* Unit tests of the buddy allocator (hypervisor/mm/buddy.c). */
#include <stdlib.h>
#include <string.h>

#include "mm/buddy.h"
#include "check_main.h"

#define NR_FRAMES 4096

static struct page_info frames[NR_FRAMES];
static struct buddy b;

static void setup(void)
{
    memset(frames, 0xa5, sizeof(frames));   /* init must not rely on zeroes */
    buddy_init(&b, frames, NR_FRAMES);
}

/* Every counter and list of the allocator, to see that a refused call
 * changed nothing. */
static struct buddy snapshot(void)
{
    return b;
}

static void assert_unchanged(const struct buddy *before)
{
    ck_assert_int_eq(memcmp(before, &b, sizeof(b)), 0);
    ck_assert(buddy_check(&b));
}

START_TEST(starts_all_reserved)
{
    ck_assert_uint_eq(buddy_free_frames(&b), 0);
    ck_assert_int_eq(buddy_alloc(&b, 0), -1);
    for (int i = 0; i < NR_FRAMES; i++) {
        ck_assert(frames[i].count_info & PGC_reserved);
        ck_assert_uint_eq(frames[i].owner, FRAME_OWNER_NONE);
    }
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(aligned_range_is_one_block)
{
    ck_assert_int_eq(buddy_add_range(&b, 1024, 1024), 0);
    ck_assert_uint_eq(b.free_blocks[10], 1);
    ck_assert_uint_eq(b.free_head[10], 1024);
    ck_assert_uint_eq(buddy_free_frames(&b), 1024);
    ck_assert_uint_eq(b.total_frames, 1024);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(unaligned_range_splits_into_maximal_blocks)
{
    /* [3, 16) is 3 (order 0), 4..7 (order 2), 8..15 (order 3). */
    ck_assert_int_eq(buddy_add_range(&b, 3, 13), 0);
    ck_assert_uint_eq(b.free_blocks[0], 1);
    ck_assert_uint_eq(b.free_head[0], 3);
    ck_assert_uint_eq(b.free_blocks[1], 0);
    ck_assert_uint_eq(b.free_blocks[2], 1);
    ck_assert_uint_eq(b.free_head[2], 4);
    ck_assert_uint_eq(b.free_blocks[3], 1);
    ck_assert_uint_eq(b.free_head[3], 8);
    ck_assert_uint_eq(buddy_free_frames(&b), 13);
    ck_assert(frames[2].count_info & PGC_reserved);
    ck_assert(frames[16].count_info & PGC_reserved);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(adjacent_ranges_coalesce)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 5), 0);
    ck_assert_int_eq(buddy_add_range(&b, 5, 11), 0);
    ck_assert_uint_eq(b.free_blocks[4], 1);
    ck_assert_uint_eq(b.free_head[4], 0);
    for (int o = 0; o < 4; o++)
        ck_assert_uint_eq(b.free_blocks[o], 0);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(bad_ranges_refused)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 64), 0);
    struct buddy before = snapshot();
    ck_assert_int_eq(buddy_add_range(&b, 32, 64), -1);          /* overlaps */
    ck_assert_int_eq(buddy_add_range(&b, NR_FRAMES - 1, 2), -1); /* past end */
    ck_assert_int_eq(buddy_add_range(&b, NR_FRAMES + 1, 0), -1);
    ck_assert_int_eq(buddy_add_range(&b, 100, UINT64_MAX), -1);  /* wraps */
    assert_unchanged(&before);
    /* Allocated frames are still the allocator's: adding them is refused. */
    int64_t pfn = buddy_alloc(&b, 0);
    ck_assert_int_ge(pfn, 0);
    ck_assert_int_eq(buddy_add_range(&b, (uint64_t)pfn, 1), -1);
    ck_assert_int_eq(buddy_add_range(&b, 64, 0), 0);             /* empty is fine */
}
END_TEST

START_TEST(alloc_splits_lowest_block)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 16), 0);
    ck_assert_int_eq(buddy_alloc(&b, 0), 0);
    ck_assert_uint_eq(b.free_head[0], 1);
    ck_assert_uint_eq(b.free_head[1], 2);
    ck_assert_uint_eq(b.free_head[2], 4);
    ck_assert_uint_eq(b.free_head[3], 8);
    ck_assert_uint_eq(b.free_blocks[4], 0);
    ck_assert_uint_eq(buddy_free_frames(&b), 15);
    /* The caller gets clean frames to fill in. */
    ck_assert_uint_eq(frames[0].count_info, 0);
    ck_assert_uint_eq(frames[0].type_info, 0);
    ck_assert(buddy_check(&b));
    /* The exact-size block is used before a bigger one is split. */
    ck_assert_int_eq(buddy_alloc(&b, 2), 4);
    ck_assert_int_eq(buddy_alloc(&b, 1), 2);
    ck_assert_int_eq(buddy_alloc(&b, 0), 1);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(free_coalesces_back_to_original)
{
    int64_t got[16];
    ck_assert_int_eq(buddy_add_range(&b, 16, 16), 0);
    for (int i = 0; i < 16; i++) {
        got[i] = buddy_alloc(&b, 0);
        ck_assert_int_eq(got[i], 16 + i);
    }
    ck_assert_int_eq(buddy_alloc(&b, 0), -1);
    /* A fixed shuffled order, so merging happens at every level. */
    static const int order[16] = { 5, 12, 0, 9, 3, 14, 7, 1, 10, 15, 2, 8, 13, 4, 11, 6 };
    for (int i = 0; i < 16; i++) {
        ck_assert_int_eq(buddy_free(&b, (uint64_t)got[order[i]], 0), 0);
        ck_assert(buddy_check(&b));
    }
    ck_assert_uint_eq(b.free_blocks[4], 1);
    ck_assert_uint_eq(b.free_head[4], 16);
    for (int o = 0; o < 4; o++)
        ck_assert_uint_eq(b.free_blocks[o], 0);
    ck_assert_uint_eq(buddy_free_frames(&b), 16);
}
END_TEST

/* Each frame's TLB-flush stamp (mm/page_info.h) is set when it is freed
 * and read when it is handed out again: splitting and merging blocks
 * must keep it, and the block's latest stamp is what a flush covers. */
START_TEST(tlbflush_stamps_survive_free_and_alloc)
{
    for (int i = 0; i < NR_FRAMES; i++)
        ck_assert_uint_eq(frames[i].tlbflush_stamp, 0);
    ck_assert_int_eq(buddy_add_range(&b, 32, 16), 0);
    int64_t got[16];
    for (int i = 0; i < 16; i++)
        got[i] = buddy_alloc(&b, 0);
    for (int i = 0; i < 16; i++) {
        frames[got[i]].tlbflush_stamp = 100 + (uint64_t)i;
        ck_assert_int_eq(buddy_free(&b, (uint64_t)got[i], 0), 0);
    }
    ck_assert_uint_eq(b.free_blocks[4], 1);         /* merged into one block */
    int64_t block = buddy_alloc(&b, 4);
    ck_assert_int_eq(block, 32);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(frames[32 + i].tlbflush_stamp, 100 + (uint64_t)i);
    ck_assert_uint_eq(frames_tlbflush_stamp(&frames[32], 16), 115);
    ck_assert_uint_eq(frames_tlbflush_stamp(&frames[32], 4), 103);
    ck_assert_uint_eq(frames_tlbflush_stamp(&frames[0], 16), 0);
}
END_TEST

START_TEST(no_merge_across_range_holes)
{
    /* 0..7 and 12..15 are RAM, 8..11 is not: 8..15 must never form. */
    ck_assert_int_eq(buddy_add_range(&b, 0, 8), 0);
    ck_assert_int_eq(buddy_add_range(&b, 12, 4), 0);
    ck_assert_uint_eq(b.free_blocks[3], 1);
    ck_assert_uint_eq(b.free_blocks[2], 1);
    ck_assert_uint_eq(b.free_blocks[4], 0);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(exhaustion_returns_minus_one)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 8), 0);
    ck_assert_int_eq(buddy_alloc(&b, 4), -1);     /* bigger than all RAM */
    ck_assert_int_eq(buddy_alloc(&b, 3), 0);
    ck_assert_int_eq(buddy_alloc(&b, 0), -1);
    ck_assert_int_eq(buddy_alloc(&b, BUDDY_MAX_ORDER + 1), -1);
    ck_assert_uint_eq(buddy_free_frames(&b), 0);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(double_free_refused)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 16), 0);
    int64_t p = buddy_alloc(&b, 0);
    int64_t q = buddy_alloc(&b, 2);
    ck_assert_int_eq(buddy_free(&b, (uint64_t)p, 0), 0);
    struct buddy before = snapshot();
    ck_assert_int_eq(buddy_free(&b, (uint64_t)p, 0), -1);
    /* A frame inside a bigger free block is free too. */
    ck_assert_int_eq(buddy_free(&b, 9, 0), -1);
    ck_assert_int_eq(buddy_free(&b, 8, 3), -1);
    /* A block partly free and partly allocated. */
    ck_assert_int_eq(buddy_free(&b, 0, 3), -1);
    assert_unchanged(&before);
    ck_assert_int_eq(buddy_free(&b, (uint64_t)q, 2), 0);
    ck_assert_uint_eq(buddy_free_frames(&b), 16);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(misaligned_and_out_of_range_refused)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, NR_FRAMES - 8), 0);
    /* The exact-order block at the end of the range is used first. */
    int64_t p = buddy_alloc(&b, 3);
    ck_assert_int_eq(p, NR_FRAMES - 16);
    struct buddy before = snapshot();
    ck_assert_int_eq(buddy_free(&b, (uint64_t)p + 1, 3), -1); /* misaligned */
    ck_assert_int_eq(buddy_free(&b, (uint64_t)p + 4, 3), -1);
    ck_assert_int_eq(buddy_free(&b, NR_FRAMES, 0), -1);  /* past the table */
    ck_assert_int_eq(buddy_free(&b, UINT64_MAX, 0), -1);
    ck_assert_int_eq(buddy_free(&b, 0, BUDDY_MAX_ORDER + 1), -1);
    ck_assert_int_eq(buddy_free(&b, 0, 13), -1);         /* bigger than the table */
    ck_assert_int_eq(buddy_free(&b, NR_FRAMES - 4, 2), -1); /* never RAM */
    assert_unchanged(&before);
}
END_TEST

START_TEST(alloc_below_limit)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, NR_FRAMES), 0);
    /* Take the low half first so the allocator must search. */
    ck_assert_int_eq(buddy_alloc(&b, 11), 0);
    ck_assert_int_eq(buddy_alloc_below(&b, 0, 2048), -1);
    ck_assert_int_eq(buddy_alloc_below(&b, 0, 2049), 2048);
    ck_assert_int_eq(buddy_alloc_below(&b, 4, 2049), -1);
    ck_assert_int_eq(buddy_alloc_below(&b, 4, 2048 + 32), 2048 + 16);
    ck_assert_int_eq(buddy_alloc_below(&b, 4, 8), -1);   /* limit < block */
    ck_assert_int_eq(buddy_alloc_below(&b, BUDDY_MAX_ORDER + 1, UINT64_MAX), -1);
    ck_assert_int_eq(buddy_alloc_below(&b, 10, UINT64_MAX), 3072);
    ck_assert(buddy_check(&b));
}
END_TEST

START_TEST(check_detects_corruption)
{
    ck_assert_int_eq(buddy_add_range(&b, 0, 64), 0);
    ck_assert(buddy_check(&b));
    frames[0].order = 3;             /* head says the wrong order */
    ck_assert(!buddy_check(&b));
    frames[0].order = 6;
    ck_assert(buddy_check(&b));
    b.free_frames++;                 /* counter disagrees with the lists */
    ck_assert(!buddy_check(&b));
    b.free_frames--;
    frames[5].count_info = 0;        /* a frame of a free block not free */
    ck_assert(!buddy_check(&b));
}
END_TEST

/* Random alloc/free against a shadow map of who owns each frame. */
START_TEST(random_sequences_stay_consistent)
{
    enum { SLOTS = 256 };
    int64_t pfn[SLOTS];
    unsigned int ord[SLOTS];
    static uint8_t owned[NR_FRAMES];
    unsigned int seed = 12345u + (unsigned int)_i;

    memset(owned, 0, sizeof(owned));
    for (int i = 0; i < SLOTS; i++)
        pfn[i] = -1;
    ck_assert_int_eq(buddy_add_range(&b, 7, NR_FRAMES - 7 - 5), 0);
    uint64_t total = buddy_free_frames(&b);

    for (int step = 0; step < 20000; step++) {
        int slot = rand_r(&seed) % SLOTS;
        if (pfn[slot] < 0) {
            unsigned int o = (unsigned int)(rand_r(&seed) % 7);
            int64_t p = buddy_alloc(&b, o);
            if (p < 0)
                continue;
            ck_assert_int_eq(p & ((1 << o) - 1), 0);
            for (int64_t f = p; f < p + (1 << o); f++) {
                ck_assert(f >= 7 && f < NR_FRAMES - 5);
                ck_assert_uint_eq(owned[f], 0);
                owned[f] = 1;
            }
            pfn[slot] = p;
            ord[slot] = o;
        } else {
            ck_assert_int_eq(buddy_free(&b, (uint64_t)pfn[slot], ord[slot]), 0);
            for (int64_t f = pfn[slot]; f < pfn[slot] + (1 << ord[slot]); f++)
                owned[f] = 0;
            pfn[slot] = -1;
        }
        if (step % 64 == 0)
            ck_assert(buddy_check(&b));
    }
    ck_assert(buddy_check(&b));
    for (int i = 0; i < SLOTS; i++)
        if (pfn[i] >= 0)
            ck_assert_int_eq(buddy_free(&b, (uint64_t)pfn[i], ord[i]), 0);
    ck_assert_uint_eq(buddy_free_frames(&b), total);
    ck_assert(buddy_check(&b));
    /* Fully merged again: the same blocks as right after adding. */
    struct buddy fresh;
    static struct page_info fresh_frames[NR_FRAMES];
    buddy_init(&fresh, fresh_frames, NR_FRAMES);
    ck_assert_int_eq(buddy_add_range(&fresh, 7, NR_FRAMES - 7 - 5), 0);
    for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
        ck_assert_uint_eq(b.free_blocks[o], fresh.free_blocks[o]);
}
END_TEST

static Suite *buddy_suite(void)
{
    Suite *s = suite_create("buddy");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, starts_all_reserved);
    tcase_add_test(tc, aligned_range_is_one_block);
    tcase_add_test(tc, unaligned_range_splits_into_maximal_blocks);
    tcase_add_test(tc, adjacent_ranges_coalesce);
    tcase_add_test(tc, bad_ranges_refused);
    tcase_add_test(tc, alloc_splits_lowest_block);
    tcase_add_test(tc, free_coalesces_back_to_original);
    tcase_add_test(tc, tlbflush_stamps_survive_free_and_alloc);
    tcase_add_test(tc, no_merge_across_range_holes);
    tcase_add_test(tc, exhaustion_returns_minus_one);
    tcase_add_test(tc, double_free_refused);
    tcase_add_test(tc, misaligned_and_out_of_range_refused);
    tcase_add_test(tc, alloc_below_limit);
    tcase_add_test(tc, check_detects_corruption);
    tcase_add_loop_test(tc, random_sequences_stay_consistent, 0, 3);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(buddy_suite());
}
