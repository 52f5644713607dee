/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xenstore-shell: read, change and watch the store interactively, with
 * readline history and completion.  When stdin is not a terminal it reads
 * commands line by line without prompting, so scripts and tests can drive
 * it; the exit status is then 1 if any command failed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "shell.h"
#include "value_escape.h"

#define MAX_WORDS 64

const struct shell_verb shell_verbs[] = {
    { "read", "PATH...", "print the value of each PATH" },
    { "write", "PATH VALUE", "set PATH to VALUE (\\n, \\t, \\ooo escapes)" },
    { "ls", "[PATH]", "print the tree below PATH (default /)" },
    { "list", "PATH", "print the children of PATH" },
    { "rm", "PATH...", "remove each PATH and everything below it" },
    { "exists", "PATH", "print yes or no" },
    { "chmod", "PATH PERM...", "set permissions, e.g. b0 r1 (owner first)" },
    { "perms", "PATH", "print the permissions of PATH" },
    { "watch", "PATH [COUNT]", "print COUNT (default 1) events below PATH" },
    { "mkdir", "PATH", "create an empty node" },
    { "help", "", "list the commands" },
    { "quit", "", "leave the shell (also: exit, end of input)" },
    { NULL, NULL, NULL },
};

static struct xs_handle *h;

/* Splits line into words in place: blanks separate, quotes group, a
 * backslash keeps the next character.  Returns -1 on an open quote. */
static int split_words(char *line, char **words)
{
    char *in = line, *out = line;
    int n = 0;

    for (;;) {
        char quote = 0;

        while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
            in++;
        if (!*in)
            return n;
        if (n == MAX_WORDS)
            return -2;
        words[n++] = out;
        while (*in && (quote || (*in != ' ' && *in != '\t' && *in != '\n' &&
                                 *in != '\r'))) {
            if (quote && *in == quote) {
                quote = 0;
                in++;
            } else if (!quote && (*in == '"' || *in == '\'')) {
                quote = *in++;
            } else if (*in == '\\' && quote != '\'' && in[1]) {
                /* Escapes of values are left for value_unescape. */
                if (strchr("\"' \\", in[1])) {
                    in++;
                } else {
                    *out++ = *in++;
                }
                *out++ = *in++;
            } else {
                *out++ = *in++;
            }
        }
        if (quote)
            return -1;
        if (*in)
            in++;
        *out++ = '\0';
    }
}

static int fail(const char *verb, const char *path)
{
    fprintf(stderr, "%s: %s: %s\n", verb, path, strerror(errno));
    return 1;
}

static int do_read(char **w, int n)
{
    for (int i = 1; i < n; i++) {
        unsigned int len;
        char *val = xs_read(h, XBT_NULL, w[i], &len);
        char *shown;

        if (!val)
            return fail("read", w[i]);
        shown = value_escape(val, len);
        printf("%s\n", shown ? shown : "");
        free(shown);
        free(val);
    }
    return 0;
}

static int do_write(char **w, int n)
{
    size_t len;
    char *val;
    bool ok;

    (void)n;
    val = value_unescape(w[2], &len);
    if (!val)
        return fail("write", w[1]);
    ok = xs_write(h, XBT_NULL, w[1], val, (unsigned int)len);
    free(val);
    return ok ? 0 : fail("write", w[1]);
}

static int ls_tree(const char *path, int depth)
{
    unsigned int num;
    char **names = xs_directory(h, XBT_NULL, path, &num);

    if (!names)
        return depth && errno == ENOENT ? 0 : fail("ls", path);
    for (unsigned int i = 0; i < num; i++) {
        char *child, *val, *shown = NULL;
        unsigned int len;

        if (asprintf(&child, "%s%s%s", path,
                     path[strlen(path) - 1] == '/' ? "" : "/", names[i]) < 0)
            continue;
        val = xs_read(h, XBT_NULL, child, &len);
        if (val)
            shown = value_escape(val, len);
        printf("%*s%s = \"%s\"\n", depth, "", names[i], shown ? shown : "");
        free(shown);
        free(val);
        ls_tree(child, depth + 1);
        free(child);
    }
    free(names);
    return 0;
}

static int do_list(char **w, int n)
{
    unsigned int num;
    char **names;

    (void)n;
    names = xs_directory(h, XBT_NULL, w[1], &num);
    if (!names)
        return fail("list", w[1]);
    for (unsigned int i = 0; i < num; i++)
        printf("%s\n", names[i]);
    free(names);
    return 0;
}

static int do_rm(char **w, int n)
{
    for (int i = 1; i < n; i++)
        if (!xs_rm(h, XBT_NULL, w[i]))
            return fail("rm", w[i]);
    return 0;
}

static int do_exists(char **w, int n)
{
    char *val;

    (void)n;
    val = xs_read(h, XBT_NULL, w[1], NULL);
    if (!val && errno != ENOENT)
        return fail("exists", w[1]);
    printf("%s\n", val ? "yes" : "no");
    free(val);
    return 0;
}

static int do_chmod(char **w, int n)
{
    struct xs_permissions perms[MAX_WORDS];
    char joined[MAX_WORDS * 16];
    size_t used = 0;

    /* Reuse the wire parser: it names no bad letter, so check here. */
    for (int i = 2; i < n; i++) {
        size_t len = strlen(w[i]) + 1;

        if (used + len > sizeof(joined) || !strchr("nrwb", w[i][0]) ||
            !w[i][0]) {
            fprintf(stderr, "chmod: bad permission '%s' (want n|r|w|b "
                    "followed by a domain id)\n", w[i]);
            return 1;
        }
        memcpy(joined + used, w[i], len);
        used += len;
    }
    if (!xs_strings_to_perms(perms, (unsigned int)(n - 2), joined)) {
        fprintf(stderr, "chmod: bad permission list (want n|r|w|b "
                "followed by a domain id)\n");
        return 1;
    }
    if (!xs_set_permissions(h, XBT_NULL, w[1], perms, (unsigned int)(n - 2)))
        return fail("chmod", w[1]);
    return 0;
}

