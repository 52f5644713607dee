/* Internal to the dispatcher: a request being handled and the handlers. */
#ifndef XS_OPS_H
#define XS_OPS_H

#include <stdbool.h>

#include "xs_daemon.h"
#include "xs_txn.h"
#include "xs_util.h"

struct xs_request {
    struct xs_daemon *d;
    struct xs_client *c;
    const struct xsd_sockmsg *hdr;
    const char *payload;
    uint32_t len;
    /* The payload cut at its NULs; a trailing unterminated piece is not an
     * argument (only WRITE has one: its value). */
    const char **argv;
    unsigned argc;
    struct xs_ctx ctx;
    struct xs_buf reply;
    /* WATCH replies OK first and then sends its initial event. */
    const char *after_event_path, *after_event_token;
};

typedef int (*xs_handler_fn)(struct xs_request *r);

int xs_op_read(struct xs_request *r);
int xs_op_write(struct xs_request *r);
int xs_op_mkdir(struct xs_request *r);
int xs_op_rm(struct xs_request *r);
int xs_op_directory(struct xs_request *r);
int xs_op_directory_part(struct xs_request *r);
int xs_op_get_perms(struct xs_request *r);
int xs_op_set_perms(struct xs_request *r);

int xs_op_watch(struct xs_request *r);
int xs_op_unwatch(struct xs_request *r);
int xs_op_reset_watches(struct xs_request *r);
int xs_op_transaction_start(struct xs_request *r);
int xs_op_transaction_end(struct xs_request *r);

int xs_op_introduce(struct xs_request *r);
int xs_op_release(struct xs_request *r);
int xs_op_get_domain_path(struct xs_request *r);
int xs_op_is_domain_introduced(struct xs_request *r);
int xs_op_resume(struct xs_request *r);
int xs_op_set_target(struct xs_request *r);

int xs_op_control(struct xs_request *r);

/* Helpers shared by handlers. */
int xs_reply_ok(struct xs_request *r);
/* Canonical path from a client name, with the caller's path quota. */
int xs_request_path(struct xs_request *r, const char *name, bool special,
                    char **out);
int xs_parse_domid(const char *s, unsigned *domid);

#endif
