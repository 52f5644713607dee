/*
 * The hypervisor's page tables: built once at boot (image, direct map,
 * frame table), extended later for device registers (ioremap).
 */
#ifndef SUBFLOOR_PAGING_H
#define SUBFLOOR_PAGING_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/layout.h"
#include "arch/x86/memmap.h"

#define PTE_PRESENT   (1ull << 0)
#define PTE_WRITE     (1ull << 1)
#define PTE_USER      (1ull << 2)
#define PTE_PWT       (1ull << 3)
#define PTE_PCD       (1ull << 4)
#define PTE_ACCESSED  (1ull << 5)
#define PTE_DIRTY     (1ull << 6)
#define PTE_PSE       (1ull << 7)
#define PTE_GLOBAL    (1ull << 8)
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Mapping kinds: the NX bit is dropped when the CPU lacks it. */
#define MAP_TEXT      (PTE_PRESENT)
#define MAP_RODATA    (PTE_PRESENT | PTE_NX)
#define MAP_DATA      (PTE_PRESENT | PTE_WRITE | PTE_NX)
#define MAP_UNCACHED  (PTE_PRESENT | PTE_WRITE | PTE_NX | PTE_PCD | PTE_PWT)

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(DIRECTMAP_VIRT_START + phys);
}

static inline uint64_t virt_to_phys_directmap(const void *p)
{
    return (uint64_t)(uintptr_t)p - DIRECTMAP_VIRT_START;
}

/* Physical address of something in the image (code, data, bss). */
static inline uint64_t image_virt_to_phys(const void *p)
{
    return (uint64_t)(uintptr_t)p - IMAGE_VIRT_BASE;
}

/* Source of zeroed page-table frames: returns a physical address that is
 * reachable through the direct map, or 0 when none is left. */
typedef uint64_t (*pt_frame_alloc_fn)(void);

/* Drop the boot identity map of the first GiB (the image runs high). */
void paging_drop_identity_map(void);

/*
 * Build the final page tables and switch to them: the image with per-
 * section permissions, a direct map of every range in `map` plus the first
 * MiB, and the frame table at FRAMETABLE_VIRT_START.
 */
void paging_init(const struct memmap *map, uint64_t frame_table_phys,
                 uint64_t frame_table_bytes, pt_frame_alloc_fn alloc);

/* The hypervisor's own L4 (after paging_init): guest L4s copy its
 * slots of the hypervisor hole. */
const uint64_t *paging_hypervisor_l4(void);
/* Its physical address: a CR3 that maps no guest at all. */
uint64_t paging_hypervisor_cr3(void);

/* PTE_NX when the CPU has NX (and EFER.NXE is on), else 0. */
uint64_t paging_nx_mask(void);

/* Switch the page-table frame source (the buddy allocator, once it runs). */
void paging_set_frame_alloc(pt_frame_alloc_fn alloc);

/* Is [phys, phys + len) readable through the direct map right now? */
bool directmap_covers(uint64_t phys, uint64_t len);

/* Map device registers uncached; returns the virtual address or NULL. */
void *ioremap(uint64_t phys, uint64_t len);

#endif
