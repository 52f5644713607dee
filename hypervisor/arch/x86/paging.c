/*
 * Four-level page tables, written through the direct map.  Before
 * paging_init() the boot tables direct-map only the first GiB, so the
 * frames used to build the final tables must come from there.
 */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "lib/panic.h"
#include "lib/printk.h"

#define PT_ENTRIES 512
#define DIRECTMAP_RANGES_MAX (MEMMAP_MAX + 1)
#define FIRMWARE_RANGES_LIMIT 0x100000000ull

extern uint64_t boot_l4[];
extern const unsigned char __image_start[], __text_end[], __image_end[];
extern const unsigned char __rodata_end[];

static uint64_t *active_l4;          /* the final L4, once built */
static uint64_t active_l4_phys;
static pt_frame_alloc_fn frame_alloc;
static uint64_t pte_nx_mask;         /* PTE_NX if the CPU has it */
static bool final_tables;

static struct { uint64_t base, end; } directmap_ranges[DIRECTMAP_RANGES_MAX];
static unsigned int nr_directmap_ranges;

static uint64_t ioremap_next = IOREMAP_VIRT_START;

void paging_drop_identity_map(void)
{
    boot_l4[0] = 0;
    flush_tlb_all();
}

const uint64_t *paging_hypervisor_l4(void)
{
    return active_l4;
}

uint64_t paging_hypervisor_cr3(void)
{
    return active_l4_phys;
}

uint64_t paging_nx_mask(void)
{
    return pte_nx_mask;
}

void paging_set_frame_alloc(pt_frame_alloc_fn alloc)
{
    frame_alloc = alloc;
}

bool directmap_covers(uint64_t phys, uint64_t len)
{
    uint64_t end = phys + len;

    if (end < phys)
        return false;
    if (!final_tables)
        return end <= BOOT_MAPPED_LIMIT;
    for (unsigned int i = 0; i < nr_directmap_ranges; i++)
        if (phys >= directmap_ranges[i].base && end <= directmap_ranges[i].end)
            return true;
    return false;
}

