/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI: the hypervisor CPUID leaves (Xen 4.17 layout).
 *
 * A guest finds the hypervisor by scanning leaves 0x40000000 upwards in
 * steps of 0x100 for the "XenVMMXenVMM" signature (other hypervisors may
 * sit below).  Relative to the base leaf found:
 *   +0  eax: last Xen leaf; ebx, ecx, edx: the signature
 *   +1  eax: version, major << 16 | minor
 *   +2  eax: number of hypercall pages (1); ebx: first Xen MSR, whose
 *       write fills the hypercall page; ecx: XEN_CPUID_FEAT1_* bits
 *   +3  TSC mode and time-scale parameters (sub-leaves 0-2)
 *   +4  HVM features: eax holds XEN_HVM_CPUID_* bits
 *   +5  PV parameters: ebx holds the machine address width
 */
#ifndef SUBFLOOR_PUBLIC_ARCH_X86_CPUID_H
#define SUBFLOOR_PUBLIC_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/* "XenVMMXenVMM" in ebx, ecx, edx. */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e

/* Leaf +2 ecx: MMU_PT_UPDATE_PRESERVE_AD is supported. */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)

/* Leaf +4 eax (HVM guests). */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)

/* Leaf +5 ebx: machine address width, for PV guests' page tables. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif /* SUBFLOOR_PUBLIC_ARCH_X86_CPUID_H */
