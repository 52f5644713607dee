/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV domain builder without a hypervisor: crafted kernels (ELF64,
 * gzip and XZ compressed, inside a bzImage) parsed, laid out and built
 * into memory we hold, with a scrambled p2m so that every machine frame
 * the builder writes is checked against the pfn it means; every refusal
 * of a malformed or hostile image names what was wrong; a seeded loop of
 * mutated headers never crashes (ASan/UBSan).  XC_DOM_TEST_BZIMAGE=FILE
 * also parses a real kernel (Debian's vmlinuz).
 */
#include <check.h>
#include <elf.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../check_main.h"
#include "public/elfnote.h"
#include "xc_dom_private.h"

#define VBASE 0xffffffff80000000ULL
#define KPADDR 0x200000ULL
#define MEM_MIB 16
#define NR_PAGES ((xen_pfn_t)MEM_MIB << 8)

/* ---- crafting kernels ---- */

struct img {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct img *im, const void *data, size_t len)
{
    if (im->len + len > im->cap) {
        im->cap = (im->len + len) * 2 + 4096;
        im->p = realloc(im->p, im->cap);
        ck_assert_ptr_nonnull(im->p);
    }
    memcpy(im->p + im->len, data, len);
    im->len += len;
}

static void note(struct img *im, uint32_t type, const void *desc, uint32_t len)
{
    uint32_t hdr[3] = { 4, len, type };
    static const unsigned char zero[4];
    put(im, hdr, sizeof(hdr));
    put(im, "Xen", 4);
    put(im, desc, len);
    put(im, zero, (4 - len % 4) % 4);
}

static void note64(struct img *im, uint32_t type, uint64_t v)
{
    note(im, type, &v, 8);
}

struct kopts {
    uint64_t entry, hypercall;  /* offsets into the image; ~0: no note */
    int no_notes, pvh_only, unknown_feature, second_overlapping;
    uint64_t filesz, memsz;
    uint64_t virt_base;         /* 0: VBASE */
};

/* An ELF64 kernel: one PT_LOAD at paddr 2 MiB (vaddr VBASE + 2 MiB), one
 * PT_NOTE with the notes a test guest carries. */
static struct img make_kernel(const struct kopts *o)
{
    struct img notes = { 0 }, im = { 0 };
    uint64_t filesz = o->filesz ? o->filesz : 3 * 4096;
    uint64_t memsz = o->memsz ? o->memsz : 5 * 4096;

    if (!o->no_notes) {
        note(&notes, XEN_ELFNOTE_GUEST_OS, "test", 5);
        note(&notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
        note(&notes, XEN_ELFNOTE_LOADER, "generic", 8);
        note64(&notes, XEN_ELFNOTE_VIRT_BASE, o->virt_base ? o->virt_base : VBASE);
        note64(&notes, XEN_ELFNOTE_PADDR_OFFSET, 0);
        if (o->pvh_only)
            note64(&notes, XEN_ELFNOTE_PHYS32_ENTRY, KPADDR);
        else
            note64(&notes, XEN_ELFNOTE_ENTRY,
                   (o->virt_base ? o->virt_base : VBASE) + KPADDR + o->entry);
        if (o->hypercall != ~0ULL)
            note64(&notes, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + KPADDR + o->hypercall);
        const char *f = o->unknown_feature ? "!writable_page_tables|flying_pigs"
                                           : "!writable_page_tables";
        note(&notes, XEN_ELFNOTE_FEATURES, f, (uint32_t)strlen(f) + 1);
        uint32_t sup = 1U << XENFEAT_dom0;
        note(&notes, XEN_ELFNOTE_SUPPORTED_FEATURES, &sup, 4);
    } else {
        note(&notes, 1, "x", 2);   /* a note, but not a Xen one */
        notes.p[4 + 8] = 'G';      /* name "Gen" */
    }
    unsigned nph = o->second_overlapping ? 3 : 2;
    Elf64_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = KPADDR;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)nph;
    uint64_t notes_off = sizeof(eh) + nph * sizeof(Elf64_Phdr);
    uint64_t load_off = (notes_off + notes.len + 4095) & ~4095ULL;
    Elf64_Phdr ph[3] = { { 0 } };
    ph[0].p_type = PT_LOAD;
    ph[0].p_flags = PF_R | PF_W | PF_X;
    ph[0].p_offset = load_off;
    ph[0].p_vaddr = VBASE + KPADDR;
    ph[0].p_paddr = KPADDR;
    ph[0].p_filesz = filesz;
    ph[0].p_memsz = memsz;
    ph[1].p_type = PT_NOTE;
    ph[1].p_offset = notes_off;
    ph[1].p_filesz = notes.len;
    if (o->second_overlapping) {
        ph[2] = ph[0];
        ph[2].p_paddr = KPADDR + 4096;
        ph[2].p_filesz = 4096;
        ph[2].p_memsz = 4096;
    }
    put(&im, &eh, sizeof(eh));
    put(&im, ph, nph * sizeof(Elf64_Phdr));
    put(&im, notes.p, notes.len);
    while (im.len < load_off)
        put(&im, "", 1);
    /* The image's bytes: a recognisable pattern. */
    uint64_t real = filesz > 64 * 4096 ? 3 * 4096 : filesz;
    for (uint64_t i = 0; i < real; i++) {
        unsigned char b = (unsigned char)(i * 7 + 1);
        put(&im, &b, 1);
    }
    free(notes.p);
    return im;
}

static struct img good_kernel(void)
{
    struct kopts o = { .entry = 0x10, .hypercall = 0x1000 };
    return make_kernel(&o);
}

static struct img gzip_of(const void *in, size_t len)
{
    z_stream zs = { 0 };
    struct img out = { 0 };
    ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    out.cap = deflateBound(&zs, len) + 64;
    out.p = malloc(out.cap);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out.p;
    zs.avail_out = (uInt)out.cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

static struct img xz_of(const void *in, size_t len)
{
    struct img out = { 0 };
    out.cap = lzma_stream_buffer_bound(len);
    out.p = malloc(out.cap);
    ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
                                             out.p, &out.len, out.cap), LZMA_OK);
    return out;
}

