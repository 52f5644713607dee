/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xenstore-ls: the tree below a path, one node a line, indented by depth
 * ("name = \"value\""), lines cut to the terminal width; -f prints whole
 * paths without a width limit, -p appends each node's permissions.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "client_ops.h"
#include "value_escape.h"

/* Room kept at the end of a line for the quotes and the cut marker. */
#define TAG " = \"...\""
#define TAG_LEN ((int)strlen(TAG))

struct ls_state {
    struct xs_handle *h;
    bool full_path;
    bool show_perms;
    int max_width;       /* a line never goes beyond this */
    int desired_width;   /* permissions are aligned at this column */
};

static void print_perms(struct ls_state *s, const char *path, const char *name)
{
    unsigned int num;
    struct xs_permissions *perms = xs_get_permissions(s->h, XBT_NULL, path,
                                                      &num);

    if (!perms) {
        warn("\ncould not access permissions for %s", name);
        return;
    }
    fputs("  (", stdout);
    for (unsigned int i = 0; i < num; i++) {
        char buf[MAX_STRLEN(unsigned int) + 1];

        if (i)
            putchar(',');
        if (xs_perm_to_string(&perms[i], buf, sizeof(buf)))
            fputs(buf, stdout);
    }
    putchar(')');
    free(perms);
}

static void print_value(struct ls_state *s, const char *val, unsigned int len,
                        int width)
{
    char *shown = value_escape(val, len);

    if (!shown)
        errx(1, "out of memory");
    /* Xen measures the raw value, not its escaped form. */
    if ((long)s->max_width < (long)width + (long)len + TAG_LEN) {
        /* Too long for the line: cut and mark with "\...". */
        int room = s->max_width - TAG_LEN - width;

        printf(" = \"%.*s\\...\"", room > 0 ? room : 0, shown);
    } else {
        width += printf(" = \"%s\"", shown);
        if (s->show_perms) {
            int limit = s->desired_width < s->max_width ? s->desired_width
                                                        : s->max_width;

            /* A dotted leader aligns the permission column. */
            putchar(' ');
            for (width++; width < limit; width++)
                putchar(width & 1 ? '.' : ' ');
        }
    }
    free(shown);
}

static void ls_tree(struct ls_state *s, const char *path, int depth)
{
    unsigned int num;
    char **names = xs_directory(s->h, XBT_NULL, path, &num);

    if (!names) {
        /* A node removed while we walk is not an error. */
        if (depth && errno == ENOENT)
            return;
        err(1, "xs_directory (%s)", path);
    }
    for (unsigned int i = 0; i < num; i++) {
        char *child;
        unsigned int len;
        char *val;
        int width = 0;

        if (asprintf(&child, "%s%s%s", path,
                     path[strlen(path) - 1] == '/' ? "" : "/", names[i]) < 0)
            errx(1, "out of memory");
        if (s->full_path) {
            fputs(child, stdout);
        } else {
            int room;

            for (; width < depth; width++)
                putchar(' ');
            room = s->max_width - TAG_LEN - width;
            width += printf("%.*s", room > 0 ? room : 0, names[i]);
        }
        val = xs_read(s->h, XBT_NULL, child, &len);
        if (val)
            print_value(s, val, len, width);
        else
            printf(":\n");
        free(val);
        if (s->show_perms)
            print_perms(s, child, names[i]);
        putchar('\n');
        ls_tree(s, child, depth + 1);
        free(child);
    }
    free(names);
}

int client_ls(struct xs_handle *h, const struct client_options *o,
              char **args, int n)
{
    struct ls_state s = {
        .h = h,
        .full_path = o->full_path,
        .show_perms = o->prefix,
        .max_width = 80,
        .desired_width = 60,
    };
    struct winsize ws;

    if (o->full_path) {
        s.max_width = INT_MAX / 2;
        s.desired_width = 0;
    } else if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        s.max_width = ws.ws_col;
    }
    if (n == 0)
        ls_tree(&s, "/", 0);
    for (int i = 0; i < n; i++)
        ls_tree(&s, args[i], 0);
    fflush(stdout);
    return 0;
}
