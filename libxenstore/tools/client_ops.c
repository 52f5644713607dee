/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The per-mode work of the xenstore-* tools (ls is in client_tree.c). */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_ops.h"
#include "value_escape.h"

int client_read(struct xs_handle *h, xs_transaction_t t,
                const struct client_options *o, char **args, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned int len;
        char *val = xs_read(h, t, args[i], &len);
        char *shown;

        if (!val) {
            warnx("couldn't read path %s", args[i]);
            return 1;
        }
        if (o->prefix)
            out_printf("%s: ", args[i]);
        shown = o->raw ? val : value_escape(val, len);
        if (!shown)
            errx(1, "out of memory");
        /* Raw values print up to their first NUL and, as with Xen,
         * without a newline. */
        out_printf(o->raw ? "%s" : "%s\n", shown);
        if (shown != val)
            free(shown);
        free(val);
    }
    return 0;
}

int client_write(struct xs_handle *h, xs_transaction_t t,
                 const struct client_options *o, char **args, int n)
{
    for (int i = 0; i + 1 < n; i += 2) {
        size_t len = strlen(args[i + 1]);
        char *val = o->raw ? args[i + 1] : value_unescape(args[i + 1], &len);
        bool ok;

        if (!val)
            errx(1, "out of memory");
        ok = xs_write(h, t, args[i], val, (unsigned int)len);
        if (val != args[i + 1])
            free(val);
        if (!ok) {
            warnx("could not write path %s", args[i]);
            return 1;
        }
    }
    return 0;
}

static bool is_empty_leaf(struct xs_handle *h, xs_transaction_t t,
                          const char *path)
{
    unsigned int len, num;
    char *val = xs_read(h, t, path, &len);
    char **children;
    bool empty;

    if (!val)
        return false;
    free(val);
    if (len != 0)
        return false;
    children = xs_directory(h, t, path, &num);
    empty = children && num == 0;
    free(children);
    return empty;
}

int client_rm(struct xs_handle *h, xs_transaction_t t,
              const struct client_options *o, char **args, int n)
{
    for (int i = 0; i < n; i++) {
        /* A copy: a retried transaction needs the operand intact. */
        char *path = strdup(args[i]);

        if (!path)
            errx(1, "out of memory");
        for (;;) {
            char *slash;

            if (!xs_rm(h, t, path)) {
                warnx("could not remove path %s", path);
                free(path);
                return 1;
            }
            if (!o->tidy)
                break;
            /* Parents left without value or children go too. */
            slash = strrchr(path, '/');
            if (!slash || slash == path)
                break;
            *slash = '\0';
            if (!is_empty_leaf(h, t, path))
                break;
        }
        free(path);
    }
    return 0;
}

int client_exists(struct xs_handle *h, xs_transaction_t t,
                  const struct client_options *o, char **args, int n)
{
    (void)o;
    for (int i = 0; i < n; i++) {
        char *val = xs_read(h, t, args[i], NULL);

        if (!val)
            return 1;
        free(val);
    }
    return 0;
}

int client_list(struct xs_handle *h, xs_transaction_t t,
                const struct client_options *o, char **args, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned int num;
        char **names = xs_directory(h, t, args[i], &num);

        if (!names) {
            warnx("could not list path %s", args[i]);
            return 1;
        }
        for (unsigned int j = 0; j < num; j++) {
            if (o->prefix)
                out_printf("%s/", args[i]);
            out_printf("%s\n", names[j]);
        }
        free(names);
    }
    return 0;
}

