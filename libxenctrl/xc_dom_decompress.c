/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Unpacking compressed kernels: gzip through zlib and XZ through
 * liblzma, with the output bounded so that a small hostile image cannot
 * make us allocate without limit.  The other formats Linux can build a
 * bzImage with are recognised only to name them in the refusal.
 */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "xc_dom_private.h"

struct magic {
    const char *name;
    const unsigned char *bytes;
    size_t len;
    bool unpacked;
};

static const struct magic magics[] = {
    { "gzip",  (const unsigned char *)"\x1f\x8b", 2, true },
    { "XZ",    (const unsigned char *)"\xfd" "7zXZ\0", 6, true },
    { "bzip2", (const unsigned char *)"BZh", 3, false },
    { "LZMA",  (const unsigned char *)"\x5d\x00\x00", 3, false },
    { "LZO",   (const unsigned char *)"\x89LZO", 4, false },
    { "LZ4",   (const unsigned char *)"\x02\x21\x4c\x18", 4, false },
    { "zstd",  (const unsigned char *)"\x28\xb5\x2f\xfd", 4, false },
};

const char *xc__dom_compression(const void *buf, size_t size, const char **refused)
{
    *refused = NULL;
    for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
        if (size < magics[i].len || memcmp(buf, magics[i].bytes, magics[i].len))
            continue;
        if (!magics[i].unpacked) {
            *refused = magics[i].name;
            return NULL;
        }
        return magics[i].name[0] == 'g' ? "gzip" : "xz";
    }
    return NULL;
}

/* Output grows by doubling up to max; one byte more than max is a bomb. */
struct outbuf {
    unsigned char *p;
    size_t len, cap, max;
};

static int grow(struct xc_dom_image *dom, const char *what, struct outbuf *o)
{
    if (o->cap > o->max)
        return xc__dom_err(dom, "%s unpacks to more than %zu bytes "
                           "(decompression bound)", what, o->max);
    size_t cap = o->cap ? o->cap * 2 : 1UL << 20;
    if (cap > o->max + 1)
        cap = o->max + 1;
    unsigned char *p = realloc(o->p, cap);
    if (!p)
        return xc__dom_err(dom, "no memory to unpack the %s (%zu bytes)", what, cap);
    o->p = p;
    o->cap = cap;
    return 0;
}

static int unpack_gzip(struct xc_dom_image *dom, const char *what,
                       const void *in, size_t in_size, struct outbuf *o)
{
    z_stream zs;
    int rc;

    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return xc__dom_err(dom, "%s: zlib would not start", what);
    zs.next_in = (Bytef *)in;
    size_t left = in_size;
    for (;;) {
        if (o->len == o->cap && grow(dom, what, o) < 0)
            goto fail_quiet;
        zs.next_out = o->p + o->len;
        size_t room = o->cap - o->len;
        zs.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
        if (!zs.avail_in) {
            zs.avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
            left -= zs.avail_in;
        }
        uInt before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        o->len += before - zs.avail_out;
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && !zs.avail_in && !left) {
            xc__dom_err(dom, "%s: gzip data truncated after %zu bytes out", what, o->len);
            goto fail_quiet;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            xc__dom_err(dom, "%s: bad gzip data (%s)", what, zs.msg ? zs.msg : "zlib error");
            goto fail_quiet;
        }
    }
    inflateEnd(&zs);
    if (o->len > o->max)
        return xc__dom_err(dom, "%s unpacks to more than %zu bytes "
                           "(decompression bound)", what, o->max);
    return 0;
fail_quiet:
    inflateEnd(&zs);
    return -1;
}

static int unpack_xz(struct xc_dom_image *dom, const char *what,
                     const void *in, size_t in_size, struct outbuf *o)
{
    lzma_stream xs = LZMA_STREAM_INIT;
    lzma_ret rc;

    /* The decoder's own memory is bounded too (Linux uses small dicts). */
    if (lzma_stream_decoder(&xs, 256UL << 20, 0) != LZMA_OK)
        return xc__dom_err(dom, "%s: liblzma would not start", what);
    xs.next_in = in;
    xs.avail_in = in_size;
    for (;;) {
        if (o->len == o->cap && grow(dom, what, o) < 0)
            goto fail_quiet;
        xs.next_out = o->p + o->len;
        xs.avail_out = o->cap - o->len;
        size_t before = xs.avail_out;
        rc = lzma_code(&xs, LZMA_FINISH);
        o->len += before - xs.avail_out;
        if (rc == LZMA_STREAM_END)
            break;
        if (rc == LZMA_OK)
            continue;
        if (rc == LZMA_BUF_ERROR && xs.avail_out)
            xc__dom_err(dom, "%s: XZ data truncated after %zu bytes out", what, o->len);
        else if (rc == LZMA_MEMLIMIT_ERROR)
            xc__dom_err(dom, "%s: XZ stream wants more than 256 MiB to decode", what);
        else if (rc == LZMA_BUF_ERROR)
            continue;
        else
            xc__dom_err(dom, "%s: bad XZ data (liblzma error %d)", what, (int)rc);
        goto fail_quiet;
    }
    lzma_end(&xs);
    if (o->len > o->max)
        return xc__dom_err(dom, "%s unpacks to more than %zu bytes "
                           "(decompression bound)", what, o->max);
    return 0;
fail_quiet:
    lzma_end(&xs);
    return -1;
}

int xc__dom_unpack(struct xc_dom_image *dom, const char *what,
                   const void *in, size_t in_size, size_t max,
                   void **out, size_t *out_size)
{
    const char *refused;
    const char *fmt = xc__dom_compression(in, in_size, &refused);
    struct outbuf o = { NULL, 0, 0, max };
    int rc;

    if (!fmt)
        return xc__dom_err(dom, "%s: %s%s", what,
                           refused ? "compressed with an unsupported format: " :
                                     "not compressed data",
                           refused ? refused : "");
    rc = !strcmp(fmt, "gzip") ? unpack_gzip(dom, what, in, in_size, &o)
                              : unpack_xz(dom, what, in, in_size, &o);
    if (rc < 0) {
        free(o.p);
        return -1;
    }
    *out = o.p;
    *out_size = o.len;
    return 0;
}
