/*
 * The probes of return-entry.S (shared by return-paths and
 * hostile-fuzz-smp): ways into a hostile return that all end at
 * probe_returned on the probe's own stack, and the trap-handler side
 * that sends an expected exception back there.
 */
#ifndef GUEST_RETURN_PROBE_H
#define GUEST_RETURN_PROBE_H

#include <stdint.h>

void iret_probe(const uint64_t frame[5]);
void jump_probe(uint64_t target, uint64_t rax, uint64_t rbx, uint64_t rcx, uint64_t rdx);
void ss_int3_probe(uint64_t sel);
void int82_probe(uint64_t sel, uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
extern char probe_returned[], probe_note_ss[];
extern uint64_t probe_resume_rsp, probe_seen_ss, probe_result;

#define KERNEL_CS_FRAME (FLAT_KERNEL_CS & ~3)  /* RPL 0 in a frame: kernel mode */
#define RFLAGS_MASKED   0x2UL                 /* IF clear: events stay masked */

/* A trap_resume_hook: the exception's frame goes back to probe_returned
 * in kernel mode, events masked. */
struct trap_frame;
void back_to_probe(struct trap_frame *f);

/* Arm the next exception to come back to probe_returned in kernel mode,
 * events masked; disarm says how many came since `before` (trap_last). */
void arm_back_to_probe(void);
unsigned int disarm(unsigned int before);

#endif
