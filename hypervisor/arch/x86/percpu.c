/* Per-CPU areas and stacks; see percpu.h. */
#include <stddef.h>
#include "arch/x86/percpu.h"

_Static_assert(sizeof(struct cpu_stacks) % 16 == 0, "stack tops stay 16-byte aligned");

struct cpu_stacks cpu_stacks[NR_CPUS] __attribute__((aligned(4096)));

struct percpu percpu_area[NR_CPUS];

extern unsigned char boot_stack_bottom[], boot_stack_top[];

uintptr_t percpu_stack_top(unsigned int cpu)
{
    return (uintptr_t)&cpu_stacks[cpu].main[STACK_SIZE];
}

uintptr_t percpu_ist_top(unsigned int cpu, unsigned int ist)
{
    return (uintptr_t)&cpu_stacks[cpu].ist[ist - 1][IST_STACK_SIZE];
}

bool percpu_stack_contains(uintptr_t addr, uintptr_t len)
{
    uintptr_t base = (uintptr_t)cpu_stacks;
    uintptr_t end = addr + len;

    if (end < addr)
        return false;
    if (addr >= (uintptr_t)boot_stack_bottom && end <= (uintptr_t)boot_stack_top)
        return true;
    if (addr < base || end > base + sizeof(cpu_stacks))
        return false;
    /* Both ends inside the same stack: a frame never spans two. */
    size_t first = (addr - base) % sizeof(struct cpu_stacks);
    size_t last = (end - 1 - base) % sizeof(struct cpu_stacks);
    size_t block_first = (addr - base) / sizeof(struct cpu_stacks);
    size_t block_last = (end - 1 - base) / sizeof(struct cpu_stacks);
    if (block_first != block_last)
        return false;
    if (first >= offsetof(struct cpu_stacks, main))
        return true;
    return first / IST_STACK_SIZE == last / IST_STACK_SIZE &&
           last < offsetof(struct cpu_stacks, main);
}

unsigned int cpus_online(void)
{
    unsigned int n = 0;

    for (unsigned int c = 0; c < NR_CPUS; c++)
        n += percpu_area[c].online;
    return n;
}
