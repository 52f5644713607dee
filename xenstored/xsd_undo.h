/* A request's changes, each kept with what it replaced, so that a request
 * that fails part way puts everything back.
 *
 * A request may change many nodes before it finds it cannot go on: RM
 * of a subtree meets the transaction's access limit after removing half
 * of it, a WRITE creating missing parents meets a quota at the node
 * itself.  Xen 4.17 then marks the transaction failed (and outside one
 * leaves the half-done change).  Here every change a request makes to
 * the committed tree or to its transaction goes through this log, and
 * the request either keeps all of them or none: a request that fails
 * changes nothing.
 *
 * Each entry says how to undo its change and how to release what the
 * change replaced once it is kept.  Room for an entry is made before the
 * change (xsd_undo_prepare), so that recording a change that was made
 * cannot fail; undoing runs newest first, which is what lets every undo
 * step succeed without allocating. */
#ifndef XSD_UNDO_H
#define XSD_UNDO_H

#include <stdbool.h>
#include <stddef.h>

struct xsd_undo_entry;
typedef void (*xsd_undo_fn)(struct xsd_undo_entry *e);

struct xsd_undo_entry {
    xsd_undo_fn undo;    /* puts back what the change replaced */
    xsd_undo_fn keep;    /* the change stays: releases that (or NULL) */
    void *target;        /* what was changed (a store, a transaction) */
    void *old;           /* what the change replaced, by kind */
    void *cur;           /* what it put there, by kind */
    const char *key;     /* the changed map's own copy of the path */
    size_t n;            /* a count, by kind */
    bool had_old;
};

struct xsd_undo {
    struct xsd_undo_entry *v;
    size_t n, cap;
};

void xsd_undo_init(struct xsd_undo *u);
/* The entry for the next change, zeroed; NULL when out of memory, before
 * anything changed.  It counts once xsd_undo_push is called; until then
 * the next prepare reuses it. */
struct xsd_undo_entry *xsd_undo_prepare(struct xsd_undo *u);
void xsd_undo_push(struct xsd_undo *u);
/* The request failed: undoes every change, newest first. */
void xsd_undo_rollback(struct xsd_undo *u);
/* The request succeeded: keeps every change, oldest first. */
void xsd_undo_keep(struct xsd_undo *u);
/* Frees the log itself (after rollback or keep; until then an empty log
 * keeps its array for the next request). */
void xsd_undo_free(struct xsd_undo *u);

#endif
