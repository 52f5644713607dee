/* Node permissions as Xen defines them: the first entry names the owner
 * and the access every unlisted domain gets; later entries grant specific
 * domains.  On the wire each is a letter and a domid: "n0", "r1", "w2",
 * "b3". */
#ifndef XSD_PERMS_H
#define XSD_PERMS_H

#include <stdbool.h>
#include <stddef.h>

#define XSD_PERM_NONE  0u
#define XSD_PERM_READ  1u
#define XSD_PERM_WRITE 2u
#define XSD_PERM_BOTH  (XSD_PERM_READ | XSD_PERM_WRITE)

struct xsd_perm {
    unsigned domid;
    unsigned access;   /* XSD_PERM_* */
};

struct xsd_perms {
    unsigned count;    /* at least 1 for any node */
    struct xsd_perm *p;
};

/* Who is asking: a domain, possibly acting for a target (SET_TARGET). */
struct xsd_identity {
    unsigned domid;
    bool privileged;
    bool has_target;
    unsigned target;
};

/* Parses one "r5"-style string; returns 0 or -EINVAL. */
int xsd_perm_parse(const char *s, struct xsd_perm *out);
/* Writes "r5" into buf (at least 16 bytes). */
void xsd_perm_format(const struct xsd_perm *p, char *buf, size_t size);

int xsd_perms_copy(struct xsd_perms *dst, const struct xsd_perms *src);
void xsd_perms_free(struct xsd_perms *perms);
int xsd_perms_single(struct xsd_perms *dst, unsigned owner, unsigned access);
static inline unsigned xsd_perms_owner(const struct xsd_perms *perms)
{
    return perms->p[0].domid;
}

/* The access (XSD_PERM_*) that `who` has to a node with these perms. */
unsigned xsd_perms_access(const struct xsd_perms *perms,
                          const struct xsd_identity *who);
/* Owner (or acting for the owner, or privileged): may change perms. */
bool xsd_perms_is_owner(const struct xsd_perms *perms,
                        const struct xsd_identity *who);

#endif
