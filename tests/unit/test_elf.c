/*
 * Unit tests of the ELF loader (hypervisor/common/elf.c) on images built
 * here: a well-formed small "PV kernel" and broken variants of it, each
 * of which must be refused with its own message, never crash.  Images are
 * copied to buffers of their exact size so that AddressSanitizer catches
 * any read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/elf.h"

/* Layout of the built image. */
#define PHOFF        64
#define PH_ENTSIZE   56
#define NOTE_OFF     0x200
#define TEXT_OFF     0x1000
#define TEXT_FILESZ  0x100
#define TEXT_MEMSZ   0x3000
#define TEXT_PADDR   0x1000000ull
#define TEXT_VADDR   0xffffffff81000000ull
#define DATA_OFF     0x1100
#define DATA_FILESZ  0x80
#define DATA_MEMSZ   0x100
#define DATA_PADDR   0x1004000ull
#define IMAGE_SIZE   0x1180

/* Program header indexes, and field offsets inside one. */
enum { PH_TEXT, PH_DATA, PH_NOTES, NR_PH };
enum { F_TYPE = 0, F_FLAGS = 4, F_OFFSET = 8, F_VADDR = 16, F_PADDR = 24,
       F_FILESZ = 32, F_MEMSZ = 40, F_ALIGN = 48 };

struct note_spec {
    const char *name;
    uint32_t type;
    const void *desc;
    uint32_t descsz;
};

static const uint64_t virt_base = 0xffffffff80000000ull;
static const uint64_t paddr_offset = 0;
static const uint64_t entry = 0xffffffff81000040ull;
static const uint64_t hypercall_page = 0xffffffff81001000ull;
static const uint64_t hv_start_low = 0xffff800000000000ull;
static const uint64_t init_p2m = 0x8000000000ull;
static const uint32_t supported = 0x8801;
static const uint32_t one = 1;
static const uint32_t phys32 = 0x1000850;
static const uint64_t l1_mfn_valid[2] = { 1, 1 };
static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
static const unsigned char build_id[20] = { 0xeb, 0x4f, 0xbc };

