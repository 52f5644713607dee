/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What the domain builder's files share: the error helper, and each
 * stage's entry point (unpacking, the bzImage header, the ELF loader, the
 * x86-64 PV layout and the hypervisor calls).
 */
#ifndef SUBFLOOR_XC_DOM_PRIVATE_H
#define SUBFLOOR_XC_DOM_PRIVATE_H

#include "xc_dom.h"
#include "xc_private.h"

/* Record why the step failed in dom->last_error, log it through the
 * handle (stderr without one); returns -1 for `return xc__dom_err(...)`. */
int xc__dom_err(struct xc_dom_image *dom, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xc__dom_debug(struct xc_dom_image *dom, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* xc_dom_decompress.c: the compression format of buf, or NULL for none
 * we know; a format we know but do not unpack is named in *refused. */
const char *xc__dom_compression(const void *buf, size_t size,
                                const char **refused);
/* Unpack gzip or XZ into a new buffer of at most max bytes. */
int xc__dom_unpack(struct xc_dom_image *dom, const char *what,
                   const void *in, size_t in_size, size_t max,
                   void **out, size_t *out_size);

/* xc_dom_bzimage.c: 1 if blob is a bzImage, and then its payload. */
int xc__dom_bzimage_probe(const void *blob, size_t size);
int xc__dom_bzimage_payload(struct xc_dom_image *dom, const void *blob,
                            size_t size, const void **payload,
                            size_t *payload_size);

/* xc_dom_elf.c: check the ELF headers and read the Xen notes into
 * dom->parms; then copy the PT_LOAD segments into guest memory. */
int xc__dom_elf_parse(struct xc_dom_image *dom);
int xc__dom_elf_load(struct xc_dom_image *dom);

/* xc_dom_x86_pv.c: the layout, the page tables, start_info and the
 * p2m, written into dom->guest_mem; vCPU 0's first context. */
int xc__dom_x86_pv_layout(struct xc_dom_image *dom);
int xc__dom_x86_pv_write(struct xc_dom_image *dom);
void xc__dom_x86_pv_vcpu(struct xc_dom_image *dom, vcpu_guest_context_t *ctxt);
uint64_t xc__dom_pfn_to_virt(struct xc_dom_image *dom, xen_pfn_t pfn);

/* For callers that hold the guest's memory themselves (the tests): use
 * mem (total_pages pages, not freed by us) and p2m (copied) instead of
 * xc_dom_boot_mem_init. */
int xc__dom_attach_memory(struct xc_dom_image *dom, void *mem,
                          const xen_pfn_t *p2m);

#endif
