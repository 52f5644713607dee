/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: the PV console ring page (Xen 4.17 layout).
 *
 * Two byte rings with free-running indexes: `in` carries keyboard input to
 * the guest, `out` carries guest output to the console daemon.  The
 * producer advances *_prod after writing data, the consumer *_cons after
 * reading it; each side then notifies the other's event channel.
 */
#ifndef SUBFLOOR_PUBLIC_IO_CONSOLE_H
#define SUBFLOOR_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* Ring sizes are powers of two, so an index wraps with a mask. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* SUBFLOOR_PUBLIC_IO_CONSOLE_H */
