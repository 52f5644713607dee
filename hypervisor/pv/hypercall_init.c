/*
 * XEN_DOMCTL_hypercall_init (pv_ops.hypercall_page_init): the domain
 * builder in dom0 asks for the hypercall stubs in a frame of the new
 * domain, the one its kernel's XEN_ELFNOTE_HYPERCALL_PAGE names.  For a
 * PV domain the frame number is the machine frame; it must be the
 * domain's and writable (a page-table or descriptor frame would take
 * the stubs as entries), held so for the time of the write.
 */
#include "arch/x86/paging.h"
#include "common/domain.h"
#include "mmu/page_type.h"
#include "public/errno.h"
#include "pv/hypercall_page.h"
#include "pv/vcpu_context.h"

long pv_hypercall_page_init(struct domain *d, uint64_t gmfn)
{
    if (get_page_and_type(&d->mm, gmfn, PGT_writable_page))
        return -XEN_EINVAL;
    hypercall_page_fill(phys_to_virt(gmfn << PAGE_SHIFT));
    put_page_and_type(gmfn);
    return 0;
}
