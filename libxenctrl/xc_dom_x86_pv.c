/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The memory of a 64-bit PV guest at boot, as Xen 4.17's libxenguest
 * lays it out: from VIRT_BASE, pfn N at VIRT_BASE + N pages; the kernel
 * where its notes put it, then (each page-aligned) the ramdisk, the p2m
 * list, start_info, the xenstore ring, the console ring, the initial
 * page tables and a one-page boot stack.  The initial mapping covers all
 * of it plus at least 512 KiB more (Linux maps its early allocations
 * there), rounded up to 4 MiB.  Page-table pages are mapped read-only
 * (the hypervisor refuses to pin tables that are writable), everything
 * else read-write; all entries carry the user bit, as the PV kernel runs
 * in ring 3.
 */
#include <stdio.h>
#include <string.h>

#include "xc_dom_private.h"

#define PTE_PRESENT  0x001ULL
#define PTE_RW       0x002ULL
#define PTE_USER     0x004ULL
#define PTE_ACCESSED 0x020ULL
#define PTE_DIRTY    0x040ULL
#define L1_PROT (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)
#define UPPER_PROT (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)

#define PAD_BYTES (512UL << 10)
#define MAP_ALIGN (4UL << 20)

uint64_t xc__dom_pfn_to_virt(struct xc_dom_image *dom, xen_pfn_t pfn)
{
    return dom->parms.virt_base + ((uint64_t)pfn << XC_DOM_PAGE_SHIFT);
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Place size bytes at the allocation point. */
static int alloc_seg(struct xc_dom_image *dom, struct xc_dom_seg *seg,
                     const char *what, uint64_t size)
{
    uint64_t room = (uint64_t)dom->total_pages << XC_DOM_PAGE_SHIFT;
    if (size > room)
        return xc__dom_err(dom, "guest memory too small: the %s needs %llu bytes, "
                           "the guest has %llu", what, (unsigned long long)size,
                           (unsigned long long)room);
    uint64_t pages = round_up(size, XC_DOM_PAGE_SIZE) >> XC_DOM_PAGE_SHIFT;
    seg->vstart = dom->virt_alloc_end;
    seg->pfn = (seg->vstart - dom->parms.virt_base) >> XC_DOM_PAGE_SHIFT;
    seg->pages = pages;
    seg->vend = seg->vstart + (pages << XC_DOM_PAGE_SHIFT);
    if (seg->vend < seg->vstart)
        return xc__dom_err(dom, "the %s at %#llx runs past the top of the address "
                           "space (VIRT_BASE %#llx)", what,
                           (unsigned long long)seg->vstart,
                           (unsigned long long)dom->parms.virt_base);
    if (seg->pfn > dom->total_pages || pages > dom->total_pages - seg->pfn)
        return xc__dom_err(dom, "guest memory too small: the %s (%llu pages at pfn "
                           "%#llx) lies beyond the guest's %llu pages", what,
                           (unsigned long long)pages, (unsigned long long)seg->pfn,
                           (unsigned long long)dom->total_pages);
    dom->virt_alloc_end = seg->vend;
    return 0;
}

static xen_pfn_t alloc_page(struct xc_dom_image *dom, const char *what, int *err)
{
    struct xc_dom_seg seg;

    if (alloc_seg(dom, &seg, what, XC_DOM_PAGE_SIZE) < 0)
        *err = -1;
    return seg.pfn;
}

/* Tables needed to map [from, to) with 4 KiB pages: one L4, then one
 * table per distinct L4, L3 and L2 slot touched. */
static unsigned count_tables(uint64_t from, uint64_t to)
{
    unsigned n = 1;

    for (int shift = 39; shift >= 21; shift -= 9) {
        uint64_t first = from >> shift, last = (to - 1) >> shift;
        n += (unsigned)(last - first + 1);
    }
    return n;
}

int xc__dom_x86_pv_layout(struct xc_dom_image *dom)
{
    struct xc_dom_parms *p = &dom->parms;
    int err = 0;

    if (!dom->total_pages)
        return xc__dom_err(dom, "layout: xc_dom_mem_init first");
    if (p->virt_base & (XC_DOM_PAGE_SIZE - 1) || p->virt_kstart & (XC_DOM_PAGE_SIZE - 1))
        return xc__dom_err(dom, "kernel: VIRT_BASE %#llx or image start %#llx is not "
                           "page-aligned", (unsigned long long)p->virt_base,
                           (unsigned long long)p->virt_kstart);
    dom->virt_alloc_end = p->virt_kstart;
    if (alloc_seg(dom, &dom->kernel_seg, "kernel", p->virt_kend - p->virt_kstart) < 0)
        return -1;
    memset(&dom->ramdisk_seg, 0, sizeof(dom->ramdisk_seg));
    if (dom->ramdisk_blob &&
        alloc_seg(dom, &dom->ramdisk_seg, "ramdisk", dom->ramdisk_size) < 0)
        return -1;
    if (alloc_seg(dom, &dom->p2m_seg, "p2m list",
                  (uint64_t)dom->total_pages * sizeof(uint64_t)) < 0)
        return -1;
    dom->start_info_pfn = alloc_page(dom, "start_info page", &err);
    dom->xenstore_pfn = alloc_page(dom, "xenstore page", &err);
    dom->console_pfn = alloc_page(dom, "console page", &err);
    if (err)
        return -1;

    /* The tables map themselves, the boot stack and the padding: grow
     * the guess until the count covers the end it implies. */
    unsigned tables = 0;
    uint64_t end;
    for (;;) {
        uint64_t extra = ((uint64_t)tables + 1) * XC_DOM_PAGE_SIZE + PAD_BYTES;
        end = round_up(dom->virt_alloc_end + extra, MAP_ALIGN);
        if (end <= dom->virt_alloc_end)
            return xc__dom_err(dom, "the initial mapping runs past the top of the "
                               "address space (VIRT_BASE %#llx)",
                               (unsigned long long)p->virt_base);
        unsigned need = count_tables(p->virt_base, end);
        if (need <= tables)
            break;
        tables = need;
    }
    if (alloc_seg(dom, &dom->pgtables_seg, "page tables",
                  (uint64_t)tables << XC_DOM_PAGE_SHIFT) < 0)
        return -1;
    dom->nr_pt_frames = tables;
    dom->virt_pgtab_end = end;
    dom->bootstack_pfn = alloc_page(dom, "boot stack", &err);
    if (err)
        return -1;
    if (dom->virt_pgtab_end - p->virt_base > (uint64_t)dom->total_pages << XC_DOM_PAGE_SHIFT)
        return xc__dom_err(dom, "guest memory too small: the initial mapping needs "
                           "%llu KiB, the guest has %llu KiB",
                           (unsigned long long)((dom->virt_pgtab_end - p->virt_base) >> 10),
                           (unsigned long long)(dom->total_pages << 2));
    xc__dom_debug(dom, "layout: kernel pfn %#llx+%llu, p2m %#llx, start_info %#llx, "
                  "tables %#llx+%u, stack %#llx, mapped to %#llx",
                  (unsigned long long)dom->kernel_seg.pfn,
                  (unsigned long long)dom->kernel_seg.pages,
                  (unsigned long long)dom->p2m_seg.pfn,
                  (unsigned long long)dom->start_info_pfn,
                  (unsigned long long)dom->pgtables_seg.pfn, tables,
                  (unsigned long long)dom->bootstack_pfn,
                  (unsigned long long)dom->virt_pgtab_end);
    return 0;
}

/* Build the tables in the pgtables segment; tables are taken in the
 * order the walk first needs them ([L4][L3][L2][L1][L1]...). */
static int write_pgtables(struct xc_dom_image *dom)
{
    struct xc_dom_parms *p = &dom->parms;
    xen_pfn_t next = dom->pgtables_seg.pfn, last = next + dom->nr_pt_frames;
    xen_pfn_t table[4];             /* pfn of the current L4, L3, L2, L1 */

    table[0] = next++;
    table[1] = table[2] = table[3] = (xen_pfn_t)-1;
    for (uint64_t va = p->virt_base; va < dom->virt_pgtab_end; va += XC_DOM_PAGE_SIZE) {
        xen_pfn_t pfn = (va - p->virt_base) >> XC_DOM_PAGE_SHIFT;
        for (int level = 0; level < 3; level++) {
            int shift = 39 - 9 * level;
            uint64_t *t = xc_dom_pfn_to_ptr(dom, table[level], 1);
            uint64_t *e = &t[(va >> shift) & 511];
            if (!(*e & PTE_PRESENT)) {
                if (next >= last)
                    return xc__dom_err(dom, "page tables: more than the %u counted",
                                       dom->nr_pt_frames);
                table[level + 1] = next++;
                *e = ((uint64_t)xc_dom_p2m(dom, table[level + 1]) << XC_DOM_PAGE_SHIFT) |
                     UPPER_PROT;
            }
        }
        uint64_t *l1 = xc_dom_pfn_to_ptr(dom, table[3], 1);
        uint64_t pte = ((uint64_t)xc_dom_p2m(dom, pfn) << XC_DOM_PAGE_SHIFT) | L1_PROT;
        if (pfn >= dom->pgtables_seg.pfn && pfn < dom->pgtables_seg.pfn + dom->nr_pt_frames)
            pte &= ~PTE_RW;
        l1[(va >> 12) & 511] = pte;
    }
    /* Tables counted but not needed stay zero and mapped read-only. */
    return 0;
}

static void write_start_info(struct xc_dom_image *dom)
{
    start_info_t *si = xc_dom_pfn_to_ptr(dom, dom->start_info_pfn, 1);

    memset(si, 0, sizeof(*si));
    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = dom->total_pages;
    si->shared_info = dom->shared_info_mfn == INVALID_MFN ? 0
                      : (uint64_t)dom->shared_info_mfn << XC_DOM_PAGE_SHIFT;
    si->flags = dom->flags;
    si->store_mfn = xc_dom_p2m(dom, dom->xenstore_pfn);
    si->store_evtchn = dom->xenstore_evtchn;
    si->console.domU.mfn = xc_dom_p2m(dom, dom->console_pfn);
    si->console.domU.evtchn = dom->console_evtchn;
    si->pt_base = dom->pgtables_seg.vstart;
    si->nr_pt_frames = dom->nr_pt_frames;
    si->mfn_list = dom->p2m_seg.vstart;
    if (dom->ramdisk_blob) {
        si->mod_start = dom->ramdisk_seg.vstart;
        si->mod_len = dom->ramdisk_size;
    }
    if (dom->cmdline) {
        size_t n = strnlen(dom->cmdline, sizeof(si->cmd_line) - 1);
        memcpy(si->cmd_line, dom->cmdline, n);
        si->cmd_line[n] = '\0';
    }
}

int xc__dom_x86_pv_write(struct xc_dom_image *dom)
{
    uint64_t *p2m = xc_dom_pfn_to_ptr(dom, dom->p2m_seg.pfn, dom->p2m_seg.pages);

    for (xen_pfn_t pfn = 0; pfn < dom->total_pages; pfn++)
        p2m[pfn] = dom->p2m_host[pfn];
    if (write_pgtables(dom) < 0)
        return -1;
    write_start_info(dom);
    return 0;
}

void xc__dom_x86_pv_vcpu(struct xc_dom_image *dom, vcpu_guest_context_t *ctxt)
{
    uint64_t stack_top = xc__dom_pfn_to_virt(dom, dom->bootstack_pfn + 1);

    memset(ctxt, 0, sizeof(*ctxt));
    ctxt->flags = VGCF_in_kernel | VGCF_online;
    ctxt->user_regs.rip = dom->parms.virt_entry;
    ctxt->user_regs.rsp = stack_top;
    ctxt->user_regs.rsi = xc__dom_pfn_to_virt(dom, dom->start_info_pfn);
    ctxt->user_regs.cs = FLAT_KERNEL_CS;
    ctxt->user_regs.ss = FLAT_KERNEL_SS;
    ctxt->user_regs.ds = FLAT_KERNEL_DS;
    ctxt->user_regs.es = FLAT_KERNEL_DS;
    ctxt->user_regs.fs = FLAT_KERNEL_DS;
    ctxt->user_regs.gs = FLAT_KERNEL_DS;
    ctxt->user_regs.rflags = 1 << 9;        /* IF: events come as upcalls */
    ctxt->kernel_ss = FLAT_KERNEL_SS;
    ctxt->kernel_sp = stack_top;
    ctxt->ctrlreg[3] = (uint64_t)xc_dom_p2m(dom, dom->pgtables_seg.pfn) << XC_DOM_PAGE_SHIFT;
}
