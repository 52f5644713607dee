/*
 * The console ring: the hypervisor's console output as one stream of
 * bytes, as Xen keeps it for `xl dmesg` (XEN_SYSCTL_readconsole).
 *
 * Every line the console shows goes in as Xen writes it ("(XEN) text\n"
 * for the hypervisor's own messages, "(dN) text\n" for a guest's console
 * line); the hardware domain's console output does not, as on Xen.
 * Positions are free-running 32-bit byte counters: `producer` counts
 * every byte ever written, `consumer` is the oldest one still readable
 * (it moves when the ring wraps, or when a reader clears it).  A reader
 * names a position and gets the bytes from there on, or from the oldest
 * one still held if its position was overwritten.
 *
 * Pure logic: callers serialise (the hypervisor lock, or interrupts off
 * in printk).
 */
#ifndef SUBFLOOR_CONRING_H
#define SUBFLOOR_CONRING_H

#include <stddef.h>
#include <stdint.h>

#define CONRING_SIZE 32768u     /* a power of two */

void conring_put(const char *bytes, size_t len);

uint32_t conring_producer(void);
uint32_t conring_consumer(void);

/* Where a read that asks for `from` starts: from itself when it is still
 * held and not past the producer, else the oldest byte held. */
uint32_t conring_start(uint32_t from);

/* Copy up to max bytes from position `at` (held, see conring_start) into
 * buf; returns how many (contiguous in the ring: call again for more). */
size_t conring_peek(uint32_t at, char *buf, size_t max);

/* Forget everything written so far (readconsole's clear). */
void conring_clear(void);

#endif