#define STR(s) s, sizeof(s)
static const struct note_spec linux_notes[] = {
    { "Xen", XEN_ELFNOTE_GUEST_OS, STR("linux") },
    { "Xen", XEN_ELFNOTE_GUEST_VERSION, STR("2.6") },
    { "Xen", XEN_ELFNOTE_XEN_VERSION, STR("xen-3.0") },
    { "Xen", XEN_ELFNOTE_VIRT_BASE, &virt_base, 8 },
    { "Xen", XEN_ELFNOTE_PADDR_OFFSET, &paddr_offset, 8 },
    { "Xen", XEN_ELFNOTE_ENTRY, &entry, 8 },
    { "Xen", XEN_ELFNOTE_HYPERCALL_PAGE, &hypercall_page, 8 },
    /* Linux writes FEATURES without a NUL: 41 bytes, padded to 44. */
    { "Xen", XEN_ELFNOTE_FEATURES, features, sizeof(features) - 1 },
    { "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, &supported, 4 },
    { "Xen", XEN_ELFNOTE_PAE_MODE, STR("yes") },
    { "Xen", XEN_ELFNOTE_LOADER, STR("generic") },
    { "Xen", XEN_ELFNOTE_L1_MFN_VALID, l1_mfn_valid, 16 },
    { "Xen", XEN_ELFNOTE_SUSPEND_CANCEL, &one, 4 },
    { "Xen", XEN_ELFNOTE_MOD_START_PFN, &one, 4 },
    { "Xen", XEN_ELFNOTE_HV_START_LOW, &hv_start_low, 8 },
    { "Xen", XEN_ELFNOTE_INIT_P2M, &init_p2m, 8 },
    { "GNU", 3, build_id, sizeof(build_id) },
    { "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &phys32, 4 },
};
#define NR_LINUX_NOTES (sizeof(linux_notes) / sizeof(linux_notes[0]))

static unsigned char img_buf[IMAGE_SIZE];
static size_t notes_len;

static void put16(size_t off, uint16_t v) { memcpy(img_buf + off, &v, 2); }
static void put32(size_t off, uint32_t v) { memcpy(img_buf + off, &v, 4); }
static void put64(size_t off, uint64_t v) { memcpy(img_buf + off, &v, 8); }

static void set_ph32(int ph, int field, uint32_t v)
{
    put32(PHOFF + (size_t)ph * PH_ENTSIZE + (size_t)field, v);
}

static void set_ph64(int ph, int field, uint64_t v)
{
    put64(PHOFF + (size_t)ph * PH_ENTSIZE + (size_t)field, v);
}

static size_t align4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

static void put_phdr(int ph, uint32_t type, uint32_t flags, uint64_t off,
                     uint64_t vaddr, uint64_t paddr, uint64_t filesz,
                     uint64_t memsz, uint64_t align)
{
    set_ph32(ph, F_TYPE, type);
    set_ph32(ph, F_FLAGS, flags);
    set_ph64(ph, F_OFFSET, off);
    set_ph64(ph, F_VADDR, vaddr);
    set_ph64(ph, F_PADDR, paddr);
    set_ph64(ph, F_FILESZ, filesz);
    set_ph64(ph, F_MEMSZ, memsz);
    set_ph64(ph, F_ALIGN, align);
}

/* Writes the image into img_buf with the given notes. */
static void build(const struct note_spec *notes, size_t nr_notes)
{
    memset(img_buf, 0, sizeof(img_buf));
    memcpy(img_buf, "\177ELF", 4);
    img_buf[4] = 2;                 /* ELFCLASS64 */
    img_buf[5] = 1;                 /* little-endian */
    img_buf[6] = 1;                 /* version */
    put16(16, 2);                   /* ET_EXEC */
    put16(18, 62);                  /* EM_X86_64 */
    put32(20, 1);
    put64(24, TEXT_PADDR);          /* the native entry, as Linux has it */
    put64(32, PHOFF);
    put16(52, 64);
    put16(54, PH_ENTSIZE);
    put16(56, NR_PH);

    size_t off = NOTE_OFF;
    for (size_t i = 0; i < nr_notes; i++) {
        uint32_t namesz = (uint32_t)strlen(notes[i].name) + 1;
        put32(off, namesz);
        put32(off + 4, notes[i].descsz);
        put32(off + 8, notes[i].type);
        memcpy(img_buf + off + 12, notes[i].name, namesz);
        off += 12 + align4(namesz);
        memcpy(img_buf + off, notes[i].desc, notes[i].descsz);
        off += align4(notes[i].descsz);
        ck_assert_uint_le(off, TEXT_OFF);
    }
    notes_len = off - NOTE_OFF;

    put_phdr(PH_TEXT, 1, ELF_PF_R | ELF_PF_X, TEXT_OFF, TEXT_VADDR, TEXT_PADDR,
             TEXT_FILESZ, TEXT_MEMSZ, 0x200000);
    put_phdr(PH_DATA, 1, ELF_PF_R | ELF_PF_W, DATA_OFF, 0, DATA_PADDR,
             DATA_FILESZ, DATA_MEMSZ, 0x200000);
    put_phdr(PH_NOTES, 4, 0, NOTE_OFF, TEXT_VADDR + NOTE_OFF, TEXT_PADDR + NOTE_OFF,
             notes_len, notes_len, 4);
    for (int i = 0; i < TEXT_FILESZ; i++)
        img_buf[TEXT_OFF + i] = (unsigned char)(0x90 + i);
    for (int i = 0; i < DATA_FILESZ; i++)
        img_buf[DATA_OFF + i] = (unsigned char)i;
}

static void build_linux(void)
{
    build(linux_notes, NR_LINUX_NOTES);
}

/* The image under test lives in an exact-size copy. */
static unsigned char *copy;
static struct elf_image img;
static const char *why;

static int open_first(size_t size)
{
    free(copy);
    copy = malloc(size ? size : 1);
    memcpy(copy, img_buf, size);
    why = NULL;
    return elf_open(&img, copy, size, &why);
}

static void teardown(void)
{
    free(copy);
    copy = NULL;
}

static void assert_refused(size_t size, const char *msg)
{
    ck_assert_int_eq(open_first(size), -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, msg);
    /* A refused image exposes nothing. */
    ck_assert_uint_eq(elf_segment_count(&img), 0);
}

struct loaded {
    int n;
    uint64_t paddr[4], filesz[4], memsz[4];
    const void *src[4];
};

static int record_segment(void *ctx, uint64_t paddr, const void *src,
                          uint64_t filesz, uint64_t memsz)
{
    struct loaded *l = ctx;
    ck_assert_int_lt(l->n, 4);
    l->paddr[l->n] = paddr;
    l->src[l->n] = src;
    l->filesz[l->n] = filesz;
    l->memsz[l->n] = memsz;
    l->n++;
    return 0;
}

START_TEST(good_image_opens)
{
    build_linux();
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    ck_assert_uint_eq(img.entry, TEXT_PADDR);
    ck_assert_uint_eq(elf_segment_count(&img), 2);

    struct elf_segment seg;
    ck_assert_int_eq(elf_segment(&img, 1, &seg), 0);
    ck_assert_uint_eq(seg.paddr, DATA_PADDR);
    ck_assert_uint_eq(seg.vaddr, 0);
    ck_assert_uint_eq(seg.filesz, DATA_FILESZ);
    ck_assert_uint_eq(seg.memsz, DATA_MEMSZ);
    ck_assert_uint_eq(seg.flags, ELF_PF_R | ELF_PF_W);
    ck_assert_int_eq(elf_segment(&img, 2, &seg), -1);

    uint64_t start, end;
    elf_phys_extent(&img, &start, &end);
    ck_assert_uint_eq(start, TEXT_PADDR);
    ck_assert_uint_eq(end, DATA_PADDR + DATA_MEMSZ);

    struct loaded l = { 0 };
    ck_assert_int_eq(elf_load(&img, record_segment, &l), 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_uint_eq(l.paddr[0], TEXT_PADDR);
    ck_assert_uint_eq(l.filesz[0], TEXT_FILESZ);
    ck_assert_uint_eq(l.memsz[0], TEXT_MEMSZ);
    ck_assert_ptr_eq(l.src[0], copy + TEXT_OFF);
    ck_assert_ptr_eq(l.src[1], copy + DATA_OFF);
    ck_assert_uint_eq(((const unsigned char *)l.src[1])[5], 5);
}
END_TEST

static int stop_at_second(void *ctx, uint64_t paddr, const void *src,
                          uint64_t filesz, uint64_t memsz)
{
    (void)paddr; (void)src; (void)filesz; (void)memsz;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

START_TEST(load_stops_on_callback_error)
{
    build_linux();
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    int calls = 0;
    ck_assert_int_eq(elf_load(&img, stop_at_second, &calls), 42);
    ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(xen_notes_decoded)
{
    build_linux();
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    struct xen_elfnotes n;
    ck_assert_int_eq(elf_xen_notes(&img, &n, &why), 0);
    ck_assert(xen_elfnote_string_is(&n.guest_os, "linux"));
    ck_assert(!xen_elfnote_string_is(&n.guest_os, "linu"));
    ck_assert(!xen_elfnote_string_is(&n.guest_os, "linuxx"));
    ck_assert(xen_elfnote_string_is(&n.guest_version, "2.6"));
    ck_assert(xen_elfnote_string_is(&n.xen_version, "xen-3.0"));
    ck_assert(xen_elfnote_string_is(&n.loader, "generic"));
    ck_assert(xen_elfnote_string_is(&n.pae_mode, "yes"));
    ck_assert_uint_eq(n.features.len, strlen(features));
    ck_assert(xen_elfnote_string_is(&n.features, features));
    ck_assert_uint_eq(n.virt_base, virt_base);
    ck_assert_uint_eq(n.paddr_offset, 0);
    ck_assert_uint_eq(n.entry, entry);
    ck_assert_uint_eq(n.hypercall_page, hypercall_page);
    ck_assert_uint_eq(n.supported_features, 0x8801);
    ck_assert_uint_eq(n.l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(n.l1_mfn_valid_value, 1);
    ck_assert_uint_eq(n.suspend_cancel, 1);
    ck_assert_uint_eq(n.mod_start_pfn, 1);
    ck_assert_uint_eq(n.hv_start_low, hv_start_low);
    ck_assert_uint_eq(n.init_p2m, init_p2m);
    ck_assert_uint_eq(n.phys32_entry, 0x1000850);
    static const unsigned int present[] = {
        XEN_ELFNOTE_ENTRY, XEN_ELFNOTE_HYPERCALL_PAGE, XEN_ELFNOTE_VIRT_BASE,
        XEN_ELFNOTE_PADDR_OFFSET, XEN_ELFNOTE_XEN_VERSION, XEN_ELFNOTE_GUEST_OS,
        XEN_ELFNOTE_GUEST_VERSION, XEN_ELFNOTE_LOADER, XEN_ELFNOTE_PAE_MODE,
        XEN_ELFNOTE_FEATURES, XEN_ELFNOTE_HV_START_LOW, XEN_ELFNOTE_L1_MFN_VALID,
        XEN_ELFNOTE_SUSPEND_CANCEL, XEN_ELFNOTE_INIT_P2M, XEN_ELFNOTE_MOD_START_PFN,
        XEN_ELFNOTE_SUPPORTED_FEATURES, XEN_ELFNOTE_PHYS32_ENTRY,
    };
    for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
        ck_assert(xen_elfnotes_has(&n, present[i]));
    ck_assert(!xen_elfnotes_has(&n, XEN_ELFNOTE_BSD_SYMTAB));
    ck_assert(!xen_elfnotes_has(&n, XEN_ELFNOTE_INFO));
    ck_assert(!xen_elfnotes_has(&n, 40));
}
END_TEST

static int count_notes(void *ctx, const struct elf_note *note)
{
    int *c = ctx;
    if (strcmp(note->name, "GNU") == 0) {
        ck_assert_uint_eq(note->type, 3);
        ck_assert_uint_eq(note->descsz, 20);
        ck_assert_int_eq(((const unsigned char *)note->desc)[0], 0xeb);
    }
    (*c)++;
    return 0;
}

static int stop_at_gnu(void *ctx, const struct elf_note *note)
{
    (void)ctx;
    return strcmp(note->name, "GNU") == 0 ? 7 : 0;
}

START_TEST(note_iterator)
{
    build_linux();
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    int count = 0;
    ck_assert_int_eq(elf_for_each_note(&img, count_notes, &count), 0);
    ck_assert_int_eq(count, (int)NR_LINUX_NOTES);
    ck_assert_int_eq(elf_for_each_note(&img, stop_at_gnu, NULL), 7);
}
END_TEST

START_TEST(hypercall_page_absent_in_new_kernels)
{
    struct note_spec notes[NR_LINUX_NOTES];
    size_t n = 0;
    for (size_t i = 0; i < NR_LINUX_NOTES; i++)
        if (linux_notes[i].type != XEN_ELFNOTE_HYPERCALL_PAGE ||
            strcmp(linux_notes[i].name, "Xen"))
            notes[n++] = linux_notes[i];
    build(notes, n);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    struct xen_elfnotes x;
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), 0);
    ck_assert(!xen_elfnotes_has(&x, XEN_ELFNOTE_HYPERCALL_PAGE));
    ck_assert(xen_elfnotes_has(&x, XEN_ELFNOTE_ENTRY));
}
END_TEST

START_TEST(no_xen_notes)
{
    static const struct note_spec notes[] = {
        { "GNU", 3, build_id, sizeof(build_id) },
        { "Xe", XEN_ELFNOTE_ENTRY, &entry, 8 },     /* not "Xen" */
        { "XenX", XEN_ELFNOTE_ENTRY, &entry, 8 },
    };
    build(notes, 3);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    struct xen_elfnotes x;
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), -1);
    ck_assert_str_eq(why, "no Xen ELF notes: not a PV kernel");
    /* No PT_NOTE at all. */
    build_linux();
    set_ph32(PH_NOTES, F_TYPE, 6);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), -1);
    ck_assert_str_eq(why, "no Xen ELF notes: not a PV kernel");
}
END_TEST

