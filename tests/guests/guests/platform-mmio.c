/*
 * platform-mmio: the MMIO the hypervisor keeps for itself, as Xen 4.17
 * keeps it from dom0.  The local APIC's page and the rest of the MSI
 * address range (0xfee00000-0xfeefffff) cannot be mapped at all
 * (-EPERM); the IO-APIC's page and the HPET's map, but a writable
 * mapping is stored read-only, so reads work and a write faults; other
 * I/O memory above RAM still maps writable.  Stores through the
 * read-only mapping are Xen's: a plain aligned one is dropped, others
 * fault.  The addresses are those of
 * QEMU's pc machine, which the runner boots (Xen's log names the same).
 */
#include <public/errno.h>

#include "guest.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "platform-mmio";

#define LAPIC_MFN   0xfee00UL
#define MSI_LAST    0xfeeffUL
#define IOAPIC_MFN  0xfec00UL
#define HPET_MFN    0xfed00UL
#define PCI_HOLE_MFN 0xe0000UL   /* I/O memory of nobody's: the PCI hole */

/* A page of our image whose mapping we point at MMIO frames. */
static char window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static long map_window(unsigned long mfn, bool writable)
{
    uint64_t pte = (mfn << 12) | PTE_FLAGS_RW_PAGE;
    if (!writable)
        pte &= ~PTE_RW;
    return hyp_update_va_mapping((unsigned long)window, pte, UVMF_INVLPG);
}

static void restore_window(void)
{
    if (map_window(virt_to_mfn(window), true))
        rt_abort("cannot restore the window");
}

static uint64_t window_l1_entry(void)
{
    struct pt_walk w;
    pt_walk((unsigned long)window, &w);
    return w.entry[1];
}

static void denied(const char *name, unsigned long mfn, bool writable)
{
    long rc = map_window(mfn, writable);
    check_eq(name, rc, -XEN_EPERM);
    if (rc == 0)
        restore_window();
}

static void local_apic(void)
{
    denied("the local APIC's page cannot be mapped writable", LAPIC_MFN, true);
    denied("... nor read-only", LAPIC_MFN, false);
    denied("the next page of the MSI range cannot be mapped", LAPIC_MFN + 1, false);
    denied("the last page of the MSI range cannot be mapped", MSI_LAST, false);
}

static bool faulted_here(unsigned int before, volatile void *at)
{
    return trap_last.count == before + 1 && trap_last.frame.vector == 14 &&
           (trap_last.frame.error_code & 3) == 3 && trap_last.cr2 == (uint64_t)at;
}

/*
 * A writable mapping is accepted and stored read-only.  Reads work; a
 * plain aligned store from the kernel is dropped without a fault (Xen
 * emulates it as a write that goes nowhere), a misaligned store or a
 * read-modify-write faults as the read-only mapping says.  off is a
 * register whose value a store must not change if it is dropped.
 */
static void read_only(const char *what, unsigned long mfn, uint32_t off)
{
    char name[120];

    rt_snprintf(name, sizeof(name), "%s: a writable mapping is accepted", what);
    if (!check_eq(name, map_window(mfn, true), 0))
        return;
    uint64_t e = window_l1_entry();
    rt_snprintf(name, sizeof(name), "%s: ... and stored read-only", what);
    check(((e >> 12) & 0xfffffffffUL) == mfn && (e & PTE_PRESENT) && !(e & PTE_RW), name,
          "L1 entry %#lx", (unsigned long)e);

    volatile uint32_t *reg = (volatile uint32_t *)(window + off);
    uint32_t v = *reg;
    con_printf("INFO: %s: register at %#x reads %#x\n", what, off, v);

    unsigned int faults = trap_last.count;
    TRAP_PROVOKE("movl %%edx, (%%rcx)", "c"(reg), "d"(v ^ 1));
    rt_snprintf(name, sizeof(name), "%s: an aligned store is dropped without a fault", what);
    check(trap_last.count == faults && *reg == v, name, "faults +%u, register %#x (was %#x)",
          trap_last.count - faults, *reg, v);

    volatile uint8_t *odd = (volatile uint8_t *)reg + 2;
    faults = trap_last.count;
    TRAP_PROVOKE("movl %%edx, (%%rcx)", "c"(odd), "d"(v));
    rt_snprintf(name, sizeof(name), "%s: a misaligned store faults (#PF, protection)", what);
    check(faulted_here(faults, odd), name, "faults +%u vector %lu ec %#lx cr2 %#lx",
          trap_last.count - faults, (unsigned long)trap_last.frame.vector,
          (unsigned long)trap_last.frame.error_code, (unsigned long)trap_last.cr2);

    faults = trap_last.count;
    TRAP_PROVOKE("orl $1, (%%rcx)", "c"(reg));
    rt_snprintf(name, sizeof(name), "%s: a read-modify-write faults (#PF, protection)", what);
    check(faulted_here(faults, reg), name, "faults +%u vector %lu ec %#lx cr2 %#lx",
          trap_last.count - faults, (unsigned long)trap_last.frame.vector,
          (unsigned long)trap_last.frame.error_code, (unsigned long)trap_last.cr2);
    restore_window();

    rt_snprintf(name, sizeof(name), "%s: a read-only mapping is accepted", what);
    check_eq(name, map_window(mfn, false), 0);
    restore_window();
}

static void other_io_memory(void)
{
    check_eq("other I/O memory above RAM maps writable", map_window(PCI_HOLE_MFN, true), 0);
    uint64_t e = window_l1_entry();
    check(e & PTE_RW, "... and stays writable", "L1 entry %#lx", (unsigned long)e);
    restore_window();
}

void guest_main(void)
{
    local_apic();
    /* IOREGSEL: a store that went through would select another register. */
    read_only("IO-APIC", IOAPIC_MFN, 0);
    /* The general capabilities and ID (read-only to the device itself). */
    read_only("HPET", HPET_MFN, 0);
    other_io_memory();
}
