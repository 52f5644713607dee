/*
 * A guest's memory for host tests of code that copies hypercall
 * arguments (hypervisor/common/guest_op.c): copy_from_guest and
 * copy_to_guest over one buffer the test owns, FAKE_GUEST_SIZE bytes at
 * guest address FAKE_GUEST_BASE.  Anything outside it faults, as does a
 * write to a range marked read-only; a faulting copy stops at the first
 * bad byte and returns -XEN_EFAULT, as the hypervisor's does.
 */
#ifndef SUBFLOOR_TESTS_FAKE_GUEST_H
#define SUBFLOOR_TESTS_FAKE_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include "arch/x86/guest_access.h"

#define FAKE_GUEST_BASE 0x10000ull
#define FAKE_GUEST_SIZE 0x4000u

/* Zero memory, all writable, counters cleared. */
void fake_guest_reset(void);
/* Writes to [offset, offset + len) fault from now on. */
void fake_guest_read_only(size_t offset, size_t len);
/* The guest address, and the test's view, of byte `offset`. */
guest_ptr_t fake_guest_ptr(size_t offset);
void *fake_guest_at(size_t offset);

/* Copies of at least one byte attempted since the reset. */
extern unsigned int fake_guest_reads, fake_guest_writes;

#endif
