/*
 * struct xenctl_bitmap out to the toolstack: CPU sets as Xen hands them
 * back (the bits it has, the rest of the caller's buffer zeroed).
 */
#ifndef SUBFLOOR_CTL_BITMAP_H
#define SUBFLOOR_CTL_BITMAP_H

#include <stdint.h>
#include "public/xen.h"

/* Write the low nbits of bits (nbits <= 64) into b's buffer: 0 or
 * -XEN_EFAULT. */
long ctl_bitmap_put(const struct xenctl_bitmap *b, uint64_t bits, unsigned int nbits);

#endif
