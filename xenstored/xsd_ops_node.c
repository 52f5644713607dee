/* Handlers that read and change nodes. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_ops.h"
#include "xsd_path.h"

/* A missing node reads as EACCES rather than ENOENT when the nearest
 * existing ancestor is unreadable: absence must not leak either. */
static int missing_node_error(struct xsd_request *r, const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -ENOMEM;
    int rc = -ENOENT;
    while (strcmp(p, "/") != 0) {
        char *parent = xsd_path_parent(p);
        free(p);
        p = parent;
        if (!p)
            return -ENOMEM;
        const struct xsd_node *n;
        int got = xsd_ctx_get(&r->ctx, p, &n);
        if (got == 0) {
            if (!(xsd_perms_access(XSD_NODE_PERMS(n), &r->c->who) &
                  XSD_PERM_READ))
                rc = -EACCES;
            break;
        }
        if (got != -ENOENT) {
            rc = got;
            break;
        }
    }
    free(p);
    return rc;
}

static int get_node(struct xsd_request *r, const char *path, unsigned need,
                    const struct xsd_node **out)
{
    int rc = xsd_ctx_get(&r->ctx, path, out);
    if (rc == -ENOENT)
        return missing_node_error(r, path);
    if (rc < 0)
        return rc;
    if ((xsd_perms_access(XSD_NODE_PERMS(*out), &r->c->who) & need) != need)
        return -EACCES;
    return 0;
}

/* Parses the request's single path argument. */
static int one_path(struct xsd_request *r, char **path)
{
    /* Exactly one string, ending where the payload ends. */
    if (r->argc != 1 || strlen(r->argv[0]) + 1 != r->len)
        return -EINVAL;
    return xsd_request_path(r, r->argv[0], false, path);
}

/*
 * The request's one path and its node, checked for `need` access.  On an
 * error *path is NULL if the path itself was refused, else it is the
 * parsed path (to free) and the error is the node's (-ENOENT, -EACCES).
 */
static int path_and_node(struct xsd_request *r, unsigned need, char **path,
                         const struct xsd_node **n)
{
    int rc = one_path(r, path);
    if (rc < 0) {
        *path = NULL;
        return rc;
    }
    return get_node(r, *path, need, n);
}

static int check_node_size(struct xsd_request *r, const struct xsd_node *n)
{
    if (!r->c->who.privileged && xsd_node_size(n) > r->d->quota.node_size)
        return -ENOSPC;
    return 0;
}

/*
 * Store a changed copy of path's node (write, set_perms): within the size
 * quota, into the request's view of the store, and fire the watches.  The
 * copy is always consumed.
 */
static int commit_node_copy(struct xsd_request *r, const char *path,
                            struct xsd_node *copy)
{
    int rc = check_node_size(r, copy);
    if (rc == 0) {
        rc = xsd_ctx_put(&r->ctx, copy);
        copy = NULL;
    }
    xsd_node_free(copy);
    const struct xsd_node *n;
    if (rc == 0)
        rc = xsd_ctx_get(&r->ctx, path, &n);
    if (rc == 0)
        rc = xsd_ctx_changed(&r->ctx, path, false, XSD_NODE_PERMS(n));
    return rc;
}

int xsd_op_read(struct xsd_request *r)
{
    char *path;
    const struct xsd_node *n;
    int rc = path_and_node(r, XSD_PERM_READ, &path, &n);
    if (rc == 0)
        rc = xsd_buf_add(&r->reply, xsd_node_value(n), n->value_len);
    free(path);
    return rc;
}

static int add_child_to_parent(struct xsd_request *r, const char *path)
{
    char *parent_path = xsd_path_parent(path);
    if (!parent_path)
        return -ENOMEM;
    const struct xsd_node *parent;
    int rc = xsd_ctx_get(&r->ctx, parent_path, &parent);
    free(parent_path);
    if (rc < 0)
        return rc;
    /* The caller creates path because it was absent: no duplicate. */
    struct xsd_node *copy = xsd_node_with_new_child(parent,
                                                    xsd_path_basename(path));
    if (!copy)
        return -ENOMEM;
    rc = check_node_size(r, copy);
    if (rc < 0) {
        xsd_node_free(copy);
        return rc;
    }
    return xsd_ctx_put(&r->ctx, copy);
}

