/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The PV domain builder: turns a kernel image (ELF64, or a Linux bzImage
 * whose payload is gzip or XZ), an optional ramdisk and a command line
 * into a runnable 64-bit PV guest laid out as Xen 4.17's libxenguest lays
 * one out.  The call sequence follows Xen's xc_dom_* API:
 *
 *     dom = xc_dom_allocate(xch, cmdline, NULL);
 *     xc_dom_kernel_file(dom, "vmlinuz");        (or xc_dom_kernel_mem)
 *     xc_dom_ramdisk_file(dom, "initrd.img");    (optional)
 *     dom->console_evtchn = ...; dom->xenstore_evtchn = ...;
 *     dom->console_domid = 0; dom->xenstore_domid = 0;
 *     xc_dom_boot_xen_init(dom, xch, domid);     (domain already created,
 *                                                 max_vcpus and max_mem set)
 *     xc_dom_parse_image(dom);                   (notes, features)
 *     xc_dom_mem_init(dom, mem_mib);
 *     xc_dom_boot_mem_init(dom);                 (populate_physmap, map)
 *     xc_dom_build_image(dom);                   (layout, load, p2m, tables,
 *                                                 start_info)
 *     xc_dom_boot_image(dom);                    (hypercall page, pin L4,
 *                                                 shared_info, vCPU 0)
 *     xc_dom_gnttab_init(dom);                   (optional: grant entries
 *                                                 for console and xenstore)
 *     ... dom->console_mfn, dom->xenstore_mfn ...
 *     xc_dom_release(dom);
 *
 * Every function returns 0, or -1 with the reason in dom->last_error (a
 * sentence naming what was wrong) and logged through the handle's logger.
 * A refused image leaves the domain as it was before the failing step.
 *
 * Images refused: anything but ELF64 x86-64 ET_EXEC; no Xen ELF notes
 * (the legacy __xen_guest section is not read); a PVH-only kernel
 * (PHYS32_ENTRY without ENTRY); bzImage payloads compressed with bzip2,
 * LZMA, LZO, LZ4 or zstd (only gzip and XZ are unpacked); INIT_P2M is
 * read but the p2m always goes in the initial mapping (Linux copes).
 */
#ifndef XC_DOM_H
#define XC_DOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"
#include "public/features.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XC_DOM_PAGE_SHIFT 12
#define XC_DOM_PAGE_SIZE  (1UL << XC_DOM_PAGE_SHIFT)

/* Default bounds on unpacked images (decompression bombs). */
#define XC_DOM_MAX_KERNEL_SIZE  (256UL << 20)
#define XC_DOM_MAX_RAMDISK_SIZE (1024UL << 20)

#define XC_DOM_UNSET ((uint64_t)-1)

/* What the kernel's Xen ELF notes say (after defaults are applied). */
struct xc_dom_parms {
    uint64_t virt_base;             /* VIRT_BASE: virtual address of pfn 0 */
    uint64_t paddr_offset;          /* PADDR_OFFSET */
    uint64_t virt_entry;            /* ENTRY (else e_entry) */
    uint64_t virt_hypercall;        /* HYPERCALL_PAGE, or XC_DOM_UNSET */
    uint64_t virt_init_p2m;         /* INIT_P2M, or XC_DOM_UNSET (noted only) */
    uint64_t phys32_entry;          /* PHYS32_ENTRY (PVH), or XC_DOM_UNSET */
    uint64_t virt_kstart, virt_kend;    /* the loaded image, virtual */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS];
    char guest_os[32];
    char guest_version[32];
    char xen_version[32];
    char loader[32];
    bool mod_start_pfn;             /* MOD_START_PFN note */
};

/* A range of the guest's pseudo-physical memory, mapped from virtual
 * address vstart. */
struct xc_dom_seg {
    uint64_t vstart, vend;
    xen_pfn_t pfn, pages;
};

