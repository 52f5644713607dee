/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The domain builder's calls to the hypervisor: the guest's memory
 * (populate_physmap, which also sets the M2P for a PV guest, then one
 * foreign mapping of all of it), and the boot: the hypercall page
 * (XEN_DOMCTL_hypercall_init, as Xen 4.17's builder asks for it), the
 * L4 pinned on the guest's behalf, events masked in shared_info, vCPU
 * 0's context; and the grant entries its back ends will use.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "public/grant_table.h"
#include "xc_dom_private.h"

/* pfns asked for per populate_physmap call. */
#define POPULATE_BATCH 4096

int xc_dom_boot_mem_init(struct xc_dom_image *dom)
{
    xc_domaininfo_t info;

    if (!dom->xch)
        return xc__dom_err(dom, "boot_mem_init: xc_dom_boot_xen_init first");
    if (!dom->total_pages)
        return xc__dom_err(dom, "boot_mem_init: xc_dom_mem_init first");
    if (dom->guest_mem)
        return xc__dom_err(dom, "boot_mem_init: the guest's memory is already set up");
    if (xc_domain_getinfo_single(dom->xch, dom->guest_domid, &info) < 0)
        return xc__dom_err(dom, "domain %u: cannot read its info: %s",
                           dom->guest_domid, strerror(errno));
    dom->shared_info_mfn = info.shared_info_frame;

    xen_pfn_t *p2m = malloc(xc__array_size(dom->total_pages, sizeof(*p2m)));
    if (!p2m)
        return xc__dom_err(dom, "no memory for a %llu-entry p2m",
                           (unsigned long long)dom->total_pages);
    for (xen_pfn_t pfn = 0; pfn < dom->total_pages; pfn++)
        p2m[pfn] = pfn;
    for (xen_pfn_t pfn = 0; pfn < dom->total_pages; pfn += POPULATE_BATCH) {
        xen_pfn_t n = dom->total_pages - pfn;
        if (n > POPULATE_BATCH)
            n = POPULATE_BATCH;
        if (xc_domain_populate_physmap_exact(dom->xch, dom->guest_domid, n, 0, 0,
                                             p2m + pfn) < 0) {
            free(p2m);
            return xc__dom_err(dom, "domain %u: populate_physmap of pfns %#llx+%llu "
                               "failed: %s (is max_mem at least %llu KiB?)",
                               dom->guest_domid, (unsigned long long)pfn,
                               (unsigned long long)n, strerror(errno),
                               (unsigned long long)(dom->total_pages << 2));
        }
    }
    void *mem = xc_map_foreign_pages(dom->xch, dom->guest_domid,
                                     PROT_READ | PROT_WRITE, p2m,
                                     (int)dom->total_pages);
    if (!mem) {
        free(p2m);
        return xc__dom_err(dom, "domain %u: cannot map its %llu pages: %s",
                           dom->guest_domid, (unsigned long long)dom->total_pages,
                           strerror(errno));
    }
    free(dom->p2m_host);
    dom->p2m_host = p2m;
    dom->guest_mem = mem;
    dom->guest_mem_foreign = true;
    return 0;
}

int xc_mmuext_op(xc_interface *xch, struct mmuext_op *op, unsigned int nr_ops,
                 uint32_t dom)
{
    struct xc_bounce b = XC_BOUNCE(op, xc__array_size(nr_ops, sizeof(*op)),
                                   XC_BOUNCE_BOTH);
    long rc;

    if (xc__bounce_pre(xch, &b) < 0)
        return -1;
    rc = xc__hypercall(xch, __HYPERVISOR_mmuext_op, (uint64_t)(uintptr_t)b.hbuf,
                       nr_ops, 0, dom, 0);
    xc__bounce_post(xch, &b);
    if (rc < 0)
        XC_PERROR(xch, "xc_mmuext_op: %u ops for domain %u", nr_ops, dom);
    return rc < 0 ? -1 : 0;
}

static int hypercall_page(struct xc_dom_image *dom)
{
    struct xen_domctl d;

    if (dom->parms.virt_hypercall == XC_DOM_UNSET)
        return 0;       /* the kernel makes hypercalls by syscall */
    xen_pfn_t pfn = (dom->parms.virt_hypercall - dom->parms.virt_base) >> XC_DOM_PAGE_SHIFT;
    memset(&d, 0, sizeof(d));
    d.cmd = XEN_DOMCTL_hypercall_init;
    d.domain = (domid_t)dom->guest_domid;
    d.u.hypercall_init.gmfn = xc_dom_p2m(dom, pfn);
    if (xc_domctl(dom->xch, &d) < 0)
        return xc__dom_err(dom, "domain %u: XEN_DOMCTL_hypercall_init for pfn %#llx "
                           "failed: %s", dom->guest_domid, (unsigned long long)pfn,
                           strerror(errno));
    return 0;
}

static int pin_l4(struct xc_dom_image *dom)
{
    struct mmuext_op op;

    memset(&op, 0, sizeof(op));
    op.cmd = MMUEXT_PIN_L4_TABLE;
    op.arg1.mfn = xc_dom_p2m(dom, dom->pgtables_seg.pfn);
    if (xc_mmuext_op(dom->xch, &op, 1, dom->guest_domid) < 0)
        return xc__dom_err(dom, "domain %u: pinning the L4 (mfn %#llx) failed: %s "
                           "(the hypervisor refused the initial page tables)",
                           dom->guest_domid, (unsigned long long)op.arg1.mfn,
                           strerror(errno));
    return 0;
}

static int mask_events(struct xc_dom_image *dom)
{
    shared_info_t *si = xc_map_foreign_range(dom->xch, dom->guest_domid,
                                             XC_DOM_PAGE_SIZE, PROT_READ | PROT_WRITE,
                                             dom->shared_info_mfn);
    if (!si)
        return xc__dom_err(dom, "domain %u: cannot map shared_info (mfn %#llx): %s",
                           dom->guest_domid, (unsigned long long)dom->shared_info_mfn,
                           strerror(errno));
    /* Every vCPU starts with events masked, as Linux expects. */
    for (unsigned i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        si->vcpu_info[i].evtchn_upcall_mask = 1;
    xc__os->munmap(si, XC_DOM_PAGE_SIZE);
    return 0;
}

int xc_dom_boot_image(struct xc_dom_image *dom)
{
    vcpu_guest_context_any_t ctxt;

    if (!dom->xch || !dom->guest_mem_foreign)
        return xc__dom_err(dom, "boot: xc_dom_boot_mem_init and xc_dom_build_image "
                           "first (once)");
    if (!dom->nr_pt_frames)
        return xc__dom_err(dom, "boot: xc_dom_build_image first");
    if (hypercall_page(dom) < 0)
        return -1;
    /* The hypervisor types a frame as a page table only while no writable
     * mapping of it exists: ours of the whole guest goes first. */
    xc__os->munmap(dom->guest_mem, dom->total_pages << XC_DOM_PAGE_SHIFT);
    dom->guest_mem = NULL;
    dom->guest_mem_foreign = false;
    if (pin_l4(dom) < 0 || mask_events(dom) < 0)
        return -1;
    xc__dom_x86_pv_vcpu(dom, &ctxt.c);
    if (xc_vcpu_setcontext(dom->xch, dom->guest_domid, 0, &ctxt) < 0)
        return xc__dom_err(dom, "domain %u: setting vCPU 0's context failed: %s",
                           dom->guest_domid, strerror(errno));
    return 0;
}

int xc_dom_gnttab_init(struct xc_dom_image *dom)
{
    struct gnttab_setup_table setup;
    xen_pfn_t frame = INVALID_MFN;
    long rc;

    if (!dom->xch || dom->console_mfn == INVALID_MFN)
        return xc__dom_err(dom, "gnttab_init: xc_dom_build_image first");
    struct xc_bounce fb = XC_BOUNCE(&frame, sizeof(frame), XC_BOUNCE_OUT);
    struct xc_bounce sb = XC_BOUNCE(&setup, sizeof(setup), XC_BOUNCE_BOTH);
    memset(&setup, 0, sizeof(setup));
    setup.dom = (domid_t)dom->guest_domid;
    setup.nr_frames = 1;
    if (xc__bounce_pre(dom->xch, &fb) < 0)
        return xc__dom_err(dom, "gnttab_init: no hypercall memory");
    if (xc__bounce_pre(dom->xch, &sb) < 0) {
        xc__bounce_post(dom->xch, &fb);
        return xc__dom_err(dom, "gnttab_init: no hypercall memory");
    }
    set_xen_guest_handle_raw(((struct gnttab_setup_table *)sb.hbuf)->frame_list,
                             (xen_pfn_t *)fb.hbuf);
    rc = xc__hypercall(dom->xch, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                       (uint64_t)(uintptr_t)sb.hbuf, 1, 0, 0);
    xc__bounce_post(dom->xch, &sb);
    xc__bounce_post(dom->xch, &fb);
    if (rc < 0 || setup.status != GNTST_okay)
        return xc__dom_err(dom, "domain %u: GNTTABOP_setup_table failed (rc %ld, "
                           "status %d)", dom->guest_domid, rc, setup.status);
    grant_entry_v1_t *gt = xc_map_foreign_range(dom->xch, dom->guest_domid,
                                                XC_DOM_PAGE_SIZE,
                                                PROT_READ | PROT_WRITE, frame);
    if (!gt)
        return xc__dom_err(dom, "domain %u: cannot map its grant table (frame "
                           "%#llx): %s", dom->guest_domid,
                           (unsigned long long)frame, strerror(errno));
    if (dom->console_domid != dom->guest_domid) {
        gt[GNTTAB_RESERVED_CONSOLE].domid = (domid_t)dom->console_domid;
        gt[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)dom->console_mfn;
        __atomic_thread_fence(__ATOMIC_RELEASE);   /* flags last */
        gt[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    }
    if (dom->xenstore_domid != dom->guest_domid) {
        gt[GNTTAB_RESERVED_XENSTORE].domid = (domid_t)dom->xenstore_domid;
        gt[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)dom->xenstore_mfn;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        gt[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
    }
    xc__os->munmap(gt, XC_DOM_PAGE_SIZE);
    return 0;
}
