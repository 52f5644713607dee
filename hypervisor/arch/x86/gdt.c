/*
 * The GDT: the guest's part (empty until guests load their own GDT
 * frames) and the hypervisor's reserved part at Xen's selectors (see
 * desc.h).  The TSS gives ring-3 guests a stack to trap onto (rsp0) and
 * the interrupt stack table for #DF, NMI and #MC.
 */
#include <string.h>
#include "desc.h"
#include "layout.h"

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

static struct tss64 tss;
static unsigned char ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(4096)));

extern unsigned char boot_stack_bottom[], boot_stack_top[];

static uint64_t tss_descriptor_low(uint64_t base, uint32_t limit)
{
    return (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
           (0x89ull << 40) |                        /* present, 64-bit TSS */
           ((uint64_t)(limit >> 16) & 0xf) << 48 |
           ((base >> 24) & 0xffull) << 56;
}

static void gdt_set(uint16_t selector, uint64_t desc)
{
    gdt[selector >> 3] = desc;
}

uintptr_t guest_entry_stack_top(void)
{
    return (uintptr_t)boot_stack_top;
}

void gdt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) descr;

    for (int i = 0; i < IST_COUNT; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
    /* The boot stack becomes the stack every guest entry lands on: once a
     * guest runs, the hypervisor never returns to the boot frames. */
    tss.rsp[0] = (uint64_t)(uintptr_t)boot_stack_top;
    tss.iomap_base = sizeof(tss);   /* no I/O bitmap: ring 3 port I/O traps */

    memset(gdt, 0, sizeof(gdt));
    gdt_set(HYPERVISOR_CS, DESC_CODE64_DPL0);
    gdt_set(HYPERVISOR_DS, DESC_DATA_DPL0);
    gdt_set(HYPERVISOR_CS32, DESC_CODE32_DPL0);
    gdt_set(GUEST_CS32, DESC_CODE32_DPL3);
    gdt_set(GUEST_DS, DESC_DATA_DPL3);
    gdt_set(GUEST_CS64, DESC_CODE64_DPL3);
    gdt_set(TSS_SELECTOR, tss_descriptor_low((uintptr_t)&tss, sizeof(tss) - 1));
    gdt[(TSS_SELECTOR >> 3) + 1] = (uint64_t)(uintptr_t)&tss >> 32;

    descr.limit = sizeof(gdt) - 1;
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
    uintptr_t end = addr + len;

    if (end < addr)
        return false;
    if (addr >= (uintptr_t)boot_stack_bottom && end <= (uintptr_t)boot_stack_top)
        return true;
    for (int i = 0; i < IST_COUNT; i++)
        if (addr >= (uintptr_t)ist_stacks[i] &&
            end <= (uintptr_t)&ist_stacks[i][IST_STACK_SIZE])
            return true;
    return false;
}