static int do_perms(char **w, int n)
{
    unsigned int num;
    struct xs_permissions *perms;

    (void)n;
    perms = xs_get_permissions(h, XBT_NULL, w[1], &num);
    if (!perms)
        return fail("perms", w[1]);
    for (unsigned int i = 0; i < num; i++) {
        char buf[MAX_STRLEN(unsigned int) + 1];

        if (xs_perm_to_string(&perms[i], buf, sizeof(buf)))
            printf("%s%s", i ? " " : "", buf);
    }
    printf("\n");
    free(perms);
    return 0;
}

static int do_watch(char **w, int n)
{
    long count = 1;
    int rc = 0;

    if (n == 3) {
        char *end;

        count = strtol(w[2], &end, 10);
        if (*end || count < 1) {
            fprintf(stderr, "watch: bad event count '%s'\n", w[2]);
            return 1;
        }
    }
    if (!xs_watch(h, w[1], "xenstore-shell"))
        return fail("watch", w[1]);
    for (long i = 0; i < count; i++) {
        unsigned int num;
        char **ev = xs_read_watch(h, &num);

        if (!ev) {
            rc = fail("watch", w[1]);
            break;
        }
        printf("%s\n", ev[XS_WATCH_PATH]);
        fflush(stdout);
        free(ev);
    }
    xs_unwatch(h, w[1], "xenstore-shell");
    return rc;
}

static int do_mkdir(char **w, int n)
{
    (void)n;
    return xs_mkdir(h, XBT_NULL, w[1]) ? 0 : fail("mkdir", w[1]);
}

static int do_help(char **w, int n)
{
    (void)w;
    (void)n;
    for (const struct shell_verb *v = shell_verbs; v->name; v++)
        printf("  %-7s %-13s %s\n", v->name, v->args, v->help);
    return 0;
}

static const struct {
    const char *name;
    int min_args, max_args;
    int (*run)(char **w, int n);
} handlers[] = {
    { "read", 1, MAX_WORDS, do_read },
    { "write", 2, 2, do_write },
    { "ls", 0, 1, NULL },
    { "list", 1, 1, do_list },
    { "rm", 1, MAX_WORDS, do_rm },
    { "exists", 1, 1, do_exists },
    { "chmod", 2, MAX_WORDS, do_chmod },
    { "perms", 1, 1, do_perms },
    { "watch", 1, 2, do_watch },
    { "mkdir", 1, 1, do_mkdir },
    { "help", 0, 0, do_help },
};

/* Runs one line; returns 0, 1 on failure, or -1 to leave the shell. */
static int run_line(char *line)
{
    char *w[MAX_WORDS];
    int n = split_words(line, w);

    if (n == -1) {
        fprintf(stderr, "unterminated quote\n");
        return 1;
    }
    if (n == -2) {
        fprintf(stderr, "too many words (at most %d)\n", MAX_WORDS);
        return 1;
    }
    if (n == 0 || w[0][0] == '#')
        return 0;
    if (strcmp(w[0], "quit") == 0 || strcmp(w[0], "exit") == 0)
        return -1;
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (strcmp(w[0], handlers[i].name) != 0)
            continue;
        if (n - 1 < handlers[i].min_args || n - 1 > handlers[i].max_args) {
            for (const struct shell_verb *v = shell_verbs; v->name; v++)
                if (strcmp(v->name, w[0]) == 0)
                    fprintf(stderr, "usage: %s %s\n", v->name, v->args);
            return 1;
        }
        if (!handlers[i].run)
            return ls_tree(n == 2 ? w[1] : "/", 0);
        return handlers[i].run(w, n);
    }
    fprintf(stderr, "unknown command '%s' (try help)\n", w[0]);
    return 1;
}

static int run_script(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    int status = 0;

    while (getline(&line, &cap, in) >= 0) {
        int rc = run_line(line);

        fflush(stdout);
        if (rc < 0)
            break;
        if (rc)
            status = 1;
    }
    free(line);
    return status;
}

static int run_interactive(void)
{
    char *line;

    shell_complete_init(h);
    using_history();
    while ((line = readline("xenstore> ")) != NULL) {
        int rc;

        if (line[0])
            add_history(line);
        rc = run_line(line);
        free(line);
        if (rc < 0)
            break;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long flags = 0;
    int c, status;

    while ((c = getopt(argc, argv, "hs")) != -1) {
        switch (c) {
        case 's':
            flags |= XS_OPEN_SOCKETONLY;
            break;
        default:
            fprintf(stderr, "Usage: %s [-h] [-s]\n", argv[0]);
            return c == 'h' ? 0 : 1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "Usage: %s [-h] [-s]\n", argv[0]);
        return 1;
    }
    h = xs_open(flags);
    if (!h) {
        fprintf(stderr, "xenstore-shell: cannot connect to xenstored: %s\n",
                strerror(errno));
        return 1;
    }
    status = isatty(STDIN_FILENO) ? run_interactive() : run_script(stdin);
    xs_close(h);
    return status;
}
