/* Internal to the dispatcher: a request being handled and the handlers. */
#ifndef XSD_OPS_H
#define XSD_OPS_H

#include <stdbool.h>

#include "xsd_daemon.h"
#include "xsd_ctx.h"
#include "xsd_util.h"

struct xsd_request {
    struct xsd_daemon *d;
    struct xsd_client *c;
    const struct xsd_sockmsg *hdr;
    const char *payload;
    uint32_t len;
    /* The payload cut at its NULs; a trailing unterminated piece is not an
     * argument (only WRITE has one: its value). */
    const char **argv;
    unsigned argc;
    struct xsd_ctx ctx;
    struct xsd_buf reply;
    /* WATCH replies OK first and then sends its initial event. */
    const char *after_event_path, *after_event_token;
};

typedef int (*xsd_handler_fn)(struct xsd_request *r);

int xsd_op_read(struct xsd_request *r);
int xsd_op_write(struct xsd_request *r);
int xsd_op_mkdir(struct xsd_request *r);
int xsd_op_rm(struct xsd_request *r);
int xsd_op_directory(struct xsd_request *r);
int xsd_op_directory_part(struct xsd_request *r);
int xsd_op_get_perms(struct xsd_request *r);
int xsd_op_set_perms(struct xsd_request *r);

int xsd_op_watch(struct xsd_request *r);
int xsd_op_unwatch(struct xsd_request *r);
int xsd_op_reset_watches(struct xsd_request *r);
int xsd_op_transaction_start(struct xsd_request *r);
int xsd_op_transaction_end(struct xsd_request *r);

int xsd_op_introduce(struct xsd_request *r);
int xsd_op_release(struct xsd_request *r);
int xsd_op_get_domain_path(struct xsd_request *r);
int xsd_op_is_domain_introduced(struct xsd_request *r);
int xsd_op_resume(struct xsd_request *r);
int xsd_op_set_target(struct xsd_request *r);

int xsd_op_control(struct xsd_request *r);

/* Helpers shared by handlers. */
int xsd_reply_ok(struct xsd_request *r);
/* Canonical path from a client name, with the caller's path quota. */
int xsd_request_path(struct xsd_request *r, const char *name, bool special,
                     char **out);
int xsd_parse_domid(const char *s, unsigned *domid);

#endif