/* A bzImage around payload: 1 setup sector + boot sector, header 2.15. */
static struct img bzimage_of(const void *payload, size_t len, uint32_t off_fudge,
                             uint32_t len_fudge)
{
    struct img im = { 0 };
    unsigned char hdr[1024] = { 0 };
    hdr[0x1f1] = 1;
    hdr[0x1fe] = 0x55;
    hdr[0x1ff] = 0xaa;
    memcpy(hdr + 0x202, "HdrS", 4);
    hdr[0x206] = 0x0f;
    hdr[0x207] = 0x02;
    uint32_t poff = 0x100 + off_fudge, plen = (uint32_t)len + len_fudge;
    memcpy(hdr + 0x248, &poff, 4);
    memcpy(hdr + 0x24c, &plen, 4);
    put(&im, hdr, sizeof(hdr));
    unsigned char pad[0x100] = { 0 };
    put(&im, pad, sizeof(pad));
    put(&im, payload, len);
    return im;
}

/* ---- building into our own memory ---- */

static struct xc_dom_image *dom;
static uint8_t *mem;
static xen_pfn_t p2m[NR_PAGES];

/* mfn = a bijection of pfn, far from it, so a pfn used as an mfn shows. */
static xen_pfn_t mfn_of(xen_pfn_t pfn)
{
    return 0x80000 + ((pfn * 2654435761u) & (NR_PAGES - 1));
}

static xen_pfn_t pfn_of(xen_pfn_t mfn)
{
    for (xen_pfn_t pfn = 0; pfn < NR_PAGES; pfn++)
        if (p2m[pfn] == mfn)
            return pfn;
    return ~0UL;
}

