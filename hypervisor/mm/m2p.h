/*
 * The machine-to-physical table: for every machine frame, the guest
 * pseudo-physical frame it backs (or M2P_INVALID).  The hypervisor owns
 * it and writes it through the direct map; guests read it at
 * MACH2PHYS_VIRT_START (L4 slot 256), mapped read-only and user, which is
 * where Linux's machine_to_phys_mapping looks.
 */
#ifndef SUBFLOOR_M2P_H
#define SUBFLOOR_M2P_H

#include <stdint.h>

#define M2P_INVALID (~0ull)

/* Allocate the table for every frame in the frame table and its guest
 * mapping; 0, or -1 when out of memory (logged). */
int m2p_init(void);

void m2p_set(uint64_t mfn, uint64_t pfn);
uint64_t m2p_get(uint64_t mfn);

/* The table itself (the PV MMU's MMU_MACHPHYS_UPDATE writes it) and its
 * number of entries. */
uint64_t *m2p_table(void);
uint64_t m2p_entries(void);

/* The L4 entry a guest L4 holds in slot 256 for the read-only table. */
uint64_t m2p_guest_l4_entry(void);

#endif
