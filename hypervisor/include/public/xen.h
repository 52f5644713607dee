/* SPDX-License-Identifier: MIT */
/*
 * Subfloor public ABI, core (Xen 4.17 layout for 64-bit x86 PV guests):
 * hypercall numbers, virtual IRQs, the PV MMU interface, domain ids, and
 * the pages the hypervisor shares with every guest (start_info,
 * shared_info with its vcpu_info array).
 */
#ifndef SUBFLOOR_PUBLIC_XEN_H
#define SUBFLOOR_PUBLIC_XEN_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

#include "public/arch-x86/xen.h"

#ifndef __ASSEMBLY__
/* Handles for the element types that hypercalls pass arrays of. */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Integer constants typed as in C, and left bare for assembly. */
#define xen_mk_uint(x)   x ## U
#define xen_mk_ulong(x)  x ## UL
#define xen_mk_ullong(x) x ## ULL
#else
#define xen_mk_uint(x)   x
#define xen_mk_ulong(x)  x
#define xen_mk_ullong(x) x
#endif

/*
 * Hypercall numbers: the index of the 32-byte stub in the hypercall page.
 * 11 is unused; the _compat entries are the pre-3.2 forms of later calls.
 */
#define __HYPERVISOR_set_trap_table                  0
#define __HYPERVISOR_mmu_update                      1
#define __HYPERVISOR_set_gdt                         2
#define __HYPERVISOR_stack_switch                    3
#define __HYPERVISOR_set_callbacks                   4
#define __HYPERVISOR_fpu_taskswitch                  5
#define __HYPERVISOR_sched_op_compat                 6
#define __HYPERVISOR_platform_op                     7
#define __HYPERVISOR_set_debugreg                    8
#define __HYPERVISOR_get_debugreg                    9
#define __HYPERVISOR_update_descriptor              10
#define __HYPERVISOR_memory_op                      12
#define __HYPERVISOR_multicall                      13
#define __HYPERVISOR_update_va_mapping              14
#define __HYPERVISOR_set_timer_op                   15
#define __HYPERVISOR_event_channel_op_compat        16
#define __HYPERVISOR_xen_version                    17
#define __HYPERVISOR_console_io                     18
#define __HYPERVISOR_physdev_op_compat              19
#define __HYPERVISOR_grant_table_op                 20
#define __HYPERVISOR_vm_assist                      21
#define __HYPERVISOR_update_va_mapping_otherdomain  22
#define __HYPERVISOR_iret                           23
#define __HYPERVISOR_vcpu_op                        24
#define __HYPERVISOR_set_segment_base               25
#define __HYPERVISOR_mmuext_op                      26
#define __HYPERVISOR_xsm_op                         27
#define __HYPERVISOR_nmi_op                         28
#define __HYPERVISOR_sched_op                       29
#define __HYPERVISOR_callback_op                    30
#define __HYPERVISOR_xenoprof_op                    31
#define __HYPERVISOR_event_channel_op               32
#define __HYPERVISOR_physdev_op                     33
#define __HYPERVISOR_hvm_op                         34
#define __HYPERVISOR_sysctl                         35
#define __HYPERVISOR_domctl                         36
#define __HYPERVISOR_kexec_op                       37
#define __HYPERVISOR_tmem_op                        38
#define __HYPERVISOR_argo_op                        39
#define __HYPERVISOR_xenpmu_op                      40
#define __HYPERVISOR_dm_op                          41
#define __HYPERVISOR_hypfs_op                       42

/* Reserved for architecture-specific calls. */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/*
 * Virtual interrupts a guest binds to event channels (EVTCHNOP_bind_virq).
 * TIMER, DEBUG and XENOPROF are per vCPU; the rest are per domain, and
 * most are only ever raised for dom0.
 */
#define VIRQ_TIMER       0   /* per-vCPU timer (set_timer_op, VCPUOP timers) */
#define VIRQ_DEBUG       1   /* debug key pressed on the hypervisor console */
#define VIRQ_CONSOLE     2   /* input on the hypervisor console (dom0) */
#define VIRQ_DOM_EXC     3   /* some domain crashed or shut down (dom0) */
#define VIRQ_TBUF        4   /* trace buffers have data (dom0) */
#define VIRQ_DEBUGGER    6   /* a domain was paused for a debugger (dom0) */
#define VIRQ_XENOPROF    7   /* profiling samples ready */
#define VIRQ_CON_RING    8   /* the hypervisor log ring grew (dom0) */
#define VIRQ_PCPU_STATE  9   /* a physical CPU came or went (dom0) */
#define VIRQ_MEM_EVENT  10   /* a memory event ring has work */
#define VIRQ_ARGO       11   /* argo message arrived */
#define VIRQ_ENOMEM     12   /* the hypervisor is short of memory (dom0) */
#define VIRQ_XENPMU     13   /* PMU interrupt */

