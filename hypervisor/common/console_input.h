/*
 * Console input: bytes typed on the serial line go either to the
 * hypervisor (debug keys, debug_keys.h) or to dom0, which reads them with
 * CONSOLEIO_read.  Ctrl-A typed three times in a row switches between
 * the two, as on Xen; the switch is logged with where input goes now.
 *
 * Pure logic (no device access): the UART interrupt feeds it through
 * console_input_receive(); the host unit test feeds it directly.
 */
#ifndef SUBFLOOR_CONSOLE_INPUT_H
#define SUBFLOOR_CONSOLE_INPUT_H

#include <stdint.h>
#include "arch/x86/regs.h"

struct domain;

#define CONSOLE_SWITCH_CHAR     0x01    /* Ctrl-A */
#define CONSOLE_SWITCH_PRESSES  3
#define CONSOLE_INPUT_RING_SIZE 1024    /* power of two */

enum console_input_target {
    CONSOLE_INPUT_HYPERVISOR,
    CONSOLE_INPUT_DOM0,
};

/* One received byte; regs is the interrupted frame (for the 'd' key). */
void console_input_receive(char c, const struct cpu_regs *regs);

enum console_input_target console_input_target(void);

/* Boot is over and dom0 exists: input goes to it from now on. */
void console_input_endboot(struct domain *dom0);

/* dom0's side of the ring.  peek copies up to max waiting bytes without
 * taking them; consume then takes n (at most what is waiting). */
unsigned int console_input_pending(void);
unsigned int console_input_peek(char *dst, unsigned int max);
void console_input_consume(unsigned int n);

/* Bytes meant for dom0 that were dropped because the ring was full. */
uint64_t console_input_dropped(void);

/* Supplied by the event-channel side: tell the domain that input waits
 * (VIRQ_CONSOLE).  Called for every byte queued or dropped, as Xen does,
 * so a reader that missed one notification is woken by the next. */
void console_input_notify_guest(struct domain *d);

#endif