START_TEST(numeric_note_of_wrong_size)
{
    static const struct note_spec bad_virt[] = {
        { "Xen", XEN_ELFNOTE_GUEST_OS, STR("linux") },
        { "Xen", XEN_ELFNOTE_VIRT_BASE, &virt_base, 3 },
    };
    build(bad_virt, 2);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    struct xen_elfnotes x;
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), -1);
    ck_assert_str_eq(why, "Xen ELF note VIRT_BASE: value is not 4 or 8 bytes");

    static const struct note_spec bad_entry[] = {
        { "Xen", XEN_ELFNOTE_ENTRY, l1_mfn_valid, 16 },
    };
    build(bad_entry, 1);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), -1);
    ck_assert_str_eq(why, "Xen ELF note ENTRY: value is not 4 or 8 bytes");

    static const struct note_spec bad_l1[] = {
        { "Xen", XEN_ELFNOTE_L1_MFN_VALID, l1_mfn_valid, 12 },
    };
    build(bad_l1, 1);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), -1);
    ck_assert_str_eq(why, "Xen ELF note L1_MFN_VALID: value is not 4, 8 or 16 bytes");

    /* A 4-byte ENTRY is fine and a lone L1_MFN_VALID mask is its value. */
    static const struct note_spec small[] = {
        { "Xen", XEN_ELFNOTE_ENTRY, &phys32, 4 },
        { "Xen", XEN_ELFNOTE_L1_MFN_VALID, &one, 4 },
    };
    build(small, 2);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    ck_assert_int_eq(elf_xen_notes(&img, &x, &why), 0);
    ck_assert_uint_eq(x.entry, 0x1000850);
    ck_assert_uint_eq(x.l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(x.l1_mfn_valid_value, 1);
}
END_TEST

