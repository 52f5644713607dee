/*
 * HYPERVISOR_xen_version: the hypervisor presents itself as Xen 4.17,
 * the interface it implements, with the feature flags a 64-bit PV kernel
 * relies on.
 */
#include <string.h>
#include "arch/x86/guest_access.h"
#include "common/domain.h"
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

static long copy_string_out(guest_ptr_t arg, const char *s, size_t size)
{
    char buf[1024];

    set_field(buf, size, s);
    return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(uint64_t cmd, guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    switch (cmd) {
    case XENVER_version:
        return (XEN_MAJOR << 16) | XEN_MINOR;
    case XENVER_extraversion:
        return copy_string_out(arg, ".0-subfloor", sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info info;
        memset(&info, 0, sizeof(info));
        set_field(info.compiler, sizeof(info.compiler), "gcc " __VERSION__);
        set_field(info.compile_by, sizeof(info.compile_by), "subfloor");
        set_field(info.compile_domain, sizeof(info.compile_domain), "subfloor");
        set_field(info.compile_date, sizeof(info.compile_date), __DATE__ " " __TIME__);
        return copy_to_guest(arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string_out(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string_out(arg, "subfloor " SUBFLOOR_VERSION, sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { .virt_start = PV_VIRT_START };
        return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
            return -XEN_EINVAL;
        fi.submap = features_submap0(d);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return 4096;
    case XENVER_guest_handle: {
        uint8_t handle[16] = { 0 };     /* dom0's handle is all zeros */
        return copy_to_guest(arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
        /* Xen shows its command line to privileged domains only. */
        if (!d->privileged)
            return -XEN_EPERM;
        return copy_string_out(arg, boot_cmdline, sizeof(xen_commandline_t));
    default:
        return -XEN_ENOSYS;
    }
}
