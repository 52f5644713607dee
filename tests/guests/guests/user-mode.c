/*
 * user-mode: the guest kernel builds a user page table (its own L4 with
 * user code and stack in the low half), installs it with
 * MMUEXT_NEW_USER_BASEPTR, sets its kernel stack with stack_switch and a
 * syscall callback, and irets to user mode.  A user syscall reaches the
 * syscall callback with the user's registers; user faults and int $0x80
 * arrive with a user CS and the U bit in #PF error codes, on the kernel
 * stack; user mode cannot see kernel mappings.
 */
#include <public/callback.h>

#include "guest.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "user-mode";

#define USER_CODE_VA  0x400000UL
#define USER_STACK_VA 0x401000UL
#define PTE_TABLE (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)

extern char user_page[], user_do_syscall[], user_do_kernel_read[], user_do_int80[],
    user_do_hlt[], user_do_stack[], user_returned[];
void enter_user(unsigned long rip, unsigned long rsp);

uint64_t kernel_resume_rsp;
/* A kernel variable the user code tries to read (user-entry.S). */
uint64_t user_kernel_target = 0x1234;

static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char kernel_stack[4 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uintptr_t frame_address;

static unsigned long user_va(const char *sym)
{
    return USER_CODE_VA + (unsigned long)(sym - user_page);
}

/* Back to kernel mode at user_returned, on the stack enter_user saved. */
static void return_to_kernel(struct trap_frame *f)
{
    frame_address = (uintptr_t)f;
    f->rip = (uint64_t)user_returned;
    f->cs = FLAT_KERNEL_CS & ~3;   /* RPL 0 in a frame means kernel mode */
    f->rsp = kernel_resume_rsp;
    f->ss = FLAT_KERNEL_SS;
    f->rflags &= ~0x200UL;         /* stay with events masked */
}

static void fill_frame(unsigned long mfn, const uint64_t *entries, unsigned int first,
                       unsigned int n)
{
    if (hyp_update_va_mapping((unsigned long)window, (mfn << 12) | PTE_FLAGS_RW_PAGE, UVMF_INVLPG))
        rt_abort("cannot map a spare frame");
    rt_memset(window, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < n; i++)
        ((uint64_t *)window)[first + i] = entries[i];
    hyp_update_va_mapping((unsigned long)window, (virt_to_mfn(window) << 12) | PTE_FLAGS_RW_PAGE,
                          UVMF_INVLPG);
}

static bool build_user_tables(void)
{
    unsigned long top = start_info->nr_pages;
    unsigned long l4 = pfn_to_mfn(top - 1), l3 = pfn_to_mfn(top - 2), l2 = pfn_to_mfn(top - 3),
                  l1 = pfn_to_mfn(top - 4), stack = pfn_to_mfn(top - 5);
    uint64_t l1e[2] = {
        (virt_to_mfn(user_page) << 12) | PTE_PRESENT | PTE_USER | PTE_ACCESSED,
        (stack << 12) | PTE_FLAGS_RW_PAGE,
    };
    uint64_t e;

    fill_frame(stack, NULL, 0, 0);
    fill_frame(l1, l1e, (USER_CODE_VA >> 12) & 511, 2);
    e = (l1 << 12) | PTE_TABLE;
    fill_frame(l2, &e, (USER_CODE_VA >> 21) & 511, 1);
    e = (l2 << 12) | PTE_TABLE;
    fill_frame(l3, &e, 0, 1);
    e = (l3 << 12) | PTE_TABLE;
    fill_frame(l4, &e, 0, 1);

    mmuext_op_t op = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = l4 };
    unsigned int done = 0;
    if (!check_eq("pin the user L4", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0))
        return false;
    op.cmd = MMUEXT_NEW_USER_BASEPTR;
    return check_eq("MMUEXT_NEW_USER_BASEPTR", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
}

static bool run_user(const char *entry)
{
    unsigned int before = trap_last.count;
    frame_address = 0;
    trap_resume_hook = return_to_kernel;
    trap_arm(0);
    enter_user(user_va(entry), USER_STACK_VA + PAGE_SIZE);
    trap_resume_hook = NULL;
    return trap_last.count == before + 1;
}

static bool on_kernel_stack(void)
{
    return frame_address >= (uintptr_t)kernel_stack &&
           frame_address < (uintptr_t)kernel_stack + sizeof(kernel_stack);
}

static void user_checks(void)
{
    const volatile struct trap_frame *f = &trap_last.frame;

    bool ran = run_user(user_do_syscall);
    check(ran && f->vector == SYSCALL_CALLBACK_VECTOR,
          "user syscall reaches the syscall callback", "vector %lu", (unsigned long)f->vector);
    check(f->rdi == 0x5555 && f->rax == 0x77, "syscall callback sees the user's registers",
          "rdi %#lx rax %#lx", (unsigned long)f->rdi, (unsigned long)f->rax);
    check_eq("syscall frame rip is after the user's syscall", f->rip,
             user_va(user_do_syscall) + 7 + 7 + 2);
    check_eq("syscall frame cs is the user CS (RPL 3)", f->cs & 0xffff, FLAT_USER_CS);
    check(on_kernel_stack(), "syscall callback runs on the stack_switch stack", "frame at %#lx",
          (unsigned long)frame_address);

    ran = run_user(user_do_stack);
    check(ran && f->vector == SYSCALL_CALLBACK_VECTOR && f->rdi == 0x4242,
          "user stack is mapped writable in the user table", "vector %lu rdi %#lx",
          (unsigned long)f->vector, (unsigned long)f->rdi);

    ran = run_user(user_do_kernel_read);
    check(ran && f->vector == 14, "user read of a kernel address faults (#PF)", "vector %lu",
          (unsigned long)f->vector);
    check_eq("its error code has the user bit, not present, read", f->error_code & 0x1f, 0x4);
    check_eq("its cr2 is the kernel address", trap_last.cr2, (long)&user_kernel_target);
    check_eq("its frame cs is the user CS", f->cs & 0xffff, FLAT_USER_CS);
    check(on_kernel_stack(), "user faults are delivered on the kernel stack", "frame at %#lx",
          (unsigned long)frame_address);

    ran = run_user(user_do_int80);
    check(ran && f->vector == SOFT_INT_VECTOR, "user int $0x80 reaches the DPL-3 gate",
          "vector %lu", (unsigned long)f->vector);

    ran = run_user(user_do_hlt);
    check(ran && f->vector == 13, "user hlt raises #GP", "vector %lu", (unsigned long)f->vector);
}

void guest_main(void)
{
    check_eq("stack_switch to our kernel stack",
             hyp_stack_switch(FLAT_KERNEL_SS, (unsigned long)kernel_stack + sizeof(kernel_stack)), 0);
    check_eq("register the syscall callback", rt_register_syscall_callback(), 0);
    if (!build_user_tables())
        return;
    user_checks();
    check_eq("kernel mode again: hypercalls work", hyp_xen_version(0, NULL), (4 << 16) | 17);
}
