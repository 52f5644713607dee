/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Linux's x86 boot image: the real-mode setup sectors, then the
 * protected-mode part, inside which the setup header (boot protocol 2.08
 * and later) says where the compressed vmlinux (the payload) lies.
 */
#include <string.h>

#include "xc_dom_private.h"

/* Offsets in the image (Documentation/arch/x86/boot.rst). */
#define BZ_SETUP_SECTS   0x1f1
#define BZ_BOOT_FLAG     0x1fe
#define BZ_HEADER_MAGIC  0x202
#define BZ_VERSION       0x206
#define BZ_PAYLOAD_OFF   0x248
#define BZ_PAYLOAD_LEN   0x24c
#define BZ_HEADER_END    0x250

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int xc__dom_bzimage_probe(const void *blob, size_t size)
{
    const unsigned char *b = blob;

    return size >= BZ_HEADER_MAGIC + 4 && !memcmp(b + BZ_HEADER_MAGIC, "HdrS", 4);
}

int xc__dom_bzimage_payload(struct xc_dom_image *dom, const void *blob,
                            size_t size, const void **payload,
                            size_t *payload_size)
{
    const unsigned char *b = blob;

    if (size < BZ_HEADER_END)
        return xc__dom_err(dom, "bzImage: %zu bytes, too short for the setup "
                           "header (%d bytes)", size, BZ_HEADER_END);
    if (b[BZ_BOOT_FLAG] != 0x55 || b[BZ_BOOT_FLAG + 1] != 0xaa)
        return xc__dom_err(dom, "bzImage: no 0xAA55 boot flag at %#x", BZ_BOOT_FLAG);
    unsigned version = b[BZ_VERSION] | b[BZ_VERSION + 1] << 8;
    if (version < 0x208)
        return xc__dom_err(dom, "bzImage: boot protocol %u.%02u has no payload "
                           "fields (2.08 needed)", version >> 8, version & 0xff);
    unsigned sects = b[BZ_SETUP_SECTS] ? b[BZ_SETUP_SECTS] : 4;
    uint64_t pm_start = ((uint64_t)sects + 1) * 512;
    uint64_t off = pm_start + le32(b + BZ_PAYLOAD_OFF);
    uint64_t len = le32(b + BZ_PAYLOAD_LEN);
    if (len == 0)
        return xc__dom_err(dom, "bzImage: payload length is 0");
    if (off > size || len > size - off)
        return xc__dom_err(dom, "bzImage: payload at %#llx+%#llx lies outside the "
                           "%zu-byte file", (unsigned long long)off,
                           (unsigned long long)len, size);
    *payload = b + off;
    *payload_size = (size_t)len;
    return 0;
}
