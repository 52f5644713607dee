/*
 * Channel 0 free-runs as a rate generator over the full 16-bit range; we
 * sum how far its counter has moved between reads.  Reads are far more
 * frequent than one wrap (55 ms), so the modular difference is exact.
 */
#include "arch/x86/io.h"
#include "arch/x86/pit.h"

#define PIT_CH0     0x40
#define PIT_CMD     0x43
#define PIT_MODE2_LOHI_CH0  0x34
#define PIT_LATCH_CH0       0x00
#define PIT_STUCK_READS     1000000u

static uint16_t pit_read_counter(void)
{
    outb(PIT_CMD, PIT_LATCH_CH0);
    uint8_t lo = inb(PIT_CH0);
    uint8_t hi = inb(PIT_CH0);
    return (uint16_t)(lo | hi << 8);
}

int pit_wait_ticks(uint32_t ticks)
{
    uint32_t unchanged = 0;

    outb(PIT_CMD, PIT_MODE2_LOHI_CH0);
    outb(PIT_CH0, 0);                   /* reload 0 = 65536 */
    outb(PIT_CH0, 0);

    uint16_t prev = pit_read_counter();
    uint32_t elapsed = 0;
    while (elapsed < ticks) {
        uint16_t now = pit_read_counter();
        /* A missing PIT reads as a constant: do not wait forever. */
        if (now == prev && ++unchanged > PIT_STUCK_READS)
            return -1;
        if (now != prev)
            unchanged = 0;
        elapsed += (uint16_t)(prev - now);  /* counts down, wraps */
        prev = now;
    }
    return 0;
}
