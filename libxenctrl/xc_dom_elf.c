/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The ELF64 side of the builder: headers checked against the file, the
 * Xen notes (PT_NOTE segments, name "Xen") read into dom->parms, and the
 * PT_LOAD segments copied to their pseudo-physical place (p_paddr less
 * PADDR_OFFSET) in the guest's memory.  Every offset and length from the
 * image is checked before use; sums are done in 64 bits with overflow
 * checks, so a hostile image is refused, never followed.
 */
#include <elf.h>
#include <string.h>

#include "public/elfnote.h"
#include "xc_dom_private.h"

static const Elf64_Ehdr *ehdr(struct xc_dom_image *dom)
{
    return dom->elf;
}

/* A copy of program header i (the table was checked to lie in the file;
 * the copy avoids unaligned access into the image). */
static Elf64_Phdr phdr(struct xc_dom_image *dom, unsigned i)
{
    Elf64_Phdr ph;
    const Elf64_Ehdr *eh = ehdr(dom);

    memcpy(&ph, (const char *)dom->elf + eh->e_phoff + (uint64_t)i * eh->e_phentsize,
           sizeof(ph));
    return ph;
}

static bool in_file(struct xc_dom_image *dom, uint64_t off, uint64_t len)
{
    return off <= dom->elf_size && len <= dom->elf_size - off;
}

static int check_headers(struct xc_dom_image *dom)
{
    const unsigned char *id = dom->elf;

    if (dom->elf_size < sizeof(Elf64_Ehdr))
        return xc__dom_err(dom, "kernel (%s): truncated ELF header: %zu bytes, "
                           "need %zu", dom->kernel_format, dom->elf_size,
                           sizeof(Elf64_Ehdr));
    if (memcmp(id, ELFMAG, SELFMAG))
        return xc__dom_err(dom, "kernel (%s): not an ELF image (no \\177ELF magic)",
                           dom->kernel_format);
    if (id[EI_CLASS] != ELFCLASS64)
        return xc__dom_err(dom, "kernel: ELF class %u, not ELF64: a 32-bit kernel "
                           "is not a 64-bit PV guest", id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return xc__dom_err(dom, "kernel: ELF data encoding %u, not little-endian",
                           id[EI_DATA]);
    Elf64_Ehdr eh;
    memcpy(&eh, dom->elf, sizeof(eh));
    if (eh.e_machine != EM_X86_64)
        return xc__dom_err(dom, "kernel: ELF machine %u, not x86-64 (%u): wrong "
                           "guest type", eh.e_machine, EM_X86_64);
    if (eh.e_type != ET_EXEC)
        return xc__dom_err(dom, "kernel: ELF type %u, not an executable (ET_EXEC)",
                           eh.e_type);
    if (eh.e_phnum == 0)
        return xc__dom_err(dom, "kernel: ELF has no program headers");
    if (eh.e_phentsize < sizeof(Elf64_Phdr))
        return xc__dom_err(dom, "kernel: program header size %u, less than %zu",
                           eh.e_phentsize, sizeof(Elf64_Phdr));
    if (!in_file(dom, eh.e_phoff, (uint64_t)eh.e_phnum * eh.e_phentsize))
        return xc__dom_err(dom, "kernel: program headers (%u at %#llx) lie outside "
                           "the %zu-byte file", eh.e_phnum,
                           (unsigned long long)eh.e_phoff, dom->elf_size);
    return 0;
}

static uint64_t note_number(const unsigned char *desc, uint32_t len)
{
    uint32_t v32;
    uint64_t v64;

    if (len == 4) {
        memcpy(&v32, desc, 4);
        return v32;
    }
    memcpy(&v64, desc, 8);
    return v64;
}

static void note_string(char *dst, size_t dst_size, const unsigned char *desc,
                        uint32_t len)
{
    size_t n = strnlen((const char *)desc, len);
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, desc, n);
    dst[n] = '\0';
}

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

