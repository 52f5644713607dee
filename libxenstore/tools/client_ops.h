/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The xenstore-* command-line tools: one implementation shared by the
 * "xenstore <mode>" multi-call binary and the per-mode binaries.
 */
#ifndef XENSTORE_TOOLS_CLIENT_OPS_H
#define XENSTORE_TOOLS_CLIENT_OPS_H

#include <stdbool.h>
#include <xenstore.h>

enum client_mode {
    MODE_READ, MODE_WRITE, MODE_LS, MODE_LIST, MODE_RM, MODE_EXISTS,
    MODE_CHMOD, MODE_WATCH, MODE_CONTROL, MODE_COUNT
};

struct client_options {
    bool prefix;       /* -p: read/list print the path; ls shows perms */
    bool raw;          /* -R: values are not escaped */
    bool full_path;    /* -f: ls prints whole paths, no width limit */
    bool tidy;         /* -t: rm also removes emptied parents */
    bool upwards;      /* -u: chmod also applies to every parent */
    bool recurse;      /* -r: chmod also applies to every descendant */
    bool socket_only;  /* -s */
    int watch_count;   /* -n, -1 for unlimited */
};

/* Output of transactional modes waits until the transaction committed,
 * since a retry after EAGAIN produces it again. */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_reset(void);
void out_flush(void);

/* Each returns the process exit status; args are the operands. */
int client_read(struct xs_handle *h, xs_transaction_t t,
                const struct client_options *o, char **args, int n);
int client_write(struct xs_handle *h, xs_transaction_t t,
                 const struct client_options *o, char **args, int n);
int client_rm(struct xs_handle *h, xs_transaction_t t,
              const struct client_options *o, char **args, int n);
int client_exists(struct xs_handle *h, xs_transaction_t t,
                  const struct client_options *o, char **args, int n);
int client_list(struct xs_handle *h, xs_transaction_t t,
                const struct client_options *o, char **args, int n);
int client_chmod(struct xs_handle *h, xs_transaction_t t,
                 const struct client_options *o, char **args, int n);
int client_watch(struct xs_handle *h, const struct client_options *o,
                 char **args, int n);
/* xenstore-control has its own conventions (Xen's xenstore_control):
 * every argument is passed through, usage exits 2, a refused command 3. */
int client_control_main(int argc, char **argv);
int client_ls(struct xs_handle *h, const struct client_options *o,
              char **args, int n);

#endif
