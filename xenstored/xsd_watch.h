/* Watches: a client asks to hear about changes at or below a path, or to
 * the special @introduceDomain / @releaseDomain events. */
#ifndef XSD_WATCH_H
#define XSD_WATCH_H

#include <stdbool.h>

#include "xsd_daemon.h"
#include "xsd_map.h"

/* One registered watch: a path and a token, in one allocation. */
struct xsd_watch {
    const char *path;                   /* absolute, or "@..." */
    const char *token;
    bool relative;   /* registered relative: events come back relative */
    struct xsd_watch *same_path;        /* next on this path, oldest first */
    struct xsd_watch *next, **pprev;    /* all of them, oldest first */
    char strings[];
};

/* All of one client's watches.  Firing for a change of /a/b looks up
 * /a/b, /a and / in by_path instead of comparing every watch. */
struct xsd_watch_set {
    struct xsd_map by_path;  /* path -> oldest watch on it (its own path) */
    struct xsd_watch *all, **all_tail;
};

/* Registers a watch; -EEXIST for a duplicate, -E2BIG over the watch
 * quota or when the watch would take the client's domain past its
 * memory quota (xsd_mem.h). `name` is what the client sent. */
int xsd_watch_add(struct xsd_client *c, const char *name, const char *abs_path,
                  const char *token);
int xsd_watch_remove(struct xsd_client *c, const char *abs_path,
                     const char *token);
void xsd_watch_remove_all(struct xsd_client *c);

/*
 * Fires watches for a change of path (exact, or a removal of a subtree
 * when recursive).  Only clients that may read the node hear of it:
 * under perms, or under also (NULL or the node's other permissions: a
 * transaction's merged event gives those of the node when first and
 * when last changed).  Each client hears first from its watches on
 * path, then on its parent and so on up to /, several on one path in the
 * order they were set; then for a removal from its watches below path,
 * in the order they were set.
 */
void xsd_watch_fire(struct xsd_daemon *d, const char *path, bool recursive,
                    const struct xsd_perms *perms,
                    const struct xsd_perms *also);
/* @introduceDomain / @releaseDomain. */
void xsd_watch_fire_special(struct xsd_daemon *d, const char *name);

/* Sends one WATCH_EVENT to the client. */
void xsd_watch_send_event(struct xsd_client *c, const char *path,
                          const char *token);

#endif
