/*
 * ELF64 loader for PV guest kernels (the uncompressed vmlinux), with the
 * Xen ELF notes that tell the domain builder how to start the kernel.
 *
 * elf_open() checks the whole file once: after it succeeds, every accessor
 * below stays inside the buffer.  The loader never writes guest memory
 * itself; elf_load() hands each segment to a callback.  Errors are static
 * strings naming what was wrong.
 *
 * Pure logic, shared by the hypervisor and the host unit tests.
 */
#ifndef SUBFLOOR_ELF_H
#define SUBFLOOR_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "public/elfnote.h"

#define ELF_MAX_PHNUM        512             /* more is not a kernel */
#define ELF_MAX_SEGMENT_SIZE (1ull << 40)    /* 1 TiB */

/* p_flags */
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;          /* e_entry: the native entry, NOT the PV one */
    uint64_t phoff;
    unsigned int phentsize;
    unsigned int phnum;
    unsigned int nr_load;    /* PT_LOAD segments */
    uint64_t paddr_start;    /* lowest p_paddr of a non-empty PT_LOAD */
    uint64_t paddr_end;      /* highest p_paddr + p_memsz */
};

/* One PT_LOAD segment. */
struct elf_segment {
    uint64_t paddr;
    uint64_t vaddr;
    uint64_t offset;
    uint64_t filesz;
    uint64_t memsz;
    uint32_t flags;          /* ELF_PF_* */
};

/* Returns 0, or -1 with *why set.  data must stay valid while img is used. */
int elf_open(struct elf_image *img, const void *data, size_t size,
             const char **why);

unsigned int elf_segment_count(const struct elf_image *img);

/* The i-th PT_LOAD segment in file order: 0, or -1 if i is out of range. */
int elf_segment(const struct elf_image *img, unsigned int i,
                struct elf_segment *out);

/* The physical range the kernel occupies: [*start, *end). */
void elf_phys_extent(const struct elf_image *img, uint64_t *start,
                     uint64_t *end);

/*
 * Called once per PT_LOAD segment, in file order: copy filesz bytes from
 * src to paddr and zero the rest up to memsz.  A non-zero return stops the
 * load and is returned by elf_load().
 */
typedef int (*elf_copy_fn)(void *ctx, uint64_t paddr, const void *src,
                           uint64_t filesz, uint64_t memsz);
int elf_load(const struct elf_image *img, elf_copy_fn copy, void *ctx);

/* A note of any PT_NOTE segment.  name is NUL-terminated (namesz counts
 * the NUL); desc is raw and not necessarily NUL-terminated. */
struct elf_note {
    const char *name;
    uint32_t namesz;
    uint32_t type;
    const void *desc;
    uint32_t descsz;
};

/* Calls fn for every note in file order; a non-zero return stops the walk
 * and is returned.  Returns 0 when every note was seen. */
typedef int (*elf_note_fn)(void *ctx, const struct elf_note *note);
int elf_for_each_note(const struct elf_image *img, elf_note_fn fn, void *ctx);

/* A string note: points into the image; len stops at the first NUL (Linux
 * writes FEATURES without one). */
struct xen_elfnote_string {
    const char *s;
    uint32_t len;
};

/* Every Xen note Linux 6.1 carries.  A field is meaningful only when
 * xen_elfnotes_has() says the note was present. */
struct xen_elfnotes {
    uint32_t present;        /* bit (1u << XEN_ELFNOTE_*) per note found */

    struct xen_elfnote_string guest_os;
    struct xen_elfnote_string guest_version;
    struct xen_elfnote_string xen_version;
    struct xen_elfnote_string loader;
    struct xen_elfnote_string pae_mode;
    struct xen_elfnote_string features;
    struct xen_elfnote_string bsd_symtab;

    uint64_t entry;
    uint64_t hypercall_page;
    uint64_t virt_base;
    uint64_t paddr_offset;
    uint64_t hv_start_low;
    uint64_t init_p2m;
    uint64_t phys32_entry;
    uint64_t supported_features;
    uint64_t suspend_cancel;
    uint64_t mod_start_pfn;
    uint64_t l1_mfn_valid_mask;
    uint64_t l1_mfn_valid_value;
};

static inline bool xen_elfnotes_has(const struct xen_elfnotes *n,
                                    unsigned int type)
{
    return type < 32 && (n->present & (1u << type));
}

/* Fill *out from the image's "Xen" notes.  -1 with *why when there are
 * none ("not a PV kernel") or one has a value of the wrong size. */
int elf_xen_notes(const struct elf_image *img, struct xen_elfnotes *out,
                  const char **why);

/* Does the string note equal want exactly? */
bool xen_elfnote_string_is(const struct xen_elfnote_string *s,
                           const char *want);

#endif
