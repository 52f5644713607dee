/* Node names: validation, relative-to-absolute, parent and basename. */
#ifndef XSD_PATH_H
#define XSD_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* "/local/domain/<domid>" into buf. */
void xsd_domain_path(unsigned domid, char *buf, size_t size);

/*
 * Turns a client-supplied name into an absolute node path, freshly
 * allocated in *out.  Relative names are taken under the client's
 * /local/domain/<id>.  allow_special admits "@introduceDomain"-style
 * names (watches only).  max_rel_len bounds the part of the path the
 * client controls (0 = no bound beyond XENSTORE_ABS_PATH_MAX).
 * Returns 0, -EINVAL for a bad name, -ENOMEM.
 */
int xsd_path_canonical(const char *name, unsigned domid, bool allow_special,
                       size_t max_rel_len, char **out);

/* Newly allocated parent path of an absolute non-root path. */
char *xsd_path_parent(const char *path);
/* Pointer to the last component inside path. */
const char *xsd_path_basename(const char *path);
/* True when child equals ancestor or lies beneath it. */
bool xsd_path_is_within(const char *child, const char *ancestor);

#endif
