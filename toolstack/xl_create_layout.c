/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore nodes of a PV guest, as Xen 4.17's libxl lays them out
 * when it creates one: the domain's directory and the empty nodes the
 * guest may write (libxl__domain_make), what the build produced (the
 * memory, vCPUs, store ring: libxl__build_post), the primary console's
 * front and back end (libxl__device_console_add), and /vm/<uuid> and
 * /libxl/<id>.  Front-end drivers in the guest and tools in dom0 (xl
 * itself, xenconsoled, monitoring) read these paths, so they follow
 * libxl's names and permissions; tests/system compares the tree with the
 * one Debian's xl writes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_create.h"

static void add(struct xl_xs_layout *l, enum xl_xs_perm perm,
                const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct xl_xs_layout *l, enum xl_xs_perm perm,
                const char *value, const char *fmt, ...)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->e = realloc(l->e, (size_t)l->cap * sizeof(*l->e));
        if (!l->e)
            abort();
    }
    va_list ap;
    va_start(ap, fmt);
    char *path;
    if (vasprintf(&path, fmt, ap) < 0)
        abort();
    va_end(ap);
    l->e[l->n++] = (struct xl_xs_entry){
        .path = path, .value = xl_cfg_printf("%s", value), .perm = perm };
}

void xl_xs_layout_dispose(struct xl_xs_layout *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->e[i].path);
        free(l->e[i].value);
    }
    free(l->e);
    *l = (struct xl_xs_layout){ 0 };
}

void xl_create_layout(const struct xl_domain_config *dc,
                      const struct xl_build_result *r,
                      struct xl_xs_layout *l)
{
    char uuid[37], num[64];
    xl_format_uuid(uuid, dc->uuid);
    char *dom = xl_cfg_printf("/local/domain/%u", r->domid);
    char *vm = xl_cfg_printf("/vm/%s", uuid);
    *l = (struct xl_xs_layout){ 0 };

    /* The directories and what the guest may write (libxl__domain_make). */
    add(l, XL_PERM_RO, "", "%s", dom);
    add(l, XL_PERM_RO, "", "%s", vm);
    add(l, XL_PERM_NONE, "", "/libxl/%u", r->domid);
    add(l, XL_PERM_NONE, "", "/libxl/%u/device", r->domid);
    add(l, XL_PERM_INHERIT, vm, "%s/vm", dom);
    add(l, XL_PERM_INHERIT, dc->name, "%s/name", dom);
    add(l, XL_PERM_INHERIT, dc->name, "%s/name", vm);
    static const char *const ro_dirs[] = { "cpu", "memory", "device",
                                           "control" };
    for (size_t i = 0; i < sizeof(ro_dirs) / sizeof(ro_dirs[0]); i++)
        add(l, XL_PERM_RO, "", "%s/%s", dom, ro_dirs[i]);
    static const char *const rw_nodes[] = {
        "control/shutdown", "control/feature-poweroff",
        "control/feature-reboot", "control/feature-suspend",
        "control/sysrq", "device/suspend/event-channel", "data", "drivers",
        "feature", "attr", "error" };
    for (size_t i = 0; i < sizeof(rw_nodes) / sizeof(rw_nodes[0]); i++)
        add(l, XL_PERM_RW, "", "%s/%s", dom, rw_nodes[i]);
    add(l, XL_PERM_INHERIT, uuid, "%s/uuid", vm);
    add(l, XL_PERM_INHERIT, "1",
        "%s/control/platform-feature-multiprocessor-suspend", dom);
    add(l, XL_PERM_INHERIT, "1",
        "%s/control/platform-feature-xs_reset_watches", dom);
    add(l, XL_PERM_INHERIT, "pv", "/libxl/%u/type", r->domid);

    /* What the build produced (libxl__build_post). */
    snprintf(num, sizeof(num), "%" PRIu64, dc->maxmem_kb);
    add(l, XL_PERM_INHERIT, num, "%s/memory/static-max", dom);
    snprintf(num, sizeof(num), "%" PRIu64, dc->memory_kb);
    add(l, XL_PERM_INHERIT, num, "%s/memory/target", dom);
    add(l, XL_PERM_INHERIT, "0", "%s/memory/videoram", dom);
    snprintf(num, sizeof(num), "%u", r->domid);
    add(l, XL_PERM_INHERIT, num, "%s/domid", dom);
    snprintf(num, sizeof(num), "%u", r->store_port);
    add(l, XL_PERM_INHERIT, num, "%s/store/port", dom);
    snprintf(num, sizeof(num), "%" PRIu64, r->store_mfn);
    add(l, XL_PERM_INHERIT, num, "%s/store/ring-ref", dom);
    for (unsigned i = 0; i < dc->maxvcpus; i++)
        add(l, XL_PERM_INHERIT, i < dc->vcpus ? "online" : "offline",
            "%s/cpu/%u/availability", dom, i);
    snprintf(num, sizeof(num), "%" PRIu64 ".%02u", r->start_sec,
             r->start_centisec);
    add(l, XL_PERM_INHERIT, num, "%s/start_time", vm);

