/*
 * printk: every message goes to the log ring; those at or above the
 * console threshold (loglvl=) also go to the console.
 */
#ifndef SUBFLOOR_PRINTK_H
#define SUBFLOOR_PRINTK_H

#include <stdarg.h>

#define LOG_NONE     0      /* a threshold only: show nothing */
#define LOG_ERR      1
#define LOG_WARNING  2
#define LOG_INFO     3
#define LOG_DEBUG    4

void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARNING, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* Console threshold: messages with level <= this are shown. */
void printk_set_console_level(int level);
int printk_console_level(void);

/* Parse Xen's loglvl names (none, error, warning, info, debug, all; a
 * "/guest" part after a slash is accepted and ignored).  0 or -1. */
int printk_parse_level(const char *name, int *level);

#endif