START_TEST(header_errors)
{
    build_linux();
    assert_refused(0, "not an ELF file (bad magic)");
    assert_refused(3, "not an ELF file (bad magic)");
    assert_refused(40, "file too small for an ELF header");
    assert_refused(63, "file too small for an ELF header");

    build_linux(); img_buf[1] = 'X';
    assert_refused(IMAGE_SIZE, "not an ELF file (bad magic)");
    build_linux(); img_buf[4] = 1;
    assert_refused(IMAGE_SIZE, "not a 64-bit ELF file (ELFCLASS64 expected)");
    build_linux(); img_buf[5] = 2;
    assert_refused(IMAGE_SIZE, "not a little-endian ELF file (ELFDATA2LSB expected)");
    build_linux(); img_buf[6] = 0;
    assert_refused(IMAGE_SIZE, "unknown ELF version (1 expected)");
    build_linux(); put16(18, 3);
    assert_refused(IMAGE_SIZE, "not an x86-64 ELF file (EM_X86_64 expected)");
    build_linux(); put16(16, 3);
    assert_refused(IMAGE_SIZE, "not an executable ELF file (ET_EXEC expected)");
    build_linux(); put16(52, 52);
    assert_refused(IMAGE_SIZE, "ELF header size field smaller than an ELF64 header");
}
END_TEST

