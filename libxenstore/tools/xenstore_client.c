/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option parsing and dispatch of the xenstore-* tools, with Xen 4.17's
 * options, messages and exit codes.  Every mode but ls and watch runs in
 * a transaction that is retried when the daemon answers EAGAIN.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_ops.h"

static const struct mode_info {
    const char *name;
    const char *usage;
    const char *options;   /* letters the mode accepts besides h and s */
} modes[MODE_COUNT] = {
    [MODE_READ] = { "read", "[-h] [-p] [-s] [-R] key [...]", "pR" },
    [MODE_WRITE] = { "write", "[-h] [-s] [-R] key value [...]", "R" },
    [MODE_LS] = { "ls", "[-h] [-f] [-p] [-s] [path]", "fp" },
    [MODE_LIST] = { "list", "[-h] [-p] [-s] key [...]", "p" },
    [MODE_RM] = { "rm", "[-h] [-s] [-t] key [...]", "t" },
    [MODE_EXISTS] = { "exists", "[-h] [-p] [-s] key [...]", "" },
    [MODE_CHMOD] = { "chmod", "[-h] [-u] [-r] [-s] key <mode [modes...]>",
                     "ur" },
    [MODE_WATCH] = { "watch", "[-h] [-n NR] key", "n" },
    [MODE_CONTROL] = { "control", "<command> [<arg>...]", "" },
};

/* Output buffering for transactional modes. */
static char *out_buf;
static size_t out_len, out_cap;

void out_printf(const char *fmt, ...)
{
    va_list ap;
    int need;

    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if (out_len + (size_t)need + 1 > out_cap) {
        size_t cap = (out_len + (size_t)need + 1) * 2;
        char *grown = realloc(out_buf, cap);

        if (!grown)
            errx(1, "out of memory");
        out_buf = grown;
        out_cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(out_buf + out_len, out_cap - out_len, fmt, ap);
    va_end(ap);
    out_len += (size_t)need;
}

void out_reset(void) { out_len = 0; }

void out_flush(void)
{
    if (out_len)
        fwrite(out_buf, 1, out_len, stdout);
    out_len = 0;
}

/* Names the program as it was invoked, as Xen's tools do. */
static const char *invoked_as;

static void __attribute__((noreturn))
usage(enum client_mode mode, bool multi_call)
{
    if (multi_call)
        errx(1, "Usage: %s %s %s", invoked_as, modes[mode].name,
             modes[mode].usage);
    errx(1, "Usage: %s %s", invoked_as, modes[mode].usage);
}

static int parse_mode(const char *name)
{
    for (int m = 0; m < MODE_COUNT; m++)
        if (strcmp(name, modes[m].name) == 0)
            return m;
    return -1;
}

static int perform(enum client_mode mode, struct xs_handle *h,
                   xs_transaction_t t, const struct client_options *o,
                   char **args, int n)
{
    switch (mode) {
    case MODE_READ: return client_read(h, t, o, args, n);
    case MODE_WRITE: return client_write(h, t, o, args, n);
    case MODE_RM: return client_rm(h, t, o, args, n);
    case MODE_EXISTS: return client_exists(h, t, o, args, n);
    case MODE_LIST: return client_list(h, t, o, args, n);
    case MODE_CHMOD: return client_chmod(h, t, o, args, n);
    case MODE_WATCH: return client_watch(h, o, args, n);
    case MODE_LS: return client_ls(h, o, args, n);
    default: return 1;
    }
}

static void parse_options(enum client_mode mode, bool multi_call, int argc,
                          char **argv, struct client_options *o)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "flat", no_argument, NULL, 'f' },
        { "socket", no_argument, NULL, 's' },
        { "prefix", no_argument, NULL, 'p' },
        { "tidy", no_argument, NULL, 't' },
        { "upto", no_argument, NULL, 'u' },
        { "recurse", no_argument, NULL, 'r' },
        { "number", required_argument, NULL, 'n' },
        { "raw", no_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 },
    };
    const char *letters = "hfspturn:R";
    int c;

    while ((c = getopt_long(argc, argv, letters, long_options, NULL)) != -1) {
        char *end;

        if (c == '?')
            continue;   /* getopt said what was wrong; Xen carries on */
        if (c == 'h')
            usage(mode, multi_call);
        if (c == 's') {
            o->socket_only = true;
            continue;
        }
        if (!strchr(modes[mode].options, c))
            usage(mode, multi_call);
        switch (c) {
        case 'f': o->full_path = true; break;
        case 'p': o->prefix = true; break;
        case 't': o->tidy = true; break;
        case 'u': o->upwards = true; break;
        case 'r': o->recurse = true; break;
        case 'R': o->raw = true; break;
        case 'n':
            errno = 0;
            o->watch_count = (int)strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || o->watch_count < 0)
                errx(1, "invalid watch count '%s'", optarg);
            break;
        }
    }
}

static bool operands_valid(enum client_mode mode, int n)
{
    switch (mode) {
    case MODE_LS: return true;   /* none means "/" */
    case MODE_WRITE: return n >= 2 && n % 2 == 0;
    case MODE_CHMOD: return n >= 2;
    case MODE_WATCH: return n == 1;
    default: return n >= 1;
    }
}

int xenstore_client_main(const char *mode_name, int argc, char **argv)
{
    struct client_options o = { .watch_count = -1 };
    bool multi_call = mode_name == NULL;
    struct xs_handle *h;
    int mode, ret, n;
    bool transaction;

    invoked_as = argv[0];
    if (multi_call) {
        if (argc < 2)
            errx(1, "Usage: xenstore <mode> [-h] [...]");
        mode_name = argv[1];
        argc--;
        argv++;
    }
    mode = parse_mode(mode_name);
    if (mode < 0)
        errx(1, "unknown mode %s\n", mode_name);
    if (mode == MODE_CONTROL)
        return client_control_main(argc, argv);
    parse_options(mode, multi_call, argc, argv, &o);
    n = argc - optind;
    if (!operands_valid(mode, n))
        usage(mode, multi_call);

    h = xs_open(o.socket_only ? XS_OPEN_SOCKETONLY : 0);
    if (!h)
        err(1, "xs_open");

    transaction = mode != MODE_LS && mode != MODE_WATCH;
    for (;;) {
        xs_transaction_t t = XBT_NULL;

        if (transaction) {
            t = xs_transaction_start(h);
            if (t == XBT_NULL)
                errx(1, "couldn't start transaction");
        }
        ret = perform(mode, h, t, &o, argv + optind, n);
        if (!transaction || xs_transaction_end(h, t, ret != 0))
            break;
        if (ret != 0 || errno != EAGAIN)
            errx(1, "couldn't end transaction");
        out_reset();
    }
    out_flush();
    xs_close(h);
    free(out_buf);
    return ret;
}
