/* Fatal errors: say what happened, show where, then stop the machine. */
#ifndef SUBFLOOR_PANIC_H
#define SUBFLOOR_PANIC_H

#include <stdint.h>

/* How a panic shows where it happened and stops the machine; filled in
 * by arch/x86 (backtrace.c, power.c) at the start of boot.  Until then a
 * panic halts this CPU. */
struct panic_ops {
    void (*backtrace)(uintptr_t rip, uintptr_t rbp);
    __attribute__((noreturn)) void (*stop)(void);
};

void panic_set_ops(const struct panic_ops *ops);

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* For a caller that has already printed a register dump and backtrace. */
void panic_after_dump(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG_ON(cond) \
    do { if (cond) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

#endif
