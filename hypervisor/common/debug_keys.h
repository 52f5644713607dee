/*
 * The hypervisor's debug keys: with serial input switched to the
 * hypervisor (Ctrl-A three times), one key prints one dump through
 * printk, so it reaches the console and the log ring alike.
 * docs/debug-keys.md lists them.
 *
 * Keys of other areas join with debug_key_register(); the built-in ones
 * are in debug_keys.c's table and the dumps in debug_dump.c.
 */
#ifndef SUBFLOOR_DEBUG_KEYS_H
#define SUBFLOOR_DEBUG_KEYS_H

#include "arch/x86/regs.h"

/* regs: the frame the key's interrupt arrived on (NULL when unknown). */
typedef void (*debug_key_fn)(unsigned char key, const struct cpu_regs *regs);

/* 0, or -1 when the key is not printable ASCII, already taken, or the
 * table of registered keys is full (logged). */
int debug_key_register(unsigned char key, debug_key_fn fn, const char *description);

/* Run the key's dump, or say that it has none. */
void debug_key_handle(unsigned char key, const struct cpu_regs *regs);

/* debug_dump.c: the built-in dumps. */
void dump_registers(unsigned char key, const struct cpu_regs *regs);
void dump_dom0_vcpu0(unsigned char key, const struct cpu_regs *regs);
void dump_domains(unsigned char key, const struct cpu_regs *regs);
void dump_event_channels(unsigned char key, const struct cpu_regs *regs);
void dump_memory(unsigned char key, const struct cpu_regs *regs);
void dump_time(unsigned char key, const struct cpu_regs *regs);
void dump_run_queues(unsigned char key, const struct cpu_regs *regs);

#endif