START_TEST(program_header_table_errors)
{
    build_linux();
    assert_refused(64 + PH_ENTSIZE, "program header table runs past the end of the file");
    build_linux(); put64(32, IMAGE_SIZE - 100);
    assert_refused(IMAGE_SIZE, "program header table runs past the end of the file");
    build_linux(); put64(32, UINT64_MAX - 10);     /* offset + size wraps */
    assert_refused(IMAGE_SIZE, "program header table runs past the end of the file");
    build_linux(); put16(56, 0);
    assert_refused(IMAGE_SIZE, "no program headers");
    build_linux(); put16(56, 0xffff);
    assert_refused(IMAGE_SIZE, "too many program headers");
    build_linux(); put16(56, ELF_MAX_PHNUM + 1);
    assert_refused(IMAGE_SIZE, "too many program headers");
    build_linux(); put16(54, 32);
    assert_refused(IMAGE_SIZE, "program header entry size smaller than an ELF64 program header");
    build_linux();
    set_ph32(PH_TEXT, F_TYPE, 6);
    set_ph32(PH_DATA, F_TYPE, 0);
    assert_refused(IMAGE_SIZE, "no PT_LOAD segment with contents");
    build_linux();
    set_ph64(PH_TEXT, F_MEMSZ, 0); set_ph64(PH_TEXT, F_FILESZ, 0);
    set_ph64(PH_DATA, F_MEMSZ, 0); set_ph64(PH_DATA, F_FILESZ, 0);
    assert_refused(IMAGE_SIZE, "no PT_LOAD segment with contents");
}
END_TEST

