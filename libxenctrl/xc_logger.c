/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xentoollog: the logger interface every handle logs through, and the
 * stdio logger used when an application brings none.  A line reads
 * "context: level: message[: strerror(errno)]", as Xen's tools print.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xentoollog.h"
#include "xc_private.h"

struct xentoollog_logger_stdiostream {
    xentoollog_logger vtable;           /* first: the logger is cast back */
    FILE *f;
    xentoollog_level min_level;
    unsigned flags;
    int progress_shown;                 /* a progress line is unfinished */
};

static const char *const level_names[XTL_NUM_LEVELS] = {
    [XTL_NONE] = "none", [XTL_DEBUG] = "debug", [XTL_VERBOSE] = "verbose",
    [XTL_DETAIL] = "detail", [XTL_PROGRESS] = "progress", [XTL_INFO] = "info",
    [XTL_NOTICE] = "notice", [XTL_WARN] = "warning", [XTL_ERROR] = "error",
    [XTL_CRITICAL] = "critical",
};

const char *xtl_level_to_string(xentoollog_level level)
{
    if ((unsigned)level >= XTL_NUM_LEVELS)
        return "unknown";
    return level_names[level];
}

static void stdio_end_progress(xentoollog_logger_stdiostream *lg)
{
    if (lg->progress_shown) {
        fputc('\n', lg->f);
        lg->progress_shown = 0;
    }
}

static void stdio_vmessage(xentoollog_logger *logger, xentoollog_level level,
                           int errnoval, const char *context,
                           const char *format, va_list al)
{
    xentoollog_logger_stdiostream *lg = (xentoollog_logger_stdiostream *)logger;

    if (level < lg->min_level)
        return;
    stdio_end_progress(lg);
    if (lg->flags & XTL_STDIOSTREAM_SHOW_DATE) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z",
                 localtime_r(&now, &tm));
        fprintf(lg->f, "%s ", when);
    }
    if (lg->flags & XTL_STDIOSTREAM_SHOW_PID)
        fprintf(lg->f, "[%ld] ", (long)getpid());
    if (context)
        fprintf(lg->f, "%s: ", context);
    fprintf(lg->f, "%s: ", xtl_level_to_string(level));
    vfprintf(lg->f, format, al);
    if (errnoval >= 0)
        fprintf(lg->f, ": %s", strerror(errnoval));
    fputc('\n', lg->f);
    fflush(lg->f);
}

static void stdio_progress(xentoollog_logger *logger, const char *context,
                           const char *doing_what, int percent,
                           unsigned long done, unsigned long total)
{
    xentoollog_logger_stdiostream *lg = (xentoollog_logger_stdiostream *)logger;

    (void)done;
    (void)total;
    if (lg->flags & XTL_STDIOSTREAM_HIDE_PROGRESS || XTL_PROGRESS < lg->min_level)
        return;
    int use_cr = (lg->flags & XTL_STDIOSTREAM_PROGRESS_USE_CR) ||
                 (!(lg->flags & XTL_STDIOSTREAM_PROGRESS_NO_CR) && isatty(fileno(lg->f)));
    if (use_cr) {
        fprintf(lg->f, "\r%s%s%s: %d%%", context ? context : "", context ? ": " : "",
                doing_what, percent);
        lg->progress_shown = percent < 100;
        if (percent >= 100)
            fputc('\n', lg->f);
    } else {
        fprintf(lg->f, "%s%s%s: %d%%\n", context ? context : "", context ? ": " : "",
                doing_what, percent);
    }
    fflush(lg->f);
}

static void stdio_destroy(xentoollog_logger *logger)
{
    xentoollog_logger_stdiostream *lg = (xentoollog_logger_stdiostream *)logger;
    stdio_end_progress(lg);
    free(lg);
}

xentoollog_logger_stdiostream *xtl_createlogger_stdiostream(FILE *f,
        xentoollog_level min_level, unsigned flags)
{
    xentoollog_logger_stdiostream *lg = calloc(1, sizeof(*lg));
    if (!lg) {
        fprintf(f, "xtl: failed to allocate a logger: %s\n", strerror(errno));
        return NULL;
    }
    lg->vtable.vmessage = stdio_vmessage;
    lg->vtable.progress = stdio_progress;
    lg->vtable.destroy = stdio_destroy;
    lg->f = f;
    lg->min_level = min_level;
    lg->flags = flags;
    return lg;
}

void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg,
                                  xentoollog_level min_level)
{
    lg->min_level = min_level;
}

void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg,
                                  unsigned set_flags, unsigned clear_flags)
{
    lg->flags = (lg->flags & ~clear_flags) | set_flags;
}

void xtl_logger_destroy(struct xentoollog_logger *logger)
{
    if (logger && logger->destroy)
        logger->destroy(logger);
}

void xtl_logv(struct xentoollog_logger *logger, xentoollog_level level,
              int errnoval, const char *context, const char *format, va_list al)
{
    int saved = errno;
    logger->vmessage(logger, level, errnoval, context, format, al);
    errno = saved;
}

void xtl_log(struct xentoollog_logger *logger, xentoollog_level level,
             int errnoval, const char *context, const char *format, ...)
{
    va_list al;
    va_start(al, format);
    xtl_logv(logger, level, errnoval, context, format, al);
    va_end(al);
}

void xtl_progress(struct xentoollog_logger *logger, const char *context,
                  const char *doing_what, unsigned long done, unsigned long total)
{
    int percent = total ? (int)((done * 100.0) / total) : 0;
    if (!logger->progress)
        return;
    int saved = errno;
    logger->progress(logger, context, doing_what, percent, done, total);
    errno = saved;
}

/* ---- shared by every handle of the library ---- */

xentoollog_logger *xc__default_logger(void)
{
    xentoollog_logger_stdiostream *lg =
        xtl_createlogger_stdiostream(stderr, XTL_PROGRESS, 0);
    return lg ? &lg->vtable : NULL;
}

void xc__vlog(xentoollog_logger *lg, const char *context, xentoollog_level level,
              int errnoval, const char *fmt, va_list ap)
{
    int saved = errno;
    if (lg) {
        lg->vmessage(lg, level, errnoval, context, fmt, ap);
    } else if (level >= XTL_PROGRESS) {
        /* No logger could be made (out of memory): stderr, same format. */
        fprintf(stderr, "%s: %s: ", context, xtl_level_to_string(level));
        vfprintf(stderr, fmt, ap);
        if (errnoval >= 0)
            fprintf(stderr, ": %s", strerror(errnoval));
        fputc('\n', stderr);
    }
    errno = saved;
}

void xc__log_to(xentoollog_logger *lg, const char *context,
                xentoollog_level level, int errnoval, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xc__vlog(lg, context, level, errnoval, fmt, ap);
    va_end(ap);
}
