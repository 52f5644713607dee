/*
 * The log ring stores records back to back as a byte stream that wraps
 * around the buffer: a fixed header, then the text.  Positions are
 * 64-bit byte counters that only grow, so "how much is in use" is a
 * subtraction and no wrap marker is needed.
 */
#include <stdbool.h>
#include <string.h>
#include "lib/log_ring.h"

struct record_header {
    uint64_t seq;
    uint32_t len;
    uint32_t level;
};

_Static_assert(sizeof(struct record_header) == LOG_RECORD_HEADER,
               "log_ring.h states the header size");

static unsigned char ring[LOG_RING_SIZE];
static uint64_t head_pos;   /* byte position of the oldest record */
static uint64_t tail_pos;   /* byte position where the next one goes */
static uint64_t first_seq;
static uint64_t next_seq;

static void ring_copy_in(uint64_t pos, const void *src, size_t len)
{
    const unsigned char *s = src;

    for (size_t i = 0; i < len; i++)
        ring[(pos + i) % LOG_RING_SIZE] = s[i];
}

static void ring_copy_out(uint64_t pos, void *dst, size_t len)
{
    unsigned char *d = dst;

    for (size_t i = 0; i < len; i++)
        d[i] = ring[(pos + i) % LOG_RING_SIZE];
}

static struct record_header header_at(uint64_t pos)
{
    struct record_header h;

    ring_copy_out(pos, &h, sizeof(h));
    return h;
}

static void drop_oldest(void)
{
    struct record_header h = header_at(head_pos);

    head_pos += sizeof(h) + h.len;
    first_seq = h.seq + 1;
}

uint64_t log_ring_append(int level, const char *text, size_t len)
{
    struct record_header h;

    if (len > LOG_RECORD_MAX)
        len = LOG_RECORD_MAX;
    while (tail_pos - head_pos + sizeof(h) + len > LOG_RING_SIZE)
        drop_oldest();

    h.seq = next_seq++;
    h.len = (uint32_t)len;
    h.level = (uint32_t)level;
    ring_copy_in(tail_pos, &h, sizeof(h));
    ring_copy_in(tail_pos + sizeof(h), text, len);
    tail_pos += sizeof(h) + len;
    return h.seq;
}

uint64_t log_ring_first_seq(void)
{
    return first_seq;
}

uint64_t log_ring_next_seq(void)
{
    return next_seq;
}

int log_ring_read(uint64_t *seq, int *level, char *buf, size_t size)
{
    uint64_t pos = head_pos;

    while (pos != tail_pos) {
        struct record_header h = header_at(pos);

        if (h.seq >= *seq) {
            size_t n = h.len;

            if (size) {
                if (n > size - 1)
                    n = size - 1;
                ring_copy_out(pos + sizeof(h), buf, n);
                buf[n] = '\0';
            }
            *level = (int)h.level;
            *seq = h.seq + 1;
            return (int)h.len;
        }
        pos += sizeof(h) + h.len;
    }
    return -1;
}
