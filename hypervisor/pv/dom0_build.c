/*
 * The dom0 builder: memory, the kernel image loaded by physical address,
 * the initrd, the p2m list, start_info, shared_info and the bootstrap
 * page tables, in the layout of dom0_layout.h.
 *
 * Frame bookkeeping follows the page-type rules (page_type.h): every
 * frame dom0 owns holds one general reference for the allocation; each
 * present entry of the bootstrap tables holds a general reference on what
 * it maps and, if writable, a writable type reference; each table holds
 * its Ln type with one reference per entry pointing at it; the L4 is
 * pinned and is the vCPU's base pointer, one reference each.  The PV MMU
 * then unpins and retypes these frames like any others.
 */
#include <string.h>
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "common/domain_lifecycle.h"
#include "common/domain_time.h"
#include "common/elf.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/m2p.h"
#include "mm/xmalloc.h"
#include "mmu/page_type.h"
#include "public/features.h"
#include "pv/dom0_build.h"
#include "pv/dom0_layout.h"
#include "pv/dom0_mem.h"
#include "pv/hypercall_page.h"


/* Copy a string into a zero-filled fixed field, always NUL-terminated. */
static void set_field(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memset(dst, 0, size);
    memcpy(dst, src, n);
}

#define L1_PROT (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_ACCESSED)
#define L1_PROT_RO (PTE_PRESENT | PTE_USER | PTE_ACCESSED)
#define UPPER_PROT (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_ACCESSED | PTE_DIRTY)
#define ALLOC_ORDER_MAX 9

struct dom0_image {
    struct elf_image elf;
    struct xen_elfnotes notes;
    uint64_t paddr_offset;
    uint64_t entry;
    const void *initrd;
    uint64_t initrd_len;
    const char *cmdline;
};

struct builder {
    struct domain *d;
    struct dom0_layout layout;
    uint64_t nr_pages;
    uint64_t *p2m;              /* hypervisor copy while building */
};

static void *pfn_ptr(const struct builder *b, uint64_t pfn)
{
    return phys_to_virt(b->p2m[pfn] << PAGE_SHIFT);
}

static struct page_info *pfn_page(const struct builder *b, uint64_t pfn)
{
    return &frame_table[b->p2m[pfn]];
}

/* Copy len bytes (or zeros, src NULL) to guest-physical address gpa. */
static void write_guest_phys(const struct builder *b, uint64_t gpa, const void *src,
                             uint64_t len)
{
    while (len) {
        uint64_t off = gpa & (PAGE_SIZE - 1);
        uint64_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        char *dst = (char *)pfn_ptr(b, gpa >> PAGE_SHIFT) + off;

        if (src) {
            memcpy(dst, src, n);
            src = (const char *)src + n;
        } else {
            memset(dst, 0, n);
        }
        gpa += n;
        len -= n;
    }
}

static int open_image(const struct boot_info *bi, struct dom0_image *img)
{
    const struct boot_module *m = &bi->modules[0];
    const char *why;

    memset(img, 0, sizeof(*img));
    if (bi->nr_modules == 0) {
        printk(LOG_ERR, "dom0: no kernel given (no multiboot modules): nothing to start");
        return -1;
    }
    if (!directmap_covers(m->start, m->end - m->start)) {
        printk(LOG_ERR, "dom0: module 0 '%s' is not a PV kernel: it lies outside RAM", m->name);
        return -1;
    }
    if (elf_open(&img->elf, phys_to_virt(m->start), m->end - m->start, &why) ||
        elf_xen_notes(&img->elf, &img->notes, &why)) {
        printk(LOG_ERR, "dom0: module 0 '%s' is not a PV kernel: %s", m->name, why);
        return -1;
    }
    const struct xen_elfnotes *n = &img->notes;
    if (!xen_elfnotes_has(n, XEN_ELFNOTE_VIRT_BASE)) {
        printk(LOG_ERR, "dom0: module 0 '%s' has no XEN_ELFNOTE_VIRT_BASE note", m->name);
        return -1;
    }
    /* As Xen: a kernel whose SUPPORTED_FEATURES note leaves out
     * XENFEAT_dom0 is not built; one without the note is. */
    if (xen_elfnotes_has(n, XEN_ELFNOTE_SUPPORTED_FEATURES) &&
        !(n->supported_features & (1u << XENFEAT_dom0))) {
        printk(LOG_ERR, "dom0: module 0 '%s' does not support dom0 operation "
               "(XENFEAT_dom0 missing from XEN_ELFNOTE_SUPPORTED_FEATURES)", m->name);
        return -1;
    }
    img->paddr_offset = xen_elfnotes_has(n, XEN_ELFNOTE_PADDR_OFFSET) ? n->paddr_offset : 0;
    if (img->elf.paddr_start < img->paddr_offset) {
        printk(LOG_ERR, "dom0: kernel segments start below PADDR_OFFSET %#lx", img->paddr_offset);
        return -1;
    }
    img->entry = xen_elfnotes_has(n, XEN_ELFNOTE_ENTRY) ? n->entry : img->elf.entry;
    img->cmdline = m->cmdline;
    if (bi->nr_modules > 1) {
        const struct boot_module *rd = &bi->modules[1];
        if (!directmap_covers(rd->start, rd->end - rd->start)) {
            printk(LOG_ERR, "dom0: module 1 '%s' (initrd) lies outside RAM", rd->name);
            return -1;
        }
        img->initrd = phys_to_virt(rd->start);
        img->initrd_len = rd->end - rd->start;
    }
    return 0;
}

