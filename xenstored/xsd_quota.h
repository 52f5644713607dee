/* Per-domain limits with Xen 4.17's names and defaults.  They bind
 * unprivileged domains only; dom0 is trusted. */
#ifndef XSD_QUOTA_H
#define XSD_QUOTA_H

#include <stdbool.h>

struct xsd_quota {
    unsigned long nodes;             /* -E, nodes owned by a domain */
    unsigned long node_size;         /* -S, bytes of one node */
    unsigned long watches;           /* -W */
    unsigned long transactions;      /* -t, concurrent ones */
    unsigned long node_perms;        /* -A, entries in a node's perms */
    unsigned long path_length;       /* -M, chars under the domain's home */
    unsigned long transaction_nodes; /* nodes one transaction may touch */
    unsigned long outstanding;       /* requests awaiting their reply */
    unsigned long memory;            /* accepted; 0 = not enforced */
    unsigned long memory_soft;       /* warning threshold, logged only */
};

void xsd_quota_defaults(struct xsd_quota *q);
/* Sets a quota by its Xen name ("nodes", "watches" ...); -EINVAL if the
 * name is unknown. */
int xsd_quota_set(struct xsd_quota *q, const char *name, unsigned long value);
int xsd_quota_get(const struct xsd_quota *q, const char *name,
                  unsigned long *value);
/* Parses "-Q name=value" / "-q name=value"; soft quotas only name memory. */
int xsd_quota_parse_assignment(struct xsd_quota *q, const char *arg,
                               bool soft);

/* For listing: NULL-terminated array of the names. */
extern const char *const xsd_quota_names[];

#endif
