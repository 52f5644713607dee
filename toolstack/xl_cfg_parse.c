/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl.cfg syntax of Xen 4.17's libxlu, read by hand: `key = value` or
 * `key += value`, ended by a newline or ';'; a value is a bare number, a
 * '...' or "..." string, or a [list] of values that may span lines and
 * end with a comma; '#' starts a comment.  Keys are lower case, as Xen's
 * lexer takes them.  Where Xen 4.17 is broken we refuse instead of
 * guessing: its numeric escapes ("\x41" always fails, "\101" is dropped
 * from the string) are an error here, with the reason.  Two things Xen
 * refuses are taken: a comment on the last line with no newline after
 * it, and a CR before a newline (files written on Windows).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xl_cfg.h"

/* Nested lists are in the grammar (Xen has them); a limit keeps a
 * hostile file from running the recursion out of stack. */
#define MAX_DEPTH 16

enum tok {
    T_EOF, T_NEWLINE, T_IDENT, T_NUMBER, T_STRING, T_ASSIGN, T_ADD,
    T_COMMA, T_OPEN, T_CLOSE, T_SEMI, T_BAD,
};

struct parser {
    const char *source;
    const char *text, *end;
    const char *p;
    int line;
    const char *line_start;
    /* the current token */
    enum tok tok;
    const char *tok_start, *tok_end;
    int tok_line, tok_col;
    char *tok_string;           /* T_STRING: unquoted; T_IDENT/T_NUMBER */
    const char *key;            /* the statement's key, for messages */
    char *err;
    /* the settings read so far, moved into the cfg only at the end */
    struct xl_cfg_setting *first, *last;
    const struct xl_cfg *cfg;
};

char *xl_cfg_vprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    return s;
}

char *xl_cfg_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xl_cfg_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static void value_free(struct xl_cfg_value *v)
{
    if (!v)
        return;
    free(v->string);
    for (int i = 0; i < v->n; i++)
        value_free(v->items[i]);
    free(v->items);
    free(v);
}

static void settings_free(struct xl_cfg_setting *s)
{
    while (s) {
        struct xl_cfg_setting *next = s->next;
        free(s->key);
        value_free(s->value);
        free(s);
        s = next;
    }
}

void xl_cfg_init(struct xl_cfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
}

void xl_cfg_dispose(struct xl_cfg *cfg)
{
    settings_free(cfg->first);
    for (int i = 0; i < cfg->nr_sources; i++)
        free(cfg->sources[i]);
    free(cfg->sources);
    xl_cfg_init(cfg);
}

static const struct xl_cfg_setting *find_in(const struct xl_cfg_setting *s,
                                            const char *key,
                                            const struct xl_cfg_setting *found)
{
    for (; s; s = s->next)
        if (!strcmp(s->key, key))
            found = s;
    return found;
}

const struct xl_cfg_setting *xl_cfg_find(const struct xl_cfg *cfg,
                                         const char *key)
{
    return find_in(cfg->first, key, NULL);
}

/* ---- messages ---- */

