/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: feature flags (Xen 4.17 numbering).
 *
 * A guest reads them with XENVER_get_features, 32 per submap; a kernel
 * names the ones it needs or supports in its XEN_ELFNOTE_FEATURES and
 * XEN_ELFNOTE_SUPPORTED_FEATURES notes.  The numbers are bit positions.
 */
#ifndef SUBFLOOR_PUBLIC_FEATURES_H
#define SUBFLOOR_PUBLIC_FEATURES_H

/* The guest may map its own page tables writable (emulated writes). */
#define XENFEAT_writable_page_tables        0
/* The guest may map its own descriptor tables writable. */
#define XENFEAT_writable_descriptor_tables  1
/* The guest sees pseudo-physical frames; the hypervisor translates. */
#define XENFEAT_auto_translated_physmap     2
/* The guest kernel runs in ring 0 (not for PV on x86-64). */
#define XENFEAT_supervisor_mode_kernel      3
/* 32-bit PAE only: the L3 may live above 4 GiB. */
#define XENFEAT_pae_pgdir_above_4gb         4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad   5
/* 32-bit only: highmem assistance in the hypervisor. */
#define XENFEAT_highmem_assist              6
/* Grant mappings keep the guest's software-available PTE bits. */
#define XENFEAT_gnttab_map_avail_bits       7
/* HVM only: events can arrive as an interrupt vector. */
#define XENFEAT_hvm_callback_vector         8
/* HVM only: the PV clock is safe to use. */
#define XENFEAT_hvm_safe_pvclock            9
/* HVM only: physical IRQs are routed through event channels. */
#define XENFEAT_hvm_pirqs                  10
/* The domain is the hardware domain. */
#define XENFEAT_dom0                       11
/* XENMEM_get_vnumainfo works. */
#define XENFEAT_memory_op_vnode_supported  13
/* Arm only: SMCCC calls are available. */
#define XENFEAT_ARM_SMCCC_supported        14
/* The guest may use an RSDP anywhere in memory (PVH dom0). */
#define XENFEAT_linux_rsdp_unrestricted    15
/* Arm only: the domain's memory is not 1:1 mapped... */
#define XENFEAT_not_direct_mapped          16
/* ...or it is. */
#define XENFEAT_direct_mapped              17

/* How many 32-bit submaps XENVER_get_features can return. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* SUBFLOOR_PUBLIC_FEATURES_H */
