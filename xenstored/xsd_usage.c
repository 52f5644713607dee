#include "xsd_usage.h"

#include <stdlib.h>
#include <string.h>

void xsd_usage_init(struct xsd_usage_table *t)
{
    memset(t, 0, sizeof(*t));
}

void xsd_usage_free(struct xsd_usage_table *t)
{
    for (size_t i = 0; i < sizeof(t->pages) / sizeof(t->pages[0]); i++)
        free(t->pages[i]);
    xsd_usage_init(t);
}

const struct xsd_usage *xsd_usage_get(const struct xsd_usage_table *t,
                                      unsigned domid)
{
    static const struct xsd_usage none;
    if (domid > XSD_DOMID_MAX || !t->pages[domid / XSD_USAGE_PAGE])
        return &none;
    return &t->pages[domid / XSD_USAGE_PAGE][domid % XSD_USAGE_PAGE];
}

struct xsd_usage *xsd_usage_at(struct xsd_usage_table *t, unsigned domid)
{
    if (domid > XSD_DOMID_MAX)
        return NULL;
    struct xsd_usage **page = &t->pages[domid / XSD_USAGE_PAGE];
    if (!*page && !(*page = calloc(XSD_USAGE_PAGE, sizeof(**page))))
        return NULL;
    return &(*page)[domid % XSD_USAGE_PAGE];
}