/* The first error wins: later ones are its consequences. */
static void fail(struct parser *ps, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(struct parser *ps, int line, int col, const char *fmt, ...)
{
    if (ps->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xl_cfg_vprintf(fmt, ap);
    va_end(ap);
    ps->err = xl_cfg_printf("%s:%d:%d: %s%s%s", ps->source, line, col,
                            ps->key ? ps->key : "", ps->key ? ": " : "", msg);
    free(msg);
}

/* What the current token is, for "found ...": Xen's lexer shows the
 * text up to the next blank, and so do we (at most 40 bytes). */
static char *found(const struct parser *ps)
{
    switch (ps->tok) {
    case T_EOF:
        return strdup("the end of the file");
    case T_NEWLINE:
        return strdup("the end of the line");
    default:
        break;
    }
    const char *e = ps->tok_start;
    if (ps->tok == T_BAD || ps->tok == T_IDENT || ps->tok == T_NUMBER)
        while (e < ps->end && *e != ' ' && *e != '\t' && *e != '\n' &&
               *e != '\r')
            e++;
    else
        e = ps->tok_end;
    int n = (int)(e - ps->tok_start);
    bool cut = n > 40;
    const char *python = "";
    if (ps->tok == T_BAD && strchr("+-.():", *ps->tok_start))
        python = " (xl.cfg is not Python: see xl.cfg(5))";
    return xl_cfg_printf("'%.*s%s'%s", cut ? 40 : n, ps->tok_start,
                         cut ? "..." : "", python);
}

static void fail_expected(struct parser *ps, const char *what)
{
    char *f = found(ps);
    fail(ps, ps->tok_line, ps->tok_col, "expected %s, found %s", what, f);
    free(f);
}

/* ---- the lexer ---- */

static bool is_ident_start(char c) { return c >= 'a' && c <= 'z'; }
static bool is_ident(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.' ||
           c == '_';
}
static bool is_number(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x';
}

/* The string between quotes at ps->p, unescaped; NULL on error. */
static char *lex_string(struct parser *ps)
{
    char quote = *ps->p++;
    char *out = malloc((size_t)(ps->end - ps->p) + 1);
    if (!out)
        abort();
    size_t n = 0;
    for (;;) {
        if (ps->p >= ps->end || *ps->p == '\n' ||
            (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')) {
            fail(ps, ps->tok_line, ps->tok_col,
                 "the string is not closed by %c before the end of the %s",
                 quote, ps->p >= ps->end ? "file" : "line");
            break;
        }
        char c = *ps->p++;
        if (c == quote) {
            out[n] = '\0';
            return out;
        }
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        int col = (int)(ps->p - ps->line_start);
        char e = ps->p < ps->end ? *ps->p : '\0';
        static const char plain[] = "\"'\\abfnrtv";
        static const char value[] = "\"'\\\a\b\f\n\r\t\v";
        const char *k = e ? strchr(plain, e) : NULL;
        if (k) {
            out[n++] = value[k - plain];
            ps->p++;
        } else if (e == 'x' || (e >= '0' && e <= '9')) {
            fail(ps, ps->line, col, "numeric escape '\\%c...' in a string: "
                 "not supported (Xen 4.17's xl refuses \\x and drops \\NNN)",
                 e);
            break;
        } else if (e == '\n' || e == '\0') {
            fail(ps, ps->line, col, "a string cannot go on past the end of "
                 "the line with '\\'; use a [list] across lines, or one "
                 "long line");
            break;
        } else {
            fail(ps, ps->line, col, "unknown escape '\\%c' in a string "
                 "(known: \\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v)", e);
            break;
        }
    }
    free(out);
    return NULL;
}

static void lex(struct parser *ps)
{
    free(ps->tok_string);
    ps->tok_string = NULL;
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
    if (ps->p < ps->end && *ps->p == '#')
        while (ps->p < ps->end && *ps->p != '\n')
            ps->p++;
    if (ps->p + 1 < ps->end && ps->p[0] == '\r' && ps->p[1] == '\n')
        ps->p++;
    ps->tok_start = ps->p;
    ps->tok_line = ps->line;
    ps->tok_col = (int)(ps->p - ps->line_start) + 1;
    if (ps->p >= ps->end) {
        ps->tok = T_EOF;
        ps->tok_end = ps->p;
        return;
    }
    char c = *ps->p;
    if (c == '\n') {
        ps->p++;
        ps->line++;
        ps->line_start = ps->p;
        ps->tok = T_NEWLINE;
    } else if (is_ident_start(c)) {
        while (ps->p < ps->end && is_ident(*ps->p))
            ps->p++;
        ps->tok = T_IDENT;
    } else if (c >= '0' && c <= '9') {
        while (ps->p < ps->end && is_number(*ps->p))
            ps->p++;
        ps->tok = T_NUMBER;
    } else if (c == '\'' || c == '"') {
        ps->tok_string = lex_string(ps);
        ps->tok = ps->tok_string ? T_STRING : T_BAD;
    } else if (c == '+' && ps->p + 1 < ps->end && ps->p[1] == '=') {
        ps->p += 2;
        ps->tok = T_ADD;
    } else {
        static const char single[] = "=,[];";
        static const enum tok kinds[] = { T_ASSIGN, T_COMMA, T_OPEN, T_CLOSE,
                                          T_SEMI };
        const char *k = strchr(single, c);
        ps->tok = k ? kinds[k - single] : T_BAD;
        if (k)
            ps->p++;
    }
    ps->tok_end = ps->p;
    if (ps->tok == T_IDENT || ps->tok == T_NUMBER)
        ps->tok_string = strndup(ps->tok_start,
                                 (size_t)(ps->tok_end - ps->tok_start));
}

/* ---- the grammar ---- */

static void skip_newlines(struct parser *ps)
{
    while (ps->tok == T_NEWLINE)
        lex(ps);
}

static struct xl_cfg_value *new_value(const struct parser *ps,
                                      enum xl_cfg_type type)
{
    struct xl_cfg_value *v = calloc(1, sizeof(*v));
    if (!v)
        abort();
    v->type = type;
    v->line = ps->tok_line;
    v->column = ps->tok_col;
    return v;
}

static void list_append(struct xl_cfg_value *list, struct xl_cfg_value *v)
{
    struct xl_cfg_value **items = realloc(list->items,
                                          sizeof(*items) * (size_t)(list->n + 1));
    if (!items)
        abort();
    list->items = items;
    list->items[list->n++] = v;
}

static struct xl_cfg_value *parse_value(struct parser *ps, int depth)
{
    if (ps->tok == T_NUMBER || ps->tok == T_STRING) {
        struct xl_cfg_value *v = new_value(ps, XL_CFG_STRING);
        v->quoted = ps->tok == T_STRING;
        v->string = ps->tok_string;
        ps->tok_string = NULL;
        lex(ps);
        return v;
    }
    if (ps->tok != T_OPEN) {
        if (ps->tok != T_BAD || !ps->err)
            fail_expected(ps, "a value (a number, a 'string' or a [list])");
        return NULL;
    }
    if (depth >= MAX_DEPTH) {
        fail(ps, ps->tok_line, ps->tok_col, "lists nested more than %d deep",
             MAX_DEPTH);
        return NULL;
    }
    struct xl_cfg_value *list = new_value(ps, XL_CFG_LIST);
    int open_line = ps->tok_line;
    lex(ps);
    skip_newlines(ps);
    while (ps->tok != T_CLOSE) {
        if (ps->tok == T_EOF) {
            fail(ps, ps->tok_line, ps->tok_col, "the list opened at line %d "
                 "is not closed by ']' before the end of the file",
                 open_line);
            goto bad;
        }
        struct xl_cfg_value *item = parse_value(ps, depth + 1);
        if (!item)
            goto bad;
        list_append(list, item);
        skip_newlines(ps);
        if (ps->tok == T_COMMA) {
            lex(ps);
            skip_newlines(ps);
        } else if (ps->tok != T_CLOSE && ps->tok != T_EOF) {
            fail_expected(ps, "',' or ']' in the list");
            goto bad;
        }
    }
    lex(ps);
    return list;
bad:
    value_free(list);
    return NULL;
}

static struct xl_cfg_value *value_copy(const struct xl_cfg_value *v)
{
    struct xl_cfg_value *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    *c = *v;
    c->items = NULL;
    c->n = 0;
    if (v->string && !(c->string = strdup(v->string)))
        abort();
    for (int i = 0; i < v->n; i++)
        list_append(c, value_copy(v->items[i]));
    return c;
}

/* key += value: the earlier value with this one after it, as Xen joins
 * them (strings end to end, lists item after item). */
static struct xl_cfg_value *join(struct parser *ps,
                                 const struct xl_cfg_setting *prev,
                                 struct xl_cfg_value *v, int line, int col)
{
    if (prev->value->type != v->type) {
        fail(ps, line, col, "cannot add a %s to the %s set at %s:%d",
             v->type == XL_CFG_LIST ? "[list]" : "string",
             prev->value->type == XL_CFG_LIST ? "[list]" : "string",
             prev->source, prev->line);
        value_free(v);
        return NULL;
    }
    struct xl_cfg_value *j = value_copy(prev->value);
    j->line = v->line;
    j->column = v->column;
    if (v->type == XL_CFG_STRING) {
        char *s = xl_cfg_printf("%s%s", j->string, v->string);
        free(j->string);
        j->string = s;
        j->quoted = j->quoted || v->quoted;
    } else {
        for (int i = 0; i < v->n; i++)
            list_append(j, v->items[i]);
        v->n = 0;
    }
    value_free(v);
    return j;
}

static void parse_statement(struct parser *ps)
{
    ps->key = NULL;
    if (ps->tok != T_IDENT) {
        if (ps->tok != T_BAD || !ps->err)
            fail_expected(ps, "a key (lower-case letters, digits, '_', '.')");
        return;
    }
    char *key = ps->tok_string;
    ps->tok_string = NULL;
    ps->key = key;
    int line = ps->tok_line;
    lex(ps);
    bool added = ps->tok == T_ADD;
    if (ps->tok != T_ASSIGN && !added) {
        fail_expected(ps, "'=' or '+='");
        goto out;
    }
    lex(ps);
    int vline = ps->tok_line, vcol = ps->tok_col;
    struct xl_cfg_value *v = parse_value(ps, 0);
    if (!v)
        goto out;
    if (ps->tok != T_NEWLINE && ps->tok != T_SEMI && ps->tok != T_EOF) {
        fail_expected(ps, "the end of the line or ';' after the value");
        value_free(v);
        goto out;
    }
    if (added) {
        const struct xl_cfg_setting *prev =
            find_in(ps->first, key, xl_cfg_find(ps->cfg, key));
        if (prev && !(v = join(ps, prev, v, vline, vcol)))
            goto out;
    }
    struct xl_cfg_setting *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->key = key;
    s->value = v;
    s->source = ps->source;
    s->line = line;
    s->added = added;
    if (ps->last)
        ps->last->next = s;
    else
        ps->first = s;
    ps->last = s;
    ps->key = NULL;
    return;
out:
    ps->key = NULL;
    free(key);
}

int xl_cfg_parse_text(struct xl_cfg *cfg, const char *source,
                      const char *text, size_t len, char **err)
{
    struct parser ps = {
        .text = text, .end = text + len, .p = text, .line = 1,
        .line_start = text, .cfg = cfg,
    };
    char *src = strdup(source);
    if (!src)
        abort();
    ps.source = src;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        ps.p = nul;
        for (const char *q = text; q < nul; q++)
            if (*q == '\n') {
                ps.line++;
                ps.line_start = q + 1;
            }
        fail(&ps, ps.line, (int)(nul - ps.line_start) + 1,
             "a NUL byte: this is not a text file");
    }
    if (!ps.err)
        lex(&ps);
    while (!ps.err && ps.tok != T_EOF) {
        if (ps.tok == T_NEWLINE || ps.tok == T_SEMI) {
            lex(&ps);
            continue;
        }
        parse_statement(&ps);
        if (!ps.err && ps.tok != T_EOF)
            lex(&ps);
    }
    free(ps.tok_string);
    if (ps.err) {
        settings_free(ps.first);
        free(src);
        *err = ps.err;
        return -1;
    }
    char **sources = realloc(cfg->sources,
                             sizeof(*sources) * (size_t)(cfg->nr_sources + 1));
    if (!sources)
        abort();
    cfg->sources = sources;
    cfg->sources[cfg->nr_sources++] = src;
    if (ps.first) {
        if (cfg->last)
            cfg->last->next = ps.first;
        else
            cfg->first = ps.first;
        cfg->last = ps.last;
    }
    return 0;
}