    /* The primary console: its front end is the guest's console/ node,
     * its back end dom0's, each readable by the other side. */
    char *be = xl_cfg_printf("/local/domain/0/backend/console/%u/0",
                             r->domid);
    add(l, XL_PERM_RO, "", "%s/console", dom);
    add(l, XL_PERM_FRONT, "0", "%s/console/backend-id", dom);
    snprintf(num, sizeof(num), "%u", XL_CONSOLE_LIMIT);
    add(l, XL_PERM_INHERIT, num, "%s/console/limit", dom);
    add(l, XL_PERM_INHERIT, "xenconsoled", "%s/console/type", dom);
    add(l, XL_PERM_INHERIT, "pty", "%s/console/output", dom);
    add(l, XL_PERM_INHERIT, "", "%s/console/tty", dom);
    snprintf(num, sizeof(num), "%u", r->console_port);
    add(l, XL_PERM_INHERIT, num, "%s/console/port", dom);
    snprintf(num, sizeof(num), "%" PRIu64, r->console_mfn);
    add(l, XL_PERM_INHERIT, num, "%s/console/ring-ref", dom);
    add(l, XL_PERM_INHERIT, be, "%s/console/backend", dom);
    add(l, XL_PERM_RO, "", "%s", be);
    snprintf(num, sizeof(num), "%u", r->domid);
    add(l, XL_PERM_INHERIT, num, "%s/frontend-id", be);
    add(l, XL_PERM_INHERIT, "1", "%s/online", be);
    add(l, XL_PERM_INHERIT, "1", "%s/state", be);
    add(l, XL_PERM_INHERIT, "vt100", "%s/protocol", be);
    char *fe = xl_cfg_printf("%s/console", dom);
    add(l, XL_PERM_INHERIT, fe, "%s/frontend", be);
    /* libxl's own record of the device, for its later removal. */
    char *rec = xl_cfg_printf("/libxl/%u/device/console/0", r->domid);
    add(l, XL_PERM_INHERIT, be, "%s/backend", rec);
    add(l, XL_PERM_INHERIT, fe, "%s/frontend", rec);
    snprintf(num, sizeof(num), "%u", r->domid);
    add(l, XL_PERM_INHERIT, num, "%s/frontend-id", rec);
    add(l, XL_PERM_INHERIT, "1", "%s/online", rec);
    add(l, XL_PERM_INHERIT, "vt100", "%s/protocol", rec);
    add(l, XL_PERM_INHERIT, "1", "%s/state", rec);
    add(l, XL_PERM_INHERIT, "qemu_xen", "/libxl/%u/dm-version", r->domid);
    /* What the guest was booted from (libxl__build_post's image/ nodes). */
    add(l, XL_PERM_INHERIT, "linux", "%s/image/ostype", vm);
    add(l, XL_PERM_INHERIT, dc->kernel ? dc->kernel : "", "%s/image/kernel",
        vm);
    if (dc->ramdisk)
        add(l, XL_PERM_INHERIT, dc->ramdisk, "%s/image/ramdisk", vm);
    if (dc->cmdline && *dc->cmdline)
        add(l, XL_PERM_INHERIT, dc->cmdline, "%s/image/cmdline", vm);
    free(rec);
    free(fe);
    free(be);
    free(dom);
    free(vm);
}

char **xl_domain_xs_roots(uint32_t domid, const uint8_t uuid[16], int *n)
{
    char u[37];
    xl_format_uuid(u, uuid);
    char **p = calloc(4, sizeof(*p));
    if (!p)
        abort();
    p[0] = xl_cfg_printf("/local/domain/0/backend/console/%u", domid);
    p[1] = xl_cfg_printf("/local/domain/%u", domid);
    p[2] = xl_cfg_printf("/vm/%s", u);
    p[3] = xl_cfg_printf("/libxl/%u", domid);
    *n = 4;
    return p;
}

void xl_xs_paths_free(char **paths, int n)
{
    for (int i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

const char *xl_xs_perm_text(enum xl_xs_perm p, uint32_t domid, char *buf,
                            unsigned len)
{
    switch (p) {
    case XL_PERM_RO:
        snprintf(buf, len, "n0,r%u", domid);
        break;
    case XL_PERM_RW:
        snprintf(buf, len, "n%u", domid);
        break;
    case XL_PERM_NONE:
        snprintf(buf, len, "n0");
        break;
    case XL_PERM_FRONT:
        snprintf(buf, len, "n%u,r0", domid);
        break;
    default:
        snprintf(buf, len, "inherit");
        break;
    }
    return buf;
}
