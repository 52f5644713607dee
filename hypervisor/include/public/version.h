/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: HYPERVISOR_xen_version (Xen 4.17 numbering).
 *
 * XENVER_version returns (major << 16) | minor directly; the other
 * commands fill the buffer the second argument points at.
 */
#ifndef SUBFLOOR_PUBLIC_VERSION_H
#define SUBFLOOR_PUBLIC_VERSION_H

#include "public/xen.h"

#define XENVER_version 0

#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];             /* ".0", "-rc1", ... */
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

#define XENVER_compile_info 2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];      /* "xen-3.0-x86_64 ..." */
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* Lowest address the hypervisor reserves in the guest's address space. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* In: which 32-bit submap.  Out: its XENFEAT_* bits. */
#define XENVER_get_features 6
struct xen_feature_info {
    unsigned int submap_idx;
    uint32_t submap;
};
typedef struct xen_feature_info xen_feature_info_t;

#include "public/features.h"

/* Return values only: the page size, and the domain's UUID handle. */
#define XENVER_pagesize     7
#define XENVER_guest_handle 8

#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/* In: len = room in buf.  Out: len = bytes of build id written. */
#define XENVER_build_id 10
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;

#endif /* SUBFLOOR_PUBLIC_VERSION_H */