#define VIRQ_ARCH_0 16
#define VIRQ_ARCH_1 17
#define VIRQ_ARCH_2 18
#define VIRQ_ARCH_3 19
#define VIRQ_ARCH_4 20
#define VIRQ_ARCH_5 21
#define VIRQ_ARCH_6 22
#define VIRQ_ARCH_7 23

#define NR_VIRQS 24

/*
 * HYPERVISOR_mmu_update: the low 2 bits of mmu_update.ptr select the
 * command, the rest is the machine address of the entry to write (or the
 * machine frame for MACHPHYS_UPDATE).
 */
#define MMU_NORMAL_PT_UPDATE        0  /* *ptr = val, after validation */
#define MMU_MACHPHYS_UPDATE         1  /* m2p[ptr >> PAGE_SHIFT] = val */
#define MMU_PT_UPDATE_PRESERVE_AD   2  /* as NORMAL, keeping accessed/dirty */
#define MMU_PT_UPDATE_NO_TRANSLATE  3  /* as NORMAL, ptr is never a gfn */

/* HYPERVISOR_mmuext_op commands. */
#define MMUEXT_PIN_L1_TABLE        0   /* arg1.mfn: type and pin a table */
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3
#define MMUEXT_UNPIN_TABLE         4   /* arg1.mfn */
#define MMUEXT_NEW_BASEPTR         5   /* arg1.mfn: new kernel L4 */
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7   /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI     8   /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI        9   /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11   /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13   /* arg1.linear_addr, arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR   15   /* arg1.mfn: new user-mode L4 */
#define MMUEXT_CLEAR_PAGE         16   /* arg1.mfn */
#define MMUEXT_COPY_PAGE          17   /* arg1.mfn <- arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

#ifndef __ASSEMBLY__
struct mmuext_op {
    unsigned int cmd;   /* MMUEXT_* */
    union {
        xen_pfn_t mfn;
        unsigned long linear_addr;
    } arg1;
    union {
        unsigned int nr_ents;
        XEN_GUEST_HANDLE(const_void) vcpumask;
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
#endif

/*
 * update_va_mapping flags: the low 2 bits say which TLB flush follows,
 * the rest say on which vCPUs (a pointer to a vCPU mask also fits here,
 * since it is at least 4-byte aligned).
 */
#define UVMF_NONE           (xen_mk_ulong(0) << 0)
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0)
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0)
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)
#define UVMF_ALL            (xen_mk_ulong(1) << 2)

/* HYPERVISOR_console_io commands. */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* HYPERVISOR_vm_assist: optional behaviours a guest switches on. */
#define VMASST_CMD_enable  0
#define VMASST_CMD_disable 1

#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32

/*
 * Domain ids from DOMID_FIRST_RESERVED up are not domains but special
 * meanings in hypercall arguments.
 */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0)  /* the calling domain */
#define DOMID_IO             xen_mk_uint(0x7FF1)  /* owner of I/O memory */
#define DOMID_XEN            xen_mk_uint(0x7FF2)  /* owner of hypervisor pages */
#define DOMID_COW            xen_mk_uint(0x7FF3)  /* owner of shared pages */
#define DOMID_INVALID        xen_mk_uint(0x7FF4)
#define DOMID_IDLE           xen_mk_uint(0x7FFF)
#define DOMID_MASK           xen_mk_uint(0x7FFF)

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;

/* One HYPERVISOR_mmu_update request; see MMU_* for the encoding of ptr. */
struct mmu_update {
    uint64_t ptr;
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/* One call of HYPERVISOR_multicall; `result` receives its return value. */
struct multicall_entry {
    xen_ulong_t op, result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * Per-vCPU clock.  The guest computes
 *   system_time + ((tsc - tsc_timestamp) << tsc_shift) * mul >> 32
 * (a right shift when tsc_shift is negative).  `version` is odd while the
 * hypervisor rewrites the record: readers retry until they see the same
 * even value before and after.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;    /* TSC when system_time was sampled */
    uint64_t system_time;      /* ns since boot at that moment */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;             /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)  /* TSC is synchronised */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)  /* guest was paused */

