#include "xsd_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_mem.h"
#include "xsd_path.h"
#include "xsd_util.h"

void xsd_watch_send_event(struct xsd_client *c, const char *path,
                          const char *token)
{
    /* A long path under a watch with a long token can exceed what a
     * message may carry; like Xen, such an event is not sent at all
     * rather than sent broken. */
    if (strlen(path) + strlen(token) + 2 > XENSTORE_PAYLOAD_MAX)
        return;
    struct xsd_buf b;
    xsd_buf_init(&b);
    if (xsd_buf_add_str0(&b, path) == 0 && xsd_buf_add_str0(&b, token) == 0) {
        struct xsd_sockmsg hdr = { XS_WATCH_EVENT, 0, 0, (uint32_t)b.len };
        c->ops->send(c, &hdr, b.data);
    }
    xsd_buf_free(&b);
}

/* A relative watch hears paths relative to the domain's home. */
static const char *path_for_watch(const struct xsd_client *c,
                                  const struct xsd_watch *w,
                                  const char *path)
{
    if (!w->relative)
        return path;
    char home[48];
    xsd_domain_path(c->who.domid, home, sizeof(home));
    size_t n = strlen(home);
    if (strncmp(path, home, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* The oldest of the client's watches on the first len bytes of path, or
 * NULL. */
static struct xsd_watch *first_on_path(const struct xsd_client *c,
                                            const char *path, size_t len)
{
    void *v;
    if (!c->watches || !xsd_map_get_len(&c->watches->by_path, path, len, &v))
        return NULL;
    return v;
}

static struct xsd_watch_set *watch_set(struct xsd_client *c)
{
    if (!c->watches) {
        struct xsd_watch_set *set = calloc(1, sizeof(*set));
        if (!set)
            return NULL;
        xsd_map_init_borrowed(&set->by_path);
        set->all_tail = &set->all;
        c->watches = set;
    }
    return c->watches;
}

static struct xsd_watch *entry_new(const char *name,
                                        const char *abs_path,
                                        const char *token)
{
    size_t path_size = strlen(abs_path) + 1, token_size = strlen(token) + 1;
    struct xsd_watch *w = calloc(1, sizeof(*w) + path_size + token_size);
    if (!w)
        return NULL;
    memcpy(w->strings, abs_path, path_size);
    memcpy(w->strings + path_size, token, token_size);
    w->path = w->strings;
    w->token = w->strings + path_size;
    w->relative = name[0] != '/' && name[0] != '@';
    return w;
}

int xsd_watch_add(struct xsd_client *c, const char *name, const char *abs_path,
                  const char *token)
{
    struct xsd_watch *first = first_on_path(c, abs_path, strlen(abs_path));
    for (struct xsd_watch *w = first; w; w = w->same_path)
        if (!strcmp(w->token, token))
            return -EEXIST;
    if (!c->who.privileged && c->nwatches >= c->d->quota.watches)
        return -E2BIG;
    size_t bytes = xsd_mem_watch(strlen(abs_path), strlen(token));
    if (!xsd_mem_fits(c->d, &c->who, bytes))
        return -E2BIG;
    struct xsd_watch_set *set = watch_set(c);
    struct xsd_watch *w = set ? entry_new(name, abs_path, token) : NULL;
    if (!w || xsd_mem_ready(c->d, c->who.domid) < 0) {
        free(w);
        return -ENOMEM;
    }
    if (first) {
        struct xsd_watch *last = first;
        while (last->same_path)
            last = last->same_path;
        last->same_path = w;
    } else if (xsd_map_put(&set->by_path, w->path, w, NULL) < 0) {
        free(w);
        return -ENOMEM;
    }
    w->pprev = set->all_tail;
    *set->all_tail = w;
    set->all_tail = &w->next;
    c->nwatches++;
    xsd_mem_hold(c->d, c->who.domid, (long)bytes);
    return 0;
}

int xsd_watch_remove(struct xsd_client *c, const char *abs_path,
                     const char *token)
{
    struct xsd_watch_set *set = c->watches;
    struct xsd_watch *first = first_on_path(c, abs_path, strlen(abs_path));
    struct xsd_watch **link = &first;
    while (*link && strcmp((*link)->token, token) != 0)
        link = &(*link)->same_path;
    struct xsd_watch *w = *link;
    if (!w)
        return -ENOENT;
    if (w != first)
        *link = w->same_path;
    else if (w->same_path)
        /* The next one becomes the head, and its path the key. */
        xsd_map_put(&set->by_path, w->same_path->path, w->same_path, NULL);
    else
        xsd_map_remove(&set->by_path, w->path);
    *w->pprev = w->next;
    if (w->next)
        w->next->pprev = w->pprev;
    else
        set->all_tail = w->pprev;
    xsd_mem_hold(c->d, c->who.domid,
                 -(long)xsd_mem_watch(strlen(w->path), strlen(w->token)));
    free(w);
    c->nwatches--;
    return 0;
}

void xsd_watch_remove_all(struct xsd_client *c)
{
    struct xsd_watch_set *set = c->watches;
    if (set) {
        xsd_map_clear(&set->by_path, NULL);
        while (set->all) {
            struct xsd_watch *w = set->all;
            set->all = w->next;
            xsd_mem_hold(c->d, c->who.domid,
                         -(long)xsd_mem_watch(strlen(w->path),
                                              strlen(w->token)));
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
static void fire_client(struct xsd_client *c, const char *path,
                        bool recursive)
{
    for (size_t len = strlen(path); len; len = parent_len(path, len)) {
        for (struct xsd_watch *w = first_on_path(c, path, len); w;
             w = w->same_path) {
            xsd_watch_send_event(c, path_for_watch(c, w, path), w->token);
            if (c->released)
                return;
        }
    }
    if (!recursive)
        return;
    /* A removal also ends what was below it. */
    for (struct xsd_watch *w = c->watches->all; w; w = w->next) {
        if (w->path[0] == '@' || !xsd_path_is_within(w->path, path) ||
            strcmp(w->path, path) == 0)
            continue;
        xsd_watch_send_event(c, path_for_watch(c, w, w->path), w->token);
        if (c->released)
            return;
    }
}

static bool may_read(const struct xsd_perms *perms,
                     const struct xsd_identity *who)
{
    return perms && (xsd_perms_access(perms, who) & XSD_PERM_READ);
}

void xsd_watch_fire(struct xsd_daemon *d, const char *path, bool recursive,
                    const struct xsd_perms *perms,
                    const struct xsd_perms *also)
{
    struct xsd_client *next;
    /* Sending may drop a client whose queue overflows: keep the next one
     * first. */
    for (struct xsd_client *c = d->clients; c; c = next) {
        next = c->next;
        if (!c->watches || !c->watches->by_path.count)
            continue;
        if (!may_read(perms, &c->who) && !may_read(also, &c->who))
            continue;
        fire_client(c, path, recursive);
    }
}

void xsd_watch_fire_special(struct xsd_daemon *d, const char *name)
{
    const struct xsd_perms *perms = xsd_special_perms(d, name);
    if (!perms)
        return;
    struct xsd_client *next;
    for (struct xsd_client *c = d->clients; c; c = next) {
        next = c->next;
        if (!(xsd_perms_access(perms, &c->who) & XSD_PERM_READ))
            continue;
        for (struct xsd_watch *w = first_on_path(c, name, strlen(name)); w;
             w = w->same_path) {
            xsd_watch_send_event(c, name, w->token);
            if (c->released)
                break;
        }
    }
}
