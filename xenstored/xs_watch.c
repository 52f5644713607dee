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
                                  const struct xs_watch *w, const char *path)
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

int xs_watch_add(struct xs_client *c, const char *name, const char *abs_path,
                 const char *token)
{
    for (struct xs_watch *w = c->watches; w; w = w->next)
        if (!strcmp(w->path, abs_path) && !strcmp(w->token, token))
            return -EEXIST;
    if (!c->who.privileged && c->nwatches >= c->d->quota.watches)
        return -E2BIG;
    struct xs_watch *w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->path = strdup(abs_path);
    w->token = strdup(token);
    if (!w->path || !w->token) {
        free(w->path);
        free(w->token);
        free(w);
        return -ENOMEM;
    }
    w->relative = name[0] != '/' && name[0] != '@';
    w->next = c->watches;
    c->watches = w;
    c->nwatches++;
    return 0;
}

static void free_watch(struct xs_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

int xs_watch_remove(struct xs_client *c, const char *abs_path,
                    const char *token)
{
    for (struct xs_watch **p = &c->watches; *p; p = &(*p)->next) {
        struct xs_watch *w = *p;
        if (!strcmp(w->path, abs_path) && !strcmp(w->token, token)) {
            *p = w->next;
            free_watch(w);
            c->nwatches--;
            return 0;
        }
    }
    return -ENOENT;
}

void xs_watch_remove_all(struct xs_client *c)
{
    while (c->watches) {
        struct xs_watch *w = c->watches;
        c->watches = w->next;
        free_watch(w);
    }
    c->nwatches = 0;
}

void xs_watch_fire(struct xs_daemon *d, const char *path, bool recursive,
                   const struct xs_perms *perms)
{
    struct xs_client *next;
    /* Sending may drop a client whose queue overflows: keep the next one
     * first, and stop walking a client's watches once it is gone. */
    for (struct xs_client *c = d->clients; c; c = next) {
        next = c->next;
        if (!(xs_perms_access(perms, &c->who) & XS_PERM_READ))
            continue;
        for (struct xs_watch *w = c->watches; w; w = w->next) {
            if (w->path[0] == '@')
                continue;
            if (xs_path_is_within(path, w->path))
                xs_watch_send_event(c, path_for_watch(c, w, path), w->token);
            else if (recursive && xs_path_is_within(w->path, path))
                xs_watch_send_event(c, path_for_watch(c, w, w->path),
                                    w->token);
            if (c->released)
                break;
        }
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
        for (struct xs_watch *w = c->watches; w; w = w->next) {
            if (!strcmp(w->path, name))
                xs_watch_send_event(c, name, w->token);
            if (c->released)
                break;
        }
    }
}
