/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tab completion for xenstore-shell: the first word completes to a verb,
 * later words to store paths, asking the daemon for the directory of the
 * path typed so far.  Nodes with children complete with a trailing '/'
 * so that the next Tab descends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "shell.h"

static struct xs_handle *store;

static char *verb_generator(const char *text, int state)
{
    static size_t next, len;

    if (state == 0) {
        next = 0;
        len = strlen(text);
    }
    while (shell_verbs[next].name) {
        const char *name = shell_verbs[next++].name;

        if (strncmp(name, text, len) == 0)
            return strdup(name);
    }
    return NULL;
}

static bool has_children(const char *path)
{
    unsigned int num = 0;
    char **names = xs_directory(store, XBT_NULL, path, &num);

    free(names);
    return names && num > 0;
}

/* Completions of text are computed in one go at state 0 and handed out
 * one per call, as readline's generator protocol wants. */
static char **path_matches;
static size_t path_count, path_next;

static void collect_paths(const char *text)
{
    const char *slash = strrchr(text, '/');
    size_t dir_len = slash ? (size_t)(slash - text) : 0;
    char *dir = strndup(text, dir_len);
    const char *partial = slash ? slash + 1 : text;
    unsigned int num = 0;
    char **names;

    if (!dir)
        return;
    names = xs_directory(store, XBT_NULL, dir_len ? dir : "/", &num);
    path_matches = calloc(num + 1, sizeof(char *));
    for (unsigned int i = 0; names && path_matches && i < num; i++) {
        char *full;

        if (strncmp(names[i], partial, strlen(partial)) != 0)
            continue;
        if (asprintf(&full, "%s%s%s", dir, slash ? "/" : "", names[i]) < 0)
            continue;
        if (has_children(full[0] ? full : "/")) {
            char *with_slash;

            if (asprintf(&with_slash, "%s/", full) >= 0) {
                free(full);
                full = with_slash;
            }
        }
        path_matches[path_count++] = full;
    }
    free(names);
    free(dir);
}

static char *path_generator(const char *text, int state)
{
    if (state == 0) {
        for (size_t i = 0; i < path_count; i++)
            free(path_matches[i]);
        free(path_matches);
        path_matches = NULL;
        path_count = path_next = 0;
        collect_paths(text);
    }
    if (path_next < path_count) {
        char *match = path_matches[path_next];

        path_matches[path_next++] = NULL;
        return match;
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;   /* never fall back to file names */
    /* Only whitespace before the word: it is the verb. */
    for (int i = 0; i < start; i++) {
        if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t') {
            char **matches;

            rl_completion_append_character = '\0';
            matches = rl_completion_matches(text, path_generator);
            /* A leaf is complete: let the user go on with a space. */
            if (matches && !matches[1] &&
                matches[0][strlen(matches[0]) - 1] != '/')
                rl_completion_append_character = ' ';
            return matches;
        }
    }
    rl_completion_append_character = ' ';
    return rl_completion_matches(text, verb_generator);
}

void shell_complete_init(struct xs_handle *h)
{
    store = h;
    rl_readline_name = "xenstore-shell";
    rl_attempted_completion_function = complete;
    /* Paths contain no word breaks other than blanks. */
    rl_basic_word_break_characters = " \t";
}
