/*
 * ELF note types a PV guest kernel uses to tell the domain builder how to
 * load and start it.  The notes are named "Xen"; the numbers are those of
 * Xen 4.17's public interface.
 *
 * Used by the hypervisor's dom0 builder and the host unit tests.
 */
#ifndef SUBFLOOR_PUBLIC_ELFNOTE_H
#define SUBFLOOR_PUBLIC_ELFNOTE_H

/* The value of the note's name field, NUL included in its size. */
#define XEN_ELFNOTE_NAME "Xen"

#define XEN_ELFNOTE_INFO                0   /* old-style "key=value,..." string; unused by Linux */
#define XEN_ELFNOTE_ENTRY               1   /* virtual address where vCPU0 starts */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2   /* virtual address of the page to fill with stubs */
#define XEN_ELFNOTE_VIRT_BASE           3   /* virtual address of pseudo-physical 0 */
#define XEN_ELFNOTE_PADDR_OFFSET        4   /* subtracted from p_paddr to get the load address */
#define XEN_ELFNOTE_XEN_VERSION         5   /* string: ABI family, "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6   /* string: "linux", informational */
#define XEN_ELFNOTE_GUEST_VERSION       7   /* string, informational */
#define XEN_ELFNOTE_LOADER              8   /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE            9   /* string: "yes", "no", "bimodal" (32-bit guests) */
#define XEN_ELFNOTE_FEATURES           10   /* string: '|'-separated XENFEAT names, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11   /* string "yes": load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW       12   /* lowest address the hypervisor may use (32-bit guests) */
#define XEN_ELFNOTE_L1_MFN_VALID       13   /* mask and value: which L1 entries hold an MFN */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14   /* guest copes with a cancelled suspend */
#define XEN_ELFNOTE_INIT_P2M           15   /* virtual address for the initial p2m list */
#define XEN_ELFNOTE_MOD_START_PFN      16   /* guest accepts an unmapped initrd given as a pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17   /* bitmap of XENFEAT_* the guest supports */
#define XEN_ELFNOTE_PHYS32_ENTRY       18   /* 32-bit physical entry point (PVH only) */

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in Xen's own crash dumps, not in guest kernels. */
#define XEN_ELFNOTE_CRASH_INFO                0x1000001
#define XEN_ELFNOTE_CRASH_REGS                0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE             0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER           0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION      0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION   0x2000003

#endif
