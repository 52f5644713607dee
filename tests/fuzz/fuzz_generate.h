/*
 * Structure-aware requests for the xenstored fuzzer.
 *
 * Raw bytes within libFuzzer's input length make a few dozen requests:
 * never a thousand-node tree, a transaction holding megabytes, or a
 * domain at its quotas.  A generator chunk is a short command that
 * expands into many well-formed requests from one client:
 *
 *   [op] [count: 2, little-endian] [shape] [path prefix ...]
 *
 * op (modulo FUZZ_GEN_OPS): WRITE, MKDIR, RM, READ, DIRECTORY, SET_PERMS,
 * WATCH, TRANSACTION_START, TRANSACTION_END (commit), TRANSACTION_END
 * (abort), or a quota profile.  shape: bits 0-1 how paths are made from
 * the prefix (FUZZ_SHAPE_*), bits 2-3 which of the client's open
 * transactions the requests go to (0: none), bits 4-7 the size of
 * written values (in 128-byte steps) or of watch tokens.
 */
#ifndef FUZZ_GENERATE_H
#define FUZZ_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "xsd_daemon.h"

/* Requests one input may generate in all: bounds a run's time. */
#define FUZZ_GEN_BUDGET 20000
/* Requests one command may generate. */
#define FUZZ_GEN_MAX 4096
/* Transactions the generator remembers per client. */
#define FUZZ_GEN_TXNS 3

enum {
    FUZZ_SHAPE_FLAT,    /* prefix/n<i> */
    FUZZ_SHAPE_TREE,    /* prefix/d<i/64>/n<i%64> */
    FUZZ_SHAPE_SAME,    /* prefix, every time */
    FUZZ_SHAPE_DEEP,    /* prefix/x/x/... (1 + i % 256 levels) */
};

/* Sends one request of the client's (as the transport would deliver it). */
typedef void (*fuzz_request_fn)(void *arg, uint32_t type, uint32_t tx_id,
                                const char *payload, uint32_t len);

/*
 * Expands the command (len bytes) into requests through send.  txids are
 * the client's open transactions the generator knows of (0: none).
 * Returns how many requests it sent, at most budget.
 */
size_t fuzz_generate(struct xsd_daemon *d, const uint8_t *cmd, size_t len,
                     const uint32_t txids[FUZZ_GEN_TXNS], size_t budget,
                     fuzz_request_fn send, void *arg);

#endif