static void chmod_path(struct xs_handle *h, xs_transaction_t t, char *path,
                       struct xs_permissions *perms, unsigned int nperms,
                       bool upwards, bool recurse)
{
    if (!path[0])
        return;
    if (!xs_set_permissions(h, t, path, perms, nperms))
        err(1, "Error occurred setting permissions on '%s'", path);
    if (upwards) {
        char *slash = strrchr(path, '/');

        if (slash && slash != path) {
            *slash = '\0';
            chmod_path(h, t, path, perms, nperms, true, false);
            *slash = '/';
        }
    }
    if (recurse) {
        unsigned int num;
        char **names = xs_directory(h, t, path, &num);

        if (!names)
            err(1, "could not list path %s", path);
        for (unsigned int i = 0; i < num; i++) {
            char *child;

            if (asprintf(&child, "%s%s%s", path,
                         path[strlen(path) - 1] == '/' ? "" : "/",
                         names[i]) < 0)
                errx(1, "out of memory");
            chmod_path(h, t, child, perms, nperms, false, true);
            free(child);
        }
        free(names);
    }
}

int client_chmod(struct xs_handle *h, xs_transaction_t t,
                 const struct client_options *o, char **args, int n)
{
    unsigned int nperms = (unsigned int)n - 1;
    struct xs_permissions *perms = calloc(nperms, sizeof(*perms));
    char *path = strdup(args[0]);

    if (!perms || !path)
        errx(1, "out of memory");
    for (unsigned int i = 0; i < nperms; i++) {
        const char *spec = args[i + 1];
        char *end;

        switch (spec[0]) {
        case 'n': perms[i].perms = XS_PERM_NONE; break;
        case 'r': perms[i].perms = XS_PERM_READ; break;
        case 'w': perms[i].perms = XS_PERM_WRITE; break;
        case 'b': perms[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        default:
            errx(1, "Invalid permission specification: '%c'", spec[0]);
        }
        errno = 0;
        perms[i].id = (unsigned int)strtoul(spec + 1, &end, 10);
        if (errno || end == spec + 1 || *end)
            errx(1, "Invalid domain id in permission '%s'", spec);
    }
    chmod_path(h, t, path, perms, nperms, o->upwards, o->recurse);
    free(path);
    free(perms);
    return 0;
}

int client_watch(struct xs_handle *h, const struct client_options *o,
                 char **args, int n)
{
    (void)n;
    /* The token is the path, so events name what they watch. */
    if (!xs_watch(h, args[0], args[0]))
        errx(1, "Unable to add watch on %s\n", args[0]);
    for (int count = 0; o->watch_count < 0 || count < o->watch_count;) {
        unsigned int num;
        char **vec = xs_read_watch(h, &num);

        if (!vec) {
            if (errno == EINTR)
                continue;
            err(1, "xs_read_watch");
        }
        printf("%s\n", vec[XS_WATCH_PATH]);
        fflush(stdout);
        free(vec);
        count++;
    }
    return 0;
}

/* A control command and its arguments as one request; NULL if refused. */
static char *control_request(struct xs_handle *h, char **args, int n)
{
    size_t len = 0;
    char *data, *p, *result;

    /* Arguments after the command travel as NUL-terminated strings. */
    for (int i = 1; i < n; i++)
        len += strlen(args[i]) + 1;
    data = malloc(len ? len : 1);
    if (!data)
        errx(1, "out of memory");
    p = data;
    for (int i = 1; i < n; i++) {
        strcpy(p, args[i]);
        p += strlen(args[i]) + 1;
    }
    result = xs_control_command(h, args[0], data, (unsigned int)len);
    free(data);
    return result;
}

int client_control_main(int argc, char **argv)
{
    struct xs_handle *h;
    char *result;
    int rc = 0;

    if (argc < 2) {
        fprintf(stderr, "Usage:\n%s <command> [<arg>...]\n", argv[0]);
        return 2;
    }
    h = xs_open(0);
    if (!h) {
        fprintf(stderr, "Failed to contact Xenstored.\n");
        return 1;
    }
    result = control_request(h, argv + 1, argc - 1);
    if (result) {
        if (result[0])
            printf("%s\n", result);
    } else {
        char *help = xs_control_command(h, "help", NULL, 0);

        fprintf(stderr, "Command not supported. Valid commands are:\n");
        if (help)
            fprintf(stderr, "%s\n", help);
        free(help);
        rc = 3;
    }
    free(result);
    xs_close(h);
    return rc;
}