static void setup(void)
{
    dom = xc_dom_allocate(NULL, "console=hvc0 quiet", NULL);
    ck_assert_ptr_nonnull(dom);
    mem = aligned_alloc(4096, NR_PAGES * 4096);
    ck_assert_ptr_nonnull(mem);
    memset(mem, 0xa5, NR_PAGES * 4096);    /* stale bytes must go */
    for (xen_pfn_t pfn = 0; pfn < NR_PAGES; pfn++)
        p2m[pfn] = mfn_of(pfn);
}

static void teardown(void)
{
    xc_dom_release(dom);
    free(mem);
}

static int parse_mem(const struct img *im)
{
    ck_assert_int_eq(xc_dom_kernel_mem(dom, im->p, im->len), 0);
    return xc_dom_parse_image(dom);
}

static int build(void)
{
    if (!dom->guest_mem &&
        (xc_dom_mem_init(dom, MEM_MIB) < 0 || xc__dom_attach_memory(dom, mem, p2m) < 0))
        return -1;
    dom->shared_info_mfn = 0x1234;
    return xc_dom_build_image(dom);
}

#define REFUSED(expr, text) do {                                            \
        ck_assert_int_eq((expr), -1);                                       \
        ck_assert_msg(strstr(dom->last_error, (text)) != NULL,              \
                      "error '%s' does not say '%s'", dom->last_error, (text)); \
    } while (0)

/* Walk the tables the builder wrote: the L1 entry of va, or 0. */
static uint64_t walk(uint64_t va)
{
    const uint64_t *l4 = xc_dom_pfn_to_ptr(dom, dom->pgtables_seg.pfn, 1);
    uint64_t e = l4[(va >> 39) & 511];
    for (int shift = 30; shift >= 12; shift -= 9) {
        if (!(e & 1))
            return 0;
        ck_assert_uint_eq(e & 4, 4);        /* user: the kernel is in ring 3 */
        xen_pfn_t pfn = pfn_of((e & 0x000ffffffffff000ULL) >> 12);
        ck_assert_uint_ne(pfn, ~0UL);
        ck_assert(pfn >= dom->pgtables_seg.pfn &&
                  pfn < dom->pgtables_seg.pfn + dom->nr_pt_frames);
        const uint64_t *t = xc_dom_pfn_to_ptr(dom, pfn, 1);
        e = t[(va >> shift) & 511];
    }
    return e;
}

static void expect_mapped(uint64_t va, int writable)
{
    uint64_t pte = walk(va);
    xen_pfn_t pfn = (va - VBASE) >> 12;
    ck_assert_msg(pte & 1, "va %#llx not mapped", (unsigned long long)va);
    ck_assert_uint_eq((pte & 0x000ffffffffff000ULL) >> 12, p2m[pfn]);
    ck_assert_uint_eq(!!(pte & 2), writable);
}

