/*
 * Tearing down a PV domain that has stopped (pv_ops.domain_teardown,
 * Xen's domain_kill and relinquish_resources, in our order), and the
 * audit that its page-type and reference counts balanced.
 *
 * The order, each step in the layer that owns what it drops:
 *
 *  0. every CPU out of guest context (arch/x86/cpu_stop.h): the others
 *     halt for good, this one loads the hypervisor's own page tables;
 *     nothing runs the domain or caches its tables any more;
 *  1. the census of its frames (mmu/teardown.h);
 *  2. its event channels closed and the grants it maps let go
 *     (common/domain_release.h);
 *  3. each vCPU's kernel and user base pointers, LDT pages and GDT
 *     frames;
 *  4. its page tables: pins dropped, what is still validated after that
 *     devalidated top-down (mmu/teardown.h);
 *  5. the writable holds of the frames the hypervisor writes for it: a
 *     registered vcpu_info, the pirq EOI page, shared_info, then its
 *     grant table and grant frames (docs/security.md, "Frames the
 *     hypervisor writes for a guest");
 *  6. every allocation reference; frames left with no reference and no
 *     type go back to the allocator (stamped for the TLB-flush clock),
 *     and the audit reports every frame that did not and every double
 *     drop.
 *
 * The hypervisor-written frames come after the page tables because the
 * guest may still map them, and a mapping's references must be gone
 * before the last reference of the frame is.
 */
#include "arch/x86/cpu_stop.h"
#include "common/domain.h"
#include "common/domain_release.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mmu/page_type.h"
#include "mmu/teardown.h"
#include "pv/pv_desc.h"
#include "pv/domain_teardown.h"

static const char *type_name(uint64_t type_info)
{
    static const char *const names[] = {
        "none", "L1", "L2", "L3", "L4", "seg_desc", "type6", "writable",
    };
    uint64_t t = (type_info & PGT_TYPE_MASK) >> PGT_TYPE_SHIFT;

    return t < 8 ? names[t] : "unknown";
}

static void report_leftover(void *ctx, const struct pv_mm_leftover *l)
{
    const struct domain *d = ctx;

    printk(LOG_ERR, "teardown audit: d%u: mfn %#lx %s: count_info %#lx type_info %#lx "
           "(%s, type count %lu%s%s)", d->domid, l->mfn,
           l->double_drop ? "lost its last reference before its allocation's (double drop)"
                          : "still referenced",
           l->count_info, l->type_info, type_name(l->type_info),
           (unsigned long)(l->type_info & PGT_COUNT_MASK),
           (l->type_info & PGT_pinned) ? ", pinned" : "",
           (l->type_info & PGT_validated) ? ", validated" : "");
    if (!l->nr_referrers && !l->double_drop)
        printk(LOG_ERR, "teardown audit: d%u: mfn %#lx: no page-table entry maps it: "
               "a reference held outside the page tables leaked", d->domid, l->mfn);
    for (unsigned int i = 0; i < l->nr_referrers && i < PV_MM_REFERRERS_SHOWN; i++)
        printk(LOG_ERR, "teardown audit: d%u: mfn %#lx: mapped by d%u's L%u table %#lx slot %u",
               d->domid, l->mfn, l->referrers[i].table_owner, l->referrers[i].level,
               l->referrers[i].table_mfn, l->referrers[i].slot);
    if (l->nr_referrers > PV_MM_REFERRERS_SHOWN)
        printk(LOG_ERR, "teardown audit: d%u: mfn %#lx: and %u more entries", d->domid,
               l->mfn, l->nr_referrers - PV_MM_REFERRERS_SHOWN);
}

static void report_double_drop(void *ctx, uint64_t mfn, bool type)
{
    const struct domain *d = ctx;

    printk(LOG_ERR, "teardown audit: d%u: double drop: mfn %#lx's %s count was already 0",
           d->domid, mfn, type ? "type" : "general");
}

/* This CPU leaves guest context: no guest descriptors, no current vCPU. */
static void park(void)
{
    pv_desc_cpu_clear();
    set_current_vcpu(NULL);
}

static const struct cpu_stop_ops stop_ops = { .park = park };

static void release_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        pv_mm_vcpu_release(&v->mm);
        pv_desc_vcpu_release(v);
    }
}

/* Step 5 up to the grant table: the writable holds.  shared_info keeps
 * its allocation reference for step 6, like every other frame. */
static void release_hv_writes(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        v->vcpu_info = NULL;
        if (v->ev.vcpu_info_registered)
            frame_release_hv_writes(v->ev.vcpu_info_mfn);
        v->ev.vcpu_info_registered = false;
        v->ev.vcpu_info_mfn = 0;
    }
    if (d->pirq_eoi_mfn)
        frame_release_hv_writes(d->pirq_eoi_mfn);
    d->pirq_eoi_mfn = 0;
    if (d->shared_info) {
        put_page_type(d->shared_info_mfn);
        d->shared_info = NULL;
    }
}

void pv_domain_teardown(struct domain *d)
{
    struct pv_mm_teardown t = {
        .d = &d->mm,
        .nr_frames = frame_table_nr_frames(),
        .report_leftover = report_leftover,
        .report_double_drop = report_double_drop,
        .ctx = d,
    };

    printk(LOG_INFO, "d%u: tearing down", d->domid);
    /* dom0 takes the machine with it: every CPU leaves its context.  A
     * domU is destroyed while dom0 runs on, and none of its vCPUs is on
     * a CPU (domain_kill checks); a stale translation of its frames is
     * the TLB-flush clock's to wait out. */
    if (d->is_initial && !cpus_stop_others(&stop_ops))
        printk(LOG_ERR, "d%u: a CPU did not stop: the teardown goes on regardless", d->domid);

    pv_mm_teardown_begin(&t);
    domain_release_events_and_mappings(d);
    release_vcpus(d);
    pv_mm_teardown_tables(&t);
    release_hv_writes(d);
    if (domain_release_grant_table(d))
        printk(LOG_ERR, "d%u: its grant table could not go: others still map its grants",
               d->domid);
    pv_mm_teardown_finish(&t);
    d->tot_pages = t.left;

    printk(LOG_INFO, "d%u: teardown: %lu frames owned, %lu pins dropped, %lu tables devalidated",
           d->domid, t.owned, t.unpinned, t.devalidated);
    printk(LOG_INFO, "teardown audit: d%u: %lu frames returned, %lu unbalanced", d->domid,
           t.returned, pv_mm_teardown_unbalanced(&t));
}
