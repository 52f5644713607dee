/*
 * vcpu-context-smp: VCPUOP_initialise checks the state it loads as the
 * hypercalls that set the same state one piece at a time do (Xen 4.17's
 * arch_set_info_guest): a non-canonical FS or GS base, event, failsafe
 * or syscall callback, trap-table handler, rip, rsp or kernel stack
 * pointer is -EINVAL and leaves the vCPU without a context; the stack
 * and code selectors get RPL 3.  Then a good context starts vCPU 1 with
 * its bases, selectors and trap table in force.  Runs with two vCPUs.
 */
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#include "guest.h"

const char guest_name[] = "vcpu-context-smp";

/* vcpu-context-entry.S */
extern char vctx_entry[], vctx_ud2[], vctx_ud_handler[];
extern volatile uint64_t vctx_seen_how, vctx_seen_cs, vctx_seen_ss, vctx_seen_fs0,
    vctx_seen_gs0, vctx_seen_ud_rip;

#define NON_CANONICAL  0x0000800000000000UL     /* the first address past the lower half */
#define NON_CANONICAL2 0xdead000000000000UL
#define FS_MAGIC 0x1f5f5f5f5f5f5f51UL
#define GS_MAGIC 0x2a5a5a5a5a5a5a52UL

static char vcpu1_stack[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile uint64_t fs_probe = FS_MAGIC, gs_probe = GS_MAGIC;
static struct vcpu_guest_context good, ctxt;
static bool vcpu1_has_context;

/* A context Xen accepts, with the RPL-0/1 selectors a 32-bit-minded
 * caller might pass: Xen raises them to RPL 3. */
static void make_good_context(void)
{
    uint64_t stack_top = (uint64_t)vcpu1_stack + sizeof(vcpu1_stack);

    good.flags = VGCF_in_kernel;
    good.user_regs.rip = (uint64_t)vctx_entry;
    good.user_regs.rsp = stack_top;
    good.user_regs.cs = (FLAT_KERNEL_CS & ~3) | 1;
    good.user_regs.ss = (FLAT_KERNEL_SS & ~3) | 1;
    good.user_regs.rflags = 0x2;
    good.kernel_ss = FLAT_KERNEL_SS & ~3;
    good.kernel_sp = stack_top;
    good.ctrlreg[3] = virt_to_mfn((void *)start_info->pt_base) << 12;
    good.trap_ctxt[6] = (struct trap_info){ .vector = 6, .cs = FLAT_KERNEL_CS & ~3,
                                            .address = (unsigned long)vctx_ud_handler };
    good.fs_base = (uint64_t)&fs_probe;
    good.gs_base_kernel = (uint64_t)&gs_probe;
    good.gs_base_user = 0x7fffdead0000UL;
}

/* The good context with one 64-bit field spoiled must be refused. */
static void refused(const char *name, size_t offset, uint64_t value)
{
    rt_memcpy(&ctxt, &good, sizeof(ctxt));
    *(uint64_t *)((char *)&ctxt + offset) = value;
    long rc = hyp_vcpu_op(VCPUOP_initialise, 1, &ctxt);
    check_eq(name, rc, -XEN_EINVAL);
    if (rc == 0)
        vcpu1_has_context = true;
}

#define FIELD(f) __builtin_offsetof(struct vcpu_guest_context, f)

static void bad_contexts(void)
{
    refused("a non-canonical fs_base is refused", FIELD(fs_base), NON_CANONICAL);
    refused("a non-canonical gs_base_kernel is refused", FIELD(gs_base_kernel), NON_CANONICAL);
    refused("a non-canonical gs_base_user is refused", FIELD(gs_base_user), NON_CANONICAL2);
    refused("a non-canonical event callback is refused", FIELD(event_callback_eip), NON_CANONICAL);
    refused("a non-canonical failsafe callback is refused", FIELD(failsafe_callback_eip),
            NON_CANONICAL);
    refused("a non-canonical syscall callback is refused", FIELD(syscall_callback_eip),
            NON_CANONICAL2);
    refused("a non-canonical #PF handler in the trap table is refused",
            FIELD(trap_ctxt[14].address), NON_CANONICAL);
    refused("a non-canonical vector-255 handler in the trap table is refused",
            FIELD(trap_ctxt[255].address), NON_CANONICAL2);
    refused("a non-canonical rip is refused", FIELD(user_regs.rip), NON_CANONICAL);
    refused("a non-canonical rsp is refused", FIELD(user_regs.rsp), NON_CANONICAL);
    refused("a non-canonical kernel_sp is refused", FIELD(kernel_sp), NON_CANONICAL2);
    /* User mode with no user L4 (ctrlreg[1] 0): it would run on whatever
     * page tables its CPU last had. */
    refused("user mode without a user page table is refused", FIELD(flags), 0);
    check_eq("after them all, vCPU 1 is still down", hyp_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
}

static void good_context(void)
{
    if (vcpu1_has_context) {
        check(false, "vCPU 1 starts from a good context",
              "a refused context was accepted: vCPU 1 is not started with it");
        return;
    }
    rt_memcpy(&ctxt, &good, sizeof(ctxt));
    if (!check_eq("VCPUOP_initialise vCPU 1 with a good context",
                  hyp_vcpu_op(VCPUOP_initialise, 1, &ctxt), 0) ||
        !check_eq("VCPUOP_up vCPU 1", hyp_vcpu_op(VCPUOP_up, 1, NULL), 0))
        return;

    /* A bound on the wait, not a measurement: vCPU 1 gets there at once. */
    for (uint64_t start = rdtsc(); vctx_seen_how != 2 && rdtsc() - start < 20000000000ull;)
        hyp_sched_op(SCHEDOP_yield, NULL);

    check_eq("vCPU 1 ran to its #UD handler", vctx_seen_how, 2);
    check_eq("its CS was raised to RPL 3", vctx_seen_cs, FLAT_KERNEL_CS);
    check_eq("its SS was raised to RPL 3", vctx_seen_ss, FLAT_KERNEL_SS);
    check_eq("its FS base is the one given", vctx_seen_fs0, (long)FS_MAGIC);
    check_eq("its GS base is the kernel one given", vctx_seen_gs0, (long)GS_MAGIC);
    check_eq("its trap table sent ud2 to its handler", vctx_seen_ud_rip, (long)vctx_ud2);
}

void guest_main(void)
{
    make_good_context();
    bad_contexts();
    good_context();
    check_eq("the hypervisor still answers", hyp_xen_version(0, NULL), (4 << 16) | 17);
}
