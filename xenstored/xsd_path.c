#include "xsd_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

void xsd_domain_path(unsigned domid, char *buf, size_t size)
{
    snprintf(buf, size, "/local/domain/%u", domid);
}

static bool valid_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
           c == '@';
}

static bool valid_absolute(const char *path)
{
    size_t len = strlen(path);
    if (path[0] != '/')
        return false;
    if (len > 1 && path[len - 1] == '/')
        return false;
    if (strstr(path, "//"))
        return false;
    for (const char *p = path; *p; p++)
        if (!valid_char(*p))
            return false;
    return true;
}

static bool valid_special(const char *name)
{
    if (name[1] == '\0')
        return false;
    for (const char *p = name + 1; *p; p++)
        if (!valid_char(*p) || *p == '/' || *p == '@')
            return false;
    return true;
}

int xsd_path_canonical(const char *name, unsigned domid, bool allow_special,
                       size_t max_rel_len, char **out)
{
    *out = NULL;
    if (name[0] == '@') {
        if (!allow_special || !valid_special(name))
            return -EINVAL;
        *out = strdup(name);
        return *out ? 0 : -ENOMEM;
    }
    char prefix[48];
    xsd_domain_path(domid, prefix, sizeof(prefix));
    size_t prefix_len = strlen(prefix);
    size_t name_len = strlen(name);
    char *abs;
    if (name[0] == '/') {
        abs = strdup(name);
    } else {
        if (name_len == 0)
            return -EINVAL;
        abs = malloc(prefix_len + 1 + name_len + 1);
        if (abs)
            sprintf(abs, "%s/%s", prefix, name);
    }
    if (!abs)
        return -ENOMEM;
    size_t abs_len = strlen(abs);
    /* Only the part below the domain's own home counts against its quota. */
    size_t rel_len = abs_len;
    if (strncmp(abs, prefix, prefix_len) == 0 && abs[prefix_len] == '/')
        rel_len = abs_len - prefix_len - 1;
    if (!valid_absolute(abs) || abs_len > XENSTORE_ABS_PATH_MAX ||
        (max_rel_len && rel_len > max_rel_len)) {
        free(abs);
        return -EINVAL;
    }
    *out = abs;
    return 0;
}

char *xsd_path_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *xsd_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bool xsd_path_is_within(const char *child, const char *ancestor)
{
    if (strcmp(ancestor, "/") == 0)
        return child[0] == '/';
    size_t n = strlen(ancestor);
    return strncmp(child, ancestor, n) == 0 &&
           (child[n] == '\0' || child[n] == '/');
}
