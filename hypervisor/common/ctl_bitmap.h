/*
 * struct xenctl_bitmap to and from the toolstack: CPU sets as Xen hands
 * them back (the bits it has, the rest of the caller's buffer zeroed),
 * and as it reads them (bits past the CPUs it could have are ignored).
 */
#ifndef SUBFLOOR_CTL_BITMAP_H
#define SUBFLOOR_CTL_BITMAP_H

#include <stdint.h>
#include "public/xen.h"

/* Write the low nbits of bits (nbits <= 64) into b's buffer: 0 or
 * -XEN_EFAULT. */
long ctl_bitmap_put(const struct xenctl_bitmap *b, uint64_t bits, unsigned int nbits);

/* Read b's first 64 bits (fewer when nr_bits says so) into *bits: 0 or
 * -XEN_EFAULT. */
long ctl_bitmap_get(const struct xenctl_bitmap *b, uint64_t *bits);

#endif