static uint64_t *table_virt(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The table the entry points to, creating it when absent; NULL when out of
 * frames.  A large page in the way is a layout bug. */
static uint64_t *next_table(uint64_t *entry)
{
    if (!(*entry & PTE_PRESENT)) {
        uint64_t frame = frame_alloc ? frame_alloc() : 0;

        if (!frame)
            return NULL;
        memset(phys_to_virt(frame), 0, PAGE_SIZE);
        /* Intermediate levels allow everything; the leaf decides. */
        *entry = frame | PTE_PRESENT | PTE_WRITE;
    }
    BUG_ON(*entry & PTE_PSE);
    return table_virt(*entry);
}

static unsigned int slot(uint64_t va, unsigned int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/*
 * Map [va, va + size) to [pa, ...) with 2 MiB pages where both addresses
 * and the remaining size allow, 4 KiB pages elsewhere.  A 2 MiB page that
 * already maps the same addresses counts as done, so neighbouring ranges
 * that share a large page map cleanly.  Returns 0 or -1 (no frames).
 */
static int map_range(uint64_t *l4, uint64_t va, uint64_t pa, uint64_t size,
                     uint64_t flags)
{
    flags &= ~PTE_NX | pte_nx_mask;
    while (size) {
        uint64_t *l3 = next_table(&l4[slot(va, 4)]);
        uint64_t *l2 = l3 ? next_table(&l3[slot(va, 3)]) : NULL;
        if (!l2)
            return -1;
        uint64_t *l2e = &l2[slot(va, 2)];
        uint64_t step;

        if ((*l2e & PTE_PRESENT) && (*l2e & PTE_PSE)) {
            /* Already a large page: fine only if it maps the same spot. */
            uint64_t base_va = va & ~(SUPERPAGE_SIZE - 1);
            BUG_ON((*l2e & PTE_ADDR_MASK & ~(SUPERPAGE_SIZE - 1)) !=
                   pa - (va - base_va));
            step = SUPERPAGE_SIZE - (va - base_va);
        } else if (!(*l2e & PTE_PRESENT) && !(va & (SUPERPAGE_SIZE - 1)) &&
                   !(pa & (SUPERPAGE_SIZE - 1)) && size >= SUPERPAGE_SIZE) {
            *l2e = pa | flags | PTE_PSE;
            step = SUPERPAGE_SIZE;
        } else {
            uint64_t *l1 = next_table(l2e);
            if (!l1)
                return -1;
            l1[slot(va, 1)] = pa | flags;
            step = PAGE_SIZE;
        }
        if (step > size)
            step = size;
        va += step;
        pa += step;
        size -= step;
    }
    return 0;
}

static void map_or_panic(uint64_t *l4, uint64_t va, uint64_t pa, uint64_t size,
                         uint64_t flags, const char *what)
{
    if (map_range(l4, va, pa, size, flags))
        panic("out of memory for page tables while mapping %s", what);
}

static void map_image_part(uint64_t *l4, const void *start, const void *end,
                           uint64_t flags, const char *what)
{
    uint64_t va = (uintptr_t)start & ~(PAGE_SIZE - 1);
    uint64_t va_end = ((uintptr_t)end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

    if (va_end > va)
        map_or_panic(l4, va, va - IMAGE_VIRT_BASE, va_end - va, flags, what);
}

static void directmap_add(uint64_t *l4, uint64_t base, uint64_t end)
{
    base &= ~(PAGE_SIZE - 1);
    end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (end <= base || DIRECTMAP_VIRT_START + end > DIRECTMAP_VIRT_END)
        return;
    BUG_ON(nr_directmap_ranges >= DIRECTMAP_RANGES_MAX);
    directmap_ranges[nr_directmap_ranges].base = base;
    directmap_ranges[nr_directmap_ranges].end = end;
    nr_directmap_ranges++;
    map_or_panic(l4, DIRECTMAP_VIRT_START + base, base, end - base, MAP_DATA,
                 "the direct map");
}

void paging_init(const struct memmap *map, uint64_t frame_table_phys,
                 uint64_t frame_table_bytes, pt_frame_alloc_fn alloc)
{
    frame_alloc = alloc;
    if (cpu_has_nx()) {
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
        pte_nx_mask = PTE_NX;
    }

    uint64_t l4_phys = frame_alloc();
    if (!l4_phys)
        panic("no memory for the top-level page table");
    uint64_t *l4 = phys_to_virt(l4_phys);
    memset(l4, 0, PAGE_SIZE);

    map_image_part(l4, __image_start, __text_end, MAP_TEXT, "the image's code");
    map_image_part(l4, __text_end, __rodata_end, MAP_RODATA, "the image's read-only data");
    map_image_part(l4, __rodata_end, __image_end, MAP_DATA, "the image's data");

    /* RAM wherever it is; firmware ranges (ACPI tables, BIOS) only below
     * 4 GiB, where they live, not e.g. QEMU's reserved 12 GiB at 1 TiB. */
    directmap_add(l4, 0, 0x100000);     /* BIOS data, EBDA, ACPI RSDP */
    for (unsigned int i = 0; i < map->n; i++) {
        const struct memmap_entry *e = &map->e[i];
        if (e->type == MEMMAP_RAM || e->base + e->len <= FIRMWARE_RANGES_LIMIT)
            directmap_add(l4, e->base, e->base + e->len);
    }

    map_or_panic(l4, FRAMETABLE_VIRT_START, frame_table_phys,
                 frame_table_bytes, MAP_DATA, "the frame table");

    write_cr0(read_cr0() | X86_CR0_WP);   /* read-only means read-only here too */
    write_cr3(l4_phys);
    active_l4 = l4;
    active_l4_phys = l4_phys;
    final_tables = true;
    printk(LOG_INFO, "paging: final tables at %#lx; image %p-%p, direct map of %u ranges at %#lx, NX %s",
           l4_phys, (void *)__image_start, (void *)__image_end, nr_directmap_ranges,
           DIRECTMAP_VIRT_START, pte_nx_mask ? "on" : "unavailable");
}

void *ioremap(uint64_t phys, uint64_t len)
{
    uint64_t offset = phys & (PAGE_SIZE - 1);
    uint64_t size = (offset + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t va = ioremap_next;

    if (!active_l4 || len == 0 ||
        size > IOREMAP_VIRT_START + IOREMAP_VIRT_SIZE - ioremap_next)
        return NULL;
    /* Page by page: a large page would be needlessly wide for registers. */
    for (uint64_t done = 0; done < size; done += PAGE_SIZE) {
        uint64_t *l4 = active_l4;
        uint64_t *l3 = next_table(&l4[slot(va + done, 4)]);
        uint64_t *l2 = l3 ? next_table(&l3[slot(va + done, 3)]) : NULL;
        uint64_t *l1 = l2 ? next_table(&l2[slot(va + done, 2)]) : NULL;
        if (!l1)
            return NULL;
        l1[slot(va + done, 1)] = ((phys - offset) + done) |
                                 (MAP_UNCACHED & (~PTE_NX | pte_nx_mask));
    }
    ioremap_next += size + PAGE_SIZE;   /* a guard page between mappings */
    return (void *)(uintptr_t)(va + offset);
}
