/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_platform_op, basics (Xen 4.17
 * numbering).
 *
 * dom0 reports what the firmware told it and sets the wall clock through
 * this call.  Every command number is listed so that unknown ones can be
 * refused by name; only the argument structs Subfloor handles are
 * defined, and the union's 128-byte pad keeps xen_platform_op at Xen's
 * size whatever the command.
 */
#ifndef SUBFLOOR_PUBLIC_PLATFORM_H
#define SUBFLOOR_PUBLIC_PLATFORM_H

#include "public/xen.h"

/* xen_platform_op.interface_version must hold this. */
#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_get_cpu_version      48
#define XENPF_efi_runtime_call     49
#define XENPF_firmware_info        50  /* EDD, VBE, EFI tables */
#define XENPF_enter_acpi_sleep     51
#define XENPF_change_freq          52
#define XENPF_getidletime          53
#define XENPF_set_processor_pminfo 54  /* ACPI C/P-state data */
#define XENPF_get_cpuinfo          55
#define XENPF_cpu_online           56
#define XENPF_cpu_offline          57
#define XENPF_cpu_hotadd           58
#define XENPF_mem_hotadd           59
#define XENPF_core_parking         60
#define XENPF_resource_op          61
#define XENPF_get_symbol           63
#define XENPF_add_memtype          31
#define XENPF_del_memtype          32
#define XENPF_read_memtype         33
#define XENPF_microcode_update     35
#define XENPF_platform_quirk       39

#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001

/*
 * Set the wall clock: secs/nsecs is the time of day at `system_time` ns
 * after boot.  The 64-bit form is the current one.
 */
#define XENPF_settime32 17
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

#define XENPF_settime64 62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;              /* must be zero */
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;

#define XENPF_settime XENPF_settime64
typedef struct xenpf_settime64 xenpf_settime_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_settime_t);

/* XENPF_get_cpuinfo: one physical CPU, by the hypervisor's numbering. */
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;        /* in */
    uint32_t max_present;      /* out: highest present CPU number */
#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2  /* no such CPU */
    uint32_t flags;            /* out */
    uint32_t apic_id;          /* out */
    uint32_t acpi_id;          /* out */
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpuinfo_t);

/* XENPF_get_cpu_version */
struct xenpf_pcpu_version {
    uint32_t xen_cpuid;        /* in */
    uint32_t max_present;      /* out */
    char vendor_id[12];        /* out: CPUID leaf 0 vendor string */
    uint32_t family;
    uint32_t model;
    uint32_t stepping;
};
typedef struct xenpf_pcpu_version xenpf_pcpu_version_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpu_version_t);

/* XENPF_cpu_online, XENPF_cpu_offline */
struct xenpf_cpu_ol {
    uint32_t cpuid;
};
typedef struct xenpf_cpu_ol xenpf_cpu_ol_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_cpu_ol_t);

struct xen_platform_op {
    uint32_t cmd;                  /* XENPF_* */
    uint32_t interface_version;    /* XENPF_INTERFACE_VERSION */
    union {
        xenpf_settime_t settime;
        xenpf_settime32_t settime32;
        xenpf_settime64_t settime64;
        xenpf_pcpuinfo_t pcpu_info;
        xenpf_pcpu_version_t pcpu_version;
        xenpf_cpu_ol_t cpu_ol;
        uint8_t pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_platform_op_t);

#endif /* SUBFLOOR_PUBLIC_PLATFORM_H */
