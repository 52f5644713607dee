/*
 * The console ring; see conring.h.
 */
#include <string.h>
#include "lib/conring.h"

static char ring[CONRING_SIZE];
static uint32_t producer, consumer;

#define AT(pos) ((pos) & (CONRING_SIZE - 1))

void conring_put(const char *bytes, size_t len)
{
    /* Only the newest CONRING_SIZE bytes can be kept; the others still
     * count as written. */
    if (len > CONRING_SIZE) {
        producer += (uint32_t)(len - CONRING_SIZE);
        bytes += len - CONRING_SIZE;
        len = CONRING_SIZE;
    }
    while (len) {
        size_t room = CONRING_SIZE - AT(producer);
        size_t n = len < room ? len : room;

        memcpy(&ring[AT(producer)], bytes, n);
        producer += (uint32_t)n;
        bytes += n;
        len -= n;
    }
    if (producer - consumer > CONRING_SIZE)
        consumer = producer - CONRING_SIZE;
}

uint32_t conring_producer(void)
{
    return producer;
}

uint32_t conring_consumer(void)
{
    return consumer;
}

uint32_t conring_start(uint32_t from)
{
    /* Held: no further back than consumer, no further on than producer. */
    if ((int32_t)(from - consumer) < 0 || (int32_t)(producer - from) < 0)
        return consumer;
    return from;
}

size_t conring_peek(uint32_t at, char *buf, size_t max)
{
    size_t avail = producer - at;
    size_t contiguous = CONRING_SIZE - AT(at);
    size_t n = avail < contiguous ? avail : contiguous;

    if (n > max)
        n = max;
    memcpy(buf, &ring[AT(at)], n);
    return n;
}

void conring_clear(void)
{
    consumer = producer;
}
