/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI, x86-64 PV specifics (Xen 4.17 layout).
 *
 * A 64-bit PV kernel runs in ring 3 like its user space, so kernel and
 * user share one set of flat selectors from Xen's reserved GDT pages; the
 * selector values and the hypervisor hole below are fixed by the ABI and
 * hard-coded in Linux.
 */
/*
 * The guest-handle macros come from arch-x86/xen.h, which includes this
 * file once they exist; going through it first keeps that order when this
 * header is included on its own.
 */
#include "public/arch-x86/xen.h"

#ifndef SUBFLOOR_PUBLIC_ARCH_X86_XEN_X86_64_H
#define SUBFLOOR_PUBLIC_ARCH_X86_XEN_X86_64_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* Flat segment selectors in the hypervisor-owned part of the GDT. */
#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_DS32 0xe02b
#define FLAT_RING3_DS64 0x0000   /* null: 64-bit data needs no selector */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b

/* Kernel and user both run in ring 3, so their selectors coincide. */
#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * The hypervisor hole: 64-bit PV kernels never map anything here, and the
 * read-only machine-to-physical table sits at its bottom.  The unsuffixed
 * forms exist for assembly.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#define HYPERVISOR_VIRT_START 0xFFFF800000000000UL
#define HYPERVISOR_VIRT_END   0xFFFF880000000000UL
#define MACH2PHYS_VIRT_START  0xFFFF800000000000UL
#define MACH2PHYS_VIRT_END    0xFFFF804000000000UL
/* One 8-byte pfn per machine frame. */
#define MACH2PHYS_NR_ENTRIES ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)
#define machine_to_phys_mapping ((unsigned long *)HYPERVISOR_VIRT_START)

/* HYPERVISOR_set_segment_base selectors. */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3   /* load the user GS selector, keep bases */

/* vcpu_guest_context.flags bit meaning "stopped inside a syscall". */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

#ifndef __ASSEMBLY__

/*
 * What HYPERVISOR_iret pops from the guest kernel stack, lowest address
 * first.  rax, r11 and rcx are saved because the hypercall itself
 * clobbers them; `flags` holds VGCF_in_syscall.
 */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * The saved register frame.  Each general-purpose register can be named
 * by any of its widths, as in the instruction set, hence the unions.
 */
struct cpu_user_regs {
    union { uint64_t r15; uint32_t r15d; uint16_t r15w; uint8_t r15b; };
    union { uint64_t r14; uint32_t r14d; uint16_t r14w; uint8_t r14b; };
    union { uint64_t r13; uint32_t r13d; uint16_t r13w; uint8_t r13b; };
    union { uint64_t r12; uint32_t r12d; uint16_t r12w; uint8_t r12b; };
    union { uint64_t rbp; uint32_t ebp; uint16_t bp; uint8_t bpl; };
    union {
        uint64_t rbx; uint32_t ebx; uint16_t bx;
        struct { uint8_t bl, bh; };
    };
    union { uint64_t r11; uint32_t r11d; uint16_t r11w; uint8_t r11b; };
    union { uint64_t r10; uint32_t r10d; uint16_t r10w; uint8_t r10b; };
    union { uint64_t r9; uint32_t r9d; uint16_t r9w; uint8_t r9b; };
    union { uint64_t r8; uint32_t r8d; uint16_t r8w; uint8_t r8b; };
    union {
        uint64_t rax; uint32_t eax; uint16_t ax;
        struct { uint8_t al, ah; };
    };
    union {
        uint64_t rcx; uint32_t ecx; uint16_t cx;
        struct { uint8_t cl, ch; };
    };
    union {
        uint64_t rdx; uint32_t edx; uint16_t dx;
        struct { uint8_t dl, dh; };
    };
    union { uint64_t rsi; uint32_t esi; uint16_t si; uint8_t sil; };
    union { uint64_t rdi; uint32_t edi; uint16_t di; uint8_t dil; };
    uint32_t error_code;    /* filled in by the hypervisor */
    uint32_t entry_vector;  /* filled in by the hypervisor */
    union { uint64_t rip; uint32_t eip; uint16_t ip; };
    uint16_t cs, _pad0[1];
    uint8_t saved_upcall_mask;
    uint8_t _pad1[3];
    union { uint64_t rflags; uint32_t eflags; uint16_t flags; };
    union { uint64_t rsp; uint32_t esp; uint16_t sp; uint8_t spl; };
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

/* The x86 part of vcpu_info: the faulting address of the last #PF. */
struct arch_vcpu_info {
    unsigned long cr2;
    unsigned long pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* On x86-64 a callback is just its entry address (CS is implied). */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLY__ */

#endif /* SUBFLOOR_PUBLIC_ARCH_X86_XEN_X86_64_H */
