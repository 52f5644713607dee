/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl list -l`: each domain's configuration as JSON, through yajl with
 * Xen xl's layout (an array of {"domid", "config"} objects, four-space
 * indentation).  Xen's xl prints the configuration libxl stored when it
 * created the domain, completed with live values; for dom0, which no xl
 * created, that is the stub xen-init-dom0 stores (its type) plus the
 * live name, memory and scheduler, which is exactly what is printed
 * here for every domain until xl creates domains of its own.  Where the
 * stub is missing Xen's xl prints "Fail to get domain configuration"
 * and an empty array; ours prints the same shape as if it were there.
 * The memory figures: max_memkb is memory/static-max, target_memkb is
 * memory/target (Xen's shows target - 1 for dom0, an unset video_memkb
 * added as -1), dom0's own figures when xenstore has none yet.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "xl.h"

static uint64_t xs_number(uint32_t domid, const char *key, uint64_t fallback)
{
    char path[96];
    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    char *s = xl.ops->xs_read(xl.priv, path);
    uint64_t v = fallback;
    if (s && *s) {
        char *end;
        unsigned long long n = strtoull(s, &end, 10);
        if (!*end)
            v = n;
    }
    free(s);
    return v;
}

static void gen_str(yajl_gen g, const char *s)
{
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gen_empty_map(yajl_gen g, const char *key)
{
    gen_str(g, key);
    yajl_gen_map_open(g);
    yajl_gen_map_close(g);
}

static void gen_domain(yajl_gen g, const struct xl_dom *d, const char *name,
                       const char *sched)
{
    static const uint8_t nil[16];
    yajl_gen_map_open(g);
    gen_str(g, "domid");
    yajl_gen_integer(g, d->domid);
    gen_str(g, "config");
    yajl_gen_map_open(g);

    gen_str(g, "c_info");
    yajl_gen_map_open(g);
    gen_str(g, "type");
    gen_str(g, "pv");
    if (name) {
        gen_str(g, "name");
        gen_str(g, name);
    }
    if (memcmp(d->uuid, nil, sizeof(nil))) {
        char uuid[37];
        xl_format_uuid(uuid, d->uuid);
        gen_str(g, "uuid");
        gen_str(g, uuid);
    }
    yajl_gen_map_close(g);

    gen_str(g, "b_info");
    yajl_gen_map_open(g);
    gen_str(g, "max_memkb");
    yajl_gen_integer(g, (long long)xs_number(d->domid, "memory/static-max", d->max_memkb));
    gen_str(g, "target_memkb");
    yajl_gen_integer(g, (long long)xs_number(d->domid, "memory/target", d->current_memkb));
    gen_str(g, "sched_params");
    yajl_gen_map_open(g);
    if (sched) {
        gen_str(g, "sched");
        gen_str(g, sched);
    }
    yajl_gen_map_close(g);
    gen_empty_map(g, "type.pv");
    gen_empty_map(g, "arch_arm");
    gen_empty_map(g, "arch_x86");
    yajl_gen_map_close(g);

    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
}

char *xl_list_json(const struct xl_dom *doms, char *const *names, int n)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    if (!g)
        return NULL;
    yajl_gen_config(g, yajl_gen_beautify, 1);
    yajl_gen_config(g, yajl_gen_indent_string, "    ");
    int sched_id = -1;
    if (xl.xch && xc_sched_id(xl.xch, &sched_id) < 0)
        sched_id = -1;
    yajl_gen_array_open(g);
    for (int i = 0; i < n; i++)
        gen_domain(g, &doms[i], names[i], xl_scheduler_name(sched_id));
    yajl_gen_array_close(g);
    const unsigned char *buf;
    size_t len;
    char *out = NULL;
    if (yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok) {
        out = malloc(len + 1);
        if (out) {
            memcpy(out, buf, len);
            out[len] = '\0';
        }
    }
    yajl_gen_free(g);
    return out;
}
