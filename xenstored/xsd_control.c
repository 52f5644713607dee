/* XS_CONTROL: administrative commands from dom0 (xenstore-control). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_mem.h"
#include "xsd_ops.h"
#include "xsd_util.h"

struct control_cmd {
    const char *name;
    const char *args;
    int (*fn)(struct xsd_request *r, unsigned argc, const char **argv);
};

static int reply_text(struct xsd_request *r, const char *text)
{
    return xsd_buf_add_str0(&r->reply, text);
}

static int cmd_check(struct xsd_request *r, unsigned argc, const char **argv)
{
    (void)argv;
    if (argc)
        return -EINVAL;
    /* The store keeps parents and children consistent on every change;
     * there is no on-disk database to repair. */
    return reply_text(r, "OK");
}

static int cmd_log(struct xsd_request *r, unsigned argc, const char **argv)
{
    if (argc != 1)
        return -EINVAL;
    if (!strcmp(argv[0], "on"))
        r->d->trace_on = true;
    else if (!strcmp(argv[0], "off"))
        r->d->trace_on = false;
    else
        return -EINVAL;
    return reply_text(r, "OK");
}

static int cmd_print(struct xsd_request *r, unsigned argc, const char **argv)
{
    if (argc != 1)
        return -EINVAL;
    bool was_on = r->d->trace_on;
    r->d->trace_on = true;
    xsd_trace(r->d, "control: %s", argv[0]);
    r->d->trace_on = was_on;
    return reply_text(r, "OK");
}

static int cmd_logfile(struct xsd_request *r, unsigned argc,
                       const char **argv)
{
    if (argc != 1)
        return -EINVAL;
    FILE *f = fopen(argv[0], "a");
    if (!f)
        return -errno;
    if (r->d->trace)
        fclose(r->d->trace);
    r->d->trace = f;
    r->d->trace_on = true;
    return reply_text(r, "OK");
}

static int cmd_memreport(struct xsd_request *r, unsigned argc,
                         const char **argv)
{
    (void)argv;
    if (argc > 1)
        return -EINVAL;
    unsigned clients = 0, watches = 0, txns = 0;
    for (struct xsd_client *c = r->d->clients; c; c = c->next) {
        clients++;
        watches += c->nwatches;
        txns += c->ntxns;
    }
    return xsd_buf_printf(&r->reply,
                          "nodes: %zu\nconnections: %u\nwatches: %u\n"
                          "transactions: %u\n",
                          r->d->store.nodes.count, clients, watches, txns) < 0
               ? -ENOMEM : xsd_buf_add(&r->reply, "", 1);
}

static int show_domain_usage(struct xsd_request *r, unsigned domid)
{
    if (!xsd_domain_is_introduced(r->d, domid))
        return -ENOENT;
    unsigned watches = 0, txns = 0;
    for (struct xsd_client *c = r->d->clients; c; c = c->next) {
        if (c->who.domid == domid) {
            watches += c->nwatches;
            txns += c->ntxns;
        }
    }
    /* memory: what the memory quota counts (xsd_mem.h). */
    return xsd_buf_printf(&r->reply,
                          "Domain %u:\nnodes: %u\nwatches: %u\n"
                          "transactions: %u\nmemory: %zu\n",
                          domid, xsd_store_owned(&r->d->store, domid), watches,
                          txns, xsd_mem_domain(r->d, domid)) < 0
               ? -ENOMEM : xsd_buf_add(&r->reply, "", 1);
}

static int cmd_quota(struct xsd_request *r, unsigned argc, const char **argv)
{
    if (argc == 0) {
        for (const char *const *n = xsd_quota_names; *n; n++) {
            unsigned long v;
            xsd_quota_get(&r->d->quota, *n, &v);
            if (xsd_buf_printf(&r->reply, "%-18s %lu\n", *n, v) < 0)
                return -ENOMEM;
        }
        return xsd_buf_add(&r->reply, "", 1);
    }
    unsigned long value;
    if (argc == 1) {
        unsigned domid;
        if (xsd_parse_domid(argv[0], &domid) < 0)
            return -EINVAL;
        return show_domain_usage(r, domid);
    }
    if (argc != 2 || xsd_parse_ulong(argv[1], 0xffffffffUL, &value) < 0 ||
        xsd_quota_set(&r->d->quota, argv[0], value) < 0)
        return -EINVAL;
    return reply_text(r, "OK");
}

static int cmd_quota_soft(struct xsd_request *r, unsigned argc,
                          const char **argv)
{
    unsigned long value;
    if (argc == 0)
        return xsd_buf_printf(&r->reply, "memory %lu\n",
                              r->d->quota.memory_soft) < 0
                   ? -ENOMEM : xsd_buf_add(&r->reply, "", 1);
    if (argc != 2 || strcmp(argv[0], "memory") != 0 ||
        xsd_parse_ulong(argv[1], 0xffffffffUL, &value) < 0)
        return -EINVAL;
    r->d->quota.memory_soft = value;
    return reply_text(r, "OK");
}

static int cmd_help(struct xsd_request *r, unsigned argc, const char **argv);

static const struct control_cmd commands[] = {
    { "check", "", cmd_check },
    { "log", "on|off", cmd_log },
    { "logfile", "<file>", cmd_logfile },
    { "memreport", "", cmd_memreport },
    { "print", "<string>", cmd_print },
    { "quota", "[[<quota> <value>]|<domid>]", cmd_quota },
    { "quota-soft", "[memory <value>]", cmd_quota_soft },
    { "help", "", cmd_help },
};

static int cmd_help(struct xsd_request *r, unsigned argc, const char **argv)
{
    (void)argv;
    if (argc)
        return -EINVAL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (xsd_buf_printf(&r->reply, "%-15s %s\n", commands[i].name,
                           commands[i].args) < 0)
            return -ENOMEM;
    return xsd_buf_add(&r->reply, "", 1);
}

int xsd_op_control(struct xsd_request *r)
{
    if (r->argc < 1)
        return -EINVAL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(r->argv[0], commands[i].name))
            return commands[i].fn(r, r->argc - 1, r->argv + 1);
    return -EINVAL;
}
