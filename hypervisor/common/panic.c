/* panic(): the one way the hypervisor gives up. */
#include <stdarg.h>
#include "backtrace.h"
#include "console.h"
#include "cpu.h"
#include "format.h"
#include "panic.h"
#include "power.h"
#include "printk.h"

static int panic_depth;

static __attribute__((noreturn)) void panic_common(bool dump, uintptr_t rip,
                                                   uintptr_t rbp,
                                                   const char *fmt, va_list ap)
{
    char msg[256];

    local_irq_disable();
    /* A fault while panicking must not recurse forever. */
    if (panic_depth++ > 1)
        machine_stop_after_panic();
    console_start_emergency();
    vsnprintf(msg, sizeof(msg), fmt, ap);
    printk(LOG_ERR, "****************************************");
    printk(LOG_ERR, "panic: %s", msg);
    printk(LOG_ERR, "****************************************");
    if (dump && panic_depth == 1)
        backtrace_print(rip, rbp);
    machine_stop_after_panic();
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