/*
 * dom0's frames.  Only the initial area is zeroed (page tables, start_info,
 * the p2m's tail, the stack and padding must read as zero); the rest is
 * handed over as it is, as Xen builds dom0 without scrubbing: dom0 may map
 * any machine frame anyway, so there is nothing to hide from it, and
 * zeroing all of dom0's memory was most of the boot time under TCG.
 * Domains other than dom0 will need their memory scrubbed.
 */
static int allocate_memory(struct builder *b)
{
    uint64_t zero_below = dom0_layout_pfn(&b->layout, b->layout.end);

    b->p2m = xmalloc(b->nr_pages * sizeof(uint64_t));
    if (!b->p2m)
        return -1;
    uint64_t pfn = 0;
    unsigned int order = ALLOC_ORDER_MAX;
    while (pfn < b->nr_pages) {
        while ((1ull << order) > b->nr_pages - pfn)
            order--;
        uint64_t phys = alloc_frames(order);
        if (!phys) {
            if (order == 0)
                return -1;      /* frames stay with dom0; it will not run */
            order--;
            continue;
        }
        for (uint64_t i = 0; i < (1ull << order); i++, pfn++) {
            uint64_t mfn = (phys >> PAGE_SHIFT) + i;
            struct page_info *pg = &frame_table[mfn];

            pg->owner = b->d->domid;
            pg->count_info = PGC_allocated | 1;
            pg->type_info = 0;
            b->p2m[pfn] = mfn;
            m2p_set(mfn, pfn);
            if (pfn < zero_below)
                memset(phys_to_virt(mfn << PAGE_SHIFT), 0, PAGE_SIZE);
        }
    }
    b->d->tot_pages = b->d->max_pages = b->nr_pages;
    return 0;
}

static int load_segment(void *ctx, uint64_t paddr, const void *src, uint64_t filesz,
                        uint64_t memsz)
{
    const struct builder *b = ctx;
    uint64_t gpa = paddr;   /* already relative to PADDR_OFFSET, see caller */

    write_guest_phys(b, gpa, src, filesz);
    write_guest_phys(b, gpa + filesz, NULL, memsz - filesz);
    return 0;
}

struct offset_loader {
    struct builder *b;
    uint64_t paddr_offset;
};

static int load_segment_offset(void *ctx, uint64_t paddr, const void *src,
                               uint64_t filesz, uint64_t memsz)
{
    struct offset_loader *ol = ctx;

    return load_segment(ol->b, paddr - ol->paddr_offset, src, filesz, memsz);
}

/* Reference bookkeeping for one present entry (see the file comment). */
static void take_entry_refs(uint64_t mfn, uint64_t type, bool writable)
{
    struct page_info *pg = &frame_table[mfn];

    pg->count_info++;
    if (type != PGT_none) {
        pg->type_info = type | PGT_validated | ((pg->type_info & PGT_COUNT_MASK) + 1);
    } else if (writable) {
        pg->type_info = PGT_writable_page | PGT_validated |
                        ((pg->type_info & PGT_COUNT_MASK) + 1);
    }
}

static uint64_t pt_type_of_level(unsigned int level)
{
    return (uint64_t)level << PGT_TYPE_SHIFT;
}