/*
 * Per-vCPU event state.  The guest sets evtchn_upcall_mask to hold off
 * upcalls (its "interrupt flag"); the hypervisor sets
 * evtchn_upcall_pending and one bit per word of shared_info.evtchn_pending
 * that has a pending port, then upcalls unless masked.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    vcpu_time_info_t time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * The shared-info page, mapped by every guest.  Event channel n is
 * pending (masked) when bit n of evtchn_pending (evtchn_mask) is set: the
 * 2-level ABI, 64 words of 64 bits.  The wall clock is the time of system
 * time 0, under its own version counter like vcpu_time_info.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;        /* upper 32 bits of the seconds */
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

/*
 * The start-of-day page a PV guest finds at the address in %rsi.  On
 * entry the kernel image, start_info, the initial page tables and the
 * p2m list are mapped in the guest's initial virtual area, in that order,
 * followed by a small bootstrap stack; %rsp points at its top.
 */
struct start_info {
    char magic[32];               /* "xen-<version>-x86_64" */
    unsigned long nr_pages;       /* pages allocated to the domain */
    unsigned long shared_info;    /* machine address of shared_info */
    uint32_t flags;               /* SIF_* */
    xen_pfn_t store_mfn;          /* xenstore ring page */
    uint32_t store_evtchn;
    union {
        struct {                  /* domUs: the console ring */
            xen_pfn_t mfn;
            uint32_t evtchn;
        } domU;
        struct {                  /* dom0: dom0_vga_console_info */
            uint32_t info_off;    /* offset from start_info */
            uint32_t info_size;
        } dom0;
    } console;
    unsigned long pt_base;        /* virtual address of the top table */
    unsigned long nr_pt_frames;   /* frames of bootstrap page tables */
    unsigned long mfn_list;       /* virtual address of the p2m list */
    unsigned long mod_start;      /* initrd: virtual address, or pfn */
    unsigned long mod_len;        /* initrd size in bytes */
#define MAX_GUEST_CMDLINE 1024
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    unsigned long first_p2m_pfn;  /* p2m placed outside the initial area */
    unsigned long nr_p2m_frames;
};
typedef struct start_info start_info_t;

#endif /* !__ASSEMBLY__ */

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)   /* may use privileged operations */
#define SIF_INITDOMAIN      (1 << 1)   /* this is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)   /* mod_start lists multiboot modules */
#define SIF_MOD_START_PFN   (1 << 3)   /* mod_start is a pfn, not an address */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)   /* tools must use the linear p2m */
#define SIF_PM_MASK         (0xFF << 8)

#ifndef __ASSEMBLY__

/* One module when SIF_MULTIBOOT_MOD is set; addresses from mod_start. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;   /* offset of the module from the list */
    uint32_t mod_end;     /* offset of its end */
    uint32_t cmdline;     /* offset of its command line, 0 if none */
    uint32_t pad;
};

/* dom0's view of the firmware console, reached via start_info.console.dom0. */
typedef struct dom0_vga_console_info {
    uint8_t video_type;
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;       /* low 32 bits; see ext_lfb_base */
            uint32_t lfb_size;       /* in 64 KiB units */
            uint8_t red_pos, red_size;
            uint8_t green_pos, green_size;
            uint8_t blue_pos, blue_size;
            uint8_t rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;   /* high 32 bits of the frame buffer */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;

/* Toolstack handle of a domain: its UUID, as raw bytes. */
typedef uint8_t xen_domain_handle_t[16];

__DEFINE_XEN_GUEST_HANDLE(uint8, uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/*
 * The toolstack interfaces (domctl, sysctl) keep 64-bit fields and
 * handles 8-byte aligned whatever the caller's ABI; on x86-64 that is
 * the natural alignment already.
 */
typedef uint64_t uint64_aligned_t __attribute__((__aligned__(8)));
typedef int64_t int64_aligned_t __attribute__((__aligned__(8)));
#define XEN_GUEST_HANDLE_64(name) XEN_GUEST_HANDLE(name)

/* A bitmap in the caller's memory (CPUs, NUMA nodes): bit i of byte
 * i / 8; nr_bits says how many the buffer holds. */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;
    uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;

#endif /* !__ASSEMBLY__ */

#endif /* SUBFLOOR_PUBLIC_XEN_H */