START_TEST(elf_kernel_builds_the_xen_layout)
{
    struct img k = good_kernel();
    static const char rd[] = "\x1f\x8b a compressed ramdisk stays as it is";

    ck_assert_int_eq(parse_mem(&k), 0);
    ck_assert_str_eq(dom->kernel_format, "ELF");
    ck_assert_uint_eq(dom->parms.virt_base, VBASE);
    ck_assert_uint_eq(dom->parms.virt_entry, VBASE + KPADDR + 0x10);
    ck_assert_uint_eq(dom->parms.virt_hypercall, VBASE + KPADDR + 0x1000);
    ck_assert_uint_eq(dom->parms.f_required[0], 1U << XENFEAT_writable_page_tables);
    ck_assert_int_eq(xc_dom_ramdisk_mem(dom, rd, sizeof(rd)), 0);
    ck_assert_int_eq(build(), 0);

    /* Order: kernel, ramdisk, p2m, start_info, xenstore, console, tables, stack. */
    ck_assert_uint_eq(dom->kernel_seg.pfn, KPADDR >> 12);
    ck_assert_uint_eq(dom->kernel_seg.pages, 5);
    ck_assert_uint_eq(dom->ramdisk_seg.pfn, dom->kernel_seg.pfn + 5);
    ck_assert_uint_eq(dom->p2m_seg.pfn, dom->ramdisk_seg.pfn + 1);
    ck_assert_uint_eq(dom->p2m_seg.pages, NR_PAGES * 8 / 4096);
    ck_assert_uint_eq(dom->start_info_pfn, dom->p2m_seg.pfn + dom->p2m_seg.pages);
    ck_assert_uint_eq(dom->xenstore_pfn, dom->start_info_pfn + 1);
    ck_assert_uint_eq(dom->console_pfn, dom->xenstore_pfn + 1);
    ck_assert_uint_eq(dom->pgtables_seg.pfn, dom->console_pfn + 1);
    ck_assert_uint_eq(dom->bootstack_pfn, dom->pgtables_seg.pfn + dom->nr_pt_frames);
    /* One L4, L3, L2 and the L1s of the first 4 MiB-rounded stretch. */
    ck_assert_uint_eq(dom->nr_pt_frames, 3 + (dom->virt_pgtab_end - VBASE) / (2 << 20));
    ck_assert_uint_eq(dom->virt_pgtab_end % (4 << 20), 0);
    ck_assert(dom->virt_pgtab_end >= xc__dom_pfn_to_virt(dom, dom->bootstack_pfn + 1) + (512 << 10));

    /* Image bytes, bss zero, stale memory gone, ramdisk as given. */
    const uint8_t *kimg = xc_dom_pfn_to_ptr(dom, KPADDR >> 12, 5);
    for (unsigned i = 0; i < 3 * 4096; i++)
        ck_assert_uint_eq(kimg[i], (uint8_t)(i * 7 + 1));
    for (unsigned i = 3 * 4096; i < 5 * 4096; i++)
        ck_assert_uint_eq(kimg[i], 0);
    ck_assert_uint_eq(mem[0], 0);
    ck_assert_mem_eq(xc_dom_pfn_to_ptr(dom, dom->ramdisk_seg.pfn, 1), rd, sizeof(rd));

    /* start_info. */
    const start_info_t *si = xc_dom_pfn_to_ptr(dom, dom->start_info_pfn, 1);
    ck_assert_str_eq((const char *)si->magic, "xen-3.0-x86_64");
    ck_assert_uint_eq(si->nr_pages, NR_PAGES);
    ck_assert_uint_eq(si->shared_info, 0x1234ULL << 12);
    ck_assert_uint_eq(si->flags, 0);
    ck_assert_uint_eq(si->store_mfn, p2m[dom->xenstore_pfn]);
    ck_assert_uint_eq(si->console.domU.mfn, p2m[dom->console_pfn]);
    ck_assert_uint_eq(si->pt_base, dom->pgtables_seg.vstart);
    ck_assert_uint_eq(si->nr_pt_frames, dom->nr_pt_frames);
    ck_assert_uint_eq(si->mfn_list, dom->p2m_seg.vstart);
    ck_assert_uint_eq(si->mod_start, dom->ramdisk_seg.vstart);
    ck_assert_uint_eq(si->mod_len, sizeof(rd));
    ck_assert_str_eq((const char *)si->cmd_line, "console=hvc0 quiet");
    ck_assert_uint_eq(dom->console_mfn, p2m[dom->console_pfn]);
    ck_assert_uint_eq(dom->xenstore_mfn, p2m[dom->xenstore_pfn]);

    /* The p2m list in the guest is ours. */
    const uint64_t *gp2m = xc_dom_pfn_to_ptr(dom, dom->p2m_seg.pfn, dom->p2m_seg.pages);
    for (xen_pfn_t pfn = 0; pfn < NR_PAGES; pfn++)
        ck_assert_uint_eq(gp2m[pfn], p2m[pfn]);

    /* The mapping: everything from VIRT_BASE, tables read-only. */
    expect_mapped(VBASE, 1);
    expect_mapped(dom->kernel_seg.vstart, 1);
    expect_mapped(dom->p2m_seg.vstart, 1);
    expect_mapped(xc__dom_pfn_to_virt(dom, dom->start_info_pfn), 1);
    expect_mapped(xc__dom_pfn_to_virt(dom, dom->console_pfn), 1);
    for (unsigned i = 0; i < dom->nr_pt_frames; i++)
        expect_mapped(xc__dom_pfn_to_virt(dom, dom->pgtables_seg.pfn + i), 0);
    expect_mapped(xc__dom_pfn_to_virt(dom, dom->bootstack_pfn), 1);
    expect_mapped(dom->virt_pgtab_end - 4096, 1);
    ck_assert_uint_eq(walk(dom->virt_pgtab_end) & 1, 0);

    /* vCPU 0. */
    vcpu_guest_context_t c;
    xc__dom_x86_pv_vcpu(dom, &c);
    ck_assert_uint_eq(c.flags, VGCF_in_kernel | VGCF_online);
    ck_assert_uint_eq(c.user_regs.rip, VBASE + KPADDR + 0x10);
    ck_assert_uint_eq(c.user_regs.rsi, xc__dom_pfn_to_virt(dom, dom->start_info_pfn));
    ck_assert_uint_eq(c.user_regs.rsp, xc__dom_pfn_to_virt(dom, dom->bootstack_pfn + 1));
    ck_assert_uint_eq(c.kernel_sp, c.user_regs.rsp);
    ck_assert_uint_eq(c.user_regs.cs, FLAT_KERNEL_CS);
    ck_assert_uint_eq(c.user_regs.ss, FLAT_KERNEL_SS);
    ck_assert_uint_eq(c.kernel_ss, FLAT_KERNEL_SS);
    ck_assert_uint_eq(c.user_regs.rflags, 1 << 9);
    ck_assert_uint_eq(c.ctrlreg[3], p2m[dom->pgtables_seg.pfn] << 12);
    free(k.p);
}
END_TEST

