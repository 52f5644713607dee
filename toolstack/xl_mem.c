/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl mem-set` and `xl mem-max`, as Xen's xl does them through libxl:
 *
 *  - mem-set writes the domain's balloon target, memory/target in its
 *    xenstore directory, which the guest's balloon driver follows (Linux
 *    gives frames back with decrease_reservation and takes them again
 *    with populate_physmap), and sets the hypervisor's limit (domctl
 *    max_mem) to the target plus libxl's 1 MiB of slack.  The target may
 *    not pass memory/static-max, nor, for dom0, fall under 128 MiB.
 *    /vm/UUID/memory gets the target in MiB.
 *  - mem-max writes memory/static-max and the hypervisor's limit (plus
 *    the slack), and may not go under the current target.
 *
 * dom0's two keys do not exist until a toolstack writes them; the first
 * of these commands writes them from the hypervisor's figures (current
 * and maximum pages), as libxl does for mem-set.  Messages are Xen's; a
 * bad request changes nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define MAXMEM_SLACK_KB 1024            /* LIBXL_MAXMEM_CONSTANT */
#define MIN_DOM0_KB (128 * 1024)        /* LIBXL_MIN_DOM0_MEM */

static bool read_kb(uint32_t domid, const char *key, uint64_t *kb)
{
    char path[96];
    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    char *s = xl.ops->xs_read(xl.priv, path);
    if (!s)
        return false;
    char *end;
    *kb = strtoull(s, &end, 10);
    bool ok = *s && !*end;
    free(s);
    return ok;
}

static bool write_kb(const char *path, uint64_t kb)
{
    char value[32];
    snprintf(value, sizeof(value), "%" PRIu64, kb);
    return xl.ops->xs_write(xl.priv, path, value);
}

/* dom0's target and static-max from its domain info where xenstore has
 * none yet. */
static void fill_dom0_keys(const struct xl_dom *d)
{
    uint64_t kb;
    if (!read_kb(0, "memory/target", &kb))
        write_kb("/local/domain/0/memory/target", d->current_memkb);
    if (!read_kb(0, "memory/static-max", &kb))
        write_kb("/local/domain/0/memory/static-max", d->max_memkb);
}

/* Both commands first make sure the domain is there, where libxl looks
 * for its stored configuration. */
static bool domain_known(uint32_t domid, struct xl_dom *d)
{
    if (xl_domain_info(domid, d) == 0)
        return true;
    xl_liberr("libxl_dom.c:1216:libxl__userdata_path", XL_NO_DOMID, ENOENT,
              "unable to find domain info for domain %u", domid);
    return false;
}

static bool set_target(uint32_t domid, int64_t target_kb)
{
    struct xl_dom d;
    if (!domain_known(domid, &d))
        return false;
    if (domid == 0)
        fill_dom0_keys(&d);
    char dir[64];
    snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
    uint64_t current, static_max, videoram = 0;
    if (!read_kb(domid, "memory/target", &current)) {
        xl_liberr("libxl_mem.c:234:libxl_set_memory_target", domid, ENOENT,
                  "Cannot get target memory info from %s/memory/target", dir);
        return false;
    }
    if (!read_kb(domid, "memory/static-max", &static_max)) {
        xl_liberr("libxl_mem.c:251:libxl_set_memory_target", domid, ENOENT,
                  "Cannot get memory info from %s/memory/static-max", dir);
        return false;
    }
    read_kb(domid, "memory/videoram", &videoram);
    /* Unsigned, as in libxl: a negative size is a huge target. */
    uint64_t target = (uint64_t)target_kb - videoram;
    if (target > static_max) {
        xl_liberr("libxl_mem.c:278:libxl_set_memory_target", domid, XL_NO_ERRNO,
                  "memory_dynamic_max must be less than or equal to"
                  " memory_static_max\n");
        return false;
    }
    if (domid == 0 && target < MIN_DOM0_KB) {
        xl_liberr("libxl_mem.c:287:libxl_set_memory_target", domid, XL_NO_ERRNO,
                  "New target %" PRIu64 " for dom0 is below the minimum threshold",
                  target);
        return false;
    }
    uint64_t limit = target + videoram + MAXMEM_SLACK_KB;
    if (xc_domain_setmaxmem(xl.xch, domid, limit) < 0) {
        xl_liberr("libxl_mem.c:299:libxl_set_memory_target", domid, errno,
                  "xc_domain_setmaxmem memkb=%" PRIu64 " failed rc=%d\n", limit, -1);
        return false;
    }
    char path[96], uuid[37];
    snprintf(path, sizeof(path), "%s/memory/target", dir);
    write_kb(path, target);
    xl_format_uuid(uuid, d.uuid);
    snprintf(path, sizeof(path), "/vm/%s/memory", uuid);
    write_kb(path, target / 1024);
    return true;
}

static bool set_max(uint32_t domid, uint64_t max_kb)
{
    struct xl_dom d;
    if (!domain_known(domid, &d))
        return false;
    if (domid == 0)
        fill_dom0_keys(&d);
    char dir[64];
    snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
    uint64_t target;
    if (!read_kb(domid, "memory/target", &target)) {
        xl_liberr("libxl_mem.c:47:libxl_domain_setmaxmem", domid, ENOENT,
                  "Cannot get memory info from %s/memory/target", dir);
        return false;
    }
    if (max_kb < target) {
        xl_liberr("libxl_mem.c:59:libxl_domain_setmaxmem", domid, XL_NO_ERRNO,
                  "memory_static_max must be greater than or or equal to"
                  " memory_dynamic_max");
        return false;
    }
    if (xc_domain_setmaxmem(xl.xch, domid, max_kb + MAXMEM_SLACK_KB) < 0) {
        xl_liberr("libxl_mem.c:78:libxl_domain_setmaxmem", domid, errno,
                  "xc_domain_setmaxmem domid=%u memkb=%" PRIu64 " failed rc=%d\n",
                  domid, max_kb + MAXMEM_SLACK_KB, -1);
        return false;
    }
    char path[96];
    snprintf(path, sizeof(path), "%s/memory/static-max", dir);
    if (!write_kb(path, max_kb)) {
        xl_liberr("libxl_mem.c:88:libxl_domain_setmaxmem", domid, errno,
                  "Couldn't set %s/memory/static-max, rc=%d\n", dir, -3);
        return false;
    }
    return true;
}

static bool set_max_kb(uint32_t domid, int64_t kb)
{
    return set_max(domid, (uint64_t)kb);
}

/*
 * mem-set and mem-max alike: DOMAIN SIZE, the size parsed, then set as
 * the target or the maximum.  Xen's mem-set lets a negative size through
 * to its own checks; its mem-max takes one as a limit of nearly 2^64
 * KiB, which ours refuses like any other size that is no size.
 */
static int mem_command(int argc, char **argv, const char *cmd, bool negative_ok,
                       bool (*set)(uint32_t, int64_t), const char *what)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, cmd, 2) {
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    const char *mem = argv[optind + 1];
    int64_t kb = xl_parse_mem_size_kb(mem);
    if (kb == -1 || (kb < 0 && !negative_ok)) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return EXIT_FAILURE;
    }
    if (!set(domid, kb)) {
        fprintf(stderr, "cannot set domid %u %s memory to : %s\n", domid, what, mem);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int xl_cmd_mem_set(int argc, char **argv)
{
    return mem_command(argc, argv, "mem-set", true, set_target, "dynamic max");
}

int xl_cmd_mem_max(int argc, char **argv)
{
    return mem_command(argc, argv, "mem-max", false, set_max_kb, "static max");
}
