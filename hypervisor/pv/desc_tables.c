/*
 * set_gdt, update_descriptor, the per-CPU GDT area and the shadow LDT;
 * see pv_desc.h.  The descriptor rules themselves are pv/desc_check.c.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pte.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "lib/panic.h"
#include "mm/frame_table.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "pv/pv_desc.h"
#include "pv/pv_traps.h"

#define DESC_P        (1ull << 47)
#define SYS_TYPE_LDT  0x2

#define AREA_PAGES    32u               /* GDT (16) and LDT (16) */
#define GDT_LIMIT     ((GDT_RESERVED_FIRST_ENTRY + 16) * 8 - 1)
#define AREA_PTE      (PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY)

_Static_assert(PV_DESC_AREA_VIRT >= IOREMAP_VIRT_START + IOREMAP_VIRT_SIZE,
               "descriptor area overlaps the ioremap window");
_Static_assert(GDT_RESERVED_FIRST_ENTRY == PV_GDT_GUEST_PAGES * 512,
               "the reserved entries start on page 14");

_Static_assert(AREA_PAGES * PAGE_SIZE == PV_DESC_AREA_STRIDE, "one stride per CPU");
_Static_assert(NR_CPUS * AREA_PAGES <= 512, "every CPU's area under one L1");

/* One L1 maps every CPU's area; each CPU changes only its own slots, so
 * its own invlpg is all the flushing a change needs. */
static uint64_t *area_l1;
static uint64_t zero_frame;             /* unused GDT pages read as null */
static bool area_ready[NR_CPUS];

static uintptr_t area_virt(void)
{
    return PV_DESC_AREA_VIRT + smp_processor_id() * PV_DESC_AREA_STRIDE;
}

static uintptr_t ldt_virt(void)
{
    return area_virt() + PV_LDT_OFFSET;
}

static uint64_t *area_slot(unsigned int page)
{
    return &area_l1[smp_processor_id() * AREA_PAGES + page];
}

static uint64_t *table_below(uint64_t *entry)
{
    if (!(*entry & PTE_PRESENT)) {
        uint64_t phys = alloc_frames(0);
        if (!phys)
            panic("out of memory for the descriptor-table area");
        memset(phys_to_virt(phys), 0, PAGE_SIZE);
        *entry = phys | PTE_PRESENT | PTE_WRITE;
    }
    BUG_ON(*entry & PTE_PSE);
    return phys_to_virt(*entry & PTE_ADDR_MASK);
}

static void area_map(unsigned int page, uint64_t mfn)
{
    *area_slot(page) = mfn ? (mfn << PAGE_SHIFT) | AREA_PTE | paging_nx_mask() : 0;
    __asm__ volatile("invlpg (%0)" : : "r"(area_virt() + page * PAGE_SIZE) : "memory");
}

void pv_desc_cpu_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr;

    if (area_ready[smp_processor_id()])
        return;
    if (!area_l1) {
        /* The hypervisor's L3s are shared by every guest L4 (slots
         * 257-271), so tables added under them are seen from every
         * address space. */
        uint64_t *l4 = (uint64_t *)paging_hypervisor_l4();
        uint64_t *l3 = table_below(&l4[(PV_DESC_AREA_VIRT >> 39) & 511]);
        uint64_t *l2 = table_below(&l3[(PV_DESC_AREA_VIRT >> 30) & 511]);
        area_l1 = table_below(&l2[(PV_DESC_AREA_VIRT >> 21) & 511]);
        zero_frame = alloc_frames(0) >> PAGE_SHIFT;
        if (!zero_frame)
            panic("out of memory for the descriptor-table area");
        memset(phys_to_virt(zero_frame << PAGE_SHIFT), 0, PAGE_SIZE);
    }
    uint64_t reserved = alloc_frames(0);
    if (!reserved)
        panic("out of memory for the descriptor-table area");
    memset(phys_to_virt(reserved), 0, PAGE_SIZE);

    /* The reserved entries move to the area as they are (TSS busy bit
     * included: TR stays loaded). */
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    memcpy(phys_to_virt(reserved), (const char *)gdtr.base + GDT_RESERVED_FIRST_SEL,
           gdtr.limit + 1 - GDT_RESERVED_FIRST_SEL);
    for (unsigned int p = 0; p < PV_GDT_GUEST_PAGES; p++)
        area_map(p, zero_frame);
    area_map(PV_GDT_GUEST_PAGES, reserved >> PAGE_SHIFT);

    gdtr.base = area_virt();
    gdtr.limit = GDT_LIMIT;
    __asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
    area_ready[smp_processor_id()] = true;
}

static uint64_t *reserved_entry(unsigned int selector)
{
    return (uint64_t *)(area_virt() + selector);
}

static void release_gdt(struct vcpu *v)
{
    for (unsigned int i = 0; i < PV_GDT_GUEST_PAGES; i++) {
        if (v->gdt_frames[i])
            put_page_and_type(v->gdt_frames[i]);
        v->gdt_frames[i] = 0;
    }
    v->gdt_ents = 0;
}

static void show_gdt(const struct vcpu *v)
{
    for (unsigned int i = 0; i < PV_GDT_GUEST_PAGES; i++)
        area_map(i, v->gdt_frames[i] ? v->gdt_frames[i] : zero_frame);
}

void pv_desc_vcpu_release(struct vcpu *v)
{
    release_gdt(v);
}