/* "a|!b|c": each name supported, '!' also required. */
static int parse_features(struct xc_dom_image *dom, const char *s)
{
    while (*s) {
        bool required = *s == '!';
        if (required)
            s++;
        size_t n = strcspn(s, "|");
        unsigned i;
        for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
            if (feature_names[i] && strlen(feature_names[i]) == n &&
                !memcmp(feature_names[i], s, n))
                break;
        if (i == sizeof(feature_names) / sizeof(feature_names[0]))
            return xc__dom_err(dom, "kernel: unknown feature '%.*s' in the "
                               "XEN_ELFNOTE_FEATURES note", (int)n, s);
        dom->parms.f_supported[0] |= 1U << i;
        if (required)
            dom->parms.f_required[0] |= 1U << i;
        s += n;
        if (*s == '|')
            s++;
    }
    return 0;
}

static int read_note(struct xc_dom_image *dom, uint32_t type,
                     const unsigned char *desc, uint32_t len)
{
    struct xc_dom_parms *p = &dom->parms;
    bool numeric = type == XEN_ELFNOTE_ENTRY || type == XEN_ELFNOTE_HYPERCALL_PAGE ||
                   type == XEN_ELFNOTE_VIRT_BASE || type == XEN_ELFNOTE_PADDR_OFFSET ||
                   type == XEN_ELFNOTE_INIT_P2M || type == XEN_ELFNOTE_PHYS32_ENTRY ||
                   type == XEN_ELFNOTE_SUPPORTED_FEATURES ||
                   type == XEN_ELFNOTE_MOD_START_PFN;
    uint64_t v = 0;

    if (numeric) {
        if (len != 4 && len != 8)
            return xc__dom_err(dom, "kernel: Xen note %u has a %u-byte value "
                               "(want 4 or 8)", type, len);
        v = note_number(desc, len);
    }
    switch (type) {
    case XEN_ELFNOTE_ENTRY:          p->virt_entry = v; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: p->virt_hypercall = v; break;
    case XEN_ELFNOTE_VIRT_BASE:      p->virt_base = v; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   p->paddr_offset = v; break;
    case XEN_ELFNOTE_INIT_P2M:       p->virt_init_p2m = v; break;
    case XEN_ELFNOTE_PHYS32_ENTRY:   p->phys32_entry = v; break;
    case XEN_ELFNOTE_MOD_START_PFN:  p->mod_start_pfn = v != 0; break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        p->f_supported[0] |= (uint32_t)v;
        break;
    case XEN_ELFNOTE_GUEST_OS:
        note_string(p->guest_os, sizeof(p->guest_os), desc, len);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        note_string(p->guest_version, sizeof(p->guest_version), desc, len);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        note_string(p->xen_version, sizeof(p->xen_version), desc, len);
        break;
    case XEN_ELFNOTE_LOADER:
        note_string(p->loader, sizeof(p->loader), desc, len);
        break;
    case XEN_ELFNOTE_FEATURES: {
        char s[256];
        note_string(s, sizeof(s), desc, len);
        return parse_features(dom, s);
    }
    default:
        break;          /* informational, 32-bit only, or unknown: ignored */
    }
    return 0;
}

/* Walk one PT_NOTE segment; count the Xen notes found. */
static int read_notes(struct xc_dom_image *dom, uint64_t off, uint64_t size,
                      unsigned *found)
{
    const unsigned char *base = (const unsigned char *)dom->elf + off;
    uint64_t pos = 0;

    while (size - pos >= 12) {
        uint32_t hdr[3];
        memcpy(hdr, base + pos, sizeof(hdr));
        uint64_t namesz = hdr[0], descsz = hdr[1];
        uint64_t name_at = pos + 12;
        uint64_t desc_at = name_at + ((namesz + 3) & ~3ULL);
        uint64_t next = desc_at + ((descsz + 3) & ~3ULL);
        if (desc_at > size || next > size || descsz > size - desc_at)
            return xc__dom_err(dom, "kernel: ELF note at %#llx: name %u and "
                               "descriptor %u bytes overflow the %llu-byte note "
                               "segment", (unsigned long long)(off + pos), hdr[0],
                               hdr[1], (unsigned long long)size);
        if (namesz == 4 && !memcmp(base + name_at, XEN_ELFNOTE_NAME, 4)) {
            (*found)++;
            if (read_note(dom, hdr[2], base + desc_at, hdr[1]) < 0)
                return -1;
        }
        pos = next;
    }
    return 0;
}