/*
 * Creates path and any missing ancestors.  The caller needs write access
 * to the nearest existing ancestor; new nodes inherit its permissions,
 * except that a guest becomes the owner of what it creates.
 */
static int create_node(struct xsd_request *r, const char *path,
                       const void *value, size_t len)
{
    char *top = strdup(path);     /* highest missing ancestor */
    char *anc = xsd_path_parent(path);
    unsigned missing = 1;
    const struct xsd_node *existing = NULL;
    int rc = (!top || !anc) ? -ENOMEM : 0;
    while (rc == 0) {
        rc = xsd_ctx_get(&r->ctx, anc, &existing);
        if (rc != -ENOENT)
            break;
        rc = 0;
        free(top);
        top = anc;
        anc = xsd_path_parent(top);
        missing++;
        if (!anc)
            rc = -ENOMEM;
    }
    if (rc == 0 &&
        !(xsd_perms_access(XSD_NODE_PERMS(existing), &r->c->who) &
          XSD_PERM_WRITE))
        rc = -EACCES;
    unsigned me = r->c->who.domid;
    if (rc == 0 && !r->c->who.privileged &&
        xsd_ctx_owned(&r->ctx, me) + missing > r->d->quota.nodes)
        rc = -ENOSPC;
    struct xsd_perms perms = { 0, NULL };
    if (rc == 0)
        rc = xsd_perms_copy(&perms, XSD_NODE_PERMS(existing));
    if (rc == 0 && !r->c->who.privileged)
        perms.p[0].domid = me;
    /* Create from the top down so each parent exists for its child. */
    size_t path_len = strlen(path);
    size_t cut = top ? strlen(top) : 0;
    while (rc == 0) {
        char *cur = strndup(path, cut);
        if (!cur) {
            rc = -ENOMEM;
            break;
        }
        bool last = cut == path_len;
        struct xsd_node *n = xsd_node_new(cur, last ? value : "",
                                          last ? len : 0, &perms);
        rc = n ? check_node_size(r, n) : -ENOMEM;
        if (rc == 0)
            rc = add_child_to_parent(r, cur);
        if (rc == 0)
            rc = xsd_ctx_put(&r->ctx, n);
        else
            xsd_node_free(n);
        free(cur);
        if (last)
            break;
        const char *next = strchr(path + cut + 1, '/');
        cut = next ? (size_t)(next - path) : path_len;
    }
    if (rc == 0)
        rc = xsd_ctx_changed(&r->ctx, path, false, &perms);
    xsd_perms_free(&perms);
    free(top);
    free(anc);
    return rc;
}

int xsd_op_write(struct xsd_request *r)
{
    if (r->argc < 1)
        return -EINVAL;
    char *path;
    int rc = xsd_request_path(r, r->argv[0], false, &path);
    if (rc < 0)
        return rc;
    size_t off = strlen(r->argv[0]) + 1;
    const char *value = r->payload + off;
    size_t len = r->len - off;
    const struct xsd_node *n;
    rc = get_node(r, path, XSD_PERM_WRITE, &n);
    if (rc == -ENOENT) {
        rc = create_node(r, path, value, len);
    } else if (rc == 0) {
        struct xsd_node *copy = xsd_node_with_value(n, value, len);
        rc = copy ? commit_node_copy(r, path, copy) : -ENOMEM;
    }
    free(path);
    return rc < 0 ? rc : xsd_reply_ok(r);
}

int xsd_op_mkdir(struct xsd_request *r)
{
    char *path;
    const struct xsd_node *n;
    int rc = path_and_node(r, XSD_PERM_WRITE, &path, &n);
    if (!path)
        return rc;
    if (rc == -ENOENT)
        rc = create_node(r, path, "", 0);
    free(path);
    return rc < 0 ? rc : xsd_reply_ok(r);
}

/*
 * Deletes the node at path and everything below it.  path is a buffer of
 * XENSTORE_ABS_PATH_MAX + 1 bytes holding len characters: each child's
 * path is built in it in turn, and it holds path again on return.  The
 * node's own children list is read in place: deleting its descendants
 * leaves the node itself untouched until its own deletion at the end.
 */