START_TEST(compressed_and_bzimage_kernels_unpack)
{
    struct img k = good_kernel();
    struct img gz = gzip_of(k.p, k.len), xz = xz_of(k.p, k.len);

    ck_assert_int_eq(parse_mem(&gz), 0);
    ck_assert_str_eq(dom->kernel_format, "ELF/gzip");
    ck_assert_uint_eq(dom->elf_size, k.len);
    struct img bz = bzimage_of(xz.p, xz.len, 0, 0);
    ck_assert_int_eq(parse_mem(&bz), 0);
    ck_assert_str_eq(dom->kernel_format, "bzImage/xz");
    free(bz.p);
    bz = bzimage_of(gz.p, gz.len, 0, 0);
    ck_assert_int_eq(parse_mem(&bz), 0);
    ck_assert_str_eq(dom->kernel_format, "bzImage/gzip");
    ck_assert_int_eq(build(), 0);
    ck_assert_uint_eq(*(uint8_t *)xc_dom_pfn_to_ptr(dom, (KPADDR >> 12) + 1, 1),
                      (uint8_t)(4096 * 7 + 1));
    free(bz.p);
    free(gz.p);
    free(xz.p);
    free(k.p);
}
END_TEST

START_TEST(malformed_images_are_refused_by_name)
{
    struct img k = good_kernel(), t;
    struct kopts o = { .entry = 0x10, .hypercall = ~0ULL };

    /* Truncated ELF header. */
    t = (struct img){ k.p, 40, 0 };
    REFUSED(parse_mem(&t), "truncated ELF header");
    /* Program headers outside the file. */
    t = (struct img){ malloc(k.len), k.len, 0 };
    memcpy(t.p, k.p, k.len);
    ((Elf64_Ehdr *)t.p)->e_phoff = k.len - 8;
    REFUSED(parse_mem(&t), "program headers");
    memcpy(t.p, k.p, k.len);
    ((Elf64_Phdr *)(t.p + sizeof(Elf64_Ehdr)))[0].p_offset = k.len - 16;
    REFUSED(parse_mem(&t), "outside the");
    memcpy(t.p, k.p, k.len);
    ((Elf64_Ehdr *)t.p)->e_machine = EM_386;
    REFUSED(parse_mem(&t), "not x86-64");
    memcpy(t.p, k.p, k.len);
    t.p[EI_CLASS] = ELFCLASS32;
    REFUSED(parse_mem(&t), "not ELF64");
    memcpy(t.p, k.p, k.len);
    t.p[0] = 'X';
    REFUSED(parse_mem(&t), "not an ELF image");
    /* A note whose descriptor length runs past its segment. */
    memcpy(t.p, k.p, k.len);
    Elf64_Phdr *ph = (Elf64_Phdr *)(t.p + sizeof(Elf64_Ehdr));
    ((uint32_t *)(t.p + ph[1].p_offset))[1] = 0xfffffff0u;
    REFUSED(parse_mem(&t), "overflow");
    free(t.p);
    free(k.p);

    k = make_kernel(&(struct kopts){ .no_notes = 1, .hypercall = ~0ULL });
    REFUSED(parse_mem(&k), "no Xen ELF notes");
    free(k.p);
    k = make_kernel(&(struct kopts){ .pvh_only = 1, .hypercall = ~0ULL });
    REFUSED(parse_mem(&k), "PVH-only");
    free(k.p);
    k = make_kernel(&(struct kopts){ .unknown_feature = 1, .hypercall = ~0ULL });
    REFUSED(parse_mem(&k), "unknown feature 'flying_pigs'");
    free(k.p);
    k = make_kernel(&(struct kopts){ .second_overlapping = 1, .hypercall = ~0ULL });
    REFUSED(parse_mem(&k), "overlap");
    free(k.p);
    o.entry = 0x100000;
    k = make_kernel(&o);
    REFUSED(parse_mem(&k), "entry");
    free(k.p);
    o.entry = 0x10;
    o.hypercall = 0x123;
    k = make_kernel(&o);
    REFUSED(parse_mem(&k), "hypercall page");
    free(k.p);
    /* VIRT_BASE so high that the image, or the mapping after it, would
     * run past the top of the address space. */
    k = make_kernel(&(struct kopts){ .hypercall = ~0ULL,
                                     .virt_base = 0xfffffffffff00000ULL });
    REFUSED(parse_mem(&k), "does not fit above VIRT_BASE");
    free(k.p);
    k = make_kernel(&(struct kopts){ .hypercall = ~0ULL,
                                     .virt_base = 0xffffffffffc00000ULL });
    ck_assert_int_eq(parse_mem(&k), 0);
    REFUSED(build(), "past the top of the address space");
    free(k.p);
    /* A segment beyond the guest's memory. */
    o.hypercall = ~0ULL;
    o.memsz = 64ULL << 20;
    k = make_kernel(&o);
    ck_assert_int_eq(parse_mem(&k), 0);
    REFUSED(build(), "guest memory too small");
    free(k.p);
}
END_TEST

