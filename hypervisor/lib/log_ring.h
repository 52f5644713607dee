/*
 * The hypervisor log: an in-memory ring of the newest messages, each a
 * record with a level and a sequence number, kept even when no console
 * shows them.  Readers (the console replay, later `xl dmesg`) walk it by
 * sequence number and can tell when older records were overwritten.
 *
 * Pure logic: no locking (callers serialise), no hardware.
 */
#ifndef SUBFLOOR_LOG_RING_H
#define SUBFLOOR_LOG_RING_H

#include <stddef.h>
#include <stdint.h>

#define LOG_RING_SIZE   65536u
#define LOG_RECORD_MAX  1024u   /* longer texts are truncated */
#define LOG_RECORD_HEADER 16u   /* ring bytes per record besides its text */

/* Append one record; returns its sequence number (the first is 0). */
uint64_t log_ring_append(int level, const char *text, size_t len);

/* Sequence number of the oldest record still held, and of the next one
 * to be written (equal when the ring is empty). */
uint64_t log_ring_first_seq(void);
uint64_t log_ring_next_seq(void);

/*
 * Read the oldest record whose sequence number is >= *seq.  Copies its
 * text (truncated to size - 1, NUL-terminated) into buf, stores its level
 * and sets *seq to the number after it.  Returns the full text length, or
 * -1 when there is no such record.  If *seq had already been overwritten,
 * reading resumes at the oldest record: compare *seq before and after.
 */
int log_ring_read(uint64_t *seq, int *level, char *buf, size_t size);

#endif