static int delete_subtree(struct xsd_request *r, char *path, size_t len)
{
    const struct xsd_node *n;
    int rc = xsd_ctx_get(&r->ctx, path, &n);
    if (rc < 0)
        return rc == -ENOENT ? 0 : rc;
    size_t base = strcmp(path, "/") ? len : 0;
    for (const char *child = xsd_node_next_child(n, NULL);
         child && rc == 0; child = xsd_node_next_child(n, child)) {
        size_t child_len = strlen(child);
        /* Stored paths are within the limit, so this is a broken tree. */
        if (base + 1 + child_len > XENSTORE_ABS_PATH_MAX) {
            rc = -EINVAL;
            break;
        }
        path[base] = '/';
        memcpy(path + base + 1, child, child_len + 1);
        rc = delete_subtree(r, path, base + 1 + child_len);
    }
    path[len] = '\0';
    return rc < 0 ? rc : xsd_ctx_delete(&r->ctx, path);
}

int xsd_op_rm(struct xsd_request *r)
{
    char *path;
    const struct xsd_node *n;
    int rc = path_and_node(r, XSD_PERM_WRITE, &path, &n);
    if (!path)
        return rc;
    if (rc == -ENOENT) {
        /* Removing what is already gone succeeds if the parent exists. */
        char *parent = xsd_path_parent(path);
        const struct xsd_node *p;
        rc = parent ? xsd_ctx_get(&r->ctx, parent, &p) : -ENOMEM;
        free(parent);
        free(path);
        return rc < 0 ? rc : xsd_reply_ok(r);
    }
    if (rc == 0 && strcmp(path, "/") == 0)
        rc = -EINVAL;
    struct xsd_perms perms = { 0, NULL };
    if (rc == 0)
        rc = xsd_perms_copy(&perms, XSD_NODE_PERMS(n));
    char subtree[XENSTORE_ABS_PATH_MAX + 1];
    if (rc == 0) {
        size_t len = strlen(path);
        rc = len <= XENSTORE_ABS_PATH_MAX ? 0 : -EINVAL;
        if (rc == 0) {
            memcpy(subtree, path, len + 1);
            rc = delete_subtree(r, subtree, len);
        }
    }
    if (rc == 0) {
        char *parent_path = xsd_path_parent(path);
        const struct xsd_node *parent;
        rc = parent_path ? xsd_ctx_get(&r->ctx, parent_path, &parent)
                         : -ENOMEM;
        struct xsd_node *copy = rc == 0 ? xsd_node_clone(parent) : NULL;
        if (rc == 0 && !copy)
            rc = -ENOMEM;
        if (copy) {
            if (!xsd_node_remove_child(copy, xsd_path_basename(path)))
                xsd_trace(r->d, "rm %s: not listed by its parent", path);
            rc = xsd_ctx_put(&r->ctx, copy);
        }
        free(parent_path);
    }
    if (rc == 0)
        rc = xsd_ctx_changed(&r->ctx, path, true, &perms);
    xsd_perms_free(&perms);
    free(path);
    return rc < 0 ? rc : xsd_reply_ok(r);
}

int xsd_op_directory(struct xsd_request *r)
{
    char *path;
    const struct xsd_node *n;
    int rc = path_and_node(r, XSD_PERM_READ, &path, &n);
    if (rc == 0)
        rc = xsd_buf_add(&r->reply, xsd_node_children(n), n->children_len);
    free(path);
    return rc;
}

/*
 * Lists children from a byte offset into the concatenated names, after
 * the node's generation so that a client can tell when the list changed
 * between parts.  An empty string ends the final part.
 */
