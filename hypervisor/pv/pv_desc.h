/*
 * The guest's descriptor tables (set_gdt, update_descriptor, MMUEXT_SET_LDT).
 *
 * The CPU's GDT lives in a per-CPU area in the hypervisor hole: pages
 * 0-13 (entries 0 to FIRST_RESERVED_GDT_ENTRY - 1) map the running vCPU's
 * GDT frames, page 14 holds the hypervisor's reserved entries (selectors
 * 0xe000 and up, Xen's), and the LDT is mapped 64 KiB further, one page
 * at a time as the CPU first touches it (the page fault finds the guest
 * page through the guest's tables).  The hypervisor's mappings of
 * descriptor frames are writable so the CPU can set accessed bits; the
 * guest can only map them read-only (PGT_seg_desc_page).
 */
#ifndef SUBFLOOR_PV_DESC_H
#define SUBFLOOR_PV_DESC_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"

struct vcpu;
struct pv_mm_domain;

/* CPU c's area starts PV_DESC_AREA_STRIDE * c after PV_DESC_AREA_VIRT;
 * the LDT is PV_LDT_OFFSET into it. */
#define PV_DESC_AREA_VIRT   0xffff82d0c0000000ul   /* after the ioremap window */
#define PV_DESC_AREA_STRIDE 0x20000ul              /* 32 pages per CPU */
#define PV_GDT_GUEST_PAGES  14u
#define PV_LDT_OFFSET       0x10000ul
#define PV_LDT_SELECTOR     0xe050                 /* after the TSS */

/* Build this CPU's area and load the GDT from it (once per CPU, before
 * it runs a guest). */
void pv_desc_cpu_init(void);

/* set_gdt for v (the current vCPU or one not running): frames[] holds
 * (entries + 511) / 512 frame numbers.  0 or -XEN_EINVAL. */
long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries);

/* v is about to run on this CPU: show its GDT frames and LDT in this
 * CPU's area and load LDTR. */
void pv_desc_switch_to(struct vcpu *v);

/* pv_mm_ops.check_desc_page: every descriptor of a page about to
 * become a GDT/LDT page; DPLs below 3 are raised to 3 in place. */
int pv_check_desc_page(const struct pv_mm_domain *d, void *page);

/* One descriptor: true when a guest may have it (*desc possibly fixed
 * up), false for system descriptors other than the harmless type 0. */
bool pv_check_descriptor(uint64_t *desc);

/* Teardown: v's GDT frames lose their descriptor-page references. */
void pv_desc_vcpu_release(struct vcpu *v);
/* This CPU leaves guest context for good: its GDT area shows no guest
 * frame and its shadow LDT nothing (LDTR null). */
void pv_desc_cpu_clear(void);

/* MMUEXT_SET_LDT took effect: reload LDTR for v's new LDT. */
void pv_ldt_load(struct vcpu *v);
/* Unmap the shadow LDT pages whose references were dropped. */
void pv_ldt_shadow_sync(struct vcpu *v);

/* A page fault at cr2 (the guest's, or its return's: arch/x86/traps.c):
 * if it lies in the shadow LDT, map the guest page, or give the guest the
 * page fault at the LDT's own address (#GP for the selector past the lower
 * half), as Xen does; true.  false: not the shadow LDT. */
bool pv_ldt_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);

/* Before the hypervisor loads sel into a segment register itself: an
 * LDT selector's page mapped in the shadow LDT, so that the load reads
 * the guest's descriptor rather than faulting on the lazy mapping.  false
 * when the guest's tables do not map it (the load will fault). */
bool pv_ldt_premap(struct vcpu *v, uint16_t sel);

#endif
