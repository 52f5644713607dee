/*
 * Where log lines are shown.  Until the command line has chosen a console
 * the log only fills the ring; choosing one replays what is there, so no
 * early line is lost and none is shown against console=none.
 */
#ifndef SUBFLOOR_CONSOLE_H
#define SUBFLOOR_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* The serial line under the console, filled in by arch/x86/serial.c. */
struct console_ops {
    void (*init)(void);
    void (*write)(const char *bytes, size_t len);
};

/* Before anything prints: where COM1 output goes. */
void console_set_ops(const struct console_ops *ops);

enum console_kind {
    CONSOLE_PENDING,    /* not chosen yet: ring only */
    CONSOLE_COM1,
    CONSOLE_NONE,
};

/* Parse Xen's console= value ("com1", "none"; a comma list takes the
 * first name this hypervisor knows).  0 or -1. */
int console_parse(const char *value, enum console_kind *out);

void console_start(enum console_kind kind);

/* A fatal error before a console was chosen: start COM1 so it is seen. */
void console_start_emergency(void);

bool console_active(void);
void console_write_line(const char *text, size_t len);

/* Bytes exactly as given (dom0's terminal output), no line handling. */
void console_write_bytes(const char *bytes, size_t len);

/* A line that carries its own prefix (a guest's "(d0) "), not "(SF) ". */
void console_write_raw_line(const char *text, size_t len);

#endif