START_TEST(hostile_compressed_payloads_are_refused)
{
    struct img k = good_kernel(), gz = gzip_of(k.p, k.len);
    struct img bz;

    /* Payload offset or length outside the file. */
    bz = bzimage_of(gz.p, gz.len, 0x100000, 0);
    REFUSED(parse_mem(&bz), "outside the");
    free(bz.p);
    bz = bzimage_of(gz.p, gz.len, 0, 0x10000);
    REFUSED(parse_mem(&bz), "outside the");
    free(bz.p);
    /* Truncated gzip. */
    struct img half = { gz.p, gz.len / 2, 0 };
    REFUSED(parse_mem(&half), "truncated");
    /* Formats we do not unpack are named. */
    bz = bzimage_of("BZh91AY&SY", 10, 0, 0);
    REFUSED(parse_mem(&bz), "bzip2");
    free(bz.p);
    bz = bzimage_of("\x28\xb5\x2f\xfd\0\0", 6, 0, 0);
    REFUSED(parse_mem(&bz), "zstd");
    free(bz.p);
    /* A bomb: 8 MiB of zeros in a few KiB, with a 1 MiB bound. */
    size_t big = 8 << 20;
    unsigned char *zeros = calloc(1, big);
    struct img bomb = gzip_of(zeros, big), xbomb = xz_of(zeros, big);
    dom->max_kernel_size = 1 << 20;
    REFUSED(parse_mem(&bomb), "decompression bound");
    REFUSED(parse_mem(&xbomb), "decompression bound");
    free(zeros);
    free(bomb.p);
    free(xbomb.p);
    free(gz.p);
    free(k.p);
}
END_TEST

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mutated headers, notes and bzImage fields: every outcome is a clean
 * refusal or a built image; ASan/UBSan catch anything else. */
