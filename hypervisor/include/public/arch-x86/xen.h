/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI, x86 common part (Xen 4.17 layout): guest handles,
 * basic integer types, the trap table, the full vCPU context and the x86
 * part of shared_info.
 */
#ifndef SUBFLOOR_PUBLIC_ARCH_X86_XEN_H
#define SUBFLOOR_PUBLIC_ARCH_X86_XEN_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/*
 * A guest handle is a guest-virtual pointer that the hypervisor only
 * dereferences through its checked copy routines.  Wrapping it in a
 * one-member struct makes the compiler refuse to use it as a plain pointer
 * by accident; the layout is still one 8-byte pointer.  Every handle type
 * comes with a const twin.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define __DEFINE_XEN_GUEST_HANDLE(name, type) \
    ___DEFINE_XEN_GUEST_HANDLE(name, type); \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name) __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name) __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name) __XEN_GUEST_HANDLE(name)
/* Hypercall parameters use the same representation on x86. */
#define XEN_GUEST_HANDLE_PARAM(name) XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val) do { (hnd).p = (val); } while (0)
#define set_xen_guest_handle(hnd, val) set_xen_guest_handle_raw(hnd, val)

#include "public/arch-x86/xen-x86_64.h"

#ifndef __ASSEMBLY__
/* Frame numbers: machine frames for PV guests, guest frames otherwise. */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* Marks the PV-only parts of the interface as present on this arch. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * GDT pages 14 and 15 belong to the hypervisor (the FLAT_* selectors live
 * there); a guest's own descriptors must stay below.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* vCPUs whose vcpu_info lives in shared_info; others must register one. */
#define XEN_LEGACY_MAX_VCPUS 32

#ifndef __ASSEMBLY__

typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"

/*
 * One virtual trap gate: where to bounce exception `vector`.  Bits 0-1 of
 * flags are the lowest ring allowed to raise it with INT n; bit 2 says
 * whether delivery masks events (like an interrupt gate clearing IF).
 */
struct trap_info {
    uint8_t vector;
    uint8_t flags;
    uint16_t cs;
    unsigned long address;
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

#define TI_GET_DPL(ti)      ((ti)->flags & 3)
#define TI_GET_IF(ti)       ((ti)->flags & 4)
#define TI_SET_DPL(ti, dpl) ((ti)->flags |= (dpl))
#define TI_SET_IF(ti, on)   ((ti)->flags |= ((!!(on)) << 2))

typedef uint64_t tsc_timestamp_t;

/*
 * Everything needed to start or inspect a PV vCPU (VCPUOP_initialise,
 * domctl getvcpucontext).
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
#define VGCF_I387_VALID (1 << 0)
#define VGCF_IN_KERNEL  (1 << 2)
#define _VGCF_i387_valid 0
#define VGCF_i387_valid  (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel  2
#define VGCF_in_kernel   (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online 5
#define VGCF_online  (1 << _VGCF_online)
    unsigned long flags;
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    unsigned long ldt_base, ldt_ents;        /* linear address, entries */
    unsigned long gdt_frames[16], gdt_ents;  /* frames, entries */
    unsigned long kernel_ss, kernel_sp;      /* stack for ring transitions */
    unsigned long ctrlreg[8];                /* cr3 holds a frame << 12 */
    unsigned long debugreg[8];
    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long vm_assist;                 /* VMASST_TYPE_* bitmap */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/*
 * x86 part of shared_info: where the guest publishes its physical-to-
 * machine table so that save/restore and dumps can find it.
 */
struct arch_shared_info {
    unsigned long max_pfn;                 /* highest pfn + 1 */
    xen_pfn_t pfn_to_mfn_frame_list_list;  /* 3-level list of p2m frames */
    unsigned long nmi_reason;              /* XEN_NMIREASON_* */
    unsigned long p2m_cr3;                 /* linear p2m: its page tables */
    unsigned long p2m_vaddr;               /* linear p2m: virtual address */
    unsigned long p2m_generation;          /* bumped on every p2m change */
};
typedef struct arch_shared_info arch_shared_info_t;

/* A CPUID leaf as the toolstack describes policies. */
typedef struct xen_cpuid_leaf {
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;
DEFINE_XEN_GUEST_HANDLE(xen_cpuid_leaf_t);

/*
 * What a new domain's x86 platform emulates (XEN_DOMCTL_createdomain):
 * a PV guest asks for nothing, or only for event-channel pirqs.
 */
struct xen_arch_domainconfig {
#define XEN_X86_EMU_LAPIC    (1U << 0)
#define XEN_X86_EMU_HPET     (1U << 1)
#define XEN_X86_EMU_PM       (1U << 2)
#define XEN_X86_EMU_RTC      (1U << 3)
#define XEN_X86_EMU_IOAPIC   (1U << 4)
#define XEN_X86_EMU_PIC      (1U << 5)
#define XEN_X86_EMU_VGA      (1U << 6)
#define XEN_X86_EMU_IOMMU    (1U << 7)
#define XEN_X86_EMU_PIT      (1U << 8)
#define XEN_X86_EMU_USE_PIRQ (1U << 9)
#define XEN_X86_EMU_VPCI     (1U << 10)
    uint32_t emulation_flags;
/* Reads of MSRs nobody handles give 0, writes are dropped, instead of #GP. */
#define XEN_X86_MSR_RELAXED  (1U << 0)
    uint32_t misc_flags;
};

#endif /* !__ASSEMBLY__ */

/*
 * The forced-emulation prefix (ud2 "xen"): a PV guest puts it before
 * CPUID to get the hypervisor's filtered view instead of the real CPU's.
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

#endif /* SUBFLOOR_PUBLIC_ARCH_X86_XEN_H */
