/*
 * return-paths: the hypervisor's own ways back into the guest, given
 * state the CPU refuses to return to (docs/security.md, "Paths back into
 * a guest").  However the return fails, the failure reaches the guest as
 * the exception the CPU raised, through its trap table, at the frame it
 * was returning to; the hypervisor never faults on it.
 *
 *  - iret hypercall frames the CPU refuses: a non-canonical rip, the
 *    hypervisor's own CS or SS, a CS beyond the GDT (0xfff3, what an
 *    rt_sigreturn with a forged sigcontext asks for) to user mode;
 *  - a stack selector from the LDT after MMUEXT_SET_LDT emptied it, or
 *    whose descriptor update_descriptor made not present under the
 *    loaded selector; MMUEXT_NEW_BASEPTR dropping the shadow LDT (mapped
 *    again transparently, or #PF at the LDT's address when the new
 *    tables do not map it); a loaded DS is never reloaded behind the
 *    guest's back; the same three made by an int $0x82 hypercall, whose
 *    frame keeps the SS (on Subfloor only: the route is its extension);
 *  - emulated instructions ending at the top of the lower half (forced
 *    CPUID, a privileged instruction, a writable-page-table store) and a
 *    hypercall made by a syscall there: the emulation completes and the
 *    guest gets #GP(0) at rip 0x800000000000, as the next fetch would
 *    raise on hardware.
 *
 * The command line word only=NAME runs one case (by hand, to see it fail
 * alone).
 */
#include <public/version.h>

#include "guest.h"
#include "pagetable.h"
#include "traps.h"
#include "return-probe.h"

const char guest_name[] = "return-paths";

/* return-entry.S */

#define NONCANONICAL    0x800000000000UL      /* first address past the lower half */

/* Flat 4 GiB data segment, DPL 3, writable, present, accessed. */
#define DATA_DPL3       0x00cff3000000ffffUL
#define DATA_NOTPRESENT (DATA_DPL3 & ~(1UL << 47))
#define SEL_LDT0        ((0 << 3) | 4 | 3)
#define SEL_LDT1        ((1 << 3) | 4 | 3)

#define PTE_TABLE (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)
#define PTE_RO    (PTE_PRESENT | PTE_USER | PTE_ACCESSED)

/* The LDT lives alone under L4 slot 1, so that a second L4 can leave it
 * out; the code page is the last page of the lower half (slot 255). */
#define LDT_VA       (1UL << 39)
#define CODE_PAGE_VA (NONCANONICAL - PAGE_SIZE)

