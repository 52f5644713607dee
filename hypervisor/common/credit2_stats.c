/*
 * Log2 histograms of scheduling delays: a fixed size whatever the range
 * (a few hundred ns to seconds), cheap to add to under the lock, and
 * enough to say "p99 wake latency is under 2 ms" to the toolstack.
 */
#include "common/credit2.h"

static unsigned int bucket_of(uint64_t ns)
{
    if (ns < 2)
        return 0;
    unsigned int b = 63 - (unsigned int)__builtin_clzll(ns);
    return b < C2_HIST_BUCKETS ? b : C2_HIST_BUCKETS - 1;
}

void c2_hist_add(struct c2_hist *h, uint64_t ns)
{
    h->count++;
    h->sum += ns;
    if (ns > h->max)
        h->max = ns;
    h->bucket[bucket_of(ns)]++;
}

uint64_t c2_hist_percentile(const struct c2_hist *h, unsigned int pct)
{
    if (!h->count)
        return 0;
    if (pct > 100)
        pct = 100;
    /* The smallest rank that covers pct of the samples, at least one. */
    uint64_t rank = (h->count * pct + 99) / 100;
    if (!rank)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned int b = 0; b < C2_HIST_BUCKETS; b++) {
        seen += h->bucket[b];
        if (seen >= rank) {
            if (b == C2_HIST_BUCKETS - 1)
                return h->max;
            uint64_t top = (2ULL << b) - 1;
            return top < h->max ? top : h->max;
        }
    }
    return h->max;
}
