/*
 * The GDT: the guest's part (empty until guests load their own GDT
 * frames) and the hypervisor's reserved part at Xen's selectors (see
 * desc.h).  The TSS gives ring-3 guests a stack to trap onto (rsp0) and
 * the interrupt stack table for #DF, NMI and #MC.
 */
#include <string.h>
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"
#include "arch/x86/percpu.h"

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "hardware TSS layout");

#define GDT_ENTRIES (GDT_RESERVED_FIRST_ENTRY + 16)

/* Descriptor bits: code/data, present, DPL, long mode or 32-bit. */
#define DESC_CODE64_DPL0 0x00af9a000000ffffull
#define DESC_CODE32_DPL0 0x00cf9a000000ffffull
#define DESC_DATA_DPL0   0x00cf92000000ffffull
#define DESC_CODE32_DPL3 0x00cffa000000ffffull
#define DESC_DATA_DPL3   0x00cff2000000ffffull
#define DESC_CODE64_DPL3 0x00affa000000ffffull

/* One GDT and TSS per CPU: the TSS holds that CPU's own stacks. */
static struct tss64 cpu_tss[NR_CPUS];
static uint64_t cpu_gdt[NR_CPUS][GDT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t tss_descriptor_low(uint64_t base, uint32_t limit)
{
    return (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
           (0x89ull << 40) |                        /* present, 64-bit TSS */
           ((uint64_t)(limit >> 16) & 0xf) << 48 |
           ((base >> 24) & 0xffull) << 56;
}

static void gdt_set(uint64_t *gdt, uint16_t selector, uint64_t desc)
{
    gdt[selector >> 3] = desc;
}

uintptr_t guest_entry_stack_top(void)
{
    return percpu_stack_top(smp_processor_id());
}

void gdt_init(void)
{
    gdt_init_cpu(0);
}

void gdt_init_cpu(unsigned int cpu)
{
    uint64_t *gdt = cpu_gdt[cpu];
    struct tss64 *tss = &cpu_tss[cpu];
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) descr;

    for (int i = 0; i < IST_COUNT; i++)
        tss->ist[i] = percpu_ist_top(cpu, (unsigned int)i + 1);
    /* On CPU 0 the boot stack becomes the stack every guest entry lands
     * on: once a guest runs, the hypervisor never returns to the boot
     * frames.  Other CPUs start on their own entry stack. */
    tss->rsp[0] = percpu_stack_top(cpu);
    tss->iomap_base = sizeof(*tss); /* no I/O bitmap: ring 3 port I/O traps */

    memset(gdt, 0, sizeof(cpu_gdt[cpu]));
    gdt_set(gdt, HYPERVISOR_CS, DESC_CODE64_DPL0);
    gdt_set(gdt, HYPERVISOR_DS, DESC_DATA_DPL0);
    gdt_set(gdt, HYPERVISOR_CS32, DESC_CODE32_DPL0);
    gdt_set(gdt, GUEST_CS32, DESC_CODE32_DPL3);
    gdt_set(gdt, GUEST_DS, DESC_DATA_DPL3);
    gdt_set(gdt, GUEST_CS64, DESC_CODE64_DPL3);
    gdt_set(gdt, TSS_SELECTOR, tss_descriptor_low((uintptr_t)tss, sizeof(*tss) - 1));
    gdt[(TSS_SELECTOR >> 3) + 1] = (uint64_t)(uintptr_t)tss >> 32;

    descr.limit = sizeof(cpu_gdt[cpu]) - 1;
    descr.base = (uint64_t)(uintptr_t)gdt;
    __asm__ volatile(
        "lgdt %0\n\t"
        "mov %1, %%ds\n\t"
        "mov %1, %%es\n\t"
        "mov %1, %%ss\n\t"
        /* Reload CS with a far return to the next instruction. */
        "pushq %2\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "ltr %w3"
        : : "m"(descr), "r"((uint64_t)HYPERVISOR_DS), "i"(HYPERVISOR_CS),
            "r"((uint16_t)TSS_SELECTOR)
        : "rax", "memory");
}

bool addr_on_hypervisor_stack(uintptr_t addr, uintptr_t len)
{
    return percpu_stack_contains(addr, len);
}