struct xc_dom_image {
    /* ---- Inputs, set by the caller (or the setters below) ---- */
    void *kernel_blob;              /* as given (owned) */
    size_t kernel_size;
    void *ramdisk_blob;             /* loaded as-is (owned) */
    size_t ramdisk_size;
    char *cmdline;                  /* owned; at most 1023 bytes are passed */
    size_t max_kernel_size;         /* bound on the unpacked kernel */
    size_t max_ramdisk_size;
    uint32_t flags;                 /* start_info SIF_* (0 for a domU) */
    uint32_t console_evtchn, xenstore_evtchn;  /* ports in the guest */
    uint32_t console_domid, xenstore_domid;    /* their back ends */

    /* ---- Set by the steps ---- */
    xc_interface *xch;
    uint32_t guest_domid;
    void *elf;                      /* the ELF image (unpacked or the blob) */
    size_t elf_size;
    bool elf_owned;
    const char *kernel_format;      /* "ELF", "bzImage/xz", ... */
    struct xc_dom_parms parms;
    xen_pfn_t total_pages;          /* xc_dom_mem_init */
    xen_pfn_t *p2m_host;            /* pfn -> mfn, total_pages entries */
    uint8_t *guest_mem;             /* all of the guest's memory, mapped until
                                     * xc_dom_boot_image (which unmaps it) */
    bool guest_mem_foreign;         /* munmap (foreign) or free at release */

    struct xc_dom_seg kernel_seg, ramdisk_seg, p2m_seg, pgtables_seg;
    xen_pfn_t start_info_pfn, xenstore_pfn, console_pfn, bootstack_pfn;
    uint64_t virt_alloc_end;        /* end of what the builder placed */
    uint64_t virt_pgtab_end;        /* end of the initial mapping */
    unsigned int nr_pt_frames;
    xen_pfn_t shared_info_mfn;

    /* ---- Outputs ---- */
    xen_pfn_t console_mfn, xenstore_mfn;

    char last_error[512];
};

struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
                                     const char *features);
void xc_dom_release(struct xc_dom_image *dom);

int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename);
int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem, size_t size);
int xc_dom_ramdisk_file(struct xc_dom_image *dom, const char *filename);
int xc_dom_ramdisk_mem(struct xc_dom_image *dom, const void *mem, size_t size);
/* Xen 4.17's names for the one module a PV guest takes (its ramdisk). */
int xc_dom_module_file(struct xc_dom_image *dom, const char *filename,
                       const char *cmdline);
int xc_dom_module_mem(struct xc_dom_image *dom, const void *mem, size_t size,
                      const char *cmdline);

int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch,
                         uint32_t domid);
/* Find the ELF (unpacking a bzImage), read and check its notes. */
int xc_dom_parse_image(struct xc_dom_image *dom);
int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mib);
/* populate_physmap every pfn, keep the p2m, map the memory foreign. */
int xc_dom_boot_mem_init(struct xc_dom_image *dom);
/* Lay out and write the guest's memory: kernel, ramdisk, p2m, start_info,
 * xenstore and console pages, page tables, boot stack. */
int xc_dom_build_image(struct xc_dom_image *dom);
/* The hypervisor's part: hypercall page, pin the L4, mask events in
 * shared_info, vCPU 0's context.  The domain stays paused. */
int xc_dom_boot_image(struct xc_dom_image *dom);
/* Grant entries GNTTAB_RESERVED_CONSOLE/XENSTORE for the back ends. */
int xc_dom_gnttab_init(struct xc_dom_image *dom);

/* The guest's mfn of pfn, or INVALID_MFN. */
xen_pfn_t xc_dom_p2m(struct xc_dom_image *dom, xen_pfn_t pfn);
/* Our mapping of pfn (count pages), or NULL outside the guest's memory. */
void *xc_dom_pfn_to_ptr(struct xc_dom_image *dom, xen_pfn_t pfn,
                        xen_pfn_t count);

#ifdef __cplusplus
}
#endif

#endif