static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char kernel_stack[4 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char ptwr_target[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned long spare_pfn;
static unsigned long ldt_mfn, code_l1_mfn;
static const char *only;

static const volatile struct trap_frame *const lastf = &trap_last.frame;

/* ---- frames and page tables ------------------------------------------ */

static unsigned long spare_frame(void)
{
    if (!spare_pfn)
        spare_pfn = start_info->nr_pages - 1;
    return pfn_to_mfn(spare_pfn--);
}

static long map_window(unsigned long mfn, uint64_t flags)
{
    return hyp_update_va_mapping((unsigned long)window, (mfn << 12) | flags, UVMF_INVLPG);
}

static void unmap_window(void)
{
    map_window(virt_to_mfn(window), PTE_FLAGS_RW_PAGE);
}

/* A fresh frame holding entries[0..n) from index first, and nothing else;
 * no writable mapping of it is left behind. */
static void fill_frame(unsigned long mfn, const uint64_t *entries, unsigned int first,
                       unsigned int n)
{
    if (map_window(mfn, PTE_FLAGS_RW_PAGE))
        rt_abort("cannot map a spare frame");
    rt_memset(window, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < n; i++)
        ((uint64_t *)window)[first + i] = entries[i];
    unmap_window();
}

static unsigned long kernel_l4_mfn(void)
{
    return virt_to_mfn((void *)start_info->pt_base);
}

static unsigned int pt_index(unsigned long va, unsigned int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

/* Map leaf at va (whose L4 slot is empty) through new L3, L2 and L1
 * frames; returns the L1's frame. */
static unsigned long map_under_new_slot(unsigned long va, unsigned long leaf_mfn, uint64_t flags)
{
    unsigned long l3 = spare_frame(), l2 = spare_frame(), l1 = spare_frame();
    uint64_t e = (leaf_mfn << 12) | flags;

    fill_frame(l1, &e, pt_index(va, 1), 1);
    e = (l1 << 12) | PTE_TABLE;
    fill_frame(l2, &e, pt_index(va, 2), 1);
    e = (l2 << 12) | PTE_TABLE;
    fill_frame(l3, &e, pt_index(va, 3), 1);
    long rc = pt_write_entry((kernel_l4_mfn() << 12) + pt_index(va, 4) * 8,
                             (l3 << 12) | PTE_TABLE);
    if (rc) {
        con_printf("INFO: hooking %#lx into the L4 returned %ld\n", va, rc);
        rt_abort("cannot map the test's pages");
    }
    return l1;
}

static long update_descriptor(unsigned long mfn, unsigned int index, uint64_t desc)
{
    return hcall2(__HYPERVISOR_update_descriptor, (mfn << 12) + index * 8, desc);
}

/* A second L4 with the guest slots of the running one, minus skip_slot. */
static unsigned long copy_kernel_l4(unsigned int skip_slot)
{
    const uint64_t *cur = (const uint64_t *)start_info->pt_base;
    unsigned long mfn = spare_frame();

    if (map_window(mfn, PTE_FLAGS_RW_PAGE))
        rt_abort("cannot map a spare frame");
    rt_memset(window, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < 512; i++)
        if ((i < 256 || i > 271) && i != skip_slot)
            ((uint64_t *)window)[i] = cur[i];
    unmap_window();
    if (pt_mmuext(MMUEXT_PIN_L4_TABLE, mfn, 0))
        rt_abort("cannot pin a copy of the L4");
    return mfn;
}

/* ---- probes ----------------------------------------------------------- */

static bool selected(const char *name)
{
    if (!only)
        return true;
    size_t n = rt_strlen(name);
    return rt_strncmp(only, name, n) == 0 && (only[n] == 0 || only[n] == ' ');
}

/* HYPERVISOR_iret to rip/cs/ss on this stack: how many exceptions came
 * back (the last one is in trap_last). */
static unsigned int iret_to(uint64_t rip, uint64_t cs, uint64_t ss)
{
    uint64_t frame[5] = { rip, cs, RFLAGS_MASKED, 0, ss };
    unsigned int before = trap_last.count;

    probe_seen_ss = 0;
    arm_back_to_probe();
    iret_probe(frame);
    return disarm(before);
}

static unsigned int jump_to(uint64_t target, uint64_t rax, uint64_t rbx, uint64_t rcx)
{
    unsigned int before = trap_last.count;

    arm_back_to_probe();
    jump_probe(target, rax, rbx, rcx, 0);
    return disarm(before);
}

static bool expect_fault(const char *name, unsigned int n, unsigned int vector, uint64_t ec)
{
    return check(n == 1 && lastf->vector == vector && lastf->error_code == ec, name,
                 "%u exception(s), the last vector %lu error code %#lx (want one, vector %u, "
                 "error code %#lx)", n, (unsigned long)lastf->vector,
                 (unsigned long)lastf->error_code, vector, (unsigned long)ec);
}

/* ---- item 6: iret frames the CPU refuses ------------------------------ */

static void iret_noncanonical_rip(void)
{
    unsigned int n = iret_to(NONCANONICAL, KERNEL_CS_FRAME, FLAT_KERNEL_SS);
    expect_fault("iret to a non-canonical rip gives #GP(0)", n, 13, 0);
    check_eq("... at the rip the frame asked for", lastf->rip, (long)NONCANONICAL);
    check_eq("... from kernel mode (frame CS RPL 0)", lastf->cs & 0xffff, KERNEL_CS_FRAME);
}

static void iret_hypervisor_selectors(void)
{
    unsigned int n = iret_to((uint64_t)probe_returned, 0xe008, FLAT_KERNEL_SS);
    expect_fault("iret to the hypervisor's CS 0xe008 gives #GP(0xe008)", n, 13, 0xe008);
    n = iret_to((uint64_t)probe_returned, KERNEL_CS_FRAME, 0xe010);
    expect_fault("iret to the hypervisor's SS 0xe010 gives #GP(0xe010)", n, 13, 0xe010);
    check_eq("... with that SS in the frame", lastf->ss & 0xffff, 0xe013);
}

/* What Linux's rt_sigreturn does for a process that forged its
 * sigcontext: an iret to user mode with CS 0xfff3, beyond the GDT. */
static void iret_user_cs_beyond_gdt(void)
{
    unsigned long l4 = spare_frame();

    fill_frame(l4, NULL, 0, 0);
    if (!check_eq("stack_switch to a kernel stack",
                  hyp_stack_switch(FLAT_KERNEL_SS, (unsigned long)kernel_stack + sizeof(kernel_stack)), 0) ||
        !check_eq("pin an empty user L4", pt_mmuext(MMUEXT_PIN_L4_TABLE, l4, 0), 0) ||
        !check_eq("MMUEXT_NEW_USER_BASEPTR", pt_mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0), 0))
        return;
    unsigned int n = iret_to(0x400000, 0xfff3, FLAT_USER_SS);
    expect_fault("iret to user mode with CS 0xfff3 gives #GP(0xfff0)", n, 13, 0xfff0);
    check_eq("... with CS 0xfff3 in the frame (user mode)", lastf->cs & 0xffff, 0xfff3);
    check_eq("... at the rip the frame asked for", lastf->rip, 0x400000);
    check_eq("back in kernel mode: hypercalls work", hyp_xen_version(0, NULL), (4 << 16) | 17);
}

/* ---- item 3: stack selectors from the guest's descriptor tables ------ */

static void ldt_setup(void)
{
    uint64_t descs[2] = { DATA_DPL3, DATA_DPL3 };

    ldt_mfn = spare_frame();
    fill_frame(ldt_mfn, descs, 0, 2);
    map_under_new_slot(LDT_VA, ldt_mfn, PTE_RO);
}

static void new_baseptr_drops_shadow_ldt(void)
{
    if (!check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    unsigned int n = iret_to((uint64_t)probe_note_ss, KERNEL_CS_FRAME, SEL_LDT0);
    check(n == 0 && probe_seen_ss == SEL_LDT0, "iret to an SS from the LDT", "%u exception(s), ss %#lx",
          n, (unsigned long)probe_seen_ss);

    unsigned long orig = kernel_l4_mfn(), copy = copy_kernel_l4(512);
    check_eq("MMUEXT_NEW_BASEPTR to a copy of the L4", pt_mmuext(MMUEXT_NEW_BASEPTR, copy, 0), 0);
    n = iret_to((uint64_t)probe_note_ss, KERNEL_CS_FRAME, SEL_LDT0);
    check(n == 0 && probe_seen_ss == SEL_LDT0,
          "after NEW_BASEPTR dropped the shadow LDT, iret to an SS from the LDT still works",
          "%u exception(s) (last vector %lu ec %#lx), ss %#lx", n, (unsigned long)lastf->vector,
          (unsigned long)lastf->error_code, (unsigned long)probe_seen_ss);
    check_eq("MMUEXT_NEW_BASEPTR back", pt_mmuext(MMUEXT_NEW_BASEPTR, orig, 0), 0);

    unsigned long bare = copy_kernel_l4(pt_index(LDT_VA, 4));
    check_eq("MMUEXT_NEW_BASEPTR to tables without the LDT's page", pt_mmuext(MMUEXT_NEW_BASEPTR, bare, 0), 0);
    n = iret_to((uint64_t)probe_note_ss, KERNEL_CS_FRAME, SEL_LDT0);
    uint64_t cr2 = trap_last.cr2;
    check_eq("MMUEXT_NEW_BASEPTR back", pt_mmuext(MMUEXT_NEW_BASEPTR, orig, 0), 0);
    expect_fault("iret to an LDT SS the new tables do not map gives #PF", n, 14, 0);
    check_eq("... with cr2 the LDT's address", cr2, (long)LDT_VA);
    check_eq("... and the LDT selector in the frame", lastf->ss & 0xffff, SEL_LDT0);
}

static struct { unsigned int vector; uint64_t ss; long rc; } first_trap;

/* #BP handler hook: make the loaded SS's descriptor not present, and
 * return to the frame (whose SS is that selector). */
static void drop_loaded_ss(struct trap_frame *f)
{
    first_trap.vector = (unsigned int)f->vector;
    first_trap.ss = f->ss & 0xffff;
    first_trap.rc = update_descriptor(ldt_mfn, 1, DATA_NOTPRESENT);
    trap_resume_hook = back_to_probe;
    trap_arm(0);
}

static void update_descriptor_under_loaded_ss(void)
{
    if (!check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    unsigned int before = trap_last.count;
    trap_resume_hook = drop_loaded_ss;
    trap_arm(0);
    ss_int3_probe(SEL_LDT1);
    unsigned int n = disarm(before);
    check(first_trap.vector == 3 && first_trap.ss == SEL_LDT1,
          "int3 with SS from the LDT: the frame carries that SS", "vector %u ss %#lx",
          first_trap.vector, (unsigned long)first_trap.ss);
    check_eq("update_descriptor under the loaded SS", first_trap.rc, 0);
    /* Hardware raises #SS for a stack segment that is not present; QEMU's
     * IRETQ raises #NP.  Either way the guest gets what the CPU raised. */
    check(n == 2 && (lastf->vector == 12 || lastf->vector == 11) &&
              lastf->error_code == (SEL_LDT1 & ~3),
          "the return to it gives #SS(selector) (#NP under QEMU)",
          "%u exception(s), the last vector %lu error code %#lx",
          n, (unsigned long)lastf->vector, (unsigned long)lastf->error_code);
    check_eq("... with that SS in the frame", lastf->ss & 0xffff, SEL_LDT1);
    update_descriptor(ldt_mfn, 1, DATA_DPL3);
}

static uint16_t read_ds(void)
{
    uint16_t ds;
    asm volatile("movw %%ds, %0" : "=r"(ds));
    return ds;
}

/* The hypervisor reloads no data segment register on its way back: a
 * loaded DS keeps working after its LDT entry and the LDT went. */
static void loaded_ds_survives(void)
{
    if (!check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    asm volatile("movw %w0, %%ds" : : "r"(SEL_LDT0) : "memory");
    long rc = update_descriptor(ldt_mfn, 0, DATA_NOTPRESENT);
    long rc2 = pt_mmuext(MMUEXT_SET_LDT, 0, 0);
    long version = hyp_xen_version(0, NULL);
    uint16_t ds = read_ds();
    volatile uint64_t probe = 0x5a5a;
    uint64_t via_ds;
    asm volatile("movq %%ds:(%1), %0" : "=r"(via_ds) : "r"(&probe));
    asm volatile("movw %w0, %%ds" : : "r"(0) : "memory");
    check(rc == 0 && rc2 == 0 && version == ((4 << 16) | 17),
          "DS from the LDT, its descriptor dropped, the LDT emptied, hypercalls",
          "update_descriptor %ld, SET_LDT %ld, xen_version %#lx", rc, rc2, (unsigned long)version);
    check(ds == SEL_LDT0 && via_ds == 0x5a5a, "... the loaded DS is left as it was",
          "ds %#x, read %#lx", ds, (unsigned long)via_ds);
    update_descriptor(ldt_mfn, 0, DATA_DPL3);
}

static void iret_ss_from_emptied_ldt(void)
{
    check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0);
    check_eq("MMUEXT_SET_LDT back to none", pt_mmuext(MMUEXT_SET_LDT, 0, 0), 0);
    unsigned int n = iret_to((uint64_t)probe_note_ss, KERNEL_CS_FRAME, SEL_LDT0);
    expect_fault("iret to an SS from an emptied LDT gives #GP(selector)", n, 13, SEL_LDT0 & ~3);
    check_eq("... with that SS in the frame", lastf->ss & 0xffff, SEL_LDT0);
}

/* Subfloor also takes hypercalls by int $0x82 from guest-kernel mode
 * (docs/abi.md; on Xen a 64-bit guest gets #GP), and that frame keeps the
 * guest's SS: the hypercall itself can take the stack selector's
 * descriptor away before the return loads it again.  Checked only where
 * the extension exists. */
static bool int82_hypercalls(void)
{
    static char extra[XEN_EXTRAVERSION_LEN];

    hyp_xen_version(XENVER_extraversion, extra);
    for (const char *p = extra; *p; p++)
        if (rt_strncmp(p, "subfloor", 8) == 0)
            return true;
    con_printf("INFO: int $0x82 hypercalls are a Subfloor extension: not checked here\n");
    return false;
}

static unsigned int int82_under_ss(uint64_t sel, unsigned int nr, uint64_t a1, uint64_t a2,
                                   uint64_t a3, uint64_t a4)
{
    unsigned int before = trap_last.count;

    probe_result = ~0ul;
    arm_back_to_probe();
    int82_probe(sel, nr, a1, a2, a3, a4);
    return disarm(before);
}

static void int82_ldt_emptied(void)
{
    if (!int82_hypercalls() ||
        !check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    mmuext_op_t op = { .cmd = MMUEXT_SET_LDT, .arg1.linear_addr = 0, .arg2.nr_ents = 0 };
    unsigned int done = 0;
    unsigned int n = int82_under_ss(SEL_LDT0, __HYPERVISOR_mmuext_op, (uint64_t)&op, 1,
                                    (uint64_t)&done, DOMID_SELF);
    expect_fault("SS from the LDT, SET_LDT to none by int $0x82: #GP(selector) on the way back",
                 n, 13, SEL_LDT0 & ~3);
    check(lastf->rax == 0 && done == 1 && (lastf->ss & 0xffff) == SEL_LDT0,
          "... after the hypercall did its work, with that SS in the frame", "rax %ld done %u ss %#lx",
          (long)lastf->rax, done, (unsigned long)lastf->ss);
}

static void int82_update_descriptor(void)
{
    if (!int82_hypercalls() ||
        !check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    unsigned int n = int82_under_ss(SEL_LDT1, __HYPERVISOR_update_descriptor,
                                    (ldt_mfn << 12) + 8, DATA_NOTPRESENT, 0, 0);
    check(n == 1 && (lastf->vector == 12 || lastf->vector == 11) &&
              lastf->error_code == (SEL_LDT1 & ~3) && lastf->rax == 0,
          "update_descriptor by int $0x82 under the loaded SS: #SS(selector) on the way back",
          "%u exception(s), the last vector %lu error code %#lx, rax %ld", n,
          (unsigned long)lastf->vector, (unsigned long)lastf->error_code, (long)lastf->rax);
    update_descriptor(ldt_mfn, 1, DATA_DPL3);
}

static void int82_new_baseptr(void)
{
    if (!int82_hypercalls() ||
        !check_eq("MMUEXT_SET_LDT with two entries", pt_mmuext(MMUEXT_SET_LDT, LDT_VA, 2), 0))
        return;
    unsigned long orig = kernel_l4_mfn(), copy = copy_kernel_l4(512);
    mmuext_op_t op = { .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = copy };
    unsigned int done = 0;
    unsigned int n = int82_under_ss(SEL_LDT0, __HYPERVISOR_mmuext_op, (uint64_t)&op, 1,
                                    (uint64_t)&done, DOMID_SELF);
    long back = pt_mmuext(MMUEXT_NEW_BASEPTR, orig, 0);
    check(n == 0 && probe_result == 0 && done == 1,
          "NEW_BASEPTR by int $0x82 under an SS from the LDT returns (its page mapped again)",
          "%u exception(s) (last vector %lu ec %#lx), result %ld", n, (unsigned long)lastf->vector,
          (unsigned long)lastf->error_code, (long)probe_result);
    check_eq("MMUEXT_NEW_BASEPTR back", back, 0);
}

/* ---- item 4: emulation at the top of the lower half ------------------- */

static volatile uint8_t *const code_page = (volatile uint8_t *)CODE_PAGE_VA;

/* bytes at the very end of the lower half; returns where they start. */
static uint64_t code_at_end(const uint8_t *bytes, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        code_page[PAGE_SIZE - n + i] = bytes[i];
    return NONCANONICAL - n;
}

static void code_setup(void)
{
    unsigned long mfn = spare_frame();

    fill_frame(mfn, NULL, 0, 0);
    code_l1_mfn = map_under_new_slot(CODE_PAGE_VA, mfn, PTE_FLAGS_RW_PAGE);
}

static bool expect_gp_past_the_end(const char *name, unsigned int n)
{
    bool ok = expect_fault(name, n, 13, 0);
    return check_eq("... at rip 0x800000000000", lastf->rip, (long)NONCANONICAL) && ok;
}

static void forced_cpuid_at_end(void)
{
    static const uint8_t insn[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint32_t a, b, c, d;

    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    unsigned int n = jump_to(code_at_end(insn, sizeof(insn)), 0, 0, 0);
    expect_gp_past_the_end("forced CPUID ending at 0x7fffffffffff, then #GP(0)", n);
    check(lastf->rbx == b && lastf->rdx == d && lastf->rcx == c,
          "... after the CPUID completed (vendor in ebx, edx, ecx)", "got %#lx %#lx %#lx",
          (unsigned long)lastf->rbx, (unsigned long)lastf->rdx, (unsigned long)lastf->rcx);
}

static void privileged_insn_at_end(void)
{
    static const uint8_t insn[] = { 0x0f, 0x20, 0xc0 };     /* mov %cr0, %rax */

    unsigned int n = jump_to(code_at_end(insn, sizeof(insn)), 0x1234, 0, 0);
    expect_gp_past_the_end("emulated mov from CR0 ending at 0x7fffffffffff, then #GP(0)", n);
    check((lastf->rax & 0x80000001) == 0x80000001, "... after the read (rax has PE and PG)",
          "rax %#lx", (unsigned long)lastf->rax);
}

static void ptwr_store_at_end(void)
{
    static const uint8_t insn[] = { 0x48, 0x89, 0x19 };     /* mov %rbx, (%rcx) */
    uint64_t pte = (virt_to_mfn(ptwr_target) << 12) | PTE_RO;

    if (!check_eq("vm_assist writable_pagetables",
                  hyp_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0) ||
        !check_eq("map the code page's L1 read-only", map_window(code_l1_mfn, PTE_RO), 0))
        return;
    unsigned int n = jump_to(code_at_end(insn, sizeof(insn)), 0, pte, (uint64_t)window);
    uint64_t written = ((volatile uint64_t *)window)[0];
    unmap_window();
    expect_gp_past_the_end("page-table store emulated ending at 0x7fffffffffff, then #GP(0)", n);
    check((written & PTE_MFN_MASK) == (pte & PTE_MFN_MASK) && (written & PTE_PRESENT),
          "... after the entry was written", "entry %#lx", (unsigned long)written);
    pt_write_entry((code_l1_mfn << 12) + 0, 0);
}

static void hypercall_at_end(void)
{
    static const uint8_t insn[] = { 0x0f, 0x05 };            /* syscall */

    unsigned int n = jump_to(code_at_end(insn, sizeof(insn)), __HYPERVISOR_xen_version, 0, 0);
    expect_gp_past_the_end("hypercall by a syscall ending at 0x7fffffffffff, then #GP(0)", n);
    check_eq("... after the hypercall returned its value", lastf->rax, (4 << 16) | 17);
}

/* ---- the run ----------------------------------------------------------- */

static const char *find_only(void)
{
    const char *s = (const char *)start_info->cmd_line;
    for (; *s; s++)
        if (rt_strncmp(s, "only=", 5) == 0)
            return s + 5;
    return NULL;
}

static const struct { const char *name; void (*run)(void); } cases[] = {
    { "iret-noncanonical", iret_noncanonical_rip },
    { "iret-hv-selectors", iret_hypervisor_selectors },
    { "iret-user-cs", iret_user_cs_beyond_gdt },
    { "ldt-new-baseptr", new_baseptr_drops_shadow_ldt },
    { "ldt-update-descriptor", update_descriptor_under_loaded_ss },
    { "ldt-loaded-ds", loaded_ds_survives },
    { "ldt-emptied", iret_ss_from_emptied_ldt },
    { "int82-ldt-emptied", int82_ldt_emptied },
    { "int82-update-descriptor", int82_update_descriptor },
    { "int82-new-baseptr", int82_new_baseptr },
    { "emul-cpuid", forced_cpuid_at_end },
    { "emul-priv", privileged_insn_at_end },
    { "emul-ptwr", ptwr_store_at_end },
    { "emul-hypercall", hypercall_at_end },
};

void guest_main(void)
{
    only = find_only();
    if (only)
        con_printf("INFO: only %s\n", only);
    ldt_setup();
    code_setup();
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (selected(cases[i].name))
            cases[i].run();
    check_eq("the hypervisor still answers", hyp_xen_version(0, NULL), (4 << 16) | 17);
}
