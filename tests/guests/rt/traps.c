/*
 * Trap table and callback registration, and the C side of exception
 * entry.  Unexpected exceptions are reported with their frame and end
 * the guest: a wrong test must say where it went wrong, not hang.
 */
#include <public/callback.h>

#include "guest.h"
#include "traps.h"

volatile struct trap_record trap_last;
uint64_t trap_resume_rip;
uint64_t trap_insn_rip;
int trap_is_armed;

#define DECLARE_ENTRY(v) extern char trap_entry_##v[];
DECLARE_ENTRY(0) DECLARE_ENTRY(1) DECLARE_ENTRY(2) DECLARE_ENTRY(3) DECLARE_ENTRY(4)
DECLARE_ENTRY(5) DECLARE_ENTRY(6) DECLARE_ENTRY(7) DECLARE_ENTRY(8) DECLARE_ENTRY(9)
DECLARE_ENTRY(10) DECLARE_ENTRY(11) DECLARE_ENTRY(12) DECLARE_ENTRY(13) DECLARE_ENTRY(14)
DECLARE_ENTRY(15) DECLARE_ENTRY(16) DECLARE_ENTRY(17) DECLARE_ENTRY(18) DECLARE_ENTRY(19)
DECLARE_ENTRY(20) DECLARE_ENTRY(21) DECLARE_ENTRY(128)
extern char event_callback_entry[], failsafe_callback_entry[], syscall_callback_entry[];

void (*trap_resume_hook)(struct trap_frame *f);

#define TRAP_FLAG_MASK_EVENTS 4   /* trap_info.flags bit 2 */
#define X86_EFLAGS_TF 0x100

/* Vectors 3 (int3) and 4 (int $4) and the soft-int vector may be raised
 * with INT n, so their gates have DPL 3. */
static trap_info_t trap_table[] = {
#define GATE(v, dpl) { v, (dpl) | TRAP_FLAG_MASK_EVENTS, FLAT_KERNEL_CS, (unsigned long)trap_entry_##v }
    GATE(0, 0),  GATE(1, 0),  GATE(2, 0),  GATE(3, 3),  GATE(4, 3),  GATE(5, 0),
    GATE(6, 0),  GATE(7, 0),  GATE(8, 0),  GATE(9, 0),  GATE(10, 0), GATE(11, 0),
    GATE(12, 0), GATE(13, 0), GATE(14, 0), GATE(15, 0), GATE(16, 0), GATE(17, 0),
    GATE(18, 0), GATE(19, 0), GATE(20, 0), GATE(21, 0), GATE(128, 3),
    { 0, 0, 0, 0 },   /* address 0 ends the list */
#undef GATE
};

void trap_arm(uint64_t resume_rip)
{
    trap_resume_rip = resume_rip;
    trap_is_armed = 1;
}

bool trap_armed(void)
{
    return trap_is_armed;
}

static void report_unexpected(const struct trap_frame *f)
{
    con_printf("FAIL: unexpected exception: vector %lu error code %#lx at rip %p "
               "(rsp %p, rflags %#lx, cr2 %p)\n",
               (unsigned long)f->vector, (unsigned long)f->error_code, (void *)f->rip,
               (void *)f->rsp, (unsigned long)f->rflags,
               (void *)shared_info->vcpu_info[0].arch.cr2);
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector == EVENT_CALLBACK_VECTOR) {
        event_upcall(f);
        return;
    }
    if (!trap_is_armed) {
        report_unexpected(f);
        rt_abort("unexpected exception");
    }
    trap_is_armed = 0;
    trap_last.cr2 = shared_info->vcpu_info[0].arch.cr2;
    trap_last.upcall_mask = shared_info->vcpu_info[0].evtchn_upcall_mask;
    rt_memcpy((void *)&trap_last.frame, f, sizeof(*f));
    trap_last.count++;
    if (trap_resume_hook)
        trap_resume_hook(f);
    else if (trap_resume_rip)
        f->rip = trap_resume_rip;
    /* A single-step test leaves TF set in the frame: do not step the
     * runtime too. */
    f->rflags &= ~X86_EFLAGS_TF;
}

void rt_failsafe(const uint64_t *frame)
{
    con_printf("FAIL: failsafe callback: ds %#lx es %#lx fs %#lx gs %#lx rip %p\n",
               (unsigned long)frame[2], (unsigned long)frame[3], (unsigned long)frame[4],
               (unsigned long)frame[5], (void *)frame[6]);
    rt_abort("failsafe callback");
}

static long register_callback(uint16_t type, void *entry)
{
    struct callback_register cb = {
        .type = type,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)entry,
    };
    return hyp_callback_op(CALLBACKOP_register, &cb);
}

long rt_register_syscall_callback(void)
{
    return register_callback(CALLBACKTYPE_syscall, syscall_callback_entry);
}

void rt_install_traps(void)
{
    long rc = hyp_set_trap_table(trap_table);
    if (rc)
        con_printf("FAIL: runtime: set_trap_table returned %ld\n", rc);
    rc = register_callback(CALLBACKTYPE_event, event_callback_entry);
    if (rc)
        con_printf("FAIL: runtime: register event callback returned %ld\n", rc);
    rc = register_callback(CALLBACKTYPE_failsafe, failsafe_callback_entry);
    if (rc)
        con_printf("FAIL: runtime: register failsafe callback returned %ld\n", rc);
}
