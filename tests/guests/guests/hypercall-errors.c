/*
 * hypercall-errors: every bad request gets the documented negative Xen
 * errno and changes nothing.  Unknown hypercalls and sub-ops get
 * -ENOSYS, pointers the guest does not map (or that point into the
 * hypervisor hole) get -EFAULT, bad values -EINVAL and friends.
 */
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/nmi.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#include "guest.h"

const char guest_name[] = "hypercall-errors";

/* Never mapped in a PV guest's initial tables: the low user half. */
#define UNMAPPED ((void *)0x1000)
/* Inside the hypervisor hole, beyond the read-only M2P. */
#define HYPERVISOR_PTR ((void *)0xffff830000000000UL)

static void unknown_numbers(void)
{
    check_eq("unused hypercall 11 via page: -ENOSYS", hcall0(11), -XEN_ENOSYS);
    check_eq("unused hypercall 60 via page: -ENOSYS", hcall0(60), -XEN_ENOSYS);
    check_eq("hypercall 127 (last page slot): -ENOSYS", hcall0(127), -XEN_ENOSYS);
    check_eq("hypercall 11 via syscall: -ENOSYS", hcall_syscall5(11, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    check_eq("hypercall 1000 via syscall: -ENOSYS", hcall_syscall5(1000, 0, 0, 0, 0, 0),
             -XEN_ENOSYS);
}

static void unknown_subops(void)
{
    check_eq("xen_version unknown cmd: -ENOSYS", hyp_xen_version(0x7fff, NULL), -XEN_ENOSYS);
    check_eq("sched_op unknown cmd: -ENOSYS", hyp_sched_op(99, NULL), -XEN_ENOSYS);
    check_eq("memory_op unknown cmd: -ENOSYS", hyp_memory_op(99, NULL), -XEN_ENOSYS);
    check_eq("event_channel_op unknown cmd: -ENOSYS", hyp_event_channel_op(99, NULL), -XEN_ENOSYS);
    check_eq("vcpu_op unknown cmd: -ENOSYS", hyp_vcpu_op(99, 0, NULL), -XEN_ENOSYS);
    check_eq("console_io unknown cmd: -ENOSYS", hyp_console_io(99, 0, NULL), -XEN_ENOSYS);
    check_eq("callback_op unknown cmd: -ENOSYS", hyp_callback_op(99, NULL), -XEN_ENOSYS);
    check_eq("grant_table_op unknown cmd: -ENOSYS", hyp_grant_table_op(99, NULL, 1), -XEN_ENOSYS);
    check_eq("physdev_op unknown cmd: -ENOSYS", hyp_physdev_op(9999, NULL), -XEN_ENOSYS);
    mmuext_op_t op = { .cmd = 99 };
    unsigned int done = 0;
    check_eq("mmuext_op unknown cmd: -ENOSYS", hyp_mmuext_op(&op, 1, &done, DOMID_SELF),
             -XEN_ENOSYS);
}

/* The guest's own L4, which the builder maps read-only (start_info's
 * pt_base): a write there must fail, not land in a page table. */
static void read_only_and_edges(void)
{
    volatile unsigned long *l4 = (volatile unsigned long *)start_info->pt_base;
    unsigned long before[2] = { l4[0], l4[1] };

    check_eq("xen_version extraversion into the read-only L4: -EFAULT",
             hyp_xen_version(XENVER_extraversion, (void *)start_info->pt_base), -XEN_EFAULT);
    check(l4[0] == before[0] && l4[1] == before[1], "the read-only L4 is unchanged",
          "first entries %#lx %#lx", l4[0], l4[1]);
    check_eq("xen_version extraversion to a non-canonical address: -EFAULT",
             hyp_xen_version(XENVER_extraversion, (void *)0x0000800000000000UL), -XEN_EFAULT);
    check_eq("xen_version extraversion across the canonical gap: -EFAULT",
             hyp_xen_version(XENVER_extraversion, (void *)0x00007ffffffffff8UL), -XEN_EFAULT);
}

static void bad_pointers(void)
{
    read_only_and_edges();
    check_eq("xen_version extraversion to unmapped buffer: -EFAULT",
             hyp_xen_version(XENVER_extraversion, UNMAPPED), -XEN_EFAULT);
    check_eq("xen_version get_features into the hypervisor hole: -EFAULT",
             hyp_xen_version(XENVER_get_features, HYPERVISOR_PTR), -XEN_EFAULT);
    check_eq("console_io write from unmapped buffer: -EFAULT",
             hyp_console_io(CONSOLEIO_write, 16, UNMAPPED), -XEN_EFAULT);
    check_eq("console_io write from the hypervisor hole: -EFAULT",
             hyp_console_io(CONSOLEIO_write, 16, HYPERVISOR_PTR), -XEN_EFAULT);
    check_eq("sched_op shutdown with unmapped argument: -EFAULT",
             hyp_sched_op(SCHEDOP_shutdown, UNMAPPED), -XEN_EFAULT);
    check_eq("event_channel_op send with NULL argument: -EFAULT",
             hyp_event_channel_op(EVTCHNOP_send, NULL), -XEN_EFAULT);
    check_eq("memory_op machphys_mapping to unmapped buffer: -EFAULT",
             hyp_memory_op(XENMEM_machphys_mapping, UNMAPPED), -XEN_EFAULT);
    check_eq("set_trap_table from unmapped table: -EFAULT", hyp_set_trap_table(UNMAPPED),
             -XEN_EFAULT);
    check_eq("callback_op register from unmapped argument: -EFAULT",
             hyp_callback_op(CALLBACKOP_register, UNMAPPED), -XEN_EFAULT);
    unsigned int done = 0;
    check_eq("mmu_update from unmapped request list: -EFAULT",
             hyp_mmu_update(UNMAPPED, 1, &done, DOMID_SELF), -XEN_EFAULT);
    vcpu_set_singleshot_timer_t *bad = UNMAPPED;
    check_eq("vcpu_op set_singleshot_timer with unmapped argument: -EFAULT",
             hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, bad), -XEN_EFAULT);
}

static void bad_values(void)
{
    evtchn_send_t send = { .port = 100000 };
    check_eq("evtchn send on a port beyond the table: -EINVAL",
             hyp_event_channel_op(EVTCHNOP_send, &send), -XEN_EINVAL);
    evtchn_close_t close = { .port = 100000 };
    check_eq("evtchn close of a port beyond the table: -EINVAL",
             hyp_event_channel_op(EVTCHNOP_close, &close), -XEN_EINVAL);
    evtchn_bind_virq_t virq = { .virq = 200, .vcpu = 0 };
    check_eq("evtchn bind_virq of virq 200: -EINVAL",
             hyp_event_channel_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL);
    evtchn_bind_ipi_t ipi = { .vcpu = 4000 };
    check_eq("evtchn bind_ipi to vcpu 4000: -ENOENT",
             hyp_event_channel_op(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT);
    check_eq("vcpu_op is_up on vcpu 9999: -ENOENT", hyp_vcpu_op(VCPUOP_is_up, 9999, NULL),
             -XEN_ENOENT);
    /* Xen 4.17.x ignores VCPU_SSHOTTMR_future (Linux set it wrongly, so the
     * -ETIME it once gave was dropped): a past deadline just fires now. */
    vcpu_set_singleshot_timer_t past = { .timeout_abs_ns = 1, .flags = VCPU_SSHOTTMR_future };
    check_eq("singleshot timer in the past with VCPU_SSHOTTMR_future is accepted",
             hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &past), 0);
    struct callback_register cb = { .type = 99, .address = (unsigned long)guest_main };
    long rc = hyp_callback_op(CALLBACKOP_register, &cb);
    check(rc == -XEN_EINVAL || rc == -XEN_ENOSYS, "callback_op register of type 99 refused",
          "returned %ld", rc);
    xen_memory_reservation_t res = { .nr_extents = 1, .domid = DOMID_SELF };
    xen_pfn_t frame = ~0UL;
    set_xen_guest_handle(res.extent_start, &frame);
    rc = hyp_memory_op(XENMEM_decrease_reservation, &res);
    check_eq("decrease_reservation of a pfn beyond the p2m releases nothing", rc, 0);
}

/* A sub-op that fails writes nothing back into its argument, and one
 * that takes no continuation refuses one. */
static void failed_subops(void)
{
    xen_feature_info_t fi = { .submap_idx = 99, .submap = 0x5a5a };

    check_eq("xen_version get_features of submap 99: -EINVAL",
             hyp_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
    check(fi.submap == 0x5a5a, "a failed get_features writes nothing back",
          "submap %#x", fi.submap);
    physdev_irq_status_query_t q = { .irq = 100000, .flags = 0x5a };
    check_eq("physdev_op irq_status_query of irq 100000: -EINVAL",
             hyp_physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL);
    check(q.flags == 0x5a, "a failed irq_status_query writes nothing back", "flags %#x", q.flags);
    domid_t self = DOMID_SELF;
    check_eq("memory_op current_reservation with a continuation: -EINVAL",
             hyp_memory_op(XENMEM_current_reservation | (1u << 6), &self), -XEN_EINVAL);
}

/* The older NMI interface (nmi_op): register, unregister, bad input. */
static void nmi_op(void)
{
    struct xennmi_callback cb = { .handler_address = (unsigned long)guest_main };

    check_eq("nmi_op register_callback: 0",
             hcall2(__HYPERVISOR_nmi_op, XENNMI_register_callback, &cb), 0);
    check_eq("nmi_op unregister_callback: 0",
             hcall2(__HYPERVISOR_nmi_op, XENNMI_unregister_callback, NULL), 0);
    check_eq("nmi_op register_callback from unmapped argument: -EFAULT",
             hcall2(__HYPERVISOR_nmi_op, XENNMI_register_callback, UNMAPPED), -XEN_EFAULT);
    cb.handler_address = 0x0000800000000000UL;      /* not canonical */
    check_eq("nmi_op register_callback of a non-canonical address: -EINVAL",
             hcall2(__HYPERVISOR_nmi_op, XENNMI_register_callback, &cb), -XEN_EINVAL);
    check_eq("nmi_op unknown cmd: -ENOSYS", hcall2(__HYPERVISOR_nmi_op, 7, NULL), -XEN_ENOSYS);
}

/* Xen 4.17 takes DOMID_SELF for the owner of the frames, but refuses a
 * domain naming itself by its id as the "foreign" one (-ESRCH), before
 * looking at the batch.  Found by hostile-fuzz-smp. */
static void self_as_foreign_domain(void)
{
    mmuext_op_t op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned int done = 0;
    check_eq("mmuext_op with our own id as foreigndom: -ESRCH", hyp_mmuext_op(&op, 1, &done, 0),
             -XEN_ESRCH);
    mmu_update_t req = { .ptr = (0xfffffffUL << 12) | MMU_MACHPHYS_UPDATE, .val = 0 };
    check_eq("mmu_update with our own id as foreigndom: -ESRCH", hyp_mmu_update(&req, 1, &done, 0),
             -XEN_ESRCH);
    check_eq("update_va_mapping_otherdomain naming our own id: -ESRCH",
             hcall4(__HYPERVISOR_update_va_mapping_otherdomain, 0x1000, 0, 0, 0), -XEN_ESRCH);
    check_eq("mmuext_op with DOMID_SELF still works", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
}

void guest_main(void)
{
    unknown_numbers();
    unknown_subops();
    bad_pointers();
    bad_values();
    failed_subops();
    nmi_op();
    self_as_foreign_domain();
    /* Still alive and answering after all of that. */
    check_eq("xen_version still answers", hyp_xen_version(XENVER_version, NULL), (4 << 16) | 17);
}
