/*
 * Values of struct cpu_regs.vector beyond the 256 hardware vectors: the
 * kinds of SYSCALL entry.  Shared by entry.S and C.
 */
#ifndef SUBFLOOR_ENTRY_VECTORS_H
#define SUBFLOOR_ENTRY_VECTORS_H

#define ENTRY_VECTOR_SYSCALL    0x100   /* 64-bit SYSCALL (LSTAR) */
#define ENTRY_VECTOR_SYSCALL32  0x101   /* compatibility-mode SYSCALL (CSTAR) */

#endif