START_TEST(mutated_headers_never_crash)
{
    struct img k = good_kernel(), gz = gzip_of(k.p, k.len);
    struct img bz = bzimage_of(gz.p, gz.len, 0, 0);
    const struct img *bases[] = { &k, &bz };
    unsigned built = 0, refused = 0;

    rng_state = 0x5eed1234abcdULL;
    for (unsigned iter = 0; iter < 3000; iter++) {
        const struct img *base = bases[iter % 2];
        struct img m = { malloc(base->len), base->len, 0 };
        memcpy(m.p, base->p, base->len);
        unsigned flips = 1 + rng() % 8;
        size_t span = base == &k ? 0x300 : 0x400 + 64;   /* headers and notes */
        for (unsigned f = 0; f < flips; f++) {
            size_t at = rng() % (span < m.len ? span : m.len);
            switch (rng() % 4) {
            case 0: m.p[at] ^= (uint8_t)(1 << (rng() % 8)); break;
            case 1: m.p[at] = (uint8_t)rng(); break;
            case 2: m.p[at] = 0xff; break;
            default: m.p[at] = 0; break;
            }
        }
        if (rng() % 8 == 0)
            m.len = rng() % m.len;
        xc_dom_release(dom);
        dom = xc_dom_allocate(NULL, NULL, NULL);
        dom->max_kernel_size = 4 << 20;
        if (m.len && xc_dom_kernel_mem(dom, m.p, m.len) == 0 &&
            xc_dom_parse_image(dom) == 0 && build() == 0)
            built++;
        else
            refused++;
        free(m.p);
    }
    ck_assert_uint_gt(built, 0);
    ck_assert_uint_gt(refused, 0);
    free(bz.p);
    free(gz.p);
    free(k.p);
}
END_TEST

START_TEST(real_bzimage_from_the_environment)
{
    const char *path = getenv("XC_DOM_TEST_BZIMAGE");
    if (!path)
        return;
    ck_assert_int_eq(xc_dom_kernel_file(dom, path), 0);
    ck_assert_msg(xc_dom_parse_image(dom) == 0, "%s", dom->last_error);
    printf("# %s: %s, entry %#llx, hypercall page %#llx, image %#llx-%#llx, "
           "%zu bytes unpacked\n", path, dom->kernel_format,
           (unsigned long long)dom->parms.virt_entry,
           (unsigned long long)dom->parms.virt_hypercall,
           (unsigned long long)dom->parms.virt_kstart,
           (unsigned long long)dom->parms.virt_kend, dom->elf_size);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("libxenctrl domain builder");
    TCase *tc = tcase_create("builder");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, elf_kernel_builds_the_xen_layout);
    tcase_add_test(tc, compressed_and_bzimage_kernels_unpack);
    tcase_add_test(tc, malformed_images_are_refused_by_name);
    tcase_add_test(tc, hostile_compressed_payloads_are_refused);
    tcase_add_test(tc, mutated_headers_never_crash);
    tcase_add_test(tc, real_bzimage_from_the_environment);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
