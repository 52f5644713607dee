#include "xs_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_util.h"

void xs_watch_send_event(struct xs_client *c, const char *path,
                         const char *token)
{
    /* A long path under a watch with a long token can exceed what a
     * message may carry; like Xen, such an event is not sent at all
     * rather than sent broken. */
    if (strlen(path) + strlen(token) + 2 > XENSTORE_PAYLOAD_MAX)
        return;
    struct xs_buf b;
    xs_buf_init(&b);
    if (xs_buf_add_str0(&b, path) == 0 && xs_buf_add_str0(&b, token) == 0) {
        struct xsd_sockmsg hdr = { XS_WATCH_EVENT, 0, 0, (uint32_t)b.len };
        c->ops->send(c, &hdr, b.data);
    }
    xs_buf_free(&b);
}

/* A relative watch hears paths relative to the domain's home. */
static const char *path_for_watch(const struct xs_client *c,
                                  const struct xs_watch *w,
                                  const char *path)
{
    if (!w->relative)
        return path;
    char home[48];
    xs_domain_path(c->who.domid, home, sizeof(home));
    size_t n = strlen(home);
    if (strncmp(path, home, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* The oldest of the client's watches on the first len bytes of path, or
 * NULL. */
static struct xs_watch *first_on_path(const struct xs_client *c,
                                            const char *path, size_t len)
{
    void *v;
    if (!c->watches || !xs_map_get_len(&c->watches->by_path, path, len, &v))
        return NULL;
    return v;
}

static struct xs_watch_set *watch_set(struct xs_client *c)
{
    if (!c->watches) {
        struct xs_watch_set *set = calloc(1, sizeof(*set));
        if (!set)
            return NULL;
        xs_map_init_borrowed(&set->by_path);
        set->all_tail = &set->all;
        c->watches = set;
    }
    return c->watches;
}

static struct xs_watch *entry_new(const char *name,
                                        const char *abs_path,
                                        const char *token)
{
    size_t path_size = strlen(abs_path) + 1, token_size = strlen(token) + 1;
    struct xs_watch *w = calloc(1, sizeof(*w) + path_size + token_size);
    if (!w)
        return NULL;
    memcpy(w->strings, abs_path, path_size);
    memcpy(w->strings + path_size, token, token_size);
    w->path = w->strings;
    w->token = w->strings + path_size;
    w->relative = name[0] != '/' && name[0] != '@';
    return w;
}

int xs_watch_add(struct xs_client *c, const char *name, const char *abs_path,
                 const char *token)
{
    struct xs_watch *first = first_on_path(c, abs_path, strlen(abs_path));
    for (struct xs_watch *w = first; w; w = w->same_path)
        if (!strcmp(w->token, token))
            return -EEXIST;
    if (!c->who.privileged && c->nwatches >= c->d->quota.watches)
        return -E2BIG;
    struct xs_watch_set *set = watch_set(c);
    struct xs_watch *w = set ? entry_new(name, abs_path, token) : NULL;
    if (!w)
        return -ENOMEM;
    if (first) {
        struct xs_watch *last = first;
        while (last->same_path)
            last = last->same_path;
        last->same_path = w;
    } else if (xs_map_put(&set->by_path, w->path, w, NULL) < 0) {
        free(w);
        return -ENOMEM;
    }
    w->pprev = set->all_tail;
    *set->all_tail = w;
    set->all_tail = &w->next;
    c->nwatches++;
    return 0;
}

int xs_watch_remove(struct xs_client *c, const char *abs_path,
                    const char *token)
{
    struct xs_watch_set *set = c->watches;
    struct xs_watch *first = first_on_path(c, abs_path, strlen(abs_path));
    struct xs_watch **link = &first;
    while (*link && strcmp((*link)->token, token) != 0)
        link = &(*link)->same_path;
    struct xs_watch *w = *link;
    if (!w)
        return -ENOENT;
    if (w != first)
        *link = w->same_path;
    else if (w->same_path)
        /* The next one becomes the head, and its path the key. */
        xs_map_put(&set->by_path, w->same_path->path, w->same_path, NULL);
    else
        xs_map_remove(&set->by_path, w->path);
    *w->pprev = w->next;
    if (w->next)
        w->next->pprev = w->pprev;
    else
        set->all_tail = w->pprev;
    free(w);
    c->nwatches--;
    return 0;
}

void xs_watch_remove_all(struct xs_client *c)
{
    struct xs_watch_set *set = c->watches;
    if (set) {
        xs_map_clear(&set->by_path, NULL);
        while (set->all) {
            struct xs_watch *w = set->all;
            set->all = w->next;
            free(w);
        }
        free(set);
    }
    c->watches = NULL;
    c->nwatches = 0;
}

/* Length of the parent of the first len bytes of an absolute path;
 * 0 past "/". */
static size_t parent_len(const char *path, size_t len)
{
    if (len <= 1)
        return 0;
    while (path[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}

/* Sends every event of one change to one client, stopping if sending
 * drops the client (its watches are gone then). */
static void fire_client(struct xs_client *c, const char *path,
                        bool recursive)
{
    for (size_t len = strlen(path); len; len = parent_len(path, len)) {
        for (struct xs_watch *w = first_on_path(c, path, len); w;
             w = w->same_path) {
            xs_watch_send_event(c, path_for_watch(c, w, path), w->token);
            if (c->released)
                return;
        }
    }
    if (!recursive)
        return;
    /* A removal also ends what was below it. */
    for (struct xs_watch *w = c->watches->all; w; w = w->next) {
        if (w->path[0] == '@' || !xs_path_is_within(w->path, path) ||
            strcmp(w->path, path) == 0)
            continue;
        xs_watch_send_event(c, path_for_watch(c, w, w->path), w->token);
        if (c->released)
            return;
    }
}

void xs_watch_fire(struct xs_daemon *d, const char *path, bool recursive,
                   const struct xs_perms *perms)
{
    struct xs_client *next;
    /* Sending may drop a client whose queue overflows: keep the next one
     * first. */
    for (struct xs_client *c = d->clients; c; c = next) {
        next = c->next;
        if (!c->watches || !c->watches->by_path.count)
            continue;
        if (!(xs_perms_access(perms, &c->who) & XS_PERM_READ))
            continue;
        fire_client(c, path, recursive);
    }
}

void xs_watch_fire_special(struct xs_daemon *d, const char *name)
{
    const struct xs_perms *perms = xs_special_perms(d, name);
    if (!perms)
        return;
    struct xs_client *next;
    for (struct xs_client *c = d->clients; c; c = next) {
        next = c->next;
        if (!(xs_perms_access(perms, &c->who) & XS_PERM_READ))
            continue;
        for (struct xs_watch *w = first_on_path(c, name, strlen(name)); w;
             w = w->same_path) {
            xs_watch_send_event(c, name, w->token);
            if (c->released)
                break;
        }
    }
}