static void build_page_tables(struct builder *b)
{
    const struct dom0_layout *l = &b->layout;
    uint64_t pt_pfn = dom0_layout_pfn(l, l->pt_start);
    uint64_t l4_pfn = pt_pfn;
    uint64_t l3_first = l4_pfn + 1, l2_first = l3_first + l->nr_l3;
    uint64_t l1_first = l2_first + l->nr_l2;
    uint64_t area_pfns = dom0_layout_pfn(l, l->end);
    uint64_t *l4 = pfn_ptr(b, l4_pfn);

    /* The hypervisor hole: the read-only M2P, then the hypervisor's own
     * supervisor-only mappings. */
    const uint64_t *hv_l4 = paging_hypervisor_l4();
    for (unsigned int s = 257; s <= 271; s++)
        l4[s] = hv_l4[s];
    l4[256] = m2p_guest_l4_entry();

    for (uint64_t pfn = 0; pfn < area_pfns; pfn++) {
        uint64_t va = l->virt_base + pfn * PAGE_SIZE;
        uint64_t l3i = (va >> 39) - (l->virt_base >> 39);
        uint64_t l2i = (va >> 30) - (l->virt_base >> 30);
        uint64_t l1i = (va >> 21) - (l->virt_base >> 21);
        uint64_t *l4e = &l4[(va >> 39) & 511];
        uint64_t *l3 = pfn_ptr(b, l3_first + l3i);
        uint64_t *l2 = pfn_ptr(b, l2_first + l2i);
        uint64_t *l1 = pfn_ptr(b, l1_first + l1i);

        if (!(*l4e & PTE_PRESENT)) {
            *l4e = (b->p2m[l3_first + l3i] << PAGE_SHIFT) | UPPER_PROT;
            take_entry_refs(b->p2m[l3_first + l3i], pt_type_of_level(3), false);
        }
        uint64_t *l3e = &l3[(va >> 30) & 511];
        if (!(*l3e & PTE_PRESENT)) {
            *l3e = (b->p2m[l2_first + l2i] << PAGE_SHIFT) | UPPER_PROT;
            take_entry_refs(b->p2m[l2_first + l2i], pt_type_of_level(2), false);
        }
        uint64_t *l2e = &l2[(va >> 21) & 511];
        if (!(*l2e & PTE_PRESENT)) {
            *l2e = (b->p2m[l1_first + l1i] << PAGE_SHIFT) | UPPER_PROT;
            take_entry_refs(b->p2m[l1_first + l1i], pt_type_of_level(1), false);
        }
        bool is_table = pfn >= pt_pfn && pfn < pt_pfn + l->nr_pt_frames;
        l1[(va >> 12) & 511] = (b->p2m[pfn] << PAGE_SHIFT) | (is_table ? L1_PROT_RO : L1_PROT);
        take_entry_refs(b->p2m[pfn], PGT_none, !is_table);
    }

    /* The L4: pinned (one reference) and the base pointer (another). */
    struct page_info *l4pg = pfn_page(b, l4_pfn);
    l4pg->count_info += 2;
    l4pg->type_info = PGT_l4_page_table | PGT_validated | PGT_pinned | 2;
}

