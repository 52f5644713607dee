/*
 * The hypervisor's virtual address layout, inside the hole that 64-bit PV
 * guests leave free (docs/design.md section 1).  The addresses are Xen's, so a
 * guest sees the hypervisor where it expects it.
 *
 * Also included by the assembler and the linker script: constants only.
 */
#ifndef SUBFLOOR_LAYOUT_H
#define SUBFLOOR_LAYOUT_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

/* Read-only machine-to-physical table for guests (L4 slot 256): unused
 * by the hypervisor itself until guests exist. */
#define RO_MPT_VIRT_START      _UL(0xffff800000000000)

/* The image: virtual = IMAGE_VIRT_BASE + physical, for the first GiB of
 * physical memory.  The image itself is loaded at IMAGE_PHYS_START. */
#define IMAGE_VIRT_BASE        _UL(0xffff82d040000000)
#define IMAGE_PHYS_START       _UL(0x200000)
#define IMAGE_VIRT_START       (IMAGE_VIRT_BASE + IMAGE_PHYS_START)

/* Uncached mappings of device registers (the local APIC). */
#define IOREMAP_VIRT_START     _UL(0xffff82d080000000)
#define IOREMAP_VIRT_SIZE      _UL(0x40000000)

/* One struct page_info per machine frame: 128 GiB covers 2^32 frames. */
#define FRAMETABLE_VIRT_START  _UL(0xffff82e000000000)
#define FRAMETABLE_VIRT_SIZE   _UL(0x2000000000)

/* Every machine address range the firmware reports, at a fixed offset. */
#define DIRECTMAP_VIRT_START   _UL(0xffff830000000000)
#define DIRECTMAP_VIRT_END     _UL(0xffff880000000000)

/* What the boot page tables map before the final ones exist: the first
 * GiB of physical memory, both in the direct map and for the image. */
#define BOOT_MAPPED_LIMIT      _UL(0x40000000)

#define PAGE_SHIFT             12
#define PAGE_SIZE              (_UL(1) << PAGE_SHIFT)
#define SUPERPAGE_SHIFT        21
#define SUPERPAGE_SIZE         (_UL(1) << SUPERPAGE_SHIFT)

#define STACK_SIZE             _UL(0x8000)

#endif
