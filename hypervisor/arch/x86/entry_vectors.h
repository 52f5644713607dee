/*
 * Values of struct cpu_regs.vector beyond the 256 hardware vectors: the
 * kinds of SYSCALL entry, the failsafe entry, and the mark of an exception
 * that the return to the frame raised.  Shared by entry.S and C.
 */
#ifndef SUBFLOOR_ENTRY_VECTORS_H
#define SUBFLOOR_ENTRY_VECTORS_H

#define ENTRY_VECTOR_SYSCALL    0x100   /* 64-bit SYSCALL (LSTAR) */
#define ENTRY_VECTOR_SYSCALL32  0x101   /* compatibility-mode SYSCALL (CSTAR) */

/* An entry into a vCPU whose data segment selectors did not load: the
 * guest's failsafe callback is due (pv/enter.c). */
#define ENTRY_VECTOR_FAILSAFE   0x102

/* A vCPU the scheduler switches to: its saved frame passes the common
 * exit path like any other (pv/enter.c, pv/trap_entry.c). */
#define ENTRY_VECTOR_RESUME     0x103

/* Or-ed into an exception's vector (the low byte stays the vector): the
 * exit's IRETQ raised it while returning to this frame (traps.c). */
#define ENTRY_VECTOR_EXIT_FAULT 0x200

#endif
