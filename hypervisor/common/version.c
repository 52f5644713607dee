/*
 * HYPERVISOR_xen_version: the hypervisor presents itself as Xen 4.17,
 * the interface it implements, with the feature flags a 64-bit PV kernel
 * relies on.
 */
#include <string.h>
#include "common/domain.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "public/errno.h"
#include "public/version.h"


/* Copy a string into a zero-filled fixed field, always NUL-terminated. */
static void set_field(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memset(dst, 0, size);
    memcpy(dst, src, n);
}

#define XEN_MAJOR 4
#define XEN_MINOR 17
#define PV_VIRT_START 0xffff800000000000ull

static const char *boot_cmdline = "";

void version_set_commandline(const char *cmdline)
{
    boot_cmdline = cmdline;
}

/* XENFEAT_* for a 64-bit PV guest, as Xen 4.17 reports them:
 * writable_page_tables, auto_translated_physmap, supervisor_mode_kernel
 * and the HVM bits are never offered to PV. */
static uint32_t features_submap0(const struct domain *d)
{
    uint32_t f = (1u << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1u << XENFEAT_highmem_assist) |
                 (1u << XENFEAT_gnttab_map_avail_bits) |
                 (1u << XENFEAT_pae_pgdir_above_4gb) |
                 (1u << XENFEAT_memory_op_vnode_supported) |
                 (1u << XENFEAT_direct_mapped);
    if (d->is_initial)
        f |= 1u << XENFEAT_dom0;
    return f;
}

/* The version is a value, as the page size: no struct. */
static long version(struct domain *d)
{
    (void)d;
    return (XEN_MAJOR << 16) | XEN_MINOR;
}

static long extraversion(struct domain *d, xen_extraversion_t *s)
{
    (void)d;
    set_field(*s, sizeof(*s), ".0-subfloor");
    return 0;
}

static long compile_info(struct domain *d, struct xen_compile_info *info)
{
    (void)d;
    set_field(info->compiler, sizeof(info->compiler), "gcc " __VERSION__);
    set_field(info->compile_by, sizeof(info->compile_by), "subfloor");
    set_field(info->compile_domain, sizeof(info->compile_domain), "subfloor");
    set_field(info->compile_date, sizeof(info->compile_date), __DATE__ " " __TIME__);
    return 0;
}

static long capabilities(struct domain *d, xen_capabilities_info_t *s)
{
    (void)d;
    set_field(*s, sizeof(*s), "xen-3.0-x86_64");
    return 0;
}

static long changeset(struct domain *d, xen_changeset_info_t *s)
{
    (void)d;
    set_field(*s, sizeof(*s), "subfloor " SUBFLOOR_VERSION);
    return 0;
}

static long platform_parameters(struct domain *d, struct xen_platform_parameters *p)
{
    (void)d;
    p->virt_start = PV_VIRT_START;
    return 0;
}

static long get_features(struct domain *d, struct xen_feature_info *fi)
{
    if (fi->submap_idx >= XENFEAT_NR_SUBMAPS)
        return -XEN_EINVAL;
    fi->submap = features_submap0(d);
    return 0;
}

static long pagesize(struct domain *d)
{
    (void)d;
    return 4096;
}

/* dom0's handle is all zeros, as the zeroed out-buffer leaves it. */
static long guest_handle(struct domain *d, xen_domain_handle_t *handle)
{
    (void)d;
    (void)handle;
    return 0;
}

/* Xen shows its command line to privileged domains only (OP_PRIV). */
static long commandline(struct domain *d, xen_commandline_t *s)
{
    (void)d;
    set_field(*s, sizeof(*s), boot_cmdline);
    return 0;
}

#define XEN_VERSION_OPS(OP)                                                                     \
    OP(XENVER_version, OP_ANY, NONE, void, version, 0)                                          \
    OP(XENVER_extraversion, OP_ANY, OUT, xen_extraversion_t, extraversion, 0)                   \
    OP(XENVER_compile_info, OP_ANY, OUT, struct xen_compile_info, compile_info, 0)              \
    OP(XENVER_capabilities, OP_ANY, OUT, xen_capabilities_info_t, capabilities, 0)              \
    OP(XENVER_changeset, OP_ANY, OUT, xen_changeset_info_t, changeset, 0)                       \
    OP(XENVER_platform_parameters, OP_ANY, OUT, struct xen_platform_parameters,                 \
       platform_parameters, 0)                                                                  \
    OP(XENVER_get_features, OP_ANY, INOUT, struct xen_feature_info, get_features, 0)            \
    OP(XENVER_pagesize, OP_ANY, NONE, void, pagesize, 0)                                        \
    OP(XENVER_guest_handle, OP_ANY, OUT, xen_domain_handle_t, guest_handle, 0)                  \
    OP(XENVER_commandline, OP_PRIV, OUT, xen_commandline_t, commandline, 0)

GUEST_OP_TABLE(static, xen_version_subops, XEN_VERSION_OPS);

long do_xen_version(uint64_t cmd, guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    return guest_op_call(&xen_version_subops, cmd, arg, d, d->privileged);
}