int xc__dom_elf_parse(struct xc_dom_image *dom)
{
    struct xc_dom_parms *p = &dom->parms;
    uint64_t pstart = UINT64_MAX, pend = 0;
    unsigned notes = 0, loads = 0;

    memset(p, 0, sizeof(*p));
    p->virt_base = p->paddr_offset = p->virt_entry = XC_DOM_UNSET;
    p->virt_hypercall = p->virt_init_p2m = p->phys32_entry = XC_DOM_UNSET;
    if (check_headers(dom) < 0)
        return -1;
    const Elf64_Ehdr *eh = ehdr(dom);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = phdr(dom, i);
        if (ph.p_type != PT_NOTE && ph.p_type != PT_LOAD)
            continue;
        if (!in_file(dom, ph.p_offset, ph.p_filesz))
            return xc__dom_err(dom, "kernel: program header %u (%s at %#llx, %llu "
                               "bytes) lies outside the %zu-byte file", i,
                               ph.p_type == PT_NOTE ? "PT_NOTE" : "PT_LOAD",
                               (unsigned long long)ph.p_offset,
                               (unsigned long long)ph.p_filesz, dom->elf_size);
        if (ph.p_type == PT_NOTE) {
            if (read_notes(dom, ph.p_offset, ph.p_filesz, &notes) < 0)
                return -1;
            continue;
        }
        if (ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return xc__dom_err(dom, "kernel: segment %u has %llu bytes in the file "
                               "but %llu in memory", i,
                               (unsigned long long)ph.p_filesz,
                               (unsigned long long)ph.p_memsz);
        if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
            return xc__dom_err(dom, "kernel: segment %u at paddr %#llx + %#llx wraps "
                               "around", i, (unsigned long long)ph.p_paddr,
                               (unsigned long long)ph.p_memsz);
        /* Overlap with any earlier load segment. */
        for (unsigned j = 0; j < i; j++) {
            Elf64_Phdr q = phdr(dom, j);
            if (q.p_type != PT_LOAD || q.p_memsz == 0 || q.p_filesz > q.p_memsz ||
                q.p_paddr + q.p_memsz < q.p_paddr)
                continue;
            if (ph.p_paddr < q.p_paddr + q.p_memsz && q.p_paddr < ph.p_paddr + ph.p_memsz)
                return xc__dom_err(dom, "kernel: segments %u and %u overlap (paddr "
                                   "%#llx and %#llx)", j, i,
                                   (unsigned long long)q.p_paddr,
                                   (unsigned long long)ph.p_paddr);
        }
        loads++;
        if (ph.p_paddr < pstart)
            pstart = ph.p_paddr;
        if (ph.p_paddr + ph.p_memsz > pend)
            pend = ph.p_paddr + ph.p_memsz;
    }
    if (!loads)
        return xc__dom_err(dom, "kernel: ELF has no loadable segment");
    if (!notes)
        return xc__dom_err(dom, "kernel: no Xen ELF notes (XEN_ELFNOTE_*): not a PV "
                           "kernel (the legacy __xen_guest section is not read)");
    if (p->virt_entry == XC_DOM_UNSET && p->phys32_entry != XC_DOM_UNSET)
        return xc__dom_err(dom, "kernel: PVH-only image (XEN_ELFNOTE_PHYS32_ENTRY "
                           "without XEN_ELFNOTE_ENTRY): wrong guest type for PV");
    if (p->xen_version[0] && strcmp(p->xen_version, "xen-3.0"))
        return xc__dom_err(dom, "kernel: XEN_ELFNOTE_XEN_VERSION is '%s', not "
                           "'xen-3.0'", p->xen_version);
    if (p->loader[0] && strcmp(p->loader, "generic"))
        return xc__dom_err(dom, "kernel: XEN_ELFNOTE_LOADER is '%s', not 'generic'",
                           p->loader);
    if (p->f_supported[0] & (1U << XENFEAT_auto_translated_physmap) &&
        p->f_required[0] & (1U << XENFEAT_auto_translated_physmap))
        return xc__dom_err(dom, "kernel requires auto_translated_physmap: not a PV "
                           "guest (wrong guest type)");

    /* Defaults as Xen's libelf applies them. */
    if (p->virt_base == XC_DOM_UNSET)
        p->virt_base = 0;
    if (p->paddr_offset == XC_DOM_UNSET)
        p->paddr_offset = 0;
    if (p->virt_entry == XC_DOM_UNSET)
        p->virt_entry = eh->e_entry;
    if (pstart < p->paddr_offset)
        return xc__dom_err(dom, "kernel: segment paddr %#llx is below PADDR_OFFSET "
                           "%#llx", (unsigned long long)pstart,
                           (unsigned long long)p->paddr_offset);
    uint64_t voff = p->virt_base - p->paddr_offset;
    p->virt_kstart = pstart + voff;
    p->virt_kend = pend + voff;
    if (p->virt_kstart < p->virt_base || p->virt_kend < p->virt_kstart)
        return xc__dom_err(dom, "kernel: image %#llx-%#llx does not fit above "
                           "VIRT_BASE %#llx", (unsigned long long)p->virt_kstart,
                           (unsigned long long)p->virt_kend,
                           (unsigned long long)p->virt_base);
    if (p->virt_entry < p->virt_kstart || p->virt_entry >= p->virt_kend)
        return xc__dom_err(dom, "kernel: entry %#llx lies outside the image "
                           "%#llx-%#llx", (unsigned long long)p->virt_entry,
                           (unsigned long long)p->virt_kstart,
                           (unsigned long long)p->virt_kend);
    if (p->virt_hypercall != XC_DOM_UNSET &&
        (p->virt_hypercall & (XC_DOM_PAGE_SIZE - 1) ||
         p->virt_hypercall < p->virt_kstart ||
         p->virt_hypercall + XC_DOM_PAGE_SIZE > p->virt_kend))
        return xc__dom_err(dom, "kernel: hypercall page %#llx is not a page of the "
                           "image %#llx-%#llx", (unsigned long long)p->virt_hypercall,
                           (unsigned long long)p->virt_kstart,
                           (unsigned long long)p->virt_kend);
    return 0;
}

int xc__dom_elf_load(struct xc_dom_image *dom)
{
    const Elf64_Ehdr *eh = ehdr(dom);
    uint64_t limit = (uint64_t)dom->total_pages << XC_DOM_PAGE_SHIFT;

    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = phdr(dom, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        uint64_t dest = ph.p_paddr - dom->parms.paddr_offset;
        if (dest > limit || ph.p_memsz > limit - dest)
            return xc__dom_err(dom, "kernel: segment %u (pseudo-physical %#llx, %llu "
                               "bytes) lies outside the guest's %llu MiB", i,
                               (unsigned long long)dest,
                               (unsigned long long)ph.p_memsz,
                               (unsigned long long)(limit >> 20));
        memcpy(dom->guest_mem + dest, (const char *)dom->elf + ph.p_offset, ph.p_filesz);
        /* The rest (bss) is already zero: build_image cleared the memory. */
    }
    return 0;
}