void pv_desc_cpu_clear(void)
{
    if (!area_ready[smp_processor_id()])
        return;
    __asm__ volatile("lldt %w0" : : "r"(0) : "memory");
    for (unsigned int i = 0; i < PV_GDT_GUEST_PAGES; i++)
        area_map(i, zero_frame);
    for (unsigned int i = 0; i < PV_LDT_MAX_PAGES; i++)
        if (*area_slot(16 + i))
            area_map(16 + i, 0);
}

long do_set_gdt(guest_ptr_t frame_list, uint64_t entries)
{
    uint64_t frames[PV_GDT_GUEST_PAGES];

    if (entries > GDT_RESERVED_FIRST_ENTRY)
        return -XEN_EINVAL;
    unsigned int nr = (unsigned int)((entries + 511) / 512);
    if (nr && copy_from_guest(frames, frame_list, nr * sizeof(frames[0])))
        return -XEN_EFAULT;
    return pv_set_gdt(current_vcpu(), frames, (unsigned int)entries);
}

long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries)
{
    if (entries > GDT_RESERVED_FIRST_ENTRY)
        return -XEN_EINVAL;
    unsigned int nr = (entries + 511) / 512;
    for (unsigned int i = 0; i < nr; i++) {
        if (get_page_and_type(&v->domain->mm, frames[i], PGT_seg_desc_page)) {
            while (i--)
                put_page_and_type(frames[i]);
            return -XEN_EINVAL;
        }
    }
    /* The old frames lose their descriptor type: Linux makes its boot
     * GDT writable again once the per-CPU one is loaded. */
    release_gdt(v);
    for (unsigned int i = 0; i < nr; i++)
        v->gdt_frames[i] = frames[i];
    v->gdt_ents = entries;
    if (v == current_vcpu())
        show_gdt(v);
    return 0;
}

long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
    struct pv_mm_domain *d = &current_vcpu()->domain->mm;
    uint64_t mfn = maddr >> PAGE_SHIFT;

    if ((maddr & 7) || !pv_check_descriptor(&desc))
        return -XEN_EINVAL;
    if (!get_page(d, mfn))
        return -XEN_EINVAL;
    /* A descriptor page in use stays one; any other page must be one the
     * guest could write itself (never a page table). */
    uint64_t type = page_type_in_use(mfn) == PGT_seg_desc_page ? PGT_seg_desc_page
                                                                : PGT_writable_page;
    if (get_page_type(d, mfn, type)) {
        put_page(mfn);
        return -XEN_EINVAL;
    }
    uint64_t *slot = (uint64_t *)((char *)phys_to_virt(mfn << PAGE_SHIFT) +
                                  (maddr & (PAGE_SIZE - 1)));
    *slot = desc;
    put_page_type(mfn);
    put_page(mfn);
    return 0;
}

void pv_ldt_shadow_sync(struct vcpu *v)
{
    if (!area_ready[smp_processor_id()])
        return;
    for (unsigned int i = 0; i < PV_LDT_MAX_PAGES; i++)
        if (!v->mm.ldt_frames[i] && *area_slot(16 + i))
            area_map(16 + i, 0);
}

void pv_desc_switch_to(struct vcpu *v)
{
    pv_desc_cpu_init();
    show_gdt(v);
    /* The previous vCPU's LDT pages go; v's are mapped again on first
     * touch. */
    for (unsigned int i = 0; i < PV_LDT_MAX_PAGES; i++)
        if (*area_slot(16 + i))
            area_map(16 + i, 0);
    pv_ldt_load(v);
}

void pv_ldt_load(struct vcpu *v)
{
    pv_ldt_shadow_sync(v);
    if (v != current_vcpu())
        return;
    if (!v->mm.ldt_ents) {
        __asm__ volatile("lldt %w0" : : "r"(0) : "memory");
        return;
    }
    uint64_t base = ldt_virt();
    uint64_t limit = (uint64_t)v->mm.ldt_ents * 8 - 1;
    uint64_t *e = reserved_entry(PV_LDT_SELECTOR);
    e[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)SYS_TYPE_LDT << 40) |
           DESC_P | ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    e[1] = base >> 32;
    __asm__ volatile("lldt %w0" : : "r"(PV_LDT_SELECTOR) : "memory");
}

static bool ldt_map(struct vcpu *v, uint32_t offset)
{
    uint64_t pte;

    if (!pv_ldt_map_page(&v->mm, offset, &pte))
        return false;
    area_map(16 + (offset >> PAGE_SHIFT), (pte & PTE_ADDR_MASK) >> PAGE_SHIFT);
    return true;
}

bool pv_ldt_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
    if (cr2 < ldt_virt() || cr2 >= ldt_virt() + PV_LDT_MAX_PAGES * PAGE_SIZE)
        return false;
    uint32_t offset = (uint32_t)(cr2 - ldt_virt());

    if (ldt_map(v, offset))
        return true;
    /* As Xen: the page fault the guest's own LDT gives at that address
     * (the CPU's error code: a read of a descriptor), or #GP for the
     * selector, with the LDT bit, when the address is past the lower
     * half. */
    uint64_t linear = v->mm.ldt_base + offset;
    if (va_canonical(linear))
        pv_inject_page_fault(v, regs, linear, (uint32_t)regs->error_code);
    else
        pv_inject_trap(v, regs, 13, (offset & ~3u) | 4);
    return true;
}

bool pv_ldt_premap(struct vcpu *v, uint16_t sel)
{
    uint32_t offset = sel & ~7u;

    if (!(sel & 4) || offset >= v->mm.ldt_ents * 8u || *area_slot(16 + (offset >> PAGE_SHIFT)))
        return true;
    return ldt_map(v, offset);
}
