/* Watches: a client asks to hear about changes at or below a path, or to
 * the special @introduceDomain / @releaseDomain events. */
#ifndef XS_WATCH_H
#define XS_WATCH_H

#include <stdbool.h>

#include "xs_daemon.h"
#include "xs_map.h"

/* One registered watch: a path and a token, in one allocation. */
struct xs_watch {
    const char *path;                   /* absolute, or "@..." */
    const char *token;
    bool relative;   /* registered relative: events come back relative */
    struct xs_watch *same_path;         /* next on this path, oldest first */
    struct xs_watch *next, **pprev;     /* all of them, oldest first */
    char strings[];
};

/* All of one client's watches.  Firing for a change of /a/b looks up
 * /a/b, /a and / in by_path instead of comparing every watch. */
struct xs_watch_set {
    struct xs_map by_path;   /* path -> oldest watch on it (its own path) */
    struct xs_watch *all, **all_tail;
};

/* Registers and queues the initial event; -EEXIST for a duplicate,
 * -E2BIG over the watch quota. `name` is what the client sent. */
int xs_watch_add(struct xs_client *c, const char *name, const char *abs_path,
                 const char *token);
int xs_watch_remove(struct xs_client *c, const char *abs_path,
                    const char *token);
void xs_watch_remove_all(struct xs_client *c);

/*
 * Fires watches for a change of path (exact, or a removal of a subtree
 * when recursive).  Only clients that may read the node hear of it.
 * Each client hears first from its watches on path, then on its parent
 * and so on up to /, several on one path in the order they were set;
 * then for a removal from its watches below path, in the order they
 * were set.
 */
void xs_watch_fire(struct xs_daemon *d, const char *path, bool recursive,
                   const struct xs_perms *perms);
/* @introduceDomain / @releaseDomain. */
void xs_watch_fire_special(struct xs_daemon *d, const char *name);

/* Sends one WATCH_EVENT to the client. */
void xs_watch_send_event(struct xs_client *c, const char *path,
                         const char *token);

#endif
