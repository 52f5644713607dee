#include "xsd_perms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_util.h"

static const char perm_letters[] = { 'n', 'r', 'w', 'b' };

int xsd_perm_parse(const char *s, struct xsd_perm *out)
{
    unsigned access;
    switch (s[0]) {
    case 'n': access = XSD_PERM_NONE; break;
    case 'r': access = XSD_PERM_READ; break;
    case 'w': access = XSD_PERM_WRITE; break;
    case 'b': access = XSD_PERM_BOTH; break;
    default: return -EINVAL;
    }
    unsigned long domid;
    if (xsd_parse_ulong(s + 1, XSD_DOMID_MAX, &domid) < 0)
        return -EINVAL;
    out->domid = (unsigned)domid;
    out->access = access;
    return 0;
}

void xsd_perm_format(const struct xsd_perm *p, char *buf, size_t size)
{
    snprintf(buf, size, "%c%u", perm_letters[p->access & 3], p->domid);
}

int xsd_perms_copy(struct xsd_perms *dst, const struct xsd_perms *src)
{
    dst->p = malloc(src->count * sizeof(*dst->p));
    if (!dst->p)
        return -ENOMEM;
    memcpy(dst->p, src->p, src->count * sizeof(*dst->p));
    dst->count = src->count;
    return 0;
}

void xsd_perms_free(struct xsd_perms *perms)
{
    free(perms->p);
    perms->p = NULL;
    perms->count = 0;
}

int xsd_perms_single(struct xsd_perms *dst, unsigned owner, unsigned access)
{
    dst->p = malloc(sizeof(*dst->p));
    if (!dst->p)
        return -ENOMEM;
    dst->p[0].domid = owner;
    dst->p[0].access = access;
    dst->count = 1;
    return 0;
}

static bool acts_for(const struct xsd_identity *who, unsigned domid)
{
    return who->domid == domid || (who->has_target && who->target == domid);
}

bool xsd_perms_is_owner(const struct xsd_perms *perms,
                        const struct xsd_identity *who)
{
    return who->privileged || acts_for(who, xsd_perms_owner(perms));
}

unsigned xsd_perms_access(const struct xsd_perms *perms,
                          const struct xsd_identity *who)
{
    if (xsd_perms_is_owner(perms, who))
        return XSD_PERM_BOTH;
    /* A domain's own entry wins over its target's, as both are explicit. */
    for (unsigned i = 1; i < perms->count; i++)
        if (perms->p[i].domid == who->domid)
            return perms->p[i].access;
    if (who->has_target)
        for (unsigned i = 1; i < perms->count; i++)
            if (perms->p[i].domid == who->target)
                return perms->p[i].access;
    return perms->p[0].access;
}