int xsd_op_directory_part(struct xsd_request *r)
{
    if (r->argc != 2)
        return -EINVAL;
    unsigned long offset;
    if (xsd_parse_ulong(r->argv[1], 0xffffffffUL, &offset) < 0)
        return -EINVAL;
    char *path;
    int rc = xsd_request_path(r, r->argv[0], false, &path);
    if (rc < 0)
        return rc;
    const struct xsd_node *n;
    rc = get_node(r, path, XSD_PERM_READ, &n);
    free(path);
    if (rc < 0)
        return rc;
    const char *all = xsd_node_children(n);
    size_t all_len = n->children_len;
    rc = xsd_buf_printf(&r->reply, "%" PRIx64, n->generation);
    if (rc == 0)
        rc = xsd_buf_add(&r->reply, "", 1);
    size_t pos = offset < all_len ? offset : all_len;
    while (rc == 0 && pos < all_len) {
        size_t name_len = strnlen(all + pos, all_len - pos) + 1;
        /* Leave room for the final empty string. */
        if (r->reply.len + name_len + 1 > XENSTORE_PAYLOAD_MAX)
            break;
        rc = xsd_buf_add(&r->reply, all + pos, name_len);
        pos += name_len;
    }
    if (rc == 0 && pos >= all_len)
        rc = xsd_buf_add(&r->reply, "", 1);
    return rc;
}

static int format_perms(struct xsd_request *r, const struct xsd_perms *perms)
{
    int rc = 0;
    for (unsigned i = 0; rc == 0 && i < perms->count; i++) {
        char buf[16];
        xsd_perm_format(&perms->p[i], buf, sizeof(buf));
        rc = xsd_buf_add_str0(&r->reply, buf);
    }
    return rc;
}

/* The special watch names have permissions but no node. */
static int special_perms(struct xsd_request *r, const char *name,
                         unsigned need, struct xsd_perms **out)
{
    *out = xsd_special_perms(r->d, name);
    if (!*out)
        return -ENOENT;
    if ((xsd_perms_access(*out, &r->c->who) & need) != need)
        return -EACCES;
    return 0;
}

int xsd_op_get_perms(struct xsd_request *r)
{
    if (r->argc == 1 && r->argv[0][0] == '@') {
        struct xsd_perms *perms;
        int rc = special_perms(r, r->argv[0], XSD_PERM_READ, &perms);
        return rc < 0 ? rc : format_perms(r, perms);
    }
    char *path;
    const struct xsd_node *n;
    int rc = path_and_node(r, XSD_PERM_READ, &path, &n);
    if (rc == 0)
        rc = format_perms(r, XSD_NODE_PERMS(n));
    free(path);
    return rc;
}

static int set_special_perms(struct xsd_request *r, struct xsd_perms *perms)
{
    struct xsd_perms *target;
    int rc = special_perms(r, r->argv[0], XSD_PERM_WRITE, &target);
    if (rc == 0 && !xsd_perms_is_owner(target, &r->c->who))
        rc = -EACCES;
    if (rc == 0) {
        xsd_perms_free(target);
        *target = *perms;
        perms->p = NULL;
    }
    return rc < 0 ? rc : xsd_reply_ok(r);
}

int xsd_op_set_perms(struct xsd_request *r)
{
    if (r->argc < 2)
        return -EINVAL;
    unsigned count = r->argc - 1;
    if (!r->c->who.privileged && count > r->d->quota.node_perms)
        return -ENOSPC;
    struct xsd_perms perms = { count, calloc(count, sizeof(struct xsd_perm)) };
    if (!perms.p)
        return -ENOMEM;
    int rc = 0;
    for (unsigned i = 0; i < count && rc == 0; i++)
        rc = xsd_perm_parse(r->argv[i + 1], &perms.p[i]);
    if (rc == 0 && r->argv[0][0] == '@') {
        rc = set_special_perms(r, &perms);
        free(perms.p);
        return rc;
    }
    char *path = NULL;
    if (rc == 0)
        rc = xsd_request_path(r, r->argv[0], false, &path);
    const struct xsd_node *n;
    if (rc == 0)
        rc = get_node(r, path, XSD_PERM_WRITE, &n);
    if (rc == 0 && !xsd_perms_is_owner(XSD_NODE_PERMS(n), &r->c->who))
        rc = -EACCES;
    /* A guest may share its nodes but not give them away. */
    if (rc == 0 && !r->c->who.privileged &&
        xsd_perms_owner(&perms) != xsd_perms_owner(XSD_NODE_PERMS(n)))
        rc = -EPERM;
    if (rc == 0) {
        struct xsd_node *copy = xsd_node_with_perms(n, &perms);
        rc = copy ? commit_node_copy(r, path, copy) : -ENOMEM;
    }
    free(perms.p);
    free(path);
    return rc < 0 ? rc : xsd_reply_ok(r);
}
