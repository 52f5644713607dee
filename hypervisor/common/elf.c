/*
 * ELF64 loader for PV guest kernels (see elf.h).
 *
 * Field offsets are those of the ELF64 specification (System V gABI);
 * fields are read byte-wise so the buffer needs no alignment.
 */
#include "common/elf.h"

/* ELF header */
#define EH_SIZE        64
#define EH_CLASS       4
#define EH_DATA        5
#define EH_VERSION     6
#define EH_TYPE        16
#define EH_MACHINE     18
#define EH_ENTRY       24
#define EH_PHOFF       32
#define EH_EHSIZE      52
#define EH_PHENTSIZE   54
#define EH_PHNUM       56

#define CLASS_64       2
#define DATA_LSB       1
#define TYPE_EXEC      2
#define MACHINE_X86_64 62
#define PHNUM_EXTENDED 0xffff

/* Program header */
#define PH_SIZE        56
#define PH_TYPE        0
#define PH_FLAGS       4
#define PH_OFFSET      8
#define PH_VADDR       16
#define PH_PADDR       24
#define PH_FILESZ      32
#define PH_MEMSZ       40
#define PH_ALIGN       48

#define PT_LOAD        1
#define PT_NOTE        4

#define NOTE_HEADER    12

/* The Linux boot protocol's setup header: "HdrS" at 0x202. */
#define BZIMAGE_MAGIC_OFFSET 0x202

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd16(p) | ((uint32_t)rd16(p + 2) << 16);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

struct phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static void read_phdr(const struct elf_image *img, unsigned int i,
                      struct phdr *ph)
{
    const uint8_t *p = img->data + img->phoff + (uint64_t)i * img->phentsize;

    ph->type = rd32(p + PH_TYPE);
    ph->flags = rd32(p + PH_FLAGS);
    ph->offset = rd64(p + PH_OFFSET);
    ph->vaddr = rd64(p + PH_VADDR);
    ph->paddr = rd64(p + PH_PADDR);
    ph->filesz = rd64(p + PH_FILESZ);
    ph->memsz = rd64(p + PH_MEMSZ);
    ph->align = rd64(p + PH_ALIGN);
}

static bool in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
    return off <= img->size && len <= img->size - off;
}

