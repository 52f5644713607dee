/* The pvclock scale for a TSC rate; see tsc_scale.h. */
#include "lib/tsc_scale.h"

#define NS_PER_SEC 1000000000ull

void tsc_scale_for_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
    int s = 0;

    /* Bring the rate into (1 GHz, 2 GHz] so mul = 2^32 * 1 GHz / rate
     * lands in [2^31, 2^32): the most precise multiplier that fits. */
    while (tsc_hz <= NS_PER_SEC) {
        tsc_hz <<= 1;
        s++;
    }
    while (tsc_hz > 2 * NS_PER_SEC) {
        tsc_hz >>= 1;
        s--;
    }
    *mul = (uint32_t)((NS_PER_SEC << 32) / tsc_hz);
    *shift = (int8_t)s;
}
