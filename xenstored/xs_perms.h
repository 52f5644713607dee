/* Node permissions as Xen defines them: the first entry names the owner
 * and the access every unlisted domain gets; later entries grant specific
 * domains.  On the wire each is a letter and a domid: "n0", "r1", "w2",
 * "b3". */
#ifndef XS_PERMS_H
#define XS_PERMS_H

#include <stdbool.h>
#include <stddef.h>

#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  (XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
    unsigned domid;
    unsigned access;   /* XS_PERM_* */
};

struct xs_perms {
    unsigned count;    /* at least 1 for any node */
    struct xs_perm *p;
};

/* Who is asking: a domain, possibly acting for a target (SET_TARGET). */
struct xs_identity {
    unsigned domid;
    bool privileged;
    bool has_target;
    unsigned target;
};

/* Parses one "r5"-style string; returns 0 or -EINVAL. */
int xs_perm_parse(const char *s, struct xs_perm *out);
/* Writes "r5" into buf (at least 16 bytes). */
void xs_perm_format(const struct xs_perm *p, char *buf, size_t size);

int xs_perms_copy(struct xs_perms *dst, const struct xs_perms *src);
void xs_perms_free(struct xs_perms *perms);
int xs_perms_single(struct xs_perms *dst, unsigned owner, unsigned access);
static inline unsigned xs_perms_owner(const struct xs_perms *perms)
{
    return perms->p[0].domid;
}

/* The access (XS_PERM_*) that `who` has to a node with these perms. */
unsigned xs_perms_access(const struct xs_perms *perms,
                         const struct xs_identity *who);
/* Owner (or acting for the owner, or privileged): may change perms. */
bool xs_perms_is_owner(const struct xs_perms *perms,
                       const struct xs_identity *who);

#endif