/* Notes pad name and descriptor to 4 bytes, or 8 in an 8-aligned segment. */
static uint64_t note_align(const struct phdr *ph)
{
    return ph->align == 8 ? 8 : 4;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/*
 * Walk the notes of one PT_NOTE segment.  With fn NULL it only checks
 * them.  Returns 0, fn's non-zero value, or -1 with *why.
 */
static int walk_notes(const struct elf_image *img, const struct phdr *ph,
                      elf_note_fn fn, void *ctx, const char **why)
{
    const uint8_t *p = img->data + ph->offset;
    uint64_t left = ph->filesz, a = note_align(ph);

    while (left > 0) {
        if (left < NOTE_HEADER) {
            *why = "ELF note segment ends inside a note header";
            return -1;
        }
        struct elf_note n;
        n.namesz = rd32(p);
        n.descsz = rd32(p + 4);
        n.type = rd32(p + 8);
        uint64_t name_space = round_up(n.namesz, a);
        if (name_space > left - NOTE_HEADER) {
            *why = "ELF note name runs past the end of its note segment";
            return -1;
        }
        uint64_t desc_at = NOTE_HEADER + name_space;
        if (n.descsz > left - desc_at) {
            *why = "ELF note descriptor runs past the end of its note segment";
            return -1;
        }
        n.name = (const char *)p + NOTE_HEADER;
        if (n.namesz > 0 && n.name[n.namesz - 1] != '\0') {
            *why = "ELF note name is not NUL-terminated";
            return -1;
        }
        if (n.namesz == 0)
            n.name = "";
        n.desc = p + desc_at;

        /* The last descriptor's padding may be cut off by the segment end. */
        uint64_t step = desc_at + round_up(n.descsz, a);
        if (step > left)
            step = left;
        if (fn) {
            int r = fn(ctx, &n);
            if (r)
                return r;
        }
        p += step;
        left -= step;
    }
    return 0;
}

static int check_load(const struct phdr *ph, const char **why)
{
    if (ph->filesz > ph->memsz) {
        *why = "PT_LOAD segment has p_filesz larger than p_memsz";
        return -1;
    }
    if (ph->memsz > ELF_MAX_SEGMENT_SIZE) {
        *why = "PT_LOAD segment larger than 1 TiB";
        return -1;
    }
    if (ph->memsz > UINT64_MAX - ph->paddr) {
        *why = "PT_LOAD segment wraps around the physical address space";
        return -1;
    }
    if (ph->memsz > UINT64_MAX - ph->vaddr) {
        *why = "PT_LOAD segment wraps around the virtual address space";
        return -1;
    }
    return 0;
}

/* Pairwise: a kernel has a handful of segments, and phnum is capped. */
static int check_overlaps(const struct elf_image *img, const char **why)
{
    struct phdr a, b;

    for (unsigned int i = 0; i < img->phnum; i++) {
        read_phdr(img, i, &a);
        if (a.type != PT_LOAD || a.memsz == 0)
            continue;
        for (unsigned int j = i + 1; j < img->phnum; j++) {
            read_phdr(img, j, &b);
            if (b.type != PT_LOAD || b.memsz == 0)
                continue;
            if (a.paddr < b.paddr + b.memsz && b.paddr < a.paddr + a.memsz) {
                *why = "PT_LOAD segments overlap in physical memory";
                return -1;
            }
        }
    }
    return 0;
}

static int check_segments(struct elf_image *img, const char **why)
{
    struct phdr ph;

    img->nr_load = 0;
    img->paddr_start = UINT64_MAX;
    img->paddr_end = 0;
    for (unsigned int i = 0; i < img->phnum; i++) {
        read_phdr(img, i, &ph);
        if (ph.type == PT_LOAD) {
            if (!in_file(img, ph.offset, ph.filesz)) {
                *why = "PT_LOAD segment runs past the end of the file";
                return -1;
            }
            if (check_load(&ph, why))
                return -1;
            img->nr_load++;
            if (ph.memsz == 0)
                continue;
            if (ph.paddr < img->paddr_start)
                img->paddr_start = ph.paddr;
            if (ph.paddr + ph.memsz > img->paddr_end)
                img->paddr_end = ph.paddr + ph.memsz;
        } else if (ph.type == PT_NOTE) {
            if (!in_file(img, ph.offset, ph.filesz)) {
                *why = "PT_NOTE segment runs past the end of the file";
                return -1;
            }
            if (walk_notes(img, &ph, NULL, NULL, why))
                return -1;
        }
    }
    if (img->nr_load == 0 || img->paddr_end == 0) {
        *why = "no PT_LOAD segment with contents";
        return -1;
    }
    return check_overlaps(img, why);
}

static bool has_elf_magic(const uint8_t *d, size_t size)
{
    return size >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' &&
           d[3] == 'F';
}

static bool is_bzimage(const uint8_t *d, size_t size)
{
    if (size < BZIMAGE_MAGIC_OFFSET + 4)
        return false;
    const uint8_t *m = d + BZIMAGE_MAGIC_OFFSET;
    return m[0] == 'H' && m[1] == 'd' && m[2] == 'r' && m[3] == 'S';
}

static int check_header(struct elf_image *img, const char **why)
{
    const uint8_t *d = img->data;

    if (!has_elf_magic(d, img->size)) {
        *why = is_bzimage(d, img->size)
            ? "bzImage: give the uncompressed vmlinux (extract the payload first)"
            : "not an ELF file (bad magic)";
        return -1;
    }
    if (img->size < EH_SIZE) {
        *why = "file too small for an ELF header";
        return -1;
    }
    if (d[EH_CLASS] != CLASS_64) {
        *why = "not a 64-bit ELF file (ELFCLASS64 expected)";
        return -1;
    }
    if (d[EH_DATA] != DATA_LSB) {
        *why = "not a little-endian ELF file (ELFDATA2LSB expected)";
        return -1;
    }
    if (d[EH_VERSION] != 1) {
        *why = "unknown ELF version (1 expected)";
        return -1;
    }
    if (rd16(d + EH_MACHINE) != MACHINE_X86_64) {
        *why = "not an x86-64 ELF file (EM_X86_64 expected)";
        return -1;
    }
    if (rd16(d + EH_TYPE) != TYPE_EXEC) {
        *why = "not an executable ELF file (ET_EXEC expected)";
        return -1;
    }
    if (rd16(d + EH_EHSIZE) < EH_SIZE) {
        *why = "ELF header size field smaller than an ELF64 header";
        return -1;
    }
    return 0;
}

static int check_phdr_table(struct elf_image *img, const char **why)
{
    const uint8_t *d = img->data;

    img->phoff = rd64(d + EH_PHOFF);
    img->phentsize = rd16(d + EH_PHENTSIZE);
    img->phnum = rd16(d + EH_PHNUM);
    if (img->phnum == 0) {
        *why = "no program headers";
        return -1;
    }
    if (img->phnum == PHNUM_EXTENDED || img->phnum > ELF_MAX_PHNUM) {
        *why = "too many program headers";
        return -1;
    }
    if (img->phentsize < PH_SIZE) {
        *why = "program header entry size smaller than an ELF64 program header";
        return -1;
    }
    if (!in_file(img, img->phoff, (uint64_t)img->phnum * img->phentsize)) {
        *why = "program header table runs past the end of the file";
        return -1;
    }
    return 0;
}

int elf_open(struct elf_image *img, const void *data, size_t size,
             const char **why)
{
    img->data = data;
    img->size = data ? size : 0;
    img->phnum = 0;
    img->nr_load = 0;
    if (check_header(img, why) || check_phdr_table(img, why) ||
        check_segments(img, why)) {
        img->phnum = 0;   /* accessors of a failed image see nothing */
        img->nr_load = 0;
        return -1;
    }
    img->entry = rd64(img->data + EH_ENTRY);
    return 0;
}

unsigned int elf_segment_count(const struct elf_image *img)
{
    return img->nr_load;
}

int elf_segment(const struct elf_image *img, unsigned int i,
                struct elf_segment *out)
{
    struct phdr ph;
    unsigned int seen = 0;

    for (unsigned int k = 0; k < img->phnum; k++) {
        read_phdr(img, k, &ph);
        if (ph.type != PT_LOAD)
            continue;
        if (seen++ == i) {
            out->paddr = ph.paddr;
            out->vaddr = ph.vaddr;
            out->offset = ph.offset;
            out->filesz = ph.filesz;
            out->memsz = ph.memsz;
            out->flags = ph.flags;
            return 0;
        }
    }
    return -1;
}

void elf_phys_extent(const struct elf_image *img, uint64_t *start,
                     uint64_t *end)
{
    *start = img->paddr_start;
    *end = img->paddr_end;
}

int elf_load(const struct elf_image *img, elf_copy_fn copy, void *ctx)
{
    struct elf_segment seg;

    for (unsigned int i = 0; elf_segment(img, i, &seg) == 0; i++) {
        int r = copy(ctx, seg.paddr, img->data + seg.offset, seg.filesz,
                     seg.memsz);
        if (r)
            return r;
    }
    return 0;
}

int elf_for_each_note(const struct elf_image *img, elf_note_fn fn, void *ctx)
{
    struct phdr ph;
    const char *ignored;

    for (unsigned int i = 0; i < img->phnum; i++) {
        read_phdr(img, i, &ph);
        if (ph.type != PT_NOTE)
            continue;
        int r = walk_notes(img, &ph, fn, ctx, &ignored);
        if (r)
            return r;
    }
    return 0;
}

/* ---- Xen notes ---- */

enum xen_note_kind { XEN_NOTE_STRING, XEN_NOTE_NUMBER, XEN_NOTE_L1_MFN_VALID };

struct xen_note_desc {
    unsigned int type;
    enum xen_note_kind kind;
    size_t field;              /* offsetof in struct xen_elfnotes */
    const char *bad_size;      /* message for a value of the wrong size */
};

#define XEN_STRING(name, field) \
    { XEN_ELFNOTE_##name, XEN_NOTE_STRING, \
      __builtin_offsetof(struct xen_elfnotes, field), NULL }
#define XEN_NUMBER(name, field) \
    { XEN_ELFNOTE_##name, XEN_NOTE_NUMBER, \
      __builtin_offsetof(struct xen_elfnotes, field), \
      "Xen ELF note " #name ": value is not 4 or 8 bytes" }

static const struct xen_note_desc xen_notes[] = {
    XEN_STRING(GUEST_OS, guest_os),
    XEN_STRING(GUEST_VERSION, guest_version),
    XEN_STRING(XEN_VERSION, xen_version),
    XEN_STRING(LOADER, loader),
    XEN_STRING(PAE_MODE, pae_mode),
    XEN_STRING(FEATURES, features),
    XEN_STRING(BSD_SYMTAB, bsd_symtab),
    XEN_NUMBER(ENTRY, entry),
    XEN_NUMBER(HYPERCALL_PAGE, hypercall_page),
    XEN_NUMBER(VIRT_BASE, virt_base),
    XEN_NUMBER(PADDR_OFFSET, paddr_offset),
    XEN_NUMBER(HV_START_LOW, hv_start_low),
    XEN_NUMBER(INIT_P2M, init_p2m),
    XEN_NUMBER(PHYS32_ENTRY, phys32_entry),
    XEN_NUMBER(SUPPORTED_FEATURES, supported_features),
    XEN_NUMBER(SUSPEND_CANCEL, suspend_cancel),
    XEN_NUMBER(MOD_START_PFN, mod_start_pfn),
    { XEN_ELFNOTE_L1_MFN_VALID, XEN_NOTE_L1_MFN_VALID,
      __builtin_offsetof(struct xen_elfnotes, l1_mfn_valid_mask),
      "Xen ELF note L1_MFN_VALID: value is not 4, 8 or 16 bytes" },
};

struct xen_note_walk {
    struct xen_elfnotes *out;
    const char *why;
    bool any;
};

static bool read_number(const struct elf_note *n, uint32_t at, uint32_t size,
                        uint64_t *v)
{
    const uint8_t *p = (const uint8_t *)n->desc + at;

    if (size == 4)
        *v = rd32(p);
    else if (size == 8)
        *v = rd64(p);
    else
        return false;
    return true;
}

static bool decode_xen_note(const struct xen_note_desc *d,
                            const struct elf_note *n, struct xen_elfnotes *out)
{
    char *field = (char *)out + d->field;

    switch (d->kind) {
    case XEN_NOTE_STRING: {
        struct xen_elfnote_string *s = (struct xen_elfnote_string *)field;
        const char *text = n->desc;
        uint32_t len = 0;
        while (len < n->descsz && text[len] != '\0')
            len++;
        s->s = text;
        s->len = len;
        return true;
    }
    case XEN_NOTE_NUMBER:
        return read_number(n, 0, n->descsz, (uint64_t *)field);
    case XEN_NOTE_L1_MFN_VALID:
        /* Linux gives mask and value; a lone number is a mask that must
         * be fully set. */
        if (n->descsz == 16)
            return read_number(n, 0, 8, &out->l1_mfn_valid_mask) &&
                   read_number(n, 8, 8, &out->l1_mfn_valid_value);
        if (!read_number(n, 0, n->descsz, &out->l1_mfn_valid_mask))
            return false;
        out->l1_mfn_valid_value = out->l1_mfn_valid_mask;
        return true;
    }
    return false;
}

static int collect_xen_note(void *ctx, const struct elf_note *n)
{
    struct xen_note_walk *w = ctx;

    if (n->namesz != sizeof(XEN_ELFNOTE_NAME) ||
        !xen_elfnote_string_is(&(struct xen_elfnote_string){ n->name, 3 },
                               XEN_ELFNOTE_NAME))
        return 0;
    w->any = true;
    for (size_t i = 0; i < sizeof(xen_notes) / sizeof(xen_notes[0]); i++) {
        const struct xen_note_desc *d = &xen_notes[i];
        if (d->type != n->type)
            continue;
        if (!decode_xen_note(d, n, w->out)) {
            w->why = d->bad_size;
            return -1;
        }
        w->out->present |= 1u << d->type;
    }
    return 0;   /* other Xen note types are not for a PV loader */
}

int elf_xen_notes(const struct elf_image *img, struct xen_elfnotes *out,
                  const char **why)
{
    struct xen_note_walk w = { .out = out, .why = NULL, .any = false };

    __builtin_memset(out, 0, sizeof(*out));
    if (elf_for_each_note(img, collect_xen_note, &w)) {
        *why = w.why;
        return -1;
    }
    if (!w.any) {
        *why = "no Xen ELF notes: not a PV kernel";
        return -1;
    }
    return 0;
}

bool xen_elfnote_string_is(const struct xen_elfnote_string *s,
                           const char *want)
{
    uint32_t i;

    for (i = 0; i < s->len; i++)
        if (want[i] != s->s[i])
            return false;
    return want[i] == '\0';
}
