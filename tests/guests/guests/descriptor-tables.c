/*
 * descriptor-tables: the guest's own GDT and LDT.  set_gdt takes frames
 * only while they are mapped read-only and only up to the hypervisor's
 * reserved entries; update_descriptor accepts a data segment and refuses
 * a system descriptor; selectors from the new GDT and from an LDT set
 * with MMUEXT_SET_LDT load, a not-present one raises #NP with the
 * selector as error code; the flat hypervisor selectors keep working;
 * set_segment_base moves %fs.
 */
#include "guest.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "descriptor-tables";

static uint64_t gdt[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t ldt[512] __attribute__((aligned(PAGE_SIZE)));

/* Flat 4 GiB data segment, DPL 3, writable, present, accessed. */
#define DATA_DPL3   0x00cff3000000ffffUL
#define DATA_NOTPRESENT (DATA_DPL3 & ~(1UL << 47))
/* A 64-bit TSS (system descriptor, type 9): never allowed to a PV guest. */
#define TSS_DESC    0x0000890000000067UL

#define SEL_DATA    ((1 << 3) | 3)
#define SEL_ABSENT  ((2 << 3) | 3)
#define SEL_LDT0    ((0 << 3) | 4 | 3)

static long set_page_writable(void *page, bool writable)
{
    uint64_t pte = (virt_to_mfn(page) << 12) | PTE_FLAGS_RW_PAGE;
    if (!writable)
        pte &= ~PTE_RW;
    return hyp_update_va_mapping((unsigned long)page, pte, UVMF_INVLPG);
}

static long set_gdt(unsigned long mfn, unsigned long entries)
{
    unsigned long frames[1] = { mfn };
    return hcall2(__HYPERVISOR_set_gdt, frames, entries);
}

static long update_descriptor(void *slot, uint64_t desc)
{
    unsigned long maddr = (virt_to_mfn(slot) << 12) | ((unsigned long)slot & (PAGE_SIZE - 1));
    return hcall2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static uint16_t load_ds(uint16_t sel)
{
    uint16_t back;
    asm volatile("movw %1, %%ds\n\tmovw %%ds, %0" : "=r"(back) : "r"(sel) : "memory");
    return back;
}

static void gdt_checks(void)
{
    gdt[1] = DATA_DPL3;
    gdt[2] = DATA_NOTPRESENT;
    unsigned long mfn = virt_to_mfn(gdt);
    check(set_gdt(mfn, 16) < 0, "set_gdt of a frame still mapped writable is refused",
          "it was accepted");
    check_eq("remap the GDT page read-only", set_page_writable(gdt, false), 0);
    check(set_gdt(mfn, FIRST_RESERVED_GDT_ENTRY + 1) < 0,
          "set_gdt reaching the hypervisor's reserved entries is refused", "it was accepted");
    check_eq("set_gdt of a read-only frame with 16 entries", set_gdt(mfn, 16), 0);
    check(set_page_writable(gdt, true) < 0, "a GDT frame in use cannot be mapped writable",
          "it was accepted");

    check_eq("update_descriptor with a DPL-3 data segment", update_descriptor(&gdt[3], DATA_DPL3), 0);
    check_eq("the descriptor landed", gdt[3], (long)DATA_DPL3);
    check(update_descriptor(&gdt[4], TSS_DESC) < 0, "update_descriptor with a TSS is refused",
          "it was accepted");
    check_eq("the refused descriptor left the slot empty", gdt[4], 0);

    check_eq("ds loads a selector of our GDT", load_ds(SEL_DATA), SEL_DATA);
    volatile uint64_t probe = 77;
    uint64_t via_ds;
    asm volatile("movq %%ds:(%1), %0" : "=r"(via_ds) : "r"(&probe));
    check_eq("memory reads through it", via_ds, 77);
    load_ds(0);

    unsigned int faults = trap_last.count;
    TRAP_PROVOKE("movw %%cx, %%ds", "c"(SEL_ABSENT));
    check(trap_last.count == faults + 1 && trap_last.frame.vector == 11,
          "loading a not-present segment raises #NP", "faults +%u vector %lu",
          trap_last.count - faults, (unsigned long)trap_last.frame.vector);
    check_eq("#NP error code is the selector", trap_last.frame.error_code, SEL_ABSENT & ~3);
    load_ds(0);

    uint16_t cs;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    check_eq("still on the flat hypervisor CS", cs, FLAT_KERNEL_CS);
    check_eq("hypercalls and traps still work", hyp_xen_version(0, NULL), (4 << 16) | 17);
}

static void ldt_checks(void)
{
    ldt[0] = DATA_DPL3;
    check_eq("remap the LDT page read-only", set_page_writable(ldt, false), 0);
    mmuext_op_t op = { .cmd = MMUEXT_SET_LDT, .arg1.linear_addr = (unsigned long)ldt,
                       .arg2.nr_ents = 1 };
    unsigned int done = 0;
    check_eq("MMUEXT_SET_LDT", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
    check_eq("ds loads an LDT selector", load_ds(SEL_LDT0), SEL_LDT0);
    load_ds(0);
    op.arg1.linear_addr = (unsigned long)ldt + 8;
    check(hyp_mmuext_op(&op, 1, &done, DOMID_SELF) < 0, "MMUEXT_SET_LDT at an unaligned address is refused",
          "it was accepted");
    op.arg1.linear_addr = 0;
    op.arg2.nr_ents = 0;
    check_eq("MMUEXT_SET_LDT back to none", hyp_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
}

static uint64_t fs_probe[2] = { 0x0123456789abcdefUL, 0 };

static void segment_bases(void)
{
    long rc = hcall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, (unsigned long)fs_probe);
    uint64_t via_fs;
    asm volatile("movq %%fs:0, %0" : "=r"(via_fs));
    check(rc == 0 && via_fs == fs_probe[0], "set_segment_base(FS) moves %fs", "rc %ld read %#lx",
          rc, (unsigned long)via_fs);
    hcall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0);
    check(hcall2(__HYPERVISOR_set_segment_base, 99, 0) < 0, "set_segment_base of an unknown base is refused",
          "it was accepted");
}

void guest_main(void)
{
    gdt_checks();
    ldt_checks();
    segment_bases();
}
