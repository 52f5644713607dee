/* dom0_mem= parsing and sizing; see dom0_mem.h. */
#include <string.h>
#include "pv/dom0_mem.h"

#define PAGE_BYTES      4096ull
#define RESERVE_MAX     (128ull << 20)

/* One <size>: digits, then an optional unit letter; ends at ',' or NUL. */
static int parse_one_size(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    unsigned int shift = 10;        /* no suffix: KiB, as Xen reads it */

    if (len == 0)
        return -1;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == 0)
        return -1;
    if (i < len) {
        switch (s[i]) {
        case 'B': case 'b': shift = 0; break;
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        default: return -1;
        }
        if (++i != len)
            return -1;
    }
    if (v > (UINT64_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

int dom0_mem_parse(const char *value, struct dom0_mem_spec *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    if (!value)
        return 0;
    const char *p = value;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len > 4 && !strncmp(p, "min:", 4)) {
            if (parse_one_size(p + 4, len - 4, &out->min))
                goto bad_size;
            out->have_min = true;
        } else if (len > 4 && !strncmp(p, "max:", 4)) {
            if (parse_one_size(p + 4, len - 4, &out->max))
                goto bad_size;
            out->have_max = true;
        } else {
            bool neg = len > 0 && p[0] == '-';
            if (out->have_amount) {
                *why = "more than one plain size given";
                return -1;
            }
            if (parse_one_size(p + neg, len - neg, &out->amount))
                goto bad_size;
            out->have_amount = true;
            out->amount_negative = neg;
        }
        p += len;
        if (*p == ',' && !*++p) {
            *why = "trailing comma";
            return -1;
        }
    }
    if (out->have_min && out->have_max && out->min > out->max) {
        *why = "min: is larger than max:";
        return -1;
    }
    return 0;

bad_size:
    *why = "a size must be a number with an optional B, K, M, G or T suffix";
    return -1;
}

uint64_t dom0_mem_pages(const struct dom0_mem_spec *spec, uint64_t avail_pages)
{
    uint64_t reserve = avail_pages / 16;
    uint64_t pages;

    if (reserve > RESERVE_MAX / PAGE_BYTES)
        reserve = RESERVE_MAX / PAGE_BYTES;
    if (!spec->have_amount)
        pages = avail_pages - reserve;
    else if (spec->amount_negative)
        pages = spec->amount / PAGE_BYTES >= avail_pages ? 0
                : avail_pages - spec->amount / PAGE_BYTES;
    else
        pages = spec->amount / PAGE_BYTES;

    if (spec->have_min && pages < spec->min / PAGE_BYTES)
        pages = spec->min / PAGE_BYTES;
    if (spec->have_max && pages > spec->max / PAGE_BYTES)
        pages = spec->max / PAGE_BYTES;
    if (pages > avail_pages)
        pages = avail_pages;
    return pages;
}
