/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl create`'s pure parts, host-tested on their own (tests/toolstack
 * check_xl_create): the xenstore layout libxl writes for a PV guest,
 * computed from the configuration and what the build produced
 * (xl_create_layout.c), and the order of the steps with what each failure
 * must undo (xl_create_steps.c).  xl_create.c is the real thing over
 * libxenctrl, the builder and libxenstore.
 */
#ifndef SUBFLOOR_XL_CREATE_H
#define SUBFLOOR_XL_CREATE_H

#include <stdbool.h>
#include <stdint.h>

#include "xl_cfg.h"

/* libxl's three permission sets for a guest's nodes (libxl__domain_make):
 * RO: dom0 owns, the guest reads; RW: the guest owns; NONE: dom0 only.
 * INHERIT: written without permissions, so the node takes its parent's,
 * as libxl's plain xs_write does. */
enum xl_xs_perm { XL_PERM_INHERIT, XL_PERM_RO, XL_PERM_RW, XL_PERM_NONE,
                  XL_PERM_FRONT };
/* FRONT: the guest owns, dom0 (the back end) reads: a front-end node
 * libxl writes with the device's permissions (console/backend-id). */

struct xl_xs_entry {
    char *path;
    char *value;        /* "" for a directory node */
    enum xl_xs_perm perm;
};

struct xl_xs_layout {
    int n, cap;
    struct xl_xs_entry *e;
};

/* What the build produced, beyond the configuration. */
struct xl_build_result {
    uint32_t domid;
    uint32_t store_port, console_port;
    uint64_t store_mfn, console_mfn;
    uint64_t start_sec;         /* /vm/<uuid>/start_time, as libxl */
    unsigned start_centisec;
};

/* libxl's constants for a PV guest. */
#define XL_MAXMEM_SLACK_KB      1024u      /* LIBXL_MAXMEM_CONSTANT */
#define XL_CONSOLE_LIMIT        1048576u   /* LIBXL_XENCONSOLE_LIMIT */
#define XL_MAX_EVTCHN_PORT      1023u      /* event_channels= default */
#define XL_MAX_GRANT_FRAMES     64u
#define XL_MAX_MAPTRACK_FRAMES  1024u

/* The nodes of a freshly built PV guest, in the order they are written:
 * parents before children.  Never fails (aborts on no memory). */
void xl_create_layout(const struct xl_domain_config *dc,
                      const struct xl_build_result *r,
                      struct xl_xs_layout *out);
void xl_xs_layout_dispose(struct xl_xs_layout *l);
/* The top nodes a guest's removal takes away: /local/domain/<id>,
 * /libxl/<id>, /vm/<uuid>, dom0's console back end.  *n of them, each
 * malloc'd; free with xl_xs_paths_free. */
char **xl_domain_xs_roots(uint32_t domid, const uint8_t uuid[16], int *n);
void xl_xs_paths_free(char **paths, int n);
/* "n0,r5" / "n5": xenstore-ls -p's text of a permission set. */
const char *xl_xs_perm_text(enum xl_xs_perm p, uint32_t domid, char *buf,
                            unsigned len);

/* ---- xl_create_steps.c ---- */
/* The steps of `xl create`, in order; what each has done decides what a
 * later failure undoes. */
enum xl_create_step {
    XL_STEP_CREATEDOMAIN,
    XL_STEP_MAX_VCPUS,
    XL_STEP_MAX_MEM,
    XL_STEP_EVTCHN,
    XL_STEP_BUILD,
    XL_STEP_XENSTORE,
    XL_STEP_INTRODUCE,
    XL_STEP_CONSOLE,        /* -c: the console attached before unpause */
    XL_STEP_UNPAUSE,
    XL_NR_STEPS
};
const char *xl_create_step_name(enum xl_create_step s);

struct xl_create_ops {
    /* Each returns 0, or -1 with a message already printed. */
    int (*run)(void *priv, enum xl_create_step s);
    /* The undo actions, each called at most once. */
    void (*release)(void *priv);     /* XS_RELEASE of an introduced domain */
    void (*rm_nodes)(void *priv);    /* the xenstore nodes written */
    void (*destroy)(void *priv);     /* the domain */
};

/* Runs steps first..last (inclusive; CONSOLE and UNPAUSE are skipped by
 * the mask skip, a bit per step).  On a failure, prints "xl: create:
 * <step> failed; the domain is being destroyed" when there is a domain,
 * then undoes, newest first: the introduction, the nodes, the domain.
 * 0, or the failed step + 1. */
int xl_create_run_steps(const struct xl_create_ops *ops, void *priv,
                        unsigned skip);

#endif
