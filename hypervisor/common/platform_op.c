/*
 * HYPERVISOR_platform_op: what a Linux dom0 asks early, answered as Xen
 * 4.17 answers on a machine booted by multiboot without EDD, EFI or
 * hotplug: the wall clock (settime), the physical CPUs (get_cpuinfo),
 * firmware information (absent, with Xen's errors) and platform quirks.
 * Privileged domains only; anything else is -ENOSYS, as in Xen.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "common/acpi_sleep.h"
#include "common/domain.h"
#include "common/domain_time.h"
#include "common/guest_op.h"
#include "common/hypercall.h"
#include "common/vtime.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/platform.h"

/* XENPF_firmware_info's argument (not in public/platform.h): type,
 * index, then the answer, at the start of the op's union. */
#define XEN_FW_DISK_INFO          1
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO        3
#define XEN_FW_EFI_INFO           4
#define XEN_FW_KBD_SHIFT_FLAGS    5
struct firmware_info_head {
    uint32_t type;
    uint32_t index;
    uint8_t kbd_shift_flags;    /* first byte of the answer union */
};

/* XENPF_platform_quirk's quirk ids. */
#define QUIRK_NOIRQBALANCING      1
#define QUIRK_IOAPIC_BAD_REGSEL   2
#define QUIRK_IOAPIC_GOOD_REGSEL  3

/* Xen's INVALID_ACPIID: Subfloor does not read the MADT's processors. */
#define ACPI_ID_UNKNOWN 0xffffffffu

static uint32_t platform_quirks;

/* dom0 says the time of day was secs.nsecs at its system time
 * system_time: every domain's wall clock (time at system time 0) follows,
 * since all domains' system time runs on the hypervisor's timebase. */
static long settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    uint64_t sec;
    uint32_t nsec;
    int rc = vtime_wallclock_at_boot(secs, nsecs, system_time, &sec, &nsec);

    if (rc)
        return rc;
    domain_wallclock_set(sec, nsec);
    return 0;
}

static long get_cpuinfo(struct xenpf_pcpuinfo *info)
{
    /* One CPU is brought up, number 0. */
    if (info->xen_cpuid != 0) {
        info->flags = XEN_PCPU_FLAGS_INVALID;
    } else {
        info->apic_id = cpuid(1, 0).ebx >> 24;
        info->acpi_id = ACPI_ID_UNKNOWN;
        info->flags = XEN_PCPU_FLAGS_ONLINE;
    }
    info->max_present = 0;
    return 0;
}

/*
 * No EDD or MBR data was collected (multiboot gives none), there is no
 * EDID and no EFI: Xen's answers are -ESRCH for the indexed tables and
 * -ENOSYS for EFI.  The keyboard shift state is 0 (Xen reads it from the
 * BIOS at boot; nothing held a key).
 */
static long firmware_info(struct firmware_info_head *fw)
{
    switch (fw->type) {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -XEN_ESRCH;
    case XEN_FW_EFI_INFO:
        return -XEN_ENOSYS;
    case XEN_FW_KBD_SHIFT_FLAGS:
        if (fw->index != 0)
            return -XEN_EINVAL;
        fw->kbd_shift_flags = 0;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

static long platform_quirk(uint32_t quirk_id)
{
    switch (quirk_id) {
    case QUIRK_NOIRQBALANCING:
    case QUIRK_IOAPIC_BAD_REGSEL:
    case QUIRK_IOAPIC_GOOD_REGSEL:
        /* Recorded: no IRQ balancing or IO-APIC programming exists yet
         * for them to change. */
        platform_quirks |= 1u << quirk_id;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

static long settime64(struct domain *d, struct xen_platform_op *op)
{
    (void)d;
    if (op->u.settime64.mbz)
        return -XEN_EINVAL;
    return settime(op->u.settime64.secs, op->u.settime64.nsecs, op->u.settime64.system_time);
}

static long settime32(struct domain *d, struct xen_platform_op *op)
{
    (void)d;
    return settime(op->u.settime32.secs, op->u.settime32.nsecs, op->u.settime32.system_time);
}

static long cpuinfo(struct domain *d, struct xen_platform_op *op)
{
    (void)d;
    return get_cpuinfo(&op->u.pcpu_info);
}

/* Only the keyboard shift flags answer (0), and only they go back. */
static long firmware(struct domain *d, struct xen_platform_op *op)
{
    struct firmware_info_head fw;

    (void)d;
    memcpy(&fw, &op->u, sizeof(fw));
    long rc = firmware_info(&fw);
    memcpy(&op->u, &fw, sizeof(fw));
    return rc;
}

static long enter_acpi_sleep(struct domain *d, struct xen_platform_op *op)
{
    struct xenpf_enter_acpi_sleep sleep;

    (void)d;
    memcpy(&sleep, &op->u, sizeof(sleep));
    return acpi_enter_sleep(&sleep);
}

static long quirk(struct domain *d, struct xen_platform_op *op)
{
    uint32_t quirk_id;

    (void)d;
    memcpy(&quirk_id, &op->u, sizeof(quirk_id));
    return platform_quirk(quirk_id);
}

#define PLATFORM_OPS(OP)                                                                     \
    OP(XENPF_settime64, OP_ANY, IN, struct xen_platform_op, settime64, 0)                    \
    OP(XENPF_settime32, OP_ANY, IN, struct xen_platform_op, settime32, 0)                    \
    OP(XENPF_get_cpuinfo, OP_ANY, INOUT, struct xen_platform_op, cpuinfo, 0)                 \
    OP(XENPF_firmware_info, OP_ANY, INOUT, struct xen_platform_op, firmware, 0)              \
    OP(XENPF_enter_acpi_sleep, OP_ANY, IN, struct xen_platform_op, enter_acpi_sleep, 0)      \
    OP(XENPF_platform_quirk, OP_ANY, IN, struct xen_platform_op, quirk, 0)

GUEST_OP_ROWS(platform_rows, PLATFORM_OPS);

/* Xen's order: the op is read (-EFAULT), its interface version checked
 * (-EACCES), and only then the caller's privilege (-EPERM). */
static const struct guest_op_struct platform_subops = {
    .ops = GUEST_OP_TABLE_OF(platform_rows),
    .size = sizeof(struct xen_platform_op),
    .cmd_offset = offsetof(struct xen_platform_op, cmd),
    .version_offset = offsetof(struct xen_platform_op, interface_version),
    .version = XENPF_INTERFACE_VERSION,
    .who = OP_PRIV_READ,
};

long do_platform_op(guest_ptr_t arg)
{
    struct domain *d = current_vcpu()->domain;

    return guest_op_call_struct(&platform_subops, arg, d, d->privileged);
}
