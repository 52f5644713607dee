/* Test clients that talk to the dispatcher directly: every message the
 * daemon sends to them is kept, in order, for the test to inspect. */
#ifndef XSD_TEST_CLIENT_H
#define XSD_TEST_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "xsd_daemon.h"

struct tmsg {
    struct xsd_sockmsg hdr;
    char *payload;           /* hdr.len bytes plus a NUL for convenience */
    struct tmsg *next;
};

struct tclient {
    struct xsd_client c;
    struct tmsg *head, **tail;
    unsigned count;
};

struct tclient *tclient_new(struct xsd_daemon *d, unsigned domid);
void tclient_free(struct tclient *t);
/* Oldest message not yet taken, or NULL. */
struct tmsg *tclient_pop(struct tclient *t);
void tmsg_free(struct tmsg *m);
void tclient_drain(struct tclient *t);

/* Sends a raw payload and returns the reply (the first message queued
 * by it; events it caused stay queued). */
struct tmsg *treq_raw(struct tclient *t, uint32_t type, uint32_t tx,
                      const void *payload, size_t len);
/* Payload is the NUL-terminated args, NULL ends the list. */
struct tmsg *treq(struct tclient *t, uint32_t type, uint32_t tx, ...);
/* WRITE: path\0value, the value without a NUL. */
struct tmsg *twrite(struct tclient *t, uint32_t tx, const char *path,
                    const char *value);

/* The reply as a string for assertions: "OK", the value, "ERR:ENOENT",
 * or for multi-string replies the strings joined by '|'. Static buffer. */
const char *tshow(struct tmsg *m);
/* treq then tshow then frees the reply. */
const char *tdo(struct tclient *t, uint32_t type, uint32_t tx, ...);
const char *tdo_write(struct tclient *t, uint32_t tx, const char *path,
                      const char *value);
/* Starts a transaction, returning its id (0 on failure). */
uint32_t tstart(struct tclient *t);
/* Gives guest `domid` a home it owns, as a toolstack would, through the
 * privileged client `dom0`. */
void tmake_home(struct tclient *dom0, unsigned domid);
/* Asserts the committed tree is whole: every child a node lists exists,
 * and every node but / is listed by its parent. */
void tcheck_tree(const struct xsd_daemon *d);
/* Asserts the counts behind the quotas match a recount (xsd_mem_audit). */
void tcheck_accounting(const struct xsd_daemon *d);

/* A fixture's end: the accounting is checked with the clients still
 * connected and again once each of them (the list ends with NULL) has
 * gone, then the daemon is destroyed. */
void tdaemon_close(struct xsd_daemon *d, struct tclient *const clients[]);

#endif