START_TEST(segment_errors)
{
    build_linux();
    assert_refused(DATA_OFF + DATA_FILESZ - 1, "PT_LOAD segment runs past the end of the file");
    build_linux(); set_ph64(PH_TEXT, F_OFFSET, UINT64_MAX - 0x10);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment runs past the end of the file");
    build_linux(); set_ph64(PH_DATA, F_FILESZ, UINT64_MAX);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment runs past the end of the file");
    build_linux(); set_ph64(PH_DATA, F_FILESZ, DATA_MEMSZ + 1);
    set_ph64(PH_DATA, F_OFFSET, 0);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment has p_filesz larger than p_memsz");
    build_linux(); set_ph64(PH_TEXT, F_MEMSZ, (1ull << 40) + 1);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment larger than 1 TiB");
    build_linux(); set_ph64(PH_TEXT, F_MEMSZ, UINT64_MAX);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment larger than 1 TiB");
    build_linux(); set_ph64(PH_TEXT, F_PADDR, UINT64_MAX - 0x1000);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment wraps around the physical address space");
    build_linux(); set_ph64(PH_TEXT, F_VADDR, UINT64_MAX - 0x1000);
    assert_refused(IMAGE_SIZE, "PT_LOAD segment wraps around the virtual address space");
    /* Physical overlap, even though the virtual ranges are disjoint. */
    build_linux(); set_ph64(PH_DATA, F_PADDR, TEXT_PADDR + TEXT_MEMSZ - 1);
    assert_refused(IMAGE_SIZE, "PT_LOAD segments overlap in physical memory");
    build_linux(); set_ph64(PH_DATA, F_PADDR, TEXT_PADDR - DATA_MEMSZ + 1);
    assert_refused(IMAGE_SIZE, "PT_LOAD segments overlap in physical memory");
    /* Touching is not overlapping. */
    build_linux(); set_ph64(PH_DATA, F_PADDR, TEXT_PADDR + TEXT_MEMSZ);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    build_linux(); set_ph64(PH_DATA, F_PADDR, TEXT_PADDR - DATA_MEMSZ);
    ck_assert_int_eq(open_first(IMAGE_SIZE), 0);
    uint64_t start, end;
    elf_phys_extent(&img, &start, &end);
    ck_assert_uint_eq(start, TEXT_PADDR - DATA_MEMSZ);
    ck_assert_uint_eq(end, TEXT_PADDR + TEXT_MEMSZ);
}
END_TEST

