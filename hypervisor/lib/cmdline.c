/*
 * Boot command-line parsing (see cmdline.h).
 *
 * As in Xen, '-' and '_' are the same character in option names, so
 * `dom0_mem` and `dom0-mem` name one option.  A CMDLINE_CUSTOM parser is
 * given "" when the option has no `=value`, never NULL.
 */
#include "lib/cmdline.h"

/* Longest name and value handled; longer ones are reported, not cut. */
#define NAME_MAX_LEN  63
#define VALUE_MAX_LEN 255

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static size_t str_len(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int digit_value(char c, unsigned int base)
{
    int d;

    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
    else
        return -1;
    return (unsigned int)d < base ? d : -1;
}

enum number_error { NUMBER_OK, NUMBER_JUNK, NUMBER_OVERFLOW };

/* Parse the number at the start of s; *end is where it stopped. */
static enum number_error parse_number(const char *s, uint64_t *out,
                                      const char **end)
{
    unsigned int base = 10;
    uint64_t v = 0;
    const char *p = s;
    int d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (digit_value(*p, base) < 0)
        return NUMBER_JUNK;
    while ((d = digit_value(*p, base)) >= 0) {
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return NUMBER_OVERFLOW;
        v = v * base + (uint64_t)d;
        p++;
    }
    *out = v;
    *end = p;
    return NUMBER_OK;
}

int parse_uint(const char *s, uint64_t *out)
{
    const char *end;
    uint64_t v;

    if (parse_number(s, &v, &end) != NUMBER_OK || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static enum number_error parse_size_checked(const char *s, uint64_t *out)
{
    const char *end;
    unsigned int shift;
    uint64_t v;
    enum number_error err = parse_number(s, &v, &end);

    if (err != NUMBER_OK)
        return err;
    switch (*end) {
    case '\0':           shift = 10; break;   /* Xen's default unit: KiB */
    case 'b': case 'B':  shift = 0;  break;
    case 'k': case 'K':  shift = 10; break;
    case 'm': case 'M':  shift = 20; break;
    case 'g': case 'G':  shift = 30; break;
    case 't': case 'T':  shift = 40; break;
    default:             return NUMBER_JUNK;
    }
    if (*end != '\0' && end[1] != '\0')
        return NUMBER_JUNK;
    if (shift && v > (UINT64_MAX >> shift))
        return NUMBER_OVERFLOW;
    *out = v << shift;
    return NUMBER_OK;
}

int parse_size(const char *s, uint64_t *out)
{
    return parse_size_checked(s, out) == NUMBER_OK ? 0 : -1;
}

static const char *bool_value(const char *s, bool *out)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (str_eq(s, yes[i])) {
            *out = true;
            return NULL;
        }
        if (str_eq(s, no[i])) {
            *out = false;
            return NULL;
        }
    }
    return "not a boolean (use 1/0, yes/no, on/off, true/false)";
}

static bool same_char(char a, char b)
{
    if (a == '_')
        a = '-';
    if (b == '_')
        b = '-';
    return a == b;
}

/* Does the NUL-terminated table name equal name[0..len)? */
static bool name_is(const char *table_name, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (table_name[i] == '\0' || !same_char(table_name[i], name[i]))
            return false;
    return table_name[i] == '\0';
}

static const struct cmdline_option *find_option(const struct cmdline_option *table,
                                                size_t n, const char *name,
                                                size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (name_is(table[i].name, name, len))
            return &table[i];
    return NULL;
}

static const char *number_message(enum number_error err)
{
    return err == NUMBER_OVERFLOW ? "number too large"
                                  : "not a number (decimal or 0x hex)";
}

/* Store one value; returns NULL or what was wrong with it.  value is NULL
 * when the token had no '='. */
static const char *apply(const struct cmdline_option *opt, const char *value)
{
    uint64_t num;
    enum number_error err;
    const char *end;

    switch (opt->kind) {
    case CMDLINE_BOOL: {
        bool b = true;
        const char *msg = value ? bool_value(value, &b) : NULL;
        if (!msg)
            *(bool *)opt->var = b;
        return msg;
    }
    case CMDLINE_UINT:
        if (!value || !*value)
            return "needs a value";
        err = parse_number(value, &num, &end);
        if (err == NUMBER_OK && *end != '\0')
            err = NUMBER_JUNK;
        if (err != NUMBER_OK)
            return number_message(err);
        *(uint64_t *)opt->var = num;
        return NULL;
    case CMDLINE_SIZE:
        if (!value || !*value)
            return "needs a value";
        err = parse_size_checked(value, &num);
        if (err == NUMBER_JUNK)
            return "not a size (a number with an optional B, K, M, G or T suffix)";
        if (err == NUMBER_OVERFLOW)
            return "size too large";
        *(uint64_t *)opt->var = num;
        return NULL;
    case CMDLINE_STRING: {
        size_t len = value ? str_len(value) : 0;
        if (!value)
            return "needs a value";
        if (opt->len == 0 || len >= opt->len)
            return "value too long";
        __builtin_memcpy(opt->var, value, len + 1);
        return NULL;
    }
    case CMDLINE_CUSTOM:
        if (!opt->parse)
            return "option has no parser";
        return opt->parse(value ? value : "", opt->var) == 0 ? NULL
                                                           : "invalid value";
    }
    return "option has an unknown kind";
}

/* Copy s[0..len) into a NUL-terminated buffer of cap bytes. */
static bool copy_bounded(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap)
        return false;
    __builtin_memcpy(dst, s, len);
    dst[len] = '\0';
    return true;
}

/* Handle one token; returns the number of problems it had (0 or 1). */
static int parse_token(const char *tok, size_t len,
                       const struct cmdline_option *table, size_t n,
                       cmdline_report_fn report, void *ctx)
{
    char name[NAME_MAX_LEN + 1];
    char value[VALUE_MAX_LEN + 1];
    size_t name_len = 0;

    while (name_len < len && tok[name_len] != '=')
        name_len++;
    bool has_value = name_len < len;

    if (!copy_bounded(name, sizeof(name), tok, name_len)) {
        copy_bounded(name, sizeof(name), tok, NAME_MAX_LEN);
        if (report)
            report(ctx, name, "option name too long");
        return 1;
    }
    if (has_value && !copy_bounded(value, sizeof(value), tok + name_len + 1,
                                   len - name_len - 1)) {
        if (report)
            report(ctx, name, "value too long");
        return 1;
    }

    const struct cmdline_option *opt = find_option(table, n, tok, name_len);
    const char *msg;
    if (opt) {
        msg = apply(opt, has_value ? value : NULL);
    } else if (name_len > 3 && name_is("no-", tok, 3) &&
               (opt = find_option(table, n, tok + 3, name_len - 3)) != NULL &&
               opt->kind == CMDLINE_BOOL) {
        msg = has_value ? "no- form of a boolean takes no value" : NULL;
        if (!msg)
            *(bool *)opt->var = false;
    } else {
        msg = "unknown option";
    }
    if (msg) {
        if (report)
            report(ctx, name, msg);
        return 1;
    }
    return 0;
}

int cmdline_parse(const char *cmdline, const struct cmdline_option *table,
                  size_t n, cmdline_report_fn report, void *ctx)
{
    int problems = 0;
    const char *p = cmdline;

    if (!cmdline)
        return 0;
    for (;;) {
        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        const char *tok = p;
        while (*p != '\0' && !is_space(*p))
            p++;
        problems += parse_token(tok, (size_t)(p - tok), table, n, report, ctx);
    }
    return problems;
}
