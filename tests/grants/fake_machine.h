/*
 * A fake machine for the grant-table tests: a few hundred frames with
 * their frame-table entries, and up to four fake domains, each with a
 * grant table, a PV MMU identity and a toy page table (a list of the PTEs
 * grant mappings wrote) whose teardown drops references the way the real
 * PV MMU's L1 teardown does.
 */
#ifndef SUBFLOOR_TESTS_GRANTS_FAKE_MACHINE_H
#define SUBFLOOR_TESTS_GRANTS_FAKE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include "mmu/frame_access.h"
#include "common/grant.h"
#include "mm/page_info.h"

/* Frames start at a non-zero MFN so an index mistaken for an MFN shows. */
#define FAKE_FIRST_MFN 0x1000u
#define FAKE_NR_FRAMES 512u
#define FAKE_MAX_DOMAINS 4
#define FAKE_MAX_PTES 600

/* Linear addresses with an L1 table behind them in every fake domain. */
#define FAKE_L1_LO 0x0000100000000000ull
#define FAKE_L1_HI 0x0000200000000000ull

struct fake_pte {
    bool used;
    uint64_t key;       /* linear address (page) or PTE machine address */
    uint64_t mfn;
    bool rw;
};

struct fake_domain {
    bool exists;
    struct grant_table gt;
    struct pv_mm_domain mm;
    struct fake_pte ptes[FAKE_MAX_PTES];
    unsigned int crashed;
};

extern struct fake_domain fake_domains[FAKE_MAX_DOMAINS];
extern const struct grant_ops fake_mm_ops;

/* Failure injection: the next `n`th call fails (0: never). */
extern unsigned int fake_fail_zalloc_at;
extern unsigned int fake_fail_shared_frame_at;
/* Pretend every linear address has an L1, so only the grant code's own
 * address checks stand between a guest and a bad address. */
extern bool fake_l1_anywhere;

/* Blocks the grant code got from zalloc and has not freed. */
int fake_live_allocations(void);

/* Reset every frame to free and forget every domain. */
void fake_machine_reset(void);

/* A frame now owned by domid, allocated, one reference, no type. */
uint64_t fake_alloc_frame(uint16_t domid);
bool fake_frame_is_free(uint64_t mfn);
/* frame_map calls not yet paired with frame_unmap. */
int fake_frame_maps_outstanding(void);
unsigned int fake_free_frames(void);
uint8_t *fake_frame_bytes(uint64_t mfn);

/* Create domain domid (slot = domid % FAKE_MAX_DOMAINS); returns its
 * grant table, or NULL when grant_table_init failed (rc in *rc). */
struct grant_table *fake_domain_create(uint16_t domid, bool privileged,
                                       int32_t max_frames, int32_t max_maptrack,
                                       int *rc);
struct fake_domain *fake_domain_of(const struct grant_table *gt);
/* Forget a domain (after grant_table_destroy succeeded). */
void fake_domain_remove(uint16_t domid);

/* Publish a v1 grant: domid, frame, then flags. */
void fake_grant(struct grant_table *gt, grant_ref_t ref, uint16_t to, uint64_t mfn,
                uint16_t flags);
uint16_t fake_grant_flags(struct grant_table *gt, grant_ref_t ref);

/* The PTE a host mapping wrote at key, or NULL. */
const struct fake_pte *fake_pte_at(const struct grant_table *gt, uint64_t key);
unsigned int fake_pte_count(const struct grant_table *gt);
/* What the PV MMU does to a dying domain's L1 entries: drop each one's
 * general reference and, if writable, its type reference. */
void fake_teardown_pagetables(struct grant_table *gt);
/* What a test's teardown does to every domain that exists: release its
 * grant mappings, tear down its page tables, destroy its grant table.
 * Returns 0, or the first non-zero grant_table_destroy result. */
int fake_destroy_domains(void);

/* Convenience wrappers around the ops. */
struct gnttab_map_grant_ref fake_map(struct grant_table *ld, uint16_t dom, grant_ref_t ref,
                                     uint32_t flags, uint64_t host_addr);
int16_t fake_unmap(struct grant_table *ld, grant_handle_t handle, uint64_t host_addr,
                   uint64_t dev_bus_addr);

#endif
