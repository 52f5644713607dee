/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Store operations: nodes, permissions, transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "xs_handle.h"

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
              unsigned int *len)
{
    return xs_talk_string(h, t, XS_READ, path, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
              const void *data, unsigned int len)
{
    struct iovec iov[2];

    if (!path || (!data && len)) {
        errno = EINVAL;
        return false;
    }
    iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
    iov[1] = (struct iovec){ (void *)data, len };
    return xs_talk_bool(h, t, XS_WRITE, iov, 2);
}

static bool path_request(struct xs_handle *h, xs_transaction_t t,
                         uint32_t type, const char *path)
{
    char *reply = xs_talk_string(h, t, type, path, NULL);

    free(reply);
    return reply != NULL;
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return path_request(h, t, XS_MKDIR, path);
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return path_request(h, t, XS_RM, path);
}

bool xs_restrict(struct xs_handle *h, unsigned domid)
{
    (void)h;
    (void)domid;
    errno = ENOSYS;
    return false;
}

/*
 * A directory too big for one reply is fetched in parts: each reply starts
 * with the node's generation and carries children from the given byte
 * offset; the last part ends with an empty name.  A generation change
 * between parts means the directory changed, so the listing restarts.
 */
static char **directory_in_parts(struct xs_handle *h, xs_transaction_t t,
                                 const char *path, unsigned int *num)
{
    char *names = NULL, *gen = NULL;
    size_t names_len = 0;
    char **vec;

    for (;;) {
        char offset[MAX_STRLEN(size_t)];
        struct iovec iov[2];
        unsigned int len;
        char *reply, *part, *grown;
        size_t gen_len, part_len;
        bool last;

        snprintf(offset, sizeof(offset), "%zu", names_len);
        iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
        iov[1] = (struct iovec){ offset, strlen(offset) + 1 };
        reply = xs_talkv(h, t, XS_DIRECTORY_PART, iov, 2, &len);
        if (!reply)
            goto fail;
        gen_len = strnlen(reply, len);
        if (gen_len == len) {   /* no generation string */
            free(reply);
            errno = EBADMSG;
            goto fail;
        }
        if (gen && strcmp(gen, reply) != 0) {
            free(gen);
            gen = NULL;
            names_len = 0;      /* changed under us: start over */
            free(reply);
            continue;
        }
        if (!gen && !(gen = strdup(reply))) {
            free(reply);
            goto fail;
        }
        part = reply + gen_len + 1;
        part_len = len - gen_len - 1;
        /* The final part is terminated by an empty string. */
        last = part_len == 0 || (part_len >= 1 && part[part_len - 1] == '\0' &&
                                 (part_len == 1 || part[part_len - 2] == '\0'));
        if (last && part_len > 0)
            part_len--;
        grown = realloc(names, names_len + part_len + 1);
        if (!grown) {
            free(reply);
            goto fail;
        }
        names = grown;
        memcpy(names + names_len, part, part_len);
        names_len += part_len;
        free(reply);
        if (last)
            break;
    }
    vec = xs_strings_to_vector(names ? names : "", (unsigned int)names_len,
                               num);
    free(names);
    free(gen);
    return vec;
fail:
    free(names);
    free(gen);
    return NULL;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t,
                    const char *path, unsigned int *num)
{
    unsigned int len;
    char *reply = xs_talk_string(h, t, XS_DIRECTORY, path, &len);
    char **vec;

    if (!reply) {
        if (errno == E2BIG)
            return directory_in_parts(h, t, path, num);
        return NULL;
    }
    vec = xs_strings_to_vector(reply, len, num);
    free(reply);
    return vec;
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
                                          xs_transaction_t t,
                                          const char *path, unsigned int *num)
{
    unsigned int len, count;
    char *reply = xs_talk_string(h, t, XS_GET_PERMS, path, &len);
    struct xs_permissions *perms;

    if (!reply)
        return NULL;
    count = xs_count_strings(reply, len);
    perms = count ? malloc(count * sizeof(*perms)) : NULL;
    if (!perms || !xs_strings_to_perms(perms, count, reply)) {
        int err = perms ? EBADMSG : (count ? ENOMEM : EBADMSG);

        free(perms);
        free(reply);
        errno = err;
        return NULL;
    }
    free(reply);
    if (num)
        *num = count;
    return perms;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
                        const char *path, struct xs_permissions *perms,
                        unsigned int num_perms)
{
    char (*text)[MAX_STRLEN(unsigned int) + 1];
    struct iovec *iov;
    bool ok = false;

    if (!path || !perms || num_perms == 0) {
        errno = EINVAL;
        return false;
    }
    text = malloc(num_perms * sizeof(*text));
    iov = malloc((num_perms + 1) * sizeof(*iov));
    if (!text || !iov) {
        errno = ENOMEM;
        goto out;
    }
    iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
    for (unsigned int i = 0; i < num_perms; i++) {
        if (!xs_perm_to_string(&perms[i], text[i], sizeof(text[i])))
            goto out;
        iov[i + 1] = (struct iovec){ text[i], strlen(text[i]) + 1 };
    }
    ok = xs_talk_bool(h, t, XS_SET_PERMS, iov, num_perms + 1);
out:
    free(text);
    free(iov);
    return ok;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    char *reply = xs_talk_string(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
    unsigned long id;
    char *end;

    if (!reply)
        return XBT_NULL;
    errno = 0;
    id = strtoul(reply, &end, 10);
    if (end == reply || *end != '\0' || errno || id == 0 || id > UINT32_MAX) {
        free(reply);
        errno = EBADMSG;
        return XBT_NULL;
    }
    free(reply);
    return (xs_transaction_t)id;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    char *reply = xs_talk_string(h, t, XS_TRANSACTION_END,
                                 abort ? "F" : "T", NULL);

    free(reply);
    return reply != NULL;
}