static void fill_start_info(struct builder *b, const struct dom0_image *img)
{
    const struct dom0_layout *l = &b->layout;
    struct start_info *si = pfn_ptr(b, dom0_layout_pfn(l, l->start_info));

    set_field(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = b->nr_pages;
    si->shared_info = b->d->shared_info_mfn << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = l->pt_start;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m_start;
    if (img->initrd_len) {
        si->mod_start = l->initrd_start;
        si->mod_len = img->initrd_len;
    }
    set_field((char *)si->cmd_line, sizeof(si->cmd_line), img->cmdline);
}

static void set_entry_state(struct builder *b, const struct dom0_image *img)
{
    const struct dom0_layout *l = &b->layout;
    struct vcpu *v = b->d->vcpus[0];
    struct cpu_regs *r = &v->saved_regs;

    memset(r, 0, sizeof(*r));
    r->rip = img->entry;
    r->rsp = l->stack_start + PAGE_SIZE;
    r->rsi = l->start_info;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rflags = 0x202;          /* IF, and the always-one bit */
    v->kernel_mode = true;
    v->mm.guest_table = b->p2m[dom0_layout_pfn(l, l->pt_start)];
}

static int place(struct builder *b, struct dom0_image *img)
{
    const char *why;
    uint64_t kstart = img->notes.virt_base + img->elf.paddr_start - img->paddr_offset;
    uint64_t kend = img->notes.virt_base + img->elf.paddr_end - img->paddr_offset;

    if (dom0_layout_compute(&b->layout, img->notes.virt_base, kstart, kend,
                            img->initrd_len, b->nr_pages, &why)) {
        printk(LOG_ERR, "dom0: cannot lay out the initial area: %s", why);
        return -1;
    }
    const struct dom0_layout *l = &b->layout;
    if (img->entry < l->kernel_start || img->entry >= l->kernel_end) {
        printk(LOG_ERR, "dom0: entry point %#lx lies outside the kernel image %#lx-%#lx",
               img->entry, l->kernel_start, l->kernel_end);
        return -1;
    }
    if (xen_elfnotes_has(&img->notes, XEN_ELFNOTE_HYPERCALL_PAGE)) {
        uint64_t hp = img->notes.hypercall_page;
        if ((hp & (PAGE_SIZE - 1)) || hp < l->kernel_start || hp >= l->kernel_end) {
            printk(LOG_ERR, "dom0: hypercall page %#lx is not a page of the kernel image", hp);
            return -1;
        }
    }
    return 0;
}

static void log_layout(const struct builder *b, const struct dom0_image *img)
{
    const struct dom0_layout *l = &b->layout;

    printk(LOG_INFO, "dom0: %lu pages (%lu MiB); initial area %#lx-%#lx:", b->nr_pages,
           b->nr_pages >> 8, l->virt_base, l->end);
    printk(LOG_INFO, "  kernel      %#lx-%#lx, entry %#lx", l->kernel_start, l->kernel_end,
           img->entry);
    if (l->initrd_len)
        printk(LOG_INFO, "  initrd      %#lx-%#lx", l->initrd_start,
               l->initrd_start + l->initrd_len);
    printk(LOG_INFO, "  p2m list    %#lx", l->p2m_start);
    printk(LOG_INFO, "  start_info  %#lx", l->start_info);
    printk(LOG_INFO, "  page tables %#lx (%lu frames)", l->pt_start, l->nr_pt_frames);
    printk(LOG_INFO, "  boot stack  %#lx", l->stack_start);
}

static unsigned int dom0_vcpu_count(unsigned int wanted)
{
    unsigned int cpus = cpus_online();

    /* As Xen: without dom0_max_vcpus=, one vCPU per online CPU; more
     * vCPUs than CPUs share them (common/sched.c). */
    if (wanted == 0)
        return cpus;
    if (wanted > MAX_VCPUS_PER_DOMAIN) {
        printk(LOG_WARNING, "d0: dom0_max_vcpus=%u is more than the %u a domain may have: %u",
               wanted, MAX_VCPUS_PER_DOMAIN, MAX_VCPUS_PER_DOMAIN);
        return MAX_VCPUS_PER_DOMAIN;
    }
    return wanted;
}

struct domain *dom0_build(const struct boot_info *bi, const char *dom0_mem,
                          unsigned int max_vcpus)
{
    struct dom0_image img;
    struct builder b = { 0 };
    struct dom0_mem_spec spec;
    const char *why;

    if (open_image(bi, &img))
        return NULL;
    if (dom0_mem_parse(dom0_mem, &spec, &why)) {
        printk(LOG_WARNING, "dom0_mem=%s ignored: %s; using the default", dom0_mem, why);
        dom0_mem_parse(NULL, &spec, &why);
    }
    /* Leave room for the hypervisor's own structures of dom0. */
    uint64_t avail = free_frame_count();
    b.nr_pages = dom0_mem_pages(&spec, avail > 64 ? avail - 64 : 0);
    if (place(&b, &img) || m2p_init())
        return NULL;
    b.d = domain_create(0, true, dom0_vcpu_count(max_vcpus), -1, -1);
    if (!b.d)
        return NULL;
    if (allocate_memory(&b) || domain_make_shared_info(b.d)) {
        printk(LOG_ERR, "dom0: out of memory allocating %lu pages", b.nr_pages);
        return NULL;
    }
    log_layout(&b, &img);

    struct offset_loader ol = { &b, img.paddr_offset };
    if (elf_load(&img.elf, load_segment_offset, &ol)) {
        printk(LOG_ERR, "dom0: loading the kernel's segments failed");
        return NULL;
    }
    const struct dom0_layout *l = &b.layout;
    if (img.initrd_len)
        write_guest_phys(&b, l->initrd_start - l->virt_base, img.initrd, img.initrd_len);
    write_guest_phys(&b, l->p2m_start - l->virt_base, b.p2m, b.nr_pages * sizeof(uint64_t));
    fill_start_info(&b, &img);
    build_page_tables(&b);
    if (xen_elfnotes_has(&img.notes, XEN_ELFNOTE_HYPERCALL_PAGE))
        hypercall_page_fill(pfn_ptr(&b, dom0_layout_pfn(l, img.notes.hypercall_page)));
    set_entry_state(&b, &img);
    xfree(b.p2m);
    return b.d;
}
