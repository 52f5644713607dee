/*
 * The GDT holds flat 64-bit code/data segments and the TSS, whose only
 * job so far is the interrupt stack table (#DF, NMI, #MC).
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

static struct tss64 tss;
static unsigned char ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[5] __attribute__((aligned(16)));

extern unsigned char boot_stack_bottom[], boot_stack_top[];

static uint64_t tss_descriptor_low(uint64_t base, uint32_t limit)
{
    return (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
           (0x89ull << 40) |                        /* present, 64-bit TSS */
           ((uint64_t)(limit >> 16) & 0xf) << 48 |
           ((base >> 24) & 0xffull) << 56;
}

void gdt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) descr;

    for (int i = 0; i < IST_COUNT; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.rsp[0] = (uint64_t)(uintptr_t)boot_stack_top;
    tss.iomap_base = sizeof(tss);   /* no I/O bitmap */

    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull;     /* code: 64-bit, ring 0 */
    gdt[2] = 0x00cf92000000ffffull;     /* data: ring 0 */
    gdt[3] = tss_descriptor_low((uintptr_t)&tss, sizeof(tss) - 1);
    gdt[4] = (uint64_t)(uintptr_t)&tss >> 32;

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
