/* panic(): the one way the hypervisor gives up. */
#include <stdarg.h>
#include "lib/console.h"
#include "lib/format.h"
#include "lib/irqflags.h"
#include "lib/panic.h"
#include "lib/printk.h"

static int panic_depth;
static const struct panic_ops *ops;

void panic_set_ops(const struct panic_ops *o)
{
    ops = o;
}

static __attribute__((noreturn)) void stop(void)
{
    if (ops)
        ops->stop();
    halt_forever();
}

static __attribute__((noreturn)) void panic_common(bool dump, uintptr_t rip,
                                                   uintptr_t rbp,
                                                   const char *fmt, va_list ap)
{
    char msg[256];

    local_irq_disable();
    /* A fault while panicking must not recurse forever. */
    if (panic_depth++ > 1)
        stop();
    console_start_emergency();
    vsnprintf(msg, sizeof(msg), fmt, ap);
    printk(LOG_ERR, "****************************************");
    printk(LOG_ERR, "panic: %s", msg);
    printk(LOG_ERR, "****************************************");
    if (dump && panic_depth == 1 && ops)
        ops->backtrace(rip, rbp);
    stop();
}

void panic(const char *fmt, ...)
{
    /* Start the trace at our caller: its address and its frame. */
    const uintptr_t *frame = __builtin_frame_address(0);
    va_list ap;

    va_start(ap, fmt);
    panic_common(true, frame[1], frame[0], fmt, ap);
}

void panic_after_dump(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    panic_common(false, 0, 0, fmt, ap);
}
