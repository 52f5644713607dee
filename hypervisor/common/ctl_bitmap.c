/*
 * xenctl_bitmap output; see ctl_bitmap.h.
 */
#include "arch/x86/guest_access.h"
#include "common/ctl_bitmap.h"
#include "public/errno.h"

long ctl_bitmap_put(const struct xenctl_bitmap *b, uint64_t bits, unsigned int nbits)
{
    static const uint8_t zeros[512];
    guest_ptr_t to = guest_handle_ptr(b->bitmap);
    uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
    uint64_t ours = (nbits + 7) / 8;
    uint8_t bytes[8];

    if (nbits < 64)
        bits &= (1ull << nbits) - 1;
    for (unsigned int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(bits >> (8 * i));
    if (ours > guest_bytes)
        ours = guest_bytes;
    if (ours && copy_to_guest(to, bytes, ours))
        return -XEN_EFAULT;
    /* Only a privileged toolstack gets here; its buffer is what it said. */
    for (uint64_t at = ours; at < guest_bytes;) {
        uint64_t n = guest_bytes - at < sizeof(zeros) ? guest_bytes - at : sizeof(zeros);
        if (copy_to_guest(guest_ptr_add(to, at), zeros, n))
            return -XEN_EFAULT;
        at += n;
    }
    return 0;
}

long ctl_bitmap_get(const struct xenctl_bitmap *b, uint64_t *bits)
{
    uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
    unsigned int n = guest_bytes < 8 ? (unsigned int)guest_bytes : 8;
    uint8_t bytes[8] = { 0 };

    if (n && copy_from_guest(bytes, guest_handle_ptr(b->bitmap), n))
        return -XEN_EFAULT;
    *bits = 0;
    for (unsigned int i = 0; i < n; i++)
        *bits |= (uint64_t)bytes[i] << (8 * i);
    if (b->nr_bits < 64)
        *bits &= (1ull << b->nr_bits) - 1;
    return 0;
}
