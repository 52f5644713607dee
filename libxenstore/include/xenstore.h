/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Subfloor libxenstore: the xs_* client API of Xen 4.17's <xenstore.h>.
 * Same names, types, flags and semantics: on failure a function returns
 * NULL/false (XBT_NULL for transaction_start) and sets errno, using the
 * errno the daemon named in its error reply.  Returned memory is one
 * malloc block: release it with a single free().
 */
#ifndef XENSTORE_H
#define XENSTORE_H

#include <xenstore_lib.h>

#define XBT_NULL 0

/* Xen's header calls both deprecated; its library still honours
 * XS_OPEN_SOCKETONLY (no fallback to the xenbus device) and ignores
 * XS_OPEN_READONLY, the read-only socket being gone from Xen's daemon.
 * Here XS_OPEN_READONLY uses $XENSTORED_RUNDIR/socket_ro when the daemon
 * offers one (ours does) and XENSTORED_PATH is unset. */
#define XS_OPEN_READONLY   (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)
/* xs_unwatch also drops events of that watch still queued. */
#define XS_UNWATCH_FILTER  (1UL << 2)

struct xs_handle;
typedef uint32_t xs_transaction_t;

/* Connect over the socket, falling back to the xenbus device. */
struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh);   /* NULL is fine */

/* Older spellings of xs_open/xs_close. */
struct xs_handle *xs_daemon_open(void);
struct xs_handle *xs_domain_open(void);
struct xs_handle *xs_daemon_open_readonly(void);
void xs_daemon_close(struct xs_handle *);
/* Forget the connection without talking to it: for a child after fork(). */
void xs_daemon_destroy_postfork(struct xs_handle *);

/* Names of the children of path; *num receives their count. */
char **xs_directory(struct xs_handle *h, xs_transaction_t t,
                    const char *path, unsigned int *num);
/* Value of path, NUL-terminated beyond *len (len may be NULL). */
void *xs_read(struct xs_handle *h, xs_transaction_t t,
              const char *path, unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t,
              const char *path, const void *data, unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
/* Removes path and everything below it. */
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* Withdrawn from Xen: always fails. */
bool xs_restrict(struct xs_handle *h, unsigned domid);

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
                                          xs_transaction_t t,
                                          const char *path, unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
                        const char *path, struct xs_permissions *perms,
                        unsigned int num_perms);

/* The daemon reports changes under path with token; read them with
 * xs_read_watch/xs_check_watch or poll xs_fileno(). */
bool xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_fileno(struct xs_handle *h);
/* A queued event as a vector indexed by XS_WATCH_PATH/XS_WATCH_TOKEN, or
 * NULL with errno EAGAIN when none is queued. */
char **xs_check_watch(struct xs_handle *h);
/* Waits for an event; *num receives the vector length. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);

/* XBT_NULL on failure.  Ending with abort=false fails with EAGAIN when
 * another change conflicted: the caller starts again. */
xs_transaction_t xs_transaction_start(struct xs_handle *h);
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                         unsigned long mfn, unsigned int eventchn);
bool xs_set_target(struct xs_handle *h, unsigned int domid,
                   unsigned int target);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);

/* True when child is parent or lies below it. */
bool xs_path_is_subpath(const char *parent, const char *child);

/* Daemon-specific commands ("log", "quota" ...); the reply is a string. */
char *xs_control_command(struct xs_handle *h, const char *cmd,
                         void *data, unsigned int len);
char *xs_debug_command(struct xs_handle *h, const char *cmd,
                       void *data, unsigned int len);

/* Suspend event channel of domid from its device/suspend node, or -1. */
int xs_suspend_evtchn_port(int domid);

#endif /* XENSTORE_H */
