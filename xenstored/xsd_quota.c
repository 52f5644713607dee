#include "xsd_quota.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_util.h"

void xsd_quota_defaults(struct xsd_quota *q)
{
    q->nodes = 1000;
    q->node_size = 2048;
    q->watches = 128;
    q->transactions = 10;
    q->node_perms = 5;
    q->path_length = 2048;     /* XENSTORE_REL_PATH_MAX */
    q->transaction_nodes = 1024;
    q->outstanding = 20;
    q->memory = 2 * 1024 * 1024 + 512 * 1024;
    q->memory_soft = 2 * 1024 * 1024;
}

const char *const xsd_quota_names[] = {
    "memory", "nodes", "node-permissions", "node-size", "outstanding",
    "path-length", "transaction-nodes", "transactions", "watches", NULL,
};

static unsigned long *field(struct xsd_quota *q, const char *name)
{
    if (!strcmp(name, "memory")) return &q->memory;
    if (!strcmp(name, "nodes")) return &q->nodes;
    if (!strcmp(name, "node-permissions")) return &q->node_perms;
    if (!strcmp(name, "node-size")) return &q->node_size;
    if (!strcmp(name, "outstanding")) return &q->outstanding;
    if (!strcmp(name, "path-length")) return &q->path_length;
    if (!strcmp(name, "transaction-nodes")) return &q->transaction_nodes;
    if (!strcmp(name, "transactions")) return &q->transactions;
    if (!strcmp(name, "watches")) return &q->watches;
    return NULL;
}

int xsd_quota_set(struct xsd_quota *q, const char *name, unsigned long value)
{
    unsigned long *f = field(q, name);
    if (!f)
        return -EINVAL;
    *f = value;
    return 0;
}

int xsd_quota_get(const struct xsd_quota *q, const char *name,
                  unsigned long *value)
{
    unsigned long *f = field((struct xsd_quota *)q, name);
    if (!f)
        return -EINVAL;
    *value = *f;
    return 0;
}

int xsd_quota_parse_assignment(struct xsd_quota *q, const char *arg, bool soft)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return -EINVAL;
    char name[32];
    size_t n = (size_t)(eq - arg);
    if (n >= sizeof(name))
        return -EINVAL;
    memcpy(name, arg, n);
    name[n] = '\0';
    unsigned long value;
    if (xsd_parse_ulong(eq + 1, 0xffffffffUL, &value) < 0)
        return -EINVAL;
    if (soft) {
        if (strcmp(name, "memory") != 0)
            return -EINVAL;
        q->memory_soft = value;
        return 0;
    }
    return xsd_quota_set(q, name, value);
}
