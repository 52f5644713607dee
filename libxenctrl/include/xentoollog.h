/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The logger interface of Xen's libxentoollog, which every Xen tool
 * library takes at open: a struct of three callbacks that an application
 * may supply, plus the stdio logger used when it does not.  Subfloor
 * ships it inside libxenctrl; names, levels and semantics are Xen's.
 */
#ifndef XENTOOLLOG_H
#define XENTOOLLOG_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xentoollog_level {
    XTL_NONE,           /* never logged at; a sentinel */
    XTL_DEBUG,
    XTL_VERBOSE,
    XTL_DETAIL,
    XTL_PROGRESS,
    XTL_INFO,
    XTL_NOTICE,
    XTL_WARN,
    XTL_ERROR,
    XTL_CRITICAL,
    XTL_NUM_LEVELS
} xentoollog_level;

typedef struct xentoollog_logger xentoollog_logger;
struct xentoollog_logger {
    /* One message: no level, context or newline in `format`; errnoval
     * is an errno to append, or -1. */
    void (*vmessage)(struct xentoollog_logger *logger, xentoollog_level level,
                     int errnoval, const char *context, const char *format,
                     va_list al) __attribute__((format(printf, 5, 0)));
    /* Progress of a long operation; may be NULL. */
    void (*progress)(struct xentoollog_logger *logger, const char *context,
                     const char *doing_what, int percent,
                     unsigned long done, unsigned long total);
    void (*destroy)(struct xentoollog_logger *logger);
};

/* Flags of the stdio logger. */
#define XTL_STDIOSTREAM_SHOW_PID        001u
#define XTL_STDIOSTREAM_SHOW_DATE       002u
#define XTL_STDIOSTREAM_HIDE_PROGRESS   004u
#define XTL_STDIOSTREAM_PROGRESS_USE_CR 010u
#define XTL_STDIOSTREAM_PROGRESS_NO_CR  020u

typedef struct xentoollog_logger_stdiostream xentoollog_logger_stdiostream;

/* A logger printing "context: level: message[: strerror]" lines to f
 * for levels >= min_level.  Destroying it does not close f. */
xentoollog_logger_stdiostream *xtl_createlogger_stdiostream(FILE *f,
        xentoollog_level min_level, unsigned flags);
void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg,
                                  xentoollog_level min_level);
void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg,
                                  unsigned set_flags, unsigned clear_flags);

void xtl_logger_destroy(struct xentoollog_logger *logger);   /* NULL is fine */

void xtl_logv(struct xentoollog_logger *logger, xentoollog_level level,
              int errnoval, const char *context, const char *format,
              va_list al) __attribute__((format(printf, 5, 0)));
void xtl_log(struct xentoollog_logger *logger, xentoollog_level level,
             int errnoval, const char *context, const char *format, ...)
    __attribute__((format(printf, 5, 6)));
void xtl_progress(struct xentoollog_logger *logger, const char *context,
                  const char *doing_what, unsigned long done,
                  unsigned long total);

const char *xtl_level_to_string(xentoollog_level level);   /* never NULL */

#ifdef __cplusplus
}
#endif

#endif