START_TEST(note_errors)
{
    build_linux(); set_ph64(PH_NOTES, F_FILESZ, IMAGE_SIZE);
    assert_refused(IMAGE_SIZE, "PT_NOTE segment runs past the end of the file");
    build_linux(); set_ph64(PH_NOTES, F_OFFSET, UINT64_MAX);
    assert_refused(IMAGE_SIZE, "PT_NOTE segment runs past the end of the file");
    /* The segment claims 4 more bytes: zeroes, not a whole note header. */
    build_linux(); set_ph64(PH_NOTES, F_FILESZ, notes_len + 4);
    assert_refused(IMAGE_SIZE, "ELF note segment ends inside a note header");
    /* The segment is cut in the middle of the last note's descriptor. */
    build_linux(); set_ph64(PH_NOTES, F_FILESZ, notes_len - 2);
    assert_refused(IMAGE_SIZE, "ELF note descriptor runs past the end of its note segment");
    build_linux(); put32(NOTE_OFF + 4, 0x7fffffff);      /* first descsz */
    assert_refused(IMAGE_SIZE, "ELF note descriptor runs past the end of its note segment");
    build_linux(); put32(NOTE_OFF + 4, UINT32_MAX);
    assert_refused(IMAGE_SIZE, "ELF note descriptor runs past the end of its note segment");
    build_linux(); put32(NOTE_OFF, UINT32_MAX);          /* first namesz */
    assert_refused(IMAGE_SIZE, "ELF note name runs past the end of its note segment");
    build_linux(); img_buf[NOTE_OFF + 12 + 3] = 'x';      /* "Xenx" */
    assert_refused(IMAGE_SIZE, "ELF note name is not NUL-terminated");
    /* An 8-aligned note segment pads to 8: our 4-padded notes misparse. */
    build_linux(); set_ph64(PH_NOTES, F_ALIGN, 8);
    ck_assert_int_eq(open_first(IMAGE_SIZE), -1);
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(bzimage_detected)
{
    memset(img_buf, 0, sizeof(img_buf));
    img_buf[0x1fe] = 0x55;
    img_buf[0x1ff] = 0xaa;
    memcpy(img_buf + 0x202, "HdrS", 4);
    assert_refused(0x1000, "bzImage: give the uncompressed vmlinux (extract the payload first)");
    assert_refused(0x205, "not an ELF file (bad magic)");   /* magic cut off */
    why = NULL;
    ck_assert_int_eq(elf_open(&img, NULL, 0, &why), -1);
    ck_assert_str_eq(why, "not an ELF file (bad magic)");
}
END_TEST

/* Every truncation of a good image: refused while a segment is cut,
 * accepted once the whole last segment is there. */
START_TEST(every_truncation)
{
    for (size_t size = 0; size <= IMAGE_SIZE; size++) {
        build_linux();
        int r = open_first(size);
        if (size < DATA_OFF + DATA_FILESZ) {
            ck_assert_int_eq(r, -1);
            ck_assert_ptr_nonnull(why);
        } else {
            ck_assert_int_eq(r, 0);
        }
    }
}
END_TEST

static int touch_note(void *ctx, const struct elf_note *note)
{
    unsigned int *sum = ctx;
    for (uint32_t i = 0; i < note->namesz; i++)
        *sum += (unsigned char)note->name[i];
    for (uint32_t i = 0; i < note->descsz; i++)
        *sum += ((const unsigned char *)note->desc)[i];
    return 0;
}

static int touch_segment(void *ctx, uint64_t paddr, const void *src,
                         uint64_t filesz, uint64_t memsz)
{
    unsigned int *sum = ctx;
    (void)paddr;
    ck_assert_uint_le(filesz, memsz);
    for (uint64_t i = 0; i < filesz; i++)
        *sum += ((const unsigned char *)src)[i];
    return 0;
}

/* Random corruption of the headers and notes: whatever elf_open accepts
 * must be safe to walk completely (ASan watches every byte read). */
START_TEST(random_corruption_never_crashes)
{
    unsigned int seed = 4242, sum = 0;
    int accepted = 0;
    for (int round = 0; round < 4000; round++) {
        build_linux();
        int flips = 1 + rand_r(&seed) % 4;
        for (int f = 0; f < flips; f++) {
            size_t at = (size_t)rand_r(&seed) % (NOTE_OFF + notes_len);
            img_buf[at] = (unsigned char)rand_r(&seed);
        }
        if (open_first(IMAGE_SIZE) != 0) {
            ck_assert_ptr_nonnull(why);
            continue;
        }
        accepted++;
        struct xen_elfnotes x;
        elf_xen_notes(&img, &x, &why);
        elf_for_each_note(&img, touch_note, &sum);
        elf_load(&img, touch_segment, &sum);
    }
    ck_assert_int_gt(accepted, 0);
}
END_TEST

static Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, good_image_opens);
    tcase_add_test(tc, load_stops_on_callback_error);
    tcase_add_test(tc, xen_notes_decoded);
    tcase_add_test(tc, note_iterator);
    tcase_add_test(tc, hypercall_page_absent_in_new_kernels);
    tcase_add_test(tc, no_xen_notes);
    tcase_add_test(tc, numeric_note_of_wrong_size);
    tcase_add_test(tc, header_errors);
    tcase_add_test(tc, program_header_table_errors);
    tcase_add_test(tc, segment_errors);
    tcase_add_test(tc, note_errors);
    tcase_add_test(tc, bzimage_detected);
    tcase_add_test(tc, every_truncation);
    tcase_add_test(tc, random_corruption_never_crashes);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(elf_suite());
}
